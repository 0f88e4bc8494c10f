// Listen and Drop: the progressive microphone flow (record, and from 3 s on about every second push the audio
// recorded since the last push to an engine clip session, which answers for the whole clip so far; stop at the first
// confident answer or at the time limit; the session's stop keeps the one answer in History) and one-shot file
// identification. Holds the last answer. Timers are the global setInterval/Date.now, so tests drive the whole state
// machine with fake timers.
import { LIMITS, type ClipSource } from '../../src-preload/contract/api';
import type { AppErrorInfo, IdentifyResult, Result, SearchMode } from '../../src-preload/contract/library';
import { micFailure, type ListenProblem } from './listenProblem';
import { addPending, takeSamples, type PendingAudio } from './pendingAudio';
import type { MicSession, SliceCreator } from './types';

/** How often the elapsed time, the silence check and the time limit are looked at. */
export const LISTEN_TICK_MS = 250;
/** How often the new audio is pushed (a tick is skipped while a request is in flight). */
export const LISTEN_ASK_EVERY_MS = 1000;
/** The clip is first searched once this long. */
export const LISTEN_MIN_CLIP_SECONDS = 3;
/** A recording whose loudest sample stays under this (full scale = 1) after SILENT_AFTER_SECONDS is "silent". */
export const SILENCE_PEAK = 1e-4;
export const SILENT_AFTER_SECONDS = 1.5;

export type ListenPhase = 'idle' | 'opening' | 'listening' | 'finishing';

export interface ListenState {
  readonly phase: ListenPhase;
  readonly elapsedSeconds: number;
  /** RMS of the latest chunk, 0..1 (full scale). */
  readonly levelRms: number;
  /** Loudest absolute sample of this recording so far, 0..1. */
  readonly peakLevel: number;
  /** True once the recording has been pure silence for a while (no microphone signal at all). */
  readonly silent: boolean;
  /** Searches asked for during this Listen (one push of new audio each). */
  readonly askCount: number;
}

/** The last identification (a finished Listen or a file). */
export interface IdentifyOutcome {
  readonly source: ClipSource;
  readonly clipName: string | null;
  /** Date.now() when the microphone clip started recording: Play from here adds the time since. Null for files. */
  readonly clipStartedAtMs: number | null;
  readonly askedMode: SearchMode;
  /** Null when the identification failed (see error) or nothing could be sent. */
  readonly result: IdentifyResult | null;
  readonly error: AppErrorInfo | null;
  /** The microphone recorded pure silence. */
  readonly silent: boolean;
  /** A Listen that could not give an answer (then result and error are null); words in lib/errorText.ts. */
  readonly listenProblem: ListenProblem | null;
}

/** A dropped or picked file, read lazily so the size is checked before the bytes are read. */
export interface ClipFile {
  readonly name: string;
  readonly sizeBytes: number;
  readBytes: () => Promise<Uint8Array>;
  /** The audio's length in seconds as the page can tell without reading it all (null: it cannot); for routing drops. */
  probeDurationSeconds?: () => Promise<number | null>;
}

/** One file of several dropped at once: its answer once identified (null while waiting or being identified). */
export interface BatchEntry {
  readonly clipName: string;
  readonly outcome: IdentifyOutcome | null;
}

export interface IdentifySlice {
  listen: ListenState;
  /** A file is being read or identified. */
  fileBusy: boolean;
  outcome: IdentifyOutcome | null;
  /** Several files dropped at once, in order, each with its answer (empty for one file or a Listen). */
  fileBatch: readonly BatchEntry[];
  startListening: () => Promise<void>;
  /** Stops recording now and answers from what was recorded (the same as reaching the time limit). */
  stopListening: () => void;
  toggleListening: () => void;
  identifyFile: (file: ClipFile) => Promise<void>;
  /** Identifies each file in order (one request each, each in History); `outcome` follows the latest answer. */
  identifyFiles: (files: readonly ClipFile[]) => Promise<void>;
  clearOutcome: () => void;
}

const IDLE: ListenState = { phase: 'idle', elapsedSeconds: 0, levelRms: 0, peakLevel: 0, silent: false, askCount: 0 };

/** A confident answer ends a Listen: an exact match, or (vibe-only mode) any vibe suggestion. */
export function isConfident(result: IdentifyResult, mode: SearchMode): boolean {
  return result.exact.length > 0 || (mode === 'vibe' && result.vibe.length > 0);
}

/** The exact lane was asked and no track of the library is in the clip (the "not in your library" screen; the vibe
 *  lane may still suggest similar-sounding tracks beside it). */
export function isNotInLibrary(outcome: IdentifyOutcome): boolean {
  return (
    outcome.error === null && outcome.listenProblem === null && outcome.askedMode !== 'vibe' && (outcome.result === null || outcome.result.exact.length === 0)
  );
}

/** One Listen. `pending` holds the audio recorded since the last push (the session holds the rest). */
interface ListenRun extends PendingAudio {
  session: MicSession | null;
  /** Samples recorded in all. */
  sampleCount: number;
  startedAtMs: number;
  /** The engine's clip session for this Listen (open once listenStart answered: sessionOpen). */
  readonly sessionId: string;
  sessionOpen: boolean;
  readonly historyKey: string;
  timer: ReturnType<typeof setInterval> | null;
  inFlight: boolean;
  lastAskAtMs: number;
  finishing: boolean;
  peak: number;
  askCount: number;
  lastResult: IdentifyResult | null;
  /** The capture's rate (the AudioContext's), known once the microphone is open. */
  sampleRateHz: number;
  readonly mode: SearchMode;
  readonly maxResults: number;
  readonly limitSeconds: number;
}

export const createIdentifySlice: SliceCreator<IdentifySlice> = (deps) => (set, get) => {
  let run: ListenRun | null = null;

  const patchListen = (patch: Partial<ListenState>) => set({ listen: { ...get().listen, ...patch } });

  function stopCapture(current: ListenRun): void {
    if (current.timer !== null) clearInterval(current.timer);
    current.timer = null;
    current.session?.close();
    current.session = null;
  }

  function settle(current: ListenRun, result: IdentifyResult | null, error: AppErrorInfo | null, listenProblem: ListenProblem | null = null): void {
    if (run !== current) return;
    stopCapture(current);
    run = null;
    const silent = current.peak < SILENCE_PEAK;
    set({
      listen: { ...get().listen, phase: 'idle', levelRms: 0, silent },
      outcome: { source: 'mic', clipName: null, clipStartedAtMs: current.startedAtMs, askedMode: current.mode, result, error, silent, listenProblem },
    });
  }

  /**
   * Opens the clip session on the first ask, then pushes the audio recorded since the last push (what arrives
   * meanwhile waits for the next ask). The session's answer for the whole clip so far; null while it is too short.
   */
  async function pushNewAudio(current: ListenRun): Promise<Result<IdentifyResult | null>> {
    const { sessionId } = current;
    if (!current.sessionOpen) {
      const clip = { sampleRateHz: current.sampleRateHz, mode: current.mode, maxResults: current.maxResults, historyKey: current.historyKey };
      const started = await deps.bridge.listenStart({ sessionId, clip });
      if (!started.ok) return started;
      current.sessionOpen = true;
    }
    let answer = current.lastResult;
    // More than one push only when a slow answer let more than LIMITS.maxListenPushSamples pile up.
    for (let left = current.pendingCount; left > 0;) {
      const samples = takeSamples(current, Math.min(left, LIMITS.maxListenPushSamples));
      left -= samples.length;
      const response = await deps.bridge.listenPush({ sessionId, samples });
      if (!response.ok) return response;
      answer = response.value.answer ?? null;
    }
    return { ok: true, value: answer };
  }

  async function ask(current: ListenRun): Promise<void> {
    current.inFlight = true;
    current.lastAskAtMs = Date.now();
    current.askCount++;
    patchListen({ askCount: current.askCount });
    const response = await pushNewAudio(current);
    current.inFlight = false;
    if (run !== current) return; // cancelled meanwhile
    // Any error ends the Listen with it in words.
    if (!response.ok) return end(current, null, response.error);
    const answer = response.value;
    // Too short to answer yet: expected early on; at the end, the last answer stands.
    if (answer === null) return current.finishing ? end(current, current.lastResult, null) : undefined;
    current.lastResult = answer;
    if (isConfident(answer, current.mode)) return end(current, answer, null);
    if (current.finishing) {
      // The final answer must cover the whole recording: ask once more if audio arrived since this request.
      if (current.pendingCount > 0) return void ask(current);
      return end(current, answer, null);
    }
  }

  /**
   * Ends the Listen with this outcome: the clip session (if one opened) is stopped first, which keeps its answer in
   * History, once (nothing when the last push failed: the session then has no answer).
   */
  async function end(current: ListenRun, result: IdentifyResult | null, error: AppErrorInfo | null, listenProblem: ListenProblem | null = null): Promise<void> {
    if (run !== current) return;
    current.finishing = true;
    stopCapture(current);
    if (current.sessionOpen) {
      current.sessionOpen = false;
      // A stop that fails (the session was dropped) loses only the History entry, not the answer shown.
      await deps.bridge.listenStop({ sessionId: current.sessionId });
    }
    settle(current, result, error, listenProblem);
  }

  function finish(current: ListenRun): void {
    if (current.finishing) return;
    current.finishing = true;
    stopCapture(current);
    patchListen({ phase: 'finishing', levelRms: 0 });
    if (current.inFlight) return; // its answer decides, or asks once more for the rest
    if (current.peak < SILENCE_PEAK) return void end(current, current.lastResult, null);
    // Stopped before the first ask: too little audio to tell, so nothing is sent (nor kept in History).
    if (current.lastResult === null && current.sampleCount / current.sampleRateHz < LISTEN_MIN_CLIP_SECONDS)
      return void end(current, null, null, 'too-little-audio');
    if (current.pendingCount > 0 || current.lastResult === null) void ask(current);
    else void end(current, current.lastResult, null);
  }

  function tick(current: ListenRun): void {
    if (run !== current || current.finishing) return;
    const now = Date.now();
    const elapsedSeconds = (now - current.startedAtMs) / 1000;
    const clipSeconds = current.sampleCount / current.sampleRateHz;
    const silent = elapsedSeconds >= SILENT_AFTER_SECONDS && current.peak < SILENCE_PEAK;
    patchListen({ elapsedSeconds, silent, peakLevel: current.peak });
    if (elapsedSeconds >= current.limitSeconds) return finish(current);
    if (!current.inFlight && clipSeconds >= LISTEN_MIN_CLIP_SECONDS && !silent && now - current.lastAskAtMs >= LISTEN_ASK_EVERY_MS) {
      void ask(current);
    }
  }

  /** One file: the size check, then its bytes to the engine (with its own history key). Never throws. */
  async function identifyOne(file: ClipFile, mode: SearchMode, maxResults: number): Promise<IdentifyOutcome> {
    const base = { source: 'file' as const, clipName: file.name, clipStartedAtMs: null, askedMode: mode, silent: false, listenProblem: null };
    if (file.sizeBytes > LIMITS.maxClipBytes) {
      const detail = `${Math.round(file.sizeBytes / 1e6)} MB; the limit is ${LIMITS.maxClipBytes / (1024 * 1024)} MB`;
      return { ...base, result: null, error: { code: 'file-too-large', detail } };
    }
    try {
      const bytes = await file.readBytes();
      const response = await deps.bridge.identifyClip({
        audio: { kind: 'file', fileName: file.name, bytes },
        source: 'file',
        mode,
        maxResults,
        historyKey: deps.newId(),
      });
      return response.ok ? { ...base, result: response.value, error: null } : { ...base, result: null, error: response.error };
    } catch (error) {
      return { ...base, result: null, error: { code: 'internal', detail: error instanceof Error ? error.message : String(error) } };
    }
  }

  return {
    listen: IDLE,
    fileBusy: false,
    outcome: null,
    fileBatch: [],

    startListening: async () => {
      // One microphone user at a time: Keep listening has it while switched on.
      if (run || get().keep.phase !== 'idle') return;
      const { settings } = get();
      const current: ListenRun = {
        session: null,
        pending: [],
        pendingCount: 0,
        sampleCount: 0,
        startedAtMs: Date.now(),
        sessionId: deps.newId(),
        sessionOpen: false,
        historyKey: deps.newId(),
        timer: null,
        inFlight: false,
        lastAskAtMs: 0,
        finishing: false,
        peak: 0,
        askCount: 0,
        lastResult: null,
        sampleRateHz: 48_000,
        mode: settings.mode,
        maxResults: settings.maxResults,
        limitSeconds: settings.listenLimitSeconds,
      };
      run = current;
      set({ listen: { ...IDLE, phase: 'opening' }, outcome: null, fileBatch: [] });
      let session: MicSession;
      try {
        // The exact lane reads 8 kHz: the worklet downsamples, so a sixth of the samples is sent. The vibe lane's
        // embedders read more of the spectrum: the device's own rate then.
        const micOptions = { deviceId: settings.micDeviceId, ...(settings.mode === 'exact' ? { targetRateHz: LIMITS.listenSampleRateHz } : {}) };
        session = await deps.mic.open((samples) => {
          if (run !== current || current.finishing) return;
          addPending(current, samples);
          current.sampleCount += samples.length;
          let sumSquares = 0;
          let peak = current.peak;
          for (let i = 0; i < samples.length; i++) {
            const v = samples[i];
            sumSquares += v * v;
            const a = Math.abs(v);
            if (a > peak) peak = a;
          }
          current.peak = peak;
          patchListen({ levelRms: samples.length ? Math.sqrt(sumSquares / samples.length) : 0 });
        }, micOptions);
      } catch (error) {
        if (run === current) {
          run = null;
          set({
            listen: IDLE,
            outcome: { source: 'mic', clipName: null, clipStartedAtMs: null, askedMode: current.mode, result: null, silent: false, ...micFailure(error) },
          });
        }
        return;
      }
      if (run !== current) {
        session.close(); // stopped while the microphone was opening
        return;
      }
      current.session = session;
      current.sampleRateHz = session.sampleRateHz;
      // The clip starts now: the first sample the room plays into it is this moment's.
      current.startedAtMs = Date.now();
      current.pending = [];
      current.pendingCount = 0;
      current.sampleCount = 0;
      patchListen({ phase: 'listening' });
      current.timer = setInterval(() => tick(current), LISTEN_TICK_MS);
    },

    stopListening: () => {
      const current = run;
      if (!current) return;
      if (current.session === null && !current.finishing) {
        // Still opening: give up quietly.
        run = null;
        set({ listen: IDLE });
        return;
      }
      finish(current);
    },

    toggleListening: () => {
      const phase = get().listen.phase;
      if (phase === 'idle') void get().startListening();
      else if (phase === 'listening' || phase === 'opening') get().stopListening();
    },

    identifyFile: (file) => get().identifyFiles([file]),

    identifyFiles: async (files) => {
      if (get().fileBusy || files.length === 0) return;
      const { settings } = get();
      const batch: BatchEntry[] = files.map((f) => ({ clipName: f.name, outcome: null }));
      set({ fileBusy: true, outcome: null, fileBatch: files.length > 1 ? batch : [] });
      try {
        for (let i = 0; i < files.length; i++) {
          const outcome = await identifyOne(files[i], settings.mode, settings.maxResults);
          batch[i] = { clipName: files[i].name, outcome };
          set({ outcome, fileBatch: files.length > 1 ? [...batch] : [] });
        }
      } finally {
        set({ fileBusy: false });
      }
    },

    clearOutcome: () => set({ outcome: null, fileBatch: [] }),
  };
};
