// What /health knows about the library without queueing behind it: the last status the library reported (from its
// statusChanged events and from getStatus answers), and at most one getStatus question in flight at a time. A read
// waits a moment for a fresh answer, then answers from memory: a worker stuck on one bad file must not make the
// host look dead, nor pile up questions in the worker's queue. Runs on the host's thread.
import type { AppStatus } from '../../src-preload/contract/api.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';

/** How long /health waits for the library's own answer before answering from the last known state. */
export const DEFAULT_HEALTH_WAIT_MS = 250;

export type HealthReading =
  /** The library answered within the wait. */
  | { readonly library: 'ready'; readonly status: AppStatus }
  /** It did not: `status` is the last one it reported (null if it never has), `ageMs` old. */
  | { readonly library: 'busy'; readonly status: AppStatus | null; readonly ageMs: number | null }
  /** It answered with an error (or threw). */
  | { readonly library: 'unavailable' };

export interface HealthMonitor {
  read(): Promise<HealthReading>;
  close(): void;
}

export function createHealthMonitor(
  backend: Pick<LibraryBackend, 'getStatus' | 'on'>,
  options: { readonly waitMs?: number; readonly log?: (message: string, error?: unknown) => void } = {},
): HealthMonitor {
  const waitMs = options.waitMs ?? DEFAULT_HEALTH_WAIT_MS;
  let last: { status: AppStatus; atMs: number } | null = null;
  let inFlight: Promise<HealthReading> | null = null;
  const remember = (status: AppStatus): void => {
    last = { status, atMs: Date.now() };
  };
  const unsubscribe = backend.on('statusChanged', remember);

  function ask(): Promise<HealthReading> {
    inFlight ??= (async (): Promise<HealthReading> => {
      try {
        const result = await backend.getStatus();
        if (!result.ok) return { library: 'unavailable' };
        remember(result.value);
        return { library: 'ready', status: result.value };
      } catch (error) {
        options.log?.('health: getStatus threw', error);
        return { library: 'unavailable' };
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  }

  // Ask once at start-up, so that a library busy from its first minute still has a last known state.
  void ask();

  return {
    async read() {
      let timer: NodeJS.Timeout | undefined;
      const busy = new Promise<'busy'>((resolve) => {
        timer = setTimeout(() => resolve('busy'), waitMs);
      });
      const answer = await Promise.race([ask(), busy]).finally(() => clearTimeout(timer));
      if (answer !== 'busy') return answer;
      const known = last;
      return { library: 'busy', status: known?.status ?? null, ageMs: known ? Date.now() - known.atMs : null };
    },
    close: unsubscribe,
  };
}
