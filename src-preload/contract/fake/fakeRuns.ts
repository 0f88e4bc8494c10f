// The fake library's long calls: tracklist runs (the scripted answer, after TRACKLIST_STEPS timed tracklistProgress
// pushes; cancelled by cancelTracklist or the caller's signal) and keep-listening sessions (the scripted log of what
// a session heard so far). State per run id and per session id, as the engine keeps it.
import type { LibraryEvents, ListenPushRequest, ListenSessionRequest, ListenState, TracklistRequest } from '../api.js';
import { LIMITS } from '../api.js';
import type { Result, TrackSummary, Tracklist } from '../library.js';
import type { FakeClock } from './fakeClock.js';
import { TRACKLIST_STEPS, type AbortSignalLike, type FakeScripts } from './fakeScripts.js';

export interface FakeRunsOptions {
  readonly clock: FakeClock;
  /** Milliseconds between tracklist progress steps. */
  readonly tracklistStepMs: number;
  readonly scripts: FakeScripts;
  readonly catalog: () => readonly TrackSummary[];
  readonly emit: <E extends keyof LibraryEvents>(event: E, payload: LibraryEvents[E]) => void;
}

export interface FakeRuns {
  tracklist(request: TracklistRequest, signal?: AbortSignalLike): Promise<Result<Tracklist>>;
  cancelTracklist(runId: string): void;
  listenStart(request: ListenSessionRequest): Result<ListenState>;
  listenPush(request: ListenPushRequest): Result<ListenState>;
  listenStop(request: ListenSessionRequest): Result<ListenState>;
}

const SESSION_GONE: Result<never> = { ok: false, error: { code: 'not-found', detail: 'that listening session has ended' } };

export function createFakeRuns(options: FakeRunsOptions): FakeRuns {
  const { clock, scripts } = options;
  /** Running tracklists: run id -> cancel. */
  const tracklistRuns = new Map<string, () => void>();
  /** Open keep-listening sessions: seconds heard so far. */
  const listenSessions = new Map<string, number>();

  return {
    tracklist(request, signal) {
      if (tracklistRuns.has(request.runId)) return Promise.resolve({ ok: false, error: { code: 'invalid-argument', detail: 'run id in use' } });
      return new Promise<Result<Tracklist>>((resolve, reject) => {
        let settled = false;
        let stopTick: (() => void) | null = null;
        const settle = (): boolean => {
          if (settled) return false;
          settled = true;
          stopTick?.();
          tracklistRuns.delete(request.runId);
          return true;
        };
        const finish = (result: Result<Tracklist>): void => void (settle() && resolve(result));
        const cancel = (): void => finish({ ok: false, error: { code: 'cancelled', detail: 'tracklist cancelled' } });
        tracklistRuns.set(request.runId, cancel);
        signal?.addEventListener('abort', cancel, { once: true });
        if (signal?.aborted) return cancel();
        Promise.resolve(scripts.tracklist(request, options.catalog(), signal)).then(
          (outcome) => {
            if (settled) return;
            if ('code' in outcome) return finish({ ok: false, error: outcome });
            let step = 0;
            const tick = (): void => {
              if (step === TRACKLIST_STEPS) return finish({ ok: true, value: outcome });
              step++;
              const doneSeconds = (outcome.durationSeconds * step) / (TRACKLIST_STEPS + 1);
              const songs = outcome.segments.filter((s) => s.track && s.start < doneSeconds).length;
              options.emit('tracklistProgress', { runId: request.runId, doneSeconds, totalSeconds: outcome.durationSeconds, songs });
              stopTick = clock.after(options.tracklistStepMs, tick);
            };
            stopTick = clock.after(options.tracklistStepMs, tick);
          },
          (error: unknown) => void (settle() && reject(error)),
        );
      });
    },
    cancelTracklist(runId) {
      tracklistRuns.get(runId)?.();
    },
    listenStart(request) {
      if (listenSessions.has(request.sessionId)) return { ok: false, error: { code: 'invalid-argument', detail: 'session id in use' } };
      listenSessions.set(request.sessionId, 0);
      return { ok: true, value: { sessionId: request.sessionId, heardSeconds: 0, playing: null, log: [] } };
    },
    listenPush(request) {
      const heard = listenSessions.get(request.sessionId);
      if (heard === undefined) return SESSION_GONE;
      const heardSeconds = heard + request.samples.length / LIMITS.listenSampleRateHz;
      listenSessions.set(request.sessionId, heardSeconds);
      return { ok: true, value: { sessionId: request.sessionId, heardSeconds, ...scripts.listen(heardSeconds, options.catalog()) } };
    },
    listenStop(request) {
      const heardSeconds = listenSessions.get(request.sessionId);
      if (heardSeconds === undefined) return SESSION_GONE;
      listenSessions.delete(request.sessionId);
      const { log } = scripts.listen(heardSeconds, options.catalog());
      return { ok: true, value: { sessionId: request.sessionId, heardSeconds, playing: null, log: log.map((e) => ({ ...e, ongoing: false })) } };
    },
  };
}
