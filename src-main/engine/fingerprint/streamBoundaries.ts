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
 */
export function alignedEdges(a: Active, ctx: BoundaryContext): [number, number] | null {
  const { hopFrames, windowFrames } = ctx;
  const from = Math.max(0, a.firstWindowStart - hopFrames);
  const to = a.lastWindowEnd + hopFrames;
  const headEnd = Math.min(to, a.firstWindowStart + windowFrames);
  const tailStart = Math.max(from, a.lastWindowEnd - windowFrames);
  // The head at the hypothesis it was first heard at (from its own anchor) and at the one the song is followed at
  // (the line through its latest anchor): either may be the speed it had there (adoptHypothesis).
  const head = alignedFrames(a, a.headHypothesis, from, headEnd, a.headTrack + (from - a.firstWindowStart) * a.headHypothesis.timeFactor, ctx);
  const followedHead = sameHypothesis(a.headHypothesis, a.hypothesis) ? [] : alignedFrames(a, a.hypothesis, from, headEnd, predictedOffset(a, from), ctx);
  const frames = [...new Set([...head, ...followedHead]), ...alignedFrames(a, a.hypothesis, tailStart, to, predictedOffset(a, tailStart), ctx)].sort(
    (x, y) => x - y,
  );
  return denseEdges(frames, ctx);
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
  const { config, rule } = ctx;
  if (frames.length === 0) return null;
  const fps = config.sampleRateHz / config.hopSizeSamples;
  const span = 2 * fps;
  const dense = Math.max(2, Math.floor(rule.minAligned / 2));
  let start = -1;
  for (let i = 0, j = 0; i < frames.length; i++) {
    while (j < frames.length && frames[j] - frames[i] <= span) j++;
    if (j - i > dense) {
      start = frames[i];
      break;
    }
  }
  let end = -1;
  for (let i = frames.length - 1, j = frames.length - 1; i >= 0; i--) {
    while (j >= 0 && frames[i] - frames[j] <= span) j--;
    if (i - j > dense) {
      end = frames[i];
      break;
    }
  }
  if (start < 0 || end <= start) return null;
  return [Math.max(0, Math.round(start)), Math.round(end + config.pairMaxFrames / 2)];
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
