// What every route of the scripts' HTTP API shares: its context (the backend and the host's settings), the failure
// that becomes an {error: {code, message, details}} answer, and query-parameter checks.
import type { Result } from '../../src-preload/contract/library.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';
import { apiError, apiErrorFromApp, type ApiError } from './apiErrors.js';
import type { HealthMonitor } from './healthMonitor.js';

export interface HttpApiContext {
  readonly backend: LibraryBackend;
  readonly token: string;
  readonly appVersion: string;
  readonly searchTimeoutMs: number;
  readonly ingestTimeoutMs: number;
  readonly log: (message: string, error?: unknown) => void;
  /** /health's view of the library: answers without queueing behind a busy worker. */
  readonly health: HealthMonitor;
  /** The library's data folder (uploads of long recordings are streamed to its tmp/). */
  readonly dataDir: () => Promise<string>;
}

/** Thrown by a route; handleApi answers it with its status and JSON body. */
export class ApiFailure extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.body.error.message);
  }
}

export const fail = (error: ApiError): never => {
  throw new ApiFailure(error);
};

/** The backend's answer, or the ApiFailure its error code maps to (apiErrors.ts). */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new ApiFailure(apiErrorFromApp(result.error));
  return result.value;
}

/** An integer query parameter or form field in min..max; absent or empty gives `fallback`. */
export function intParam(raw: string | null, name: string, min: number, max: number, fallback: number): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < min || n > max) {
    return fail(apiError('VALIDATION_ERROR', `${name} must be an integer in ${min}..${max}`, { field: name }));
  }
  return n;
}

/** A path segment, percent-decoded (left as it is when the encoding is broken: the contract's check refuses it). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
