// Pure: folds the engine's scan pushes (scanProgress, scanFinished, statusChanged) into what the progress bar shows.
import type { AppStatus } from '../../src-preload/contract/api';
import type { ScanProgress, ScanSummary } from '../../src-preload/contract/library';

export interface ScanState {
  /** The scan in progress (or the last progress of one that just ended), null when none was seen. */
  readonly progress: ScanProgress | null;
  readonly running: boolean;
  readonly lastSummary: ScanSummary | null;
  /** A cancel was asked and not yet confirmed by scanFinished. */
  readonly cancelling: boolean;
  /** What the progress card showed before the running scan began: shown again if that scan ends without a summary. */
  readonly progressBefore: ScanProgress | null;
}

export type ScanEvent =
  | { readonly type: 'progress'; readonly progress: ScanProgress }
  | { readonly type: 'finished'; readonly summary: ScanSummary }
  | { readonly type: 'status'; readonly status: AppStatus }
  | { readonly type: 'cancel-requested' };

export const INITIAL_SCAN: ScanState = { progress: null, running: false, lastSummary: null, cancelling: false, progressBefore: null };

function sameSummary(a: ScanSummary | null, b: ScanSummary | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (Object.keys(a) as (keyof ScanSummary)[]).every((k) => a[k] === b[k]);
}

/** The progress bar at the end of a scan that produced `summary`: full, unless it was cancelled. */
function doneProgress(progress: ScanProgress | null, summary: ScanSummary): ScanProgress | null {
  return progress ? { ...progress, phase: 'done', filesDone: summary.cancelled ? progress.filesDone : progress.filesTotal, currentFile: null } : null;
}

export function reduceScan(state: ScanState, event: ScanEvent): ScanState {
  switch (event.type) {
    case 'progress': {
      // A 'done' push does not end the run: scanFinished (or a status without a scan) does, with the summary, so
      // "Done" never shows beside the previous scan's summary.
      const progressBefore = state.running ? state.progressBefore : state.progress;
      return { ...state, progress: event.progress, running: true, progressBefore };
    }
    case 'finished':
      return { progress: doneProgress(state.progress, event.summary), running: false, lastSummary: event.summary, cancelling: false, progressBefore: null };
    case 'status': {
      const scan = event.status.scan;
      const lastSummary = event.status.lastScan ?? state.lastSummary;
      if (scan) {
        const progressBefore = state.running ? state.progressBefore : state.progress;
        return { ...state, progress: scan, running: scan.phase !== 'done', lastSummary, progressBefore };
      }
      if (!state.running) return { ...state, cancelling: false, lastSummary };
      // The scan ended and its scanFinished was not seen. With a new summary it finished (the push was missed while
      // reconnecting): the bar is done. Without one it failed, or never started (a missing folder): show the card
      // as it was before it began, not a "0 / 0 files, Done" of a scan that did nothing.
      if (event.status.lastScan && !sameSummary(event.status.lastScan, state.lastSummary)) {
        return { progress: doneProgress(state.progress, event.status.lastScan), running: false, lastSummary, cancelling: false, progressBefore: null };
      }
      return { progress: state.progressBefore, running: false, lastSummary, cancelling: false, progressBefore: null };
    }
    case 'cancel-requested':
      return state.running ? { ...state, cancelling: true } : state;
  }
}

/** 0..1 of the files handled; 0 while the walk has not counted any. */
export function scanFraction(progress: ScanProgress | null): number {
  if (!progress) return 0;
  if (progress.phase === 'done') return 1;
  return progress.filesTotal > 0 ? Math.min(1, progress.filesDone / progress.filesTotal) : 0;
}
