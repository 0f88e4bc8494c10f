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
}

export type ScanEvent =
  | { readonly type: 'progress'; readonly progress: ScanProgress }
  | { readonly type: 'finished'; readonly summary: ScanSummary }
  | { readonly type: 'status'; readonly status: AppStatus }
  | { readonly type: 'cancel-requested' };

export const INITIAL_SCAN: ScanState = { progress: null, running: false, lastSummary: null, cancelling: false };

export function reduceScan(state: ScanState, event: ScanEvent): ScanState {
  switch (event.type) {
    case 'progress': {
      const running = event.progress.phase !== 'done';
      return { ...state, progress: event.progress, running, cancelling: running && state.cancelling };
    }
    case 'finished': {
      const progress = state.progress
        ? { ...state.progress, phase: 'done' as const, filesDone: event.summary.cancelled ? state.progress.filesDone : state.progress.filesTotal, currentFile: null }
        : null;
      return { progress, running: false, lastSummary: event.summary, cancelling: false };
    }
    case 'status': {
      const scan = event.status.scan;
      const lastSummary = event.status.lastScan ?? state.lastSummary;
      if (scan) return { ...state, progress: scan, running: scan.phase !== 'done', lastSummary };
      // No scan running: keep the last progress for the "done" bar, but it is not running any more.
      return { ...state, running: false, cancelling: false, lastSummary };
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
