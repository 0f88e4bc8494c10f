// The fake library's long calls: tracklist runs (the scripted answer, after TRACKLIST_STEPS timed tracklistProgress
// pushes; cancelled by cancelTracklist or the caller's signal), keep-listening sessions (the scripted log of what
// a session heard so far) and clip sessions (Listen's single answer: the scripted identify of the whole clip pushed
// so far, kept in History once at stop). State per run id and per session id, as the engine keeps it.
import type {
  IdentifyRequest,
  LibraryEvents,
  ListenClipOptions,
  ListenPushRequest,
  ListenSessionRequest,
  ListenStartRequest,
  ListenState,
  TracklistRequest,
} from '../api.js';
import { LIMITS } from '../api.js';
import type { IdentifyResult, Result, TrackSummary, Tracklist } from '../library.js';
import type { FakeClock } from './fakeClock.js';
import { TRACKLIST_STEPS, type AbortSignalLike, type FakeScripts } from './fakeScripts.js';

export interface FakeRunsOptions {
  readonly clock: FakeClock;
  /** Milliseconds between tracklist progress steps. */
  readonly tracklistStepMs: number;
  readonly scripts: FakeScripts;
  readonly catalog: () => readonly TrackSummary[];
  readonly emit: <E extends keyof LibraryEvents>(event: E, payload: LibraryEvents[E]) => void;
  /** Keeps a clip session's answer in History (as identifyClip with its key). */
  readonly remember: (request: IdentifyRequest & { readonly historyKey: string }, result: IdentifyResult) => void;
}

export interface FakeRuns {
  tracklist(request: TracklistRequest, signal?: AbortSignalLike): Promise<Result<Tracklist>>;
  cancelTracklist(runId: string): void;
  listenStart(request: ListenStartRequest): Result<ListenState>;
  listenPush(request: ListenPushRequest): Promise<Result<ListenState>>;
  listenStop(request: ListenSessionRequest): Promise<Result<ListenState>>;
}

const SESSION_GONE: Result<never> = { ok: false, error: { code: 'not-found', detail: 'that listening session has ended' } };

/** The engine's longest clip (MAX_CLIP_SECONDS): a clip session holds at most this much (and LIMITS.maxPcmSamples). */
const MAX_CLIP_SECONDS = 300;

/** A clip session: the whole clip so far (at the clip's rate) and the answer to the latest push. */
interface ClipSession {
  readonly options: ListenClipOptions;
  samples: Float32Array;
  answer: IdentifyResult | null;
  /** A push is being answered: the next one waits for it (the engine runs a session's calls in order). */
  queue: Promise<unknown>;
}

function clipRequest(clip: ClipSession): IdentifyRequest {
  const { sampleRateHz, mode, maxResults, historyKey } = clip.options;
  return { audio: { kind: 'pcm', sampleRateHz, samples: clip.samples }, source: 'mic', mode, maxResults, ...(historyKey === undefined ? {} : { historyKey }) };
}

function clipState(sessionId: string, clip: ClipSession): ListenState {
  const heardSeconds = Math.round((clip.samples.length / clip.options.sampleRateHz) * 100) / 100;
  return { sessionId, heardSeconds, playing: null, log: [], answer: clip.answer };
}

export function createFakeRuns(options: FakeRunsOptions): FakeRuns {
  const { clock, scripts } = options;
  /** Running tracklists: run id -> cancel. */
  const tracklistRuns = new Map<string, () => void>();
  /** Open keep-listening sessions: seconds heard so far. */
  const listenSessions = new Map<string, number>();
  /** Open clip sessions (the same ids: one session per id, whatever its kind). */
  const clipSessions = new Map<string, ClipSession>();

  async function pushClip(sessionId: string, clip: ClipSession, samples: Float32Array): Promise<Result<ListenState>> {
    const maxSamples = Math.min(LIMITS.maxPcmSamples, MAX_CLIP_SECONDS * clip.options.sampleRateHz);
    clip.answer = null;
    if (clip.samples.length + samples.length > maxSamples) return { ok: false, error: { code: 'clip-too-long', detail: 'a Listen keeps at most 300 s' } };
    const grown = new Float32Array(clip.samples.length + samples.length);
    grown.set(clip.samples);
    grown.set(samples, clip.samples.length);
    clip.samples = grown;
    const outcome = await scripts.identify(clipRequest(clip), options.catalog());
    if ('code' in outcome) return outcome.code === 'clip-too-short' ? { ok: true, value: clipState(sessionId, clip) } : { ok: false, error: outcome };
    clip.answer = outcome;
    return { ok: true, value: clipState(sessionId, clip) };
  }

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
      const { sessionId } = request;
      if (listenSessions.has(sessionId) || clipSessions.has(sessionId)) return { ok: false, error: { code: 'invalid-argument', detail: 'session id in use' } };
      if (request.clip) {
        const clip: ClipSession = { options: request.clip, samples: new Float32Array(0), answer: null, queue: Promise.resolve() };
        clipSessions.set(sessionId, clip);
        return { ok: true, value: clipState(sessionId, clip) };
      }
      listenSessions.set(sessionId, 0);
      return { ok: true, value: { sessionId, heardSeconds: 0, playing: null, log: [] } };
    },
    async listenPush(request) {
      const clip = clipSessions.get(request.sessionId);
      if (clip) {
        const next = clip.queue.then(() => (clipSessions.get(request.sessionId) === clip ? pushClip(request.sessionId, clip, request.samples) : SESSION_GONE));
        clip.queue = next.catch(() => undefined);
        return next;
      }
      const heard = listenSessions.get(request.sessionId);
      if (heard === undefined) return SESSION_GONE;
      const heardSeconds = heard + request.samples.length / LIMITS.listenSampleRateHz;
      listenSessions.set(request.sessionId, heardSeconds);
      return { ok: true, value: { sessionId: request.sessionId, heardSeconds, ...scripts.listen(heardSeconds, options.catalog()) } };
    },
    async listenStop(request) {
      const clip = clipSessions.get(request.sessionId);
      if (clip) {
        await clip.queue; // after the pushes already made, as the engine
        if (clipSessions.get(request.sessionId) !== clip) return SESSION_GONE;
        clipSessions.delete(request.sessionId);
        const { historyKey } = clip.options;
        if (clip.answer && historyKey !== undefined) options.remember({ ...clipRequest(clip), historyKey }, clip.answer);
        return { ok: true, value: clipState(request.sessionId, clip) };
      }
      const heardSeconds = listenSessions.get(request.sessionId);
      if (heardSeconds === undefined) return SESSION_GONE;
      listenSessions.delete(request.sessionId);
      const { log } = scripts.listen(heardSeconds, options.catalog());
      return { ok: true, value: { sessionId: request.sessionId, heardSeconds, playing: null, log: log.map((e) => ({ ...e, ongoing: false })) } };
    },
  };
}
