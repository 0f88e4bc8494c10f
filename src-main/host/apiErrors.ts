// The scripts' HTTP API errors: each API code's HTTP status and default words (the contract names the codes and maps
// every engine code to one, in APP_ERRORS), plus the codes only the host raises. Pure.
import { API_ERROR_CODES, APP_ERROR_CODES, APP_ERRORS, type ApiErrorCode, type AppErrorCode, type AppErrorInfo } from '../../src-preload/contract/library.js';

export { API_ERROR_CODES, type ApiErrorCode };

export const API_ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  // A request whose body stalled (no bytes for the host's idle timeout, 30 s by default).
  REQUEST_TIMEOUT: 408,
  // 413 (was the original design's 400): the host stops reading an oversized body, so it must say so in HTTP terms.
  FILE_TOO_LARGE: 413,
  // The original design's 400 for the other two audio errors.
  UNSUPPORTED_FORMAT: 400,
  AUDIO_TOO_SHORT: 400,
  AUDIO_TOO_LONG: 400,
  SEARCH_TIMEOUT: 504,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
} as const satisfies Record<ApiErrorCode, number>;

/** Every engine code's API code (the contract's APP_ERRORS table). */
export const APP_TO_API_ERROR = Object.fromEntries(APP_ERROR_CODES.map((code) => [code, APP_ERRORS[code].api])) as Readonly<Record<AppErrorCode, ApiErrorCode>>;

/** Default words per API code (the engine's detail, when it has one, goes to `details.detail`). */
export const API_ERROR_MESSAGES = {
  VALIDATION_ERROR: 'The request is not valid.',
  UNAUTHORIZED: 'A valid token is required (Authorization: Bearer <token> or X-Api-Token).',
  FORBIDDEN: 'Not allowed.',
  NOT_FOUND: 'Not found.',
  METHOD_NOT_ALLOWED: 'Method not allowed on this path.',
  REQUEST_TIMEOUT: 'The request body stopped arriving; send it again.',
  FILE_TOO_LARGE: 'The uploaded audio is too large.',
  UNSUPPORTED_FORMAT: 'The audio could not be decoded (unsupported or damaged format).',
  AUDIO_TOO_SHORT: 'The audio is too short to identify (at least 1 second is needed).',
  AUDIO_TOO_LONG: 'The audio is too long to identify (at most 5 minutes).',
  SEARCH_TIMEOUT: 'The search took too long and was abandoned.',
  SERVICE_UNAVAILABLE: 'The library is not available right now.',
  INTERNAL_ERROR: 'An internal error occurred.',
} as const satisfies Record<ApiErrorCode, string>;

export interface ApiErrorBody {
  readonly error: { readonly code: ApiErrorCode; readonly message: string; readonly details: Readonly<Record<string, unknown>> };
}

export interface ApiError {
  readonly status: number;
  readonly body: ApiErrorBody;
}

export function apiError(code: ApiErrorCode, message?: string, details: Record<string, unknown> = {}): ApiError {
  return { status: API_ERROR_STATUS[code], body: { error: { code, message: message ?? API_ERROR_MESSAGES[code], details } } };
}

/** An engine error as the scripts' API says it; `details.app_error_code` keeps the engine's own code. */
export function apiErrorFromApp(info: AppErrorInfo, extra: Record<string, unknown> = {}): ApiError {
  const code = APP_TO_API_ERROR[info.code] ?? 'INTERNAL_ERROR';
  // Internal details may carry low-level text; they stay in the host's log, not in the answer.
  const detail = code === 'INTERNAL_ERROR' ? undefined : info.detail;
  return apiError(code, undefined, { app_error_code: info.code, ...(detail === undefined ? {} : { detail }), ...extra });
}
