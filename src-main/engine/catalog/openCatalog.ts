// Opens the catalog file: checks the version before touching anything, sets the connection pragmas and
// migrates. Returns the Catalog that owns the handle; the caller closes it. Synchronous, any thread.
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { AppError, catalogCorruptDetail, isCatalogCorruptError } from '../errors.js';
import { Catalog } from './catalog.js';
import { migrateCatalog, readUserVersion } from './migrate.js';
import { LATEST_CATALOG_VERSION } from './migrations/index.js';

export interface OpenCatalogOptions {
  /** A reader's handle: no WAL switch, no migrations; the file must exist and be fully migrated. */
  readonly readonly?: boolean;
  /** Run PRAGMA quick_check before use (O(file size); a few tens of ms per 100k tracks). Default false. */
  readonly verifyIntegrity?: boolean;
  /** Clock for timestamps the catalog writes; tests pin it. */
  readonly now?: () => Date;
}

/** Milliseconds a statement waits on another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed, unless readonly) the catalog at `filePath`, or an in-memory one for ':memory:'.
 * Throws AppError 'catalog-newer-than-app' (file left byte-identical) or 'catalog-corrupt'.
 */
export function openCatalog(filePath: string, options: OpenCatalogOptions = {}): Catalog {
  const readonly = options.readonly ?? false;
  const inMemory = filePath === ':memory:' || filePath === '';
  const db = new BetterSqlite3(filePath, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
  try {
    // Connection-level settings first: none of them writes to the file.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');

    // The first read of the file: a non-SQLite file fails here with SQLITE_NOTADB.
    const version = readUserVersion(db);
    if (version > LATEST_CATALOG_VERSION) {
      throw new AppError('catalog-newer-than-app', `${filePath} is at schema version ${version}; this app knows up to ${LATEST_CATALOG_VERSION}`);
    }
    if (options.verifyIntegrity) checkCatalogIntegrity(db);

    if (readonly) {
      if (version < LATEST_CATALOG_VERSION) {
        throw new AppError('internal', `read-only catalog at version ${version} needs migrating to ${LATEST_CATALOG_VERSION} by its writer first`);
      }
      db.pragma('query_only = ON');
    } else {
      // WAL: readers in workers never block the writer. (In-memory databases cannot use WAL.)
      if (!inMemory) db.pragma('journal_mode = WAL');
      migrateCatalog(db);
    }
    return new Catalog(db, { now: options.now });
  } catch (err) {
    db.close();
    throw toCatalogError(err, filePath);
  }
}

/** Runs PRAGMA quick_check; throws AppError('catalog-corrupt') listing the first problems unless it says ok. */
export function checkCatalogIntegrity(db: Database): void {
  let problems: string[];
  try {
    const rows = db.pragma('quick_check(10)') as Array<{ quick_check: string }>;
    problems = rows.map((row) => row.quick_check);
  } catch (err) {
    throw toCatalogError(err, db.name);
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new AppError('catalog-corrupt', catalogCorruptDetail(db.name, problems.join('; ')));
  }
}

/** SQLite's "not a database" and "malformed" errors become 'catalog-corrupt'; anything else passes through. */
export function toCatalogError(err: unknown, filePath: string): unknown {
  if (err instanceof AppError) return err;
  if (isCatalogCorruptError(err)) return new AppError('catalog-corrupt', catalogCorruptDetail(filePath, err), { cause: err });
  return err;
}
