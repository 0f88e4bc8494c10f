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

/** Turns anything thrown into an AppErrorInfo; unknown errors become `internal` with their message. */
export function toErrorInfo(err: unknown): AppErrorInfo {
  if (err instanceof AppError) return err.toInfo();
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
