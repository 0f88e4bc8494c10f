// Where a song the stream matcher followed starts and stops: at its aligned landmarks, not at window edges. Pure: the
// stream's peaks and the (cached) postings lookup are passed in.
import type { FingerprintConfig } from './config.js';
import type { DecisionRule } from './decisionRule.js';
import { makeQueryKeys, type Hypothesis } from './landmarks.js';
import type { LookupFn } from './matcher.js';
import type { Peak } from './peaks.js';
import { predictedOffset, sameHypothesis, type Active } from './streamSong.js';

export interface BoundaryContext {
  readonly config: FingerprintConfig;
  readonly rule: DecisionRule;
  readonly windowFrames: number;
  readonly hopFrames: number;
  /** The stream's peaks in [from, to), frames relative to `from`. */
  readonly peaksIn: (from: number, to: number) => Peak[];
  readonly lookup: LookupFn;
}

/**
 * Where the song's aligned landmarks start and stop: the stream frames of the landmarks that vote for the song at
 * the offset it plays at, searched a window beyond its first and last windows. The edge is the first (last)
 * landmark that has `dense` others within `spanFrames` after (before) it, so a stray chance vote does not move it.
 * A song opened on a window that barely holds it (its first landmarks too few to make an edge: it began at the
 * window's end, after talk or a refused alignment) starts in the windows after it: they are read on, a window at a
 * time, until its landmarks are dense; likewise back from a last window that barely holds it. Without that, such a
 * song's start was read in its last window (a song of 100 s reported as its last 4 s).
 */
export function alignedEdges(a: Active, ctx: BoundaryContext): [number, number] | null {
  const { hopFrames, windowFrames } = ctx;
  const from = Math.max(0, a.firstWindowStart - hopFrames);
  const to = a.lastWindowEnd + hopFrames;
  let headEnd = Math.min(to, a.firstWindowStart + windowFrames);
  let tailStart = Math.max(from, a.lastWindowEnd - windowFrames);
  // The head at the hypothesis it was first heard at (from its own anchor) and at the one the song is followed at
  // (the line through its latest anchor): either may be the speed it had there (adoptHypothesis).
  const headFrames = alignedFrames(a, a.headHypothesis, from, headEnd, a.headTrack + (from - a.firstWindowStart) * a.headHypothesis.timeFactor, ctx);
  const followedHead = sameHypothesis(a.headHypothesis, a.hypothesis) ? [] : alignedFrames(a, a.hypothesis, from, headEnd, predictedOffset(a, from), ctx);
  const head = [...new Set([...headFrames, ...followedHead])].sort((x, y) => x - y);
  const readAt = (x: number, y: number): number[] => alignedFrames(a, a.hypothesis, x, y, predictedOffset(a, x), ctx);
  while (denseStart(head, ctx) < 0 && headEnd < tailStart) {
    const next = Math.min(headEnd + windowFrames, tailStart);
    head.push(...readAt(headEnd, next));
    headEnd = next;
  }
  const tail = readAt(tailStart, to).sort((x, y) => x - y);
  while (denseEnd(tail, ctx) < 0 && tailStart > headEnd) {
    const before = Math.max(tailStart - windowFrames, headEnd);
    tail.unshift(...readAt(before, tailStart));
    tailStart = before;
  }
  return denseEdges(
    [...head, ...tail].sort((x, y) => x - y),
    ctx,
  );
}

/**
 * Where the song's aligned landmarks start and stop within the window [from, to) it was last heard in (stream
 * frames), by alignedEdges' rule; null when they are too few. What an audio check of that window should judge: a
 * song that starts (or stops) inside the window shares it with the audio before (after) it, which is not the track.
 */
export function alignedSpan(a: Active, from: number, to: number, ctx: BoundaryContext): [number, number] | null {
  const frames = alignedFrames(a, a.hypothesis, from, to, predictedOffset(a, from), ctx).sort((x, y) => x - y);
  const edges = denseEdges(frames, ctx);
  return edges && [edges[0], Math.min(to, edges[1])];
}

/**
 * The first (last) of sorted stream frames that has `dense` others within 2 s after (before) it, so that a stray
 * chance vote does not move an edge; the end reaches on by half a pair (a landmark's anchor starts its pair).
 */
function denseEdges(frames: readonly number[], ctx: BoundaryContext): [number, number] | null {
  const start = denseStart(frames, ctx);
  const end = denseEnd(frames, ctx);
  if (start < 0 || end <= start) return null;
  return [Math.max(0, Math.round(start)), Math.round(end + ctx.config.pairMaxFrames / 2)];
}

/** The pair of a frame span, and how many others a frame needs within it to be an edge (denseEdges). */
function density(ctx: BoundaryContext): { span: number; dense: number } {
  const fps = ctx.config.sampleRateHz / ctx.config.hopSizeSamples;
  return { span: 2 * fps, dense: Math.max(2, Math.floor(ctx.rule.minAligned / 2)) };
}

/** The first of sorted frames with `dense` others within the span after it; -1 when none. */
function denseStart(frames: readonly number[], ctx: BoundaryContext): number {
  const { span, dense } = density(ctx);
  for (let i = 0, j = 0; i < frames.length; i++) {
    while (j < frames.length && frames[j] - frames[i] <= span) j++;
    if (j - i > dense) return frames[i];
  }
  return -1;
}

/** The last of sorted frames with `dense` others within the span before it; -1 when none. */
function denseEnd(frames: readonly number[], ctx: BoundaryContext): number {
  const { span, dense } = density(ctx);
  for (let i = frames.length - 1, j = frames.length - 1; i >= 0; i--) {
    while (j >= 0 && frames[i] - frames[j] <= span) j--;
    if (i - j > dense) return frames[i];
  }
  return -1;
}

/**
 * Stream frames of the landmarks in [from, to) that vote for `a`'s track under `hypothesis` at `expected` (its track
 * frame at `from`).
 */
function alignedFrames(a: Active, hypothesis: Hypothesis, from: number, to: number, expected: number, ctx: BoundaryContext): number[] {
  if (to <= from) return [];
  const { rule } = ctx;
  const peaks = ctx.peaksIn(from, to);
  const identity = hypothesis.timeFactor === 1 && hypothesis.pitchFactor === 1;
  const keys = makeQueryKeys(peaks, ctx.config, hypothesis, identity ? rule.keyTolerance : rule.shiftedKeyTolerance);
  const tolerance = Math.max(rule.offsetToleranceFrames + 1, 0.002 * (to - from));
  const out: number[] = [];
  let lastId = -1;
  for (let k = 0; k < keys.count; k++) {
    const id = keys.landmarkIds[k];
    if (id === lastId) continue; // this landmark already voted
    const postings = ctx.lookup(keys.hashes[k]);
    for (let p = 0; p < postings.length; p += 2) {
      if (postings[p] !== a.trackNum) continue;
      // Votes drift with the clip time when the speed sits between grid steps: allow it linearly.
      const offset = postings[p + 1] - keys.frames[k];
      const drift = 0.005 * (keys.frames[k] / hypothesis.timeFactor);
      if (Math.abs(offset - expected) <= tolerance + drift) {
        out.push(from + keys.frames[k] / hypothesis.timeFactor);
        lastId = id;
        break;
      }
    }
  }
  return out;
}

/** First index whose peak frame is >= frame (peaks sorted by frame). */
export function lowerBound(peaks: readonly Peak[], frame: number): number {
  let lo = 0;
  let hi = peaks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (peaks[mid].frame < frame) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
