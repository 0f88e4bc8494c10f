// The stream matcher's final list (streamSegments.ts) on hand-made segments: which pieces are one entry, and where
// overlapping songs meet.
import { describe, expect, it } from 'vitest';
import { mergeSegments } from './streamSegments.js';
import type { StreamSegment } from './streamTypes.js';

const TOLERANCE = 31; // frames (0.5 s)

/** A piece heard from stream frame `start` to `end`, at track frame `trackAt` when it starts. */
function piece(trackNum: number, start: number, end: number, trackAt: number, timeFactor = 1): StreamSegment {
  const candidate = { trackNum, offsetFrames: trackAt, alignedCount: 40, confidence: 0.9, timeFactor, pitchFactor: timeFactor };
  return {
    trackNum,
    startFrame: start,
    endFrame: end,
    trackStartFrame: trackAt,
    timeFactor,
    pitchFactor: timeFactor,
    windows: 2,
    acceptedWindows: 1,
    maxAligned: 40,
    confidence: 0.9,
    evidence: { windowStartFrame: start, candidate },
  };
}

const spans = (list: StreamSegment[]): number[][] => list.map((s) => [s.trackNum, s.startFrame, s.endFrame, s.trackStartFrame]);

describe('mergeSegments: one entry per song played through', () => {
  it('joins a song heard again at the position it would have reached', () => {
    const out = mergeSegments([piece(1, 0, 1000, 500), piece(1, 1400, 2000, 1900)], TOLERANCE);
    expect(spans(out)).toEqual([[1, 0, 2000, 500]]);
    expect(out[0].windows).toBe(4);
  });

  it('joins pieces of one track heard without a break at positions that jump (a loop), keeping the first position', () => {
    // Window by window the best offset lands on another repeat of the loop: 500, then 3200, then 1150.
    const out = mergeSegments([piece(1, 0, 700, 500), piece(1, 600, 1300, 3200), piece(1, 1300, 2000, 1150)], TOLERANCE);
    expect(spans(out)).toEqual([[1, 0, 2000, 500]]);
  });

  it('keeps two entries when the track comes back after a break at another position (played again)', () => {
    const out = mergeSegments([piece(1, 0, 1000, 500), piece(1, 1100, 2000, 0)], TOLERANCE);
    expect(spans(out)).toEqual([
      [1, 0, 1000, 500],
      [1, 1100, 2000, 0],
    ]);
  });

  it('meets two different songs in the middle of their crossfade', () => {
    const out = mergeSegments([piece(2, 800, 2000, 0), piece(1, 0, 1000, 500)], TOLERANCE);
    expect(spans(out)).toEqual([
      [1, 0, 900, 500],
      [2, 900, 2000, 100],
    ]);
  });
});
