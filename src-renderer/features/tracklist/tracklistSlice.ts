// The Tracklist view's state: one long recording (dropped or picked) listed song by song by the engine, with its
// progress (tracklistProgress events for this run's id), Cancel, and the answer. Also where a drop goes: one file
// longer than TRACKLIST_MIN_SECONDS opens the Tracklist view, anything else is identified as before.
import { LIMITS } from '../../../src-preload/contract/api';
import type { TracklistRunProgress } from '../../../src-preload/contract/api';
import type { AppErrorInfo, Tracklist, TracklistProgress } from '../../../src-preload/contract/library';
import type { ClipFile } from '../../store/identifySlice';
import type { SliceCreator } from '../../store/types';

/** A dropped or picked file longer than this (seconds, as the page measures it) is a recording to list. */
export const TRACKLIST_MIN_SECONDS = 60;

export type TracklistPhase = 'reading' | 'running' | 'done' | 'failed' | 'cancelled';

export interface TracklistRun {
  readonly runId: string;
  readonly fileName: string;
  /** The recording's length as the page measured it (null when it could not). */
  readonly probedSeconds: number | null;
  readonly phase: TracklistPhase;
  /** Cancel was pressed; the engine has not answered yet. */
  readonly cancelling: boolean;
  readonly progress: TracklistProgress | null;
  readonly result: Tracklist | null;
  readonly error: AppErrorInfo | null;
}

export interface TracklistSlice {
  /** The recording being (or last) listed; null before the first one. */
  tracklist: TracklistRun | null;
  /**
   * Where dropped or picked files go: a single file longer than TRACKLIST_MIN_SECONDS opens the Tracklist view and is
   * listed; otherwise the files are identified on the Listen screen, as before.
   */
  openFiles: (files: readonly ClipFile[]) => Promise<void>;
  /** Lists the songs of `file` (cancelling a run still going). */
  startTracklist: (file: ClipFile, probedSeconds?: number | null) => Promise<void>;
  cancelTracklist: () => void;
  applyTracklistProgress: (progress: TracklistRunProgress) => void;
}

/** 0..1 of the recording searched, from the engine's progress or, before its first, the page's own measure. */
export function tracklistFraction(run: TracklistRun): number {
  if (run.phase === 'done') return 1;
  const total = run.progress?.totalSeconds ?? run.probedSeconds;
  if (!run.progress || !total) return 0;
  return Math.max(0, Math.min(1, run.progress.doneSeconds / total));
}

export const createTracklistSlice: SliceCreator<TracklistSlice> = (deps) => (set, get) => {
  const patch = (runId: string, change: Partial<TracklistRun>): void => {
    const current = get().tracklist;
    if (current?.runId === runId) set({ tracklist: { ...current, ...change } });
  };

  return {
    tracklist: null,

    openFiles: async (files) => {
      if (files.length === 1 && files[0].probeDurationSeconds) {
        const seconds = await files[0].probeDurationSeconds().catch(() => null);
        if (seconds !== null && seconds > TRACKLIST_MIN_SECONDS) {
          get().showScreen('tracklist');
          return get().startTracklist(files[0], seconds);
        }
      }
      get().showScreen('listen');
      return get().identifyFiles(files);
    },

    startTracklist: async (file, probedSeconds = null) => {
      const previous = get().tracklist;
      if (previous && (previous.phase === 'reading' || previous.phase === 'running')) get().cancelTracklist();
      const runId = deps.newId();
      const run: TracklistRun = { runId, fileName: file.name, probedSeconds, phase: 'reading', cancelling: false, progress: null, result: null, error: null };
      set({ tracklist: run });
      if (file.sizeBytes > LIMITS.maxTracklistBytes) {
        const detail = `${Math.round(file.sizeBytes / 1e6)} MB; the limit is ${LIMITS.maxTracklistBytes / 2 ** 20} MB`;
        return patch(runId, { phase: 'failed', error: { code: 'file-too-large', detail } });
      }
      let bytes: Uint8Array;
      try {
        bytes = await file.readBytes();
      } catch (error) {
        return patch(runId, { phase: 'failed', error: { code: 'internal', detail: error instanceof Error ? error.message : String(error) } });
      }
      if (get().tracklist?.runId !== runId || get().tracklist?.cancelling) return patch(runId, { phase: 'cancelled', cancelling: false });
      patch(runId, { phase: 'running' });
      const response = await deps.bridge.tracklistClip({ audio: { kind: 'file', fileName: file.name, bytes }, runId });
      if (response.ok) patch(runId, { phase: 'done', cancelling: false, result: response.value, error: null });
      else if (response.error.code === 'cancelled') patch(runId, { phase: 'cancelled', cancelling: false });
      else patch(runId, { phase: 'failed', cancelling: false, error: response.error });
    },

    cancelTracklist: () => {
      const run = get().tracklist;
      if (!run || (run.phase !== 'reading' && run.phase !== 'running')) return;
      patch(run.runId, { cancelling: true });
      if (run.phase === 'running') void deps.bridge.cancelTracklist(run.runId);
    },

    applyTracklistProgress: (progress) => {
      const run = get().tracklist;
      if (!run || run.runId !== progress.runId || run.phase !== 'running') return;
      const { doneSeconds, totalSeconds, songs } = progress;
      patch(run.runId, { progress: { doneSeconds, totalSeconds, songs } });
    },
  };
};
