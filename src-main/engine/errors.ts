// The engine's one deliberate error type: carries an AppErrorCode for the UI and the low-level error as `cause`.
// Anything else thrown inside the engine is a bug and is reported as `internal`.
import type { AppErrorCode, AppErrorInfo } from '../../src-preload/contract/library.js';

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly detail: string | undefined;

  constructor(code: AppErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${code}: ${detail}` : code, options);
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
  }

  toInfo(): AppErrorInfo {
    return this.detail === undefined ? { code: this.code } : { code: this.code, detail: this.detail };
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/**
 * SQLite's "database disk image is malformed" (SQLITE_CORRUPT*) and "file is not a database" (SQLITE_NOTADB), as
 * better-sqlite3's SqliteError carries them in `code`: the catalog file is damaged.
 */
export function isCatalogCorruptError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'));
}

/** What to say about a damaged catalog: what happened, that it was not touched, and how to get going again. */
export function catalogCorruptDetail(filePath: string, err: unknown): string {
  const what = err instanceof Error ? err.message : String(err);
  return (
    `the library catalog ${filePath} is damaged (${what}). It was left as it is. To recover, restore it from a backup, or ` +
    `move it aside (rename catalog.sqlite and its -wal and -shm files, with the app closed) and index your music folders ` +
    `again to build a new catalog (track ids and History then start afresh).`
  );
}

/** Turns anything thrown into an AppErrorInfo; unknown errors become `internal` with their message. */
export function toErrorInfo(err: unknown): AppErrorInfo {
  if (err instanceof AppError) return err.toInfo();
  // A query met a damaged catalog page: the catalog is the source of truth, so say so plainly (never 'internal').
  if (isCatalogCorruptError(err)) return { code: 'catalog-corrupt', detail: catalogCorruptDetail('(catalog.sqlite in the data folder)', err) };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', detail: message };
}

/**
 * Maps a Node fs error met at `target` (stat, open, read) to the AppError the UI can word: ENOENT/ENOTDIR not-found,
 * EACCES/EPERM permission-denied, ENAMETOOLONG and ELOOP not-found with the reason; anything else `fallback`.
 */
export function fileSystemError(err: unknown, target: string, fallback: AppErrorCode = 'decode-failed'): AppError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new AppError('not-found', target, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return new AppError('permission-denied', target, { cause: err });
    case 'ENAMETOOLONG':
      return new AppError('not-found', `the path is too long for this system (ENAMETOOLONG): ${target}`, { cause: err });
    case 'ELOOP':
      return new AppError('not-found', `too many levels of symbolic links (ELOOP): ${target}`, { cause: err });
    default:
      return new AppError(fallback, `${target}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
