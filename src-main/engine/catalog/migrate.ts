// The catalog migration runner: reads PRAGMA user_version, runs every pending migration in one
// transaction and sets user_version to the last one. Synchronous; runs on the catalog's writing connection.
import type { Database } from 'better-sqlite3';
import { AppError } from '../errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export interface MigrateOptions {
  /** Stop after this version (tests build a catalog "at the previous version"). Default: the newest. */
  readonly toVersion?: number;
  /** The list to run; default MIGRATIONS. */
  readonly migrations?: readonly Migration[];
}

export interface MigrateResult {
  readonly fromVersion: number;
  readonly toVersion: number;
  /** Versions that ran, oldest first; empty when the catalog was already current. */
  readonly applied: readonly number[];
}

export function readUserVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the catalog up to `toVersion`. All pending migrations commit together or not at all.
 * Throws AppError('catalog-newer-than-app') before writing anything when the file's version is above the
 * newest migration known here.
 */
export function migrateCatalog(db: Database, options: MigrateOptions = {}): MigrateResult {
  const migrations = options.migrations ?? MIGRATIONS;
  assertOrdered(migrations);
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const target = options.toVersion ?? latest;

  const fromVersion = readUserVersion(db);
  if (fromVersion > latest) {
    throw new AppError('catalog-newer-than-app', `catalog version ${fromVersion}, this app knows up to ${latest}`);
  }
  const pending = migrations.filter((m) => m.version > fromVersion && m.version <= target);
  if (pending.length === 0) return { fromVersion, toVersion: fromVersion, applied: [] };

  // Foreign keys go off for the duration (PRAGMA foreign_keys is a no-op inside a transaction), so a later
  // migration may rebuild a table the SQLite way; foreign_key_check then proves nothing was left dangling.
  const foreignKeysWereOn = db.pragma('foreign_keys', { simple: true }) === 1;
  if (foreignKeysWereOn) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const migration of pending) migration.up(db);
      const violations = db.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) {
        throw new Error(`migration left ${violations.length} foreign-key violation(s): ${JSON.stringify(violations[0])}`);
      }
      db.pragma(`user_version = ${pending[pending.length - 1].version}`);
    }).immediate();
  } finally {
    if (foreignKeysWereOn) db.pragma('foreign_keys = ON');
  }
  const toVersion = pending[pending.length - 1].version;
  return { fromVersion, toVersion, applied: pending.map((m) => m.version) };
}

function assertOrdered(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isSafeInteger(m.version) || m.version <= previous) {
      throw new Error(`migration versions must be increasing positive integers: ${m.version} after ${previous}`);
    }
    previous = m.version;
  }
}
