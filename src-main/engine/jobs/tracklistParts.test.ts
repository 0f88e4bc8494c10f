// The parts of a long recording and how their songs are joined (pure). The parts searched for real: tracklist.test.ts
// (on this thread) and fingerprintRunners.test.ts (in the fingerprint workers).
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_CONFIG as C } from '../fingerprint/config.js';
import { extractSignalPeaks } from '../fingerprint/fingerprintAudio.js';
import type { Peak } from '../fingerprint/peaks.js';
import type { StreamSegment } from '../fingerprint/streamTypes.js';
import { concatPcm, synthSong } from '../testing/synthAudio.js';
import { PART_LIMITS, planParts, stitchParts, type TracklistPartPlan } from './tracklistParts.js';

const FRAME = C.hopSizeSamples / C.sampleRateHz;
/** The stream matcher's window hop, in frames (5 s). */
const HOP = Math.round(5 / FRAME);
const frames = (seconds: number): number => Math.round(seconds / FRAME);

/** A song heard from `start` to `end` seconds of a part, `trackAt` seconds into the track at its start. */
function song(trackNum: number, start: number, end: number, trackAt: number): StreamSegment {
  return {
    trackNum,
    startFrame: frames(start),
    endFrame: frames(end),
    trackStartFrame: frames(trackAt),
    timeFactor: 1,
    pitchFactor: 1,
    windows: 3,
    acceptedWindows: 2,
    maxAligned: 40,
    confidence: 0.9,
    evidence: {
      windowStartFrame: frames(start),
      candidate: { trackNum, offsetFrames: frames(trackAt), alignedCount: 40, confidence: 0.9, timeFactor: 1, pitchFactor: 1 },
    },
  };
}

const seconds = (s: StreamSegment): [number, number, number, number] => [
  s.trackNum,
  Math.round(s.startFrame * FRAME),
  Math.round(s.endFrame * FRAME),
  Math.round(s.trackStartFrame * FRAME),
];

describe('planParts', () => {
  it('cuts a long recording in one part per worker, each (but the first) searched from its lead-in', () => {
    const plan = planParts(3600, 2, C, HOP)!;
    expect(plan).toHaveLength(2);
    expect(plan[0]).toEqual({ startSeconds: 0, windowsFromSeconds: 0, decodeFromSeconds: 0, decodeSeconds: plan[1].startSeconds });
    expect(Math.abs(plan[1].startSeconds - 1800)).toBeLessThan(5);
    expect(Math.abs(plan[1].startSeconds - plan[1].windowsFromSeconds - PART_LIMITS.leadSeconds)).toBeLessThan(5);
    expect(plan[1].decodeSeconds).toBeNull();
    // Cuts and first windows on window starts, so that each part's windows are windows of one matcher over the whole recording.
    const onGrid = (at: number, step: number): boolean => Math.abs(at / FRAME / step - Math.round(at / FRAME / step)) < 1e-6;
    for (const p of plan) for (const at of [p.startSeconds, p.windowsFromSeconds]) expect(onGrid(at, HOP)).toBe(true);
    // Decoded from a density block's start, at least a peak neighbourhood before the block of its first window.
    const margin = Math.max(C.peakNeighbourhoodFrames, C.backgroundFrames);
    expect(onGrid(plan[1].decodeFromSeconds, C.densityBlockFrames)).toBe(true);
    const firstBlock = Math.floor(frames(plan[1].windowsFromSeconds) / C.densityBlockFrames) * C.densityBlockFrames;
    expect(firstBlock - frames(plan[1].decodeFromSeconds)).toBeGreaterThanOrEqual(margin);
    expect(plan[1].windowsFromSeconds - plan[1].decodeFromSeconds).toBeLessThan(2);
  });

  it('gives each part the peaks one pass over the whole recording finds, from its first window to its end', () => {
    const rate = C.sampleRateHz;
    const recording = concatPcm([synthSong(61, 50, rate), synthSong(62, 50, rate)]);
    const whole = extractSignalPeaks(recording, C, 'query');
    // Cuts at 50 s: the second part's first window at 20 s is not on a density block's start (20 s = 1250 frames).
    const plan = planParts(100, 2, C, HOP, { minParallelSeconds: 60, minPartSeconds: 30, leadSeconds: 30 })!;
    expect(frames(plan[1].windowsFromSeconds) % C.densityBlockFrames).not.toBe(0);
    const margin = Math.max(C.peakNeighbourhoodFrames, C.backgroundFrames);
    for (const p of plan) {
      const from = frames(p.decodeFromSeconds);
      const to = p.decodeSeconds === null ? Infinity : frames(p.decodeFromSeconds + p.decodeSeconds);
      const pcm = recording.subarray(from * C.hopSizeSamples, Number.isFinite(to) ? to * C.hopSizeSamples : undefined);
      // The part's own stretch, less the last frames whose neighbourhood reaches past its end (its last window's edge).
      const inside = (f: number): boolean => f >= frames(p.windowsFromSeconds) && f < Math.min(to, frames(100)) - margin;
      // (The background mean is summed from the part's own first row: prominences agree to rounding.)
      const same = (q: Peak): string => `${q.frame} ${q.pitch} ${q.prominenceDb.toFixed(6)}`;
      const own = extractSignalPeaks(pcm, C, 'query')
        .map((q) => ({ ...q, frame: q.frame + from }))
        .filter((q) => inside(q.frame));
      expect(own.length).toBeGreaterThan(1000);
      expect(own.map(same)).toEqual(whole.filter((q) => inside(q.frame)).map(same));
    }
  });

  it('keeps parts at least minPartSeconds long, and a short or unmeasured recording whole', () => {
    expect(planParts(10 * 60, 8, C, HOP)).toHaveLength(5);
    expect(planParts(5 * 60, 2, C, HOP)).toHaveLength(2);
    expect(planParts(3.9 * 60, 2, C, HOP)).toBeNull();
    expect(planParts(null, 2, C, HOP)).toBeNull();
    expect(planParts(3600, 1, C, HOP)).toBeNull();
  });
});

describe('stitchParts', () => {
  const plans: TracklistPartPlan[] = [
    { startSeconds: 0, windowsFromSeconds: 0, decodeFromSeconds: 0, decodeSeconds: 100 },
    { startSeconds: 100, windowsFromSeconds: 70, decodeFromSeconds: 70, decodeSeconds: null },
  ];
  const tolerance = 0.5 / FRAME;

  it("moves a part's songs to the recording's time, and drops those heard only in its lead-in", () => {
    const out = stitchParts(
      [
        { plan: plans[0], segments: [song(1, 0, 60, 5)] },
        // Part 2 starts at 70 s: its 0-20 s is the recording's 70-90 s, before its own stretch.
        { plan: plans[1], segments: [song(2, 0, 20, 0), song(3, 40, 90, 12)] },
      ],
      C,
      tolerance,
    );
    expect(out.map(seconds)).toEqual([
      [1, 0, 60, 5],
      [3, 110, 160, 12],
    ]);
  });

  it('joins a song playing across a cut into one entry, even with another song heard under it', () => {
    const out = stitchParts(
      [
        // Song 4 from 50 s (40 s into it) to the cut; song 5 heard under it at 60-75 s.
        { plan: plans[0], segments: [song(4, 50, 100, 40), song(5, 60, 75, 3)] },
        // Part 2 (from 70 s) picks song 4 up 1 s into its lead-in: 71 s in the recording, 61 s into the track.
        { plan: plans[1], segments: [song(4, 1, 80, 61)] },
      ],
      C,
      tolerance,
    );
    expect(out.map(seconds)).toEqual([
      [4, 50, 150, 40],
      [5, 60, 75, 3],
    ]);
  });

  it("joins a song the two parts followed at neighbouring speeds of the grid, at the earlier part's speed", () => {
    // Played 2.5 % fast: the first part's matcher settled on x1.02, the second's on x1.03; both heard it over 70-100 s.
    const at = (speed: number, s: StreamSegment): StreamSegment => ({ ...s, timeFactor: speed });
    const out = stitchParts(
      [
        { plan: plans[0], segments: [at(1.02, song(4, 50, 100, 40))] },
        // From 71 s (1 s into the lead-in) to 150 s: 40 + 21 * 1.025 = 61.5 s into the track at 71 s.
        { plan: plans[1], segments: [at(1.03, song(4, 1, 80, 61.5))] },
      ],
      C,
      tolerance,
    );
    expect(out.map(seconds)).toEqual([[4, 50, 150, 40]]);
    expect(out[0].timeFactor).toBe(1.02);
  });

  it('keeps two entries when the song comes back after a break elsewhere in the track (not where it would have got to)', () => {
    // The second part hears it again from 105 s (its own 35 s), 5 s after the first part's stopped, 10 s into the track.
    // (Heard without a break, at positions that jump, it is one entry: a loop; streamSegments.test.ts.)
    const out = stitchParts(
      [
        { plan: plans[0], segments: [song(4, 50, 100, 40)] },
        { plan: plans[1], segments: [song(4, 35, 80, 10)] },
      ],
      C,
      tolerance,
    );
    expect(out.filter((s) => s.trackNum === 4)).toHaveLength(2);
    // Nor where it would have got to, but at another speed (x1.1): another playing of it.
    const faster = stitchParts(
      [
        { plan: plans[0], segments: [song(4, 50, 100, 40)] },
        { plan: plans[1], segments: [{ ...song(4, 35, 80, 95), timeFactor: 1.1 }] },
      ],
      C,
      tolerance,
    );
    expect(faster.filter((s) => s.trackNum === 4)).toHaveLength(2);
  });
});
