// Why a Listen (or Keep listening) could not start or answer, for reasons only the page knows, so not AppErrorCodes:
// they never cross the bridge. The words live in lib/errorText.ts (LISTEN_PROBLEM_TEXT, one per problem). Pure.
import type { AppErrorInfo } from '../../src-preload/contract/library';

/**
 * - 'no-microphone': no input is connected (getUserMedia's NotFoundError).
 * - 'microphone-denied': the browser or the system refused the microphone (NotAllowedError).
 * - 'too-little-audio': Listen was stopped before LISTEN_MIN_CLIP_SECONDS were recorded (nothing sent or remembered).
 * - 'system-audio-cancelled': the computer's own sound was chosen, but its share dialog was closed or refused.
 * - 'no-system-audio': something was shared, but without sound (no "share audio", a refused System Audio Recording).
 * - 'system-audio-unavailable': this browser or system cannot give the page the computer's own sound.
 */
export type ListenProblem =
  'no-microphone' | 'microphone-denied' | 'too-little-audio' | 'system-audio-cancelled' | 'no-system-audio' | 'system-audio-unavailable';

/** Thrown by a MicSource when it knows exactly what went wrong: the problem is named where it happens. */
export class ListenProblemError extends Error {
  override readonly name = 'ListenProblemError';
  constructor(
    readonly problem: ListenProblem,
    message: string = problem,
  ) {
    super(message);
  }
}

/** Why opening the input failed: a problem the page can word, or an internal error for anything unexpected. */
export function micFailure(error: unknown): { listenProblem: ListenProblem; error: null } | { listenProblem: null; error: AppErrorInfo } {
  if (error instanceof ListenProblemError) return { listenProblem: error.problem, error: null };
  const name = typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string' ? (error as { name: string }).name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return { listenProblem: 'microphone-denied', error: null };
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return { listenProblem: 'no-microphone', error: null };
  const detail = error instanceof Error ? error.message : String(error);
  return { listenProblem: null, error: { code: 'internal', detail: `the microphone could not be opened: ${detail}` } };
}
