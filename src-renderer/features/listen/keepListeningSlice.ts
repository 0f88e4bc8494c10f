// Keep listening: the microphone (or the chosen input) runs until switched off; its audio, downsampled to 8 kHz in
// the capture worklet, is pushed to an engine listening session four times a second (only the audio new since the
// last push). Each answer says what plays now and the room log so far. A desktop notification goes out once per
// new song (when the user allowed them: asked on the first switch-on). Switching off sends what is left; the room
// log keeps every switch-on's stretches (the earlier ones in `earlier`) in the page's storage, across a reload and a
// restart, until Clear log (roomLogStore.ts).
import { LIMITS, type ListenLogEntry, type ListenPlaying } from '../../../src-preload/contract/api';
import type { AppErrorInfo } from '../../../src-preload/contract/library';
import { micFailure, type ListenProblem } from '../../store/listenProblem';
import { addPending, takeSamples, type PendingAudio } from '../../store/pendingAudio';
import type { MicInput, MicSession, SliceCreator, SystemAudioAvailability } from '../../store/types';
import type { RoomLogSession } from './roomLog';
import { loadRoomLog, pageStorage, saveRoomLog } from './roomLogStore';

/**
 * How often new audio is pushed (a push waits for the one in flight): about as often as the capture worklet posts a
 * chunk (2,048 samples at 8 kHz, 256 ms). A window of the engine's is searched once the audio ~0.5-1 s past its end is
 * in (the peaks' neighbourhood and density blocks), so with a push a second most songs waited for the next push after
 * that. Pushed as the chunks come, the same songs are announced 0.5 s sooner on average (up to 1 s; bench:mix
 * --listen-delay, session 35: medians 5.3 -> 4.9 s on seed 6). The matcher's answers do not depend on how the audio
 * is cut.
 */
export const KEEP_PUSH_EVERY_MS = 250;

export type KeepPhase = 'idle' | 'starting' | 'on' | 'stopping';
export type NotificationState = NotificationPermission | 'unsupported';

export interface KeepListeningState {
  readonly phase: KeepPhase;
  /** Date.now() when the session's first sample was recorded (the log's times count from it); null before any. */
  readonly startedAtMs: number | null;
  readonly heardSeconds: number;
  readonly playing: ListenPlaying | null;
  /** Date.now() when `playing` arrived: the screen advances the position from it between answers. */
  readonly playingAtMs: number;
  readonly log: readonly ListenLogEntry[];
  /** The room log's earlier sessions (switch-ons, and those kept from before a reload), oldest first. */
  readonly earlier: readonly RoomLogSession[];
  readonly levelRms: number;
  readonly error: AppErrorInfo | null;
  readonly listenProblem: ListenProblem | null;
  /** Whether song notifications can be shown (as the user answered the page's question). */
  readonly notifications: NotificationState;
}

export interface KeepListeningSlice {
  keep: KeepListeningState;
  /** The audio inputs, for the picker (empty until listed, or where the page cannot list them). */
  micInputs: readonly MicInput[];
  /** Whether the picker can offer the computer's own sound (or why not); null until asked. */
  systemAudio: SystemAudioAvailability | null;
  startKeepListening: () => Promise<void>;
  stopKeepListening: () => Promise<void>;
  toggleKeepListening: () => void;
  /** Lists the inputs and asks whether the computer's own sound can be had. */
  loadMicInputs: () => Promise<void>;
  /** Forgets the room log (every session's); only while switched off. */
  clearRoomLog: () => void;
}

const IDLE: KeepListeningState = {
  phase: 'idle',
  startedAtMs: null,
  heardSeconds: 0,
  playing: null,
  playingAtMs: 0,
  log: [],
  earlier: [],
  levelRms: 0,
  error: null,
  listenProblem: null,
  notifications: 'default',
};

interface KeepRun extends PendingAudio {
  readonly sessionId: string;
  session: MicSession | null;
  timer: ReturnType<typeof setInterval> | null;
  inFlight: Promise<void> | null;
  stopping: boolean;
  readonly announced: Set<number>;
}

/** The whole room log: the earlier sessions, then the current one once it heard something. */
export function roomLogSessions(keep: Pick<KeepListeningState, 'earlier' | 'startedAtMs' | 'log'>): readonly RoomLogSession[] {
  if (keep.startedAtMs === null || keep.log.length === 0) return keep.earlier;
  return [...keep.earlier, { startedAtMs: keep.startedAtMs, log: keep.log }];
}

export const createKeepListeningSlice: SliceCreator<KeepListeningSlice> = (deps) => (set, get) => {
  let run: KeepRun | null = null;
  const storage = deps.storage !== undefined ? deps.storage : pageStorage();
  let saved: string | null = null;
  const patch = (change: Partial<KeepListeningState>) => {
    set({ keep: { ...get().keep, ...change } });
    if ('log' in change || 'earlier' in change) saved = saveRoomLog(storage, roomLogSessions(get().keep), saved);
  };

  function closeMic(current: KeepRun): void {
    if (current.timer !== null) clearInterval(current.timer);
    current.timer = null;
    current.session?.close();
    current.session = null;
  }

  /** Ends the run with an error in words (the log so far stays). */
  function fail(current: KeepRun, error: AppErrorInfo | null, listenProblem: ListenProblem | null = null): void {
    if (run !== current) return;
    closeMic(current);
    run = null;
    patch({ phase: 'idle', playing: null, levelRms: 0, error, listenProblem });
    if (error?.code !== 'not-found') void deps.bridge.listenStop({ sessionId: current.sessionId });
  }

  function announce(current: KeepRun, log: readonly ListenLogEntry[]): void {
    for (const entry of log) {
      if (entry.id === 0 || !entry.track || current.announced.has(entry.id)) continue;
      current.announced.add(entry.id);
      if (get().keep.notifications === 'granted' && deps.notifier) {
        const t = entry.track;
        deps.notifier.show(t.title, [t.artist, t.album].filter(Boolean).join(' — ') || 'Heard by Keep listening');
      }
    }
  }

  /** Sends the audio recorded since the last push (in pieces of at most LIMITS.maxListenPushSamples). */
  function pushPending(current: KeepRun): Promise<void> {
    if (current.inFlight) return current.inFlight;
    if (current.pendingCount === 0) return Promise.resolve();
    const job = (async () => {
      while (current.pendingCount > 0 && run === current) {
        const samples = takeSamples(current, LIMITS.maxListenPushSamples);
        const response = await deps.bridge.listenPush({ sessionId: current.sessionId, samples });
        if (run !== current) return;
        if (!response.ok) return fail(current, response.error);
        const state = response.value;
        announce(current, state.log);
        patch({ heardSeconds: state.heardSeconds, playing: state.playing, playingAtMs: Date.now(), log: state.log });
      }
    })();
    current.inFlight = job.finally(() => {
      current.inFlight = null;
    });
    return current.inFlight;
  }

  return {
    keep: { ...IDLE, earlier: loadRoomLog(storage) },
    micInputs: [],

    systemAudio: null,

    loadMicInputs: async () => {
      const unsupported: SystemAudioAvailability = 'unsupported';
      const [inputs, systemAudio] = await Promise.all([
        Promise.resolve(deps.mic.listInputs?.() ?? []).catch((): readonly MicInput[] => []),
        Promise.resolve(deps.mic.systemAudio?.() ?? unsupported).catch(() => unsupported),
      ]);
      set({ micInputs: inputs, systemAudio });
    },

    startKeepListening: async () => {
      if (run || get().listen.phase !== 'idle') return;
      const current: KeepRun = {
        sessionId: deps.newId(),
        session: null,
        pending: [],
        pendingCount: 0,
        timer: null,
        inFlight: null,
        stopping: false,
        announced: new Set(),
      };
      run = current;
      // The last session's log joins the earlier ones (closed); the new one starts empty.
      const earlier = roomLogSessions(get().keep).map((s) => ({ ...s, log: s.log.map((e) => (e.ongoing ? { ...e, ongoing: false } : e)) }));
      set({ keep: { ...IDLE, phase: 'starting', notifications: get().keep.notifications, earlier } });
      // Notifications: asked on the first switch-on only (the answer is remembered by the page's origin).
      let notifications: NotificationState = deps.notifier ? deps.notifier.permission() : 'unsupported';
      if (notifications === 'default' && deps.notifier) notifications = await deps.notifier.request();
      if (run !== current) return;
      patch({ notifications });
      const started = await deps.bridge.listenStart({ sessionId: current.sessionId });
      if (run !== current) {
        if (started.ok) void deps.bridge.listenStop({ sessionId: current.sessionId });
        return;
      }
      if (!started.ok) {
        run = null;
        patch({ phase: 'idle', error: started.error });
        return;
      }
      let session: MicSession;
      try {
        session = await deps.mic.open(
          (samples) => {
            if (run !== current || current.stopping) return;
            if (current.pendingCount === 0 && get().keep.startedAtMs === null)
              patch({ startedAtMs: Date.now() - (samples.length / LIMITS.listenSampleRateHz) * 1000 });
            addPending(current, samples);
            let sum = 0;
            for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
            patch({ levelRms: samples.length ? Math.sqrt(sum / samples.length) : 0 });
          },
          { targetRateHz: LIMITS.listenSampleRateHz, deviceId: get().settings.micDeviceId },
        );
      } catch (error) {
        const failure = micFailure(error);
        return fail(current, failure.error, failure.listenProblem);
      }
      if (run !== current) {
        session.close();
        return;
      }
      if (session.sampleRateHz !== LIMITS.listenSampleRateHz) {
        session.close();
        return fail(current, { code: 'internal', detail: `the microphone gave ${session.sampleRateHz} Hz audio, not ${LIMITS.listenSampleRateHz} Hz` });
      }
      current.session = session;
      patch({ phase: 'on' });
      current.timer = setInterval(() => void pushPending(current), KEEP_PUSH_EVERY_MS);
      // The input names are readable once a microphone was allowed: refresh the picker.
      void get().loadMicInputs();
    },

    stopKeepListening: async () => {
      const current = run;
      if (!current || current.stopping) return;
      current.stopping = true;
      if (current.session === null) {
        // Still starting: give up (the session, if it opened, is stopped by the start itself).
        run = null;
        patch({ phase: 'idle' });
        return;
      }
      closeMic(current);
      patch({ phase: 'stopping', levelRms: 0 });
      await current.inFlight;
      await pushPending(current);
      if (run !== current) return;
      const response = await deps.bridge.listenStop({ sessionId: current.sessionId });
      if (run !== current) return;
      run = null;
      if (!response.ok) {
        patch({ phase: 'idle', playing: null, error: response.error });
        return;
      }
      announce(current, response.value.log);
      patch({ phase: 'idle', playing: null, heardSeconds: response.value.heardSeconds, log: response.value.log });
    },

    clearRoomLog: () => {
      if (get().keep.phase !== 'idle') return;
      patch({ earlier: [], log: [], startedAtMs: null, heardSeconds: 0 });
    },

    toggleKeepListening: () => {
      const phase = get().keep.phase;
      if (phase === 'idle') void get().startKeepListening();
      else if (phase === 'on' || phase === 'starting') void get().stopKeepListening();
    },
  };
};
