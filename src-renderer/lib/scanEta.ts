// Time left in a scan, from its progress pushes: files handled per second since the indexing began (files a stat
// showed unchanged are done before that and do not count), times the files still to do. Pure: the caller passes the
// clock. Says nothing until a few files and a couple of seconds give a rate worth showing.
import type { ScanProgress } from '../../src-preload/contract/library';

export interface EtaSample {
  readonly atMs: number;
  readonly filesDone: number;
}

/** The first indexing sample of the running scan; null before the walk ends. */
export type EtaAnchor = EtaSample | null;

const MIN_ELAPSED_MS = 2000;
const MIN_FILES = 2;

/** Keeps the first 'indexing' sample of a scan; a scan that went back to walking (a new one) starts over. */
export function nextEtaAnchor(anchor: EtaAnchor, progress: ScanProgress, nowMs: number): EtaAnchor {
  if (progress.phase !== 'indexing') return progress.phase === 'walking' ? null : anchor;
  if (anchor && progress.filesDone >= anchor.filesDone) return anchor;
  return { atMs: nowMs, filesDone: progress.filesDone };
}

/** Seconds left, or null while there is no rate yet (or nothing left to estimate). */
export function estimateSecondsLeft(anchor: EtaAnchor, progress: ScanProgress, nowMs: number): number | null {
  if (!anchor || progress.phase !== 'indexing') return null;
  const handled = progress.filesDone - anchor.filesDone;
  const elapsedMs = nowMs - anchor.atMs;
  if (handled < MIN_FILES || elapsedMs < MIN_ELAPSED_MS) return null;
  const remaining = Math.max(0, progress.filesTotal - progress.filesDone);
  return (remaining * elapsedMs) / handled / 1000;
}

/** "about 3 minutes left", "less than a minute left", "about 1 h 20 min left". */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} minute${minutes === 1 ? '' : 's'} left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h${rest ? ` ${rest} min` : ''} left`;
}
