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
