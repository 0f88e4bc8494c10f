// Pure helpers of the Tracklist view: where each stretch sits on the timeline (percent of the recording), which
// colour a song gets (one per track, in order of first appearance; the same song twice keeps its colour), and the
// words for a speed change. No DOM.
import type { Tracklist, TracklistSegment } from '../../../src-preload/contract/library';

/** Song colours (hues); a stretch not in the library is grey (no hue). */
export const TRACK_HUES = [212, 28, 145, 280, 350, 48, 185, 250, 95, 320] as const;

export interface TimelineBlock {
  readonly index: number;
  readonly segment: TracklistSegment;
  /** Percent of the recording, 0..100. */
  readonly leftPercent: number;
  readonly widthPercent: number;
  /** null for a stretch not in the library. */
  readonly hue: number | null;
}

export function timelineBlocks(list: Tracklist): TimelineBlock[] {
  const total = Math.max(list.durationSeconds, ...list.segments.map((s) => s.end), 1);
  const colourOf = new Map<string, number>();
  return list.segments.map((segment, index) => {
    let hue: number | null = null;
    if (segment.track) {
      if (!colourOf.has(segment.track.id)) colourOf.set(segment.track.id, TRACK_HUES[colourOf.size % TRACK_HUES.length]);
      hue = colourOf.get(segment.track.id)!;
    }
    const start = Math.max(0, Math.min(total, segment.start));
    const end = Math.max(start, Math.min(total, segment.end));
    return { index, segment, leftPercent: (start / total) * 100, widthPercent: ((end - start) / total) * 100, hue };
  });
}

/** "+4% speed", "−3% speed"; null when the song plays at its own speed (within half a percent). */
export function speedText(speedFactor: number | null): string | null {
  if (speedFactor === null || Math.abs(speedFactor - 1) < 0.005) return null;
  const percent = (speedFactor - 1) * 100;
  const digits = Math.abs(percent) < 10 ? 1 : 0;
  return `${percent > 0 ? '+' : '−'}${Math.abs(percent).toFixed(digits)}% speed`;
}

/** A file name for an export: the recording's name without its extension, plus `.cue` or `.csv`. */
export function exportFileName(recordingName: string, extension: 'cue' | 'csv'): string {
  const base = recordingName.replace(/\.[^./\\]*$/, '').trim() || 'tracklist';
  return `${base}.${extension}`;
}
