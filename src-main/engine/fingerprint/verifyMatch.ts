// Stage 7: verify a candidate by its peaks. The clip's peaks, mapped into the track's time and frequency under the
// candidate's offset and hypothesis, are checked against the track's stored peaks; the same count at decoy offsets
// of the same track measures chance coincidence for that track (its density, its loops, its instruments). A true
// match coincides throughout the clip; music that merely shares a sample with the track coincides only locally. Pure.
import type { FingerprintConfig } from './config.js';
import type { Hypothesis } from './landmarks.js';
import { pitchToBin } from './landmarks.js';
import type { Peak } from './peaks.js';

export interface Verification {
  /** Clip peaks with a track peak within the tolerance at the candidate offset. */
  readonly matchedPeaks: number;
  /** Clip peaks that fall inside the track's time span at that offset. */
  readonly consideredPeaks: number;
  /** Mean and largest matched count over the decoy offsets. */
  readonly decoyMean: number;
  readonly decoyMax: number;
  /** (matched - decoyMean) / sqrt(decoyMean + 1): how far above chance. */
  readonly score: number;
  /**
   * Distinct FFT bins (rounded) among the matched clip peaks: how much distinct information the match is made of. A
   * stationary tone matching a held note of the track matches in one bin however many frames it lasts; music, in dozens.
   */
  readonly matchedBinCount: number;
  /**
   * Matched count at the candidate's offset with every clip peak moved off its frequency (by 2.5, 3.5 and 4.5 times the
   * match tolerance): how often a peak at these very moments meets one of the track's whatever its frequency. Decoy
   * offsets move the clip off the track's beat; this keeps it on it, so two songs whose drums merely fall on the same
   * beats (noise bursts, whose spectral peaks lie anywhere) match here about as often as at the candidate, while the
   * same recording matches only at its own frequencies. The mean of the three shifts up or of the three down, whichever
   * is lower: a candidate found under a pitch a little off (a clip pitched 2 % down, found as recorded) has its true
   * counterparts a few bins to one side, and that side's shifts meet them.
   */
  readonly shiftedDecoyMean: number;
  /** (matched - shiftedDecoyMean) / sqrt(shiftedDecoyMean + 1): how far above what the moments alone give. */
  readonly shiftedScore: number;
}

/** Decoy offsets, in frames from the candidate's: far enough to miss the true alignment, odd so they rarely hit a loop period. */
const DECOY_STEPS = [-331, -257, -173, -97, 97, 173, 257, 331];

/** How verifyCandidate meets the clip's peaks with the track's (part of the decision rule: decisionRule.ts). */
export interface VerificationConfig {
  /** A clip peak matches a track peak within +-this many frames... */
  readonly frameTolerance: number;
  /** ...and +-this many FFT bins. */
  readonly binTolerance: number;
  /** Decoy offsets, in frames from the candidate's, whose matched counts measure chance for this track. */
  readonly decoySteps: readonly number[];
}

/** Verification as calibrated up to session 17 (the stream rule's): 1.5 frames, 1 bin, 8 decoys. */
export const NARROW_VERIFICATION: VerificationConfig = Object.freeze({ frameTolerance: 1.5, binTolerance: 1, decoySteps: Object.freeze(DECOY_STEPS) });
/** Frequency decoys, in multiples of the match tolerance: beyond its window, so a peak never meets its own counterpart. */
const SHIFT_STEPS = [2.5, 3.5, 4.5];

function lowerBound(frames: Int32Array, value: number): number {
  let lo = 0;
  let hi = frames.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (frames[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface TrackPeakIndex {
  readonly frames: Int32Array;
  readonly bins: Float64Array;
}

/** Track peaks (sorted by frame) in the form verification reads. */
export function indexTrackPeaks(peaks: readonly Peak[], config: FingerprintConfig): TrackPeakIndex {
  return {
    frames: Int32Array.from(peaks, (p) => p.frame),
    bins: Float64Array.from(peaks, (p) => pitchToBin(p.pitch, config)),
  };
}

function countMatches(
  clipFrames: Float64Array,
  clipBins: Float64Array,
  track: TrackPeakIndex,
  offsetFrames: number,
  frameTolerance: number,
  binTolerance: number,
  relative: number,
  centerFrame: number,
  timeRelative = relative,
  matchedBins?: Set<number>,
): { matched: number; considered: number } {
  const last = track.frames.length > 0 ? track.frames[track.frames.length - 1] : -1;
  let matched = 0;
  let considered = 0;
  for (let i = 0; i < clipFrames.length; i++) {
    const f = offsetFrames + clipFrames[i];
    if (f < 0 || f > last) continue;
    considered++;
    const b = clipBins[i];
    // Under a shifted hypothesis the grid step leaves a residual: frequency error grows with the bin, time error
    // with the distance from the clip's centre (the offset is a mean over the clip).
    const tol = binTolerance + relative * b;
    const ft = frameTolerance + timeRelative * Math.abs(clipFrames[i] - centerFrame);
    for (let j = lowerBound(track.frames, Math.ceil(f - ft)); j < track.frames.length && track.frames[j] <= f + ft; j++) {
      if (Math.abs(track.bins[j] - b) <= tol) {
        matched++;
        matchedBins?.add(Math.round(b));
        break;
      }
    }
  }
  return { matched, considered };
}

export function verifyCandidate(
  clipPeaks: readonly Peak[],
  track: TrackPeakIndex,
  offsetFrames: number,
  hypothesis: Hypothesis,
  config: FingerprintConfig,
  options: VerificationConfig = NARROW_VERIFICATION,
): Verification {
  const clipFrames = Float64Array.from(clipPeaks, (p) => p.frame * hypothesis.timeFactor);
  const clipBins = Float64Array.from(clipPeaks, (p) => pitchToBin(p.pitch, config) / hypothesis.pitchFactor);
  const { frameTolerance, binTolerance, decoySteps } = options;
  const identity = hypothesis.timeFactor === 1 && hypothesis.pitchFactor === 1;
  const relative = identity ? 0 : 0.005;
  const centerFrame = clipFrames.length > 0 ? (clipFrames[0] + clipFrames[clipFrames.length - 1]) / 2 : 0;
  const count = (offset: number, bins?: Set<number>): { matched: number; considered: number } =>
    countMatches(clipFrames, clipBins, track, offset, frameTolerance, binTolerance, relative, centerFrame, relative, bins);
  const matchedBins = new Set<number>();
  const { matched, considered } = count(offsetFrames, matchedBins);
  let decoySum = 0;
  let decoyMax = 0;
  for (const step of decoySteps) {
    const d = count(offsetFrames + step).matched;
    decoySum += d;
    decoyMax = Math.max(decoyMax, d);
  }
  const decoyMean = decoySum / decoySteps.length;
  const shiftedMean = (sign: number): number => {
    let sum = 0;
    for (const k of SHIFT_STEPS) {
      const shifted = clipBins.map((b) => b + sign * k * (binTolerance + relative * b));
      sum += countMatches(clipFrames, shifted, track, offsetFrames, frameTolerance, binTolerance, relative, centerFrame).matched;
    }
    return sum / SHIFT_STEPS.length;
  };
  const shiftedDecoyMean = Math.min(shiftedMean(1), shiftedMean(-1));
  return {
    matchedPeaks: matched,
    consideredPeaks: considered,
    decoyMean,
    decoyMax,
    score: (matched - decoyMean) / Math.sqrt(decoyMean + 1),
    matchedBinCount: matchedBins.size,
    shiftedDecoyMean,
    shiftedScore: (matched - shiftedDecoyMean) / Math.sqrt(shiftedDecoyMean + 1),
  };
}

export interface TrackAgreement {
  /** Peaks of track A in the compared span that have a peak of track B at the relative offset. */
  readonly matched: number;
  /** Peaks of track A in the compared span whose counterpart time lies inside track B. */
  readonly considered: number;
  /** Mean and largest matched count at the decoy offsets (chance coincidence of these two tracks). */
  readonly decoyMean: number;
  readonly decoyMax: number;
}

/** Frequency tolerance of trackAgreement, relative: two renders or transfers of one recording can differ by ~1 % in pitch. */
const AGREEMENT_RELATIVE_BINS = 0.02;

/**
 * How well two stored tracks agree with each other: track A's peaks in frames [fromFrame, toFrame) against track B's
 * peaks `deltaFrames` later (B frame = A frame + deltaFrames), within 1.5 frames and 1 bin + 2 % in frequency. Two
 * files of one recording (another encoding, another render) agree on most peaks over any span; tracks that merely
 * share a sample, a loop or a sting agree only where they share it. Pure.
 */
export function trackAgreement(a: TrackPeakIndex, b: TrackPeakIndex, fromFrame: number, toFrame: number, deltaFrames: number): TrackAgreement {
  const start = lowerBound(a.frames, Math.ceil(fromFrame));
  const end = lowerBound(a.frames, Math.ceil(toFrame));
  const frames = Float64Array.from(a.frames.subarray(start, end));
  const bins = a.bins.subarray(start, end);
  const count = (delta: number): { matched: number; considered: number } => countMatches(frames, bins, b, delta, 1.5, 1, AGREEMENT_RELATIVE_BINS, 0, 0);
  const at = count(deltaFrames);
  let decoySum = 0;
  let decoyMax = 0;
  for (const step of DECOY_STEPS) {
    const d = count(deltaFrames + step).matched;
    decoySum += d;
    decoyMax = Math.max(decoyMax, d);
  }
  return { matched: at.matched, considered: at.considered, decoyMean: decoySum / DECOY_STEPS.length, decoyMax };
}
