// The shape of one candidate's votes in a window of the stream: is its offset a sharp peak, or the top of a ridge?
// A recording heard in the stream lines its landmarks up at one offset: the track's other offsets get only chance
// votes. A sound held or repeated (a drone, a tracker pattern's loop, a reversed track's sustained chord) produces
// the same hashes at every frame, in the clip and in the track, so its votes pile up over a range of offsets and the
// best one is merely the top of that range. Pure.
import type { FingerprintConfig } from './config.js';
import { isSharpPeak, type DecisionRule } from './decisionRule.js';
import { makeQueryKeys, type Hypothesis } from './landmarks.js';
import { trackVote, type LookupFn } from './matcher.js';
import type { Peak } from './peaks.js';

export interface OffsetProfile {
  /** Distinct landmark votes within +-rule.offsetToleranceFrames of the candidate's offset (as the vote counts them). */
  readonly aligned: number;
  /** The most votes the same track gets in any other such window, guardFrames to reachFrames away from it. */
  readonly sideAligned: number;
  /** The same within NEAR_FRAMES (the flanks a speed off the grid smears a true peak into), and beyond (loops, ridges). */
  readonly nearAligned: number;
  readonly farAligned: number;
  /** aligned / max(farAligned, 1): what the rule's isSharpPeak bars (near offsets are the peak's own flanks). */
  readonly sharpness: number;
  /** Share of the window's seconds holding at least one aligned vote. */
  readonly spread: number;
}

/** Offsets this close to the candidate's are its own peak's flanks (a speed between grid steps smears it). */
export const PROFILE_GUARD_FRAMES = 4;
export const PROFILE_NEAR_FRAMES = 24;
/** How far the neighbourhood reaches: a held sound's ridge spans seconds. */
export const PROFILE_REACH_FRAMES = 320;

export function offsetProfile(
  peaks: readonly Peak[],
  config: FingerprintConfig,
  lookup: LookupFn,
  rule: DecisionRule,
  candidate: { readonly trackNum: number; readonly offsetFrames: number } & Hypothesis,
): OffsetProfile {
  const identity = candidate.timeFactor === 1 && candidate.pitchFactor === 1;
  const keys = makeQueryKeys(peaks, config, candidate, identity ? rule.keyTolerance : rule.shiftedKeyTolerance);
  const centre = Math.round(candidate.offsetFrames);
  const reach = PROFILE_REACH_FRAMES + rule.offsetToleranceFrames;
  const size = 2 * reach + 1;
  const histogram = new Int32Array(size);
  const fps = config.sampleRateHz / config.hopSizeSamples;
  const slots = new Set<number>();
  let slotCount = 1;
  let k = 0;
  const seen = new Set<number>();
  while (k < keys.count) {
    const id = keys.landmarkIds[k];
    seen.clear();
    let clipFrame = 0;
    for (; k < keys.count && keys.landmarkIds[k] === id; k++) {
      const postings = lookup(keys.hashes[k]);
      clipFrame = keys.frames[k];
      for (let p = 0; p < postings.length; p += 2) {
        if (postings[p] !== candidate.trackNum) continue;
        const d = Math.round(postings[p + 1] - keys.frames[k]) - centre;
        if (d < -reach || d > reach || seen.has(d)) continue;
        seen.add(d);
        histogram[d + reach]++;
      }
    }
    slotCount = Math.max(slotCount, Math.floor(clipFrame / candidate.timeFactor / fps) + 1);
    for (let d = -rule.offsetToleranceFrames; d <= rule.offsetToleranceFrames; d++) {
      if (seen.has(d)) {
        slots.add(Math.floor(clipFrame / candidate.timeFactor / fps));
        break;
      }
    }
  }
  const windowSum = (c: number): number => {
    let s = 0;
    for (let d = c - rule.offsetToleranceFrames; d <= c + rule.offsetToleranceFrames; d++) s += histogram[d + reach] ?? 0;
    return s;
  };
  const aligned = windowSum(0);
  let nearAligned = 0;
  let farAligned = 0;
  for (let c = PROFILE_GUARD_FRAMES; c <= PROFILE_REACH_FRAMES; c++) {
    const m = Math.max(windowSum(c), windowSum(-c));
    if (c <= PROFILE_NEAR_FRAMES) nearAligned = Math.max(nearAligned, m);
    else farAligned = Math.max(farAligned, m);
  }
  const sideAligned = Math.max(nearAligned, farAligned);
  const windowSlots = Math.max(slotCount, Math.ceil((peaks.length > 0 ? peaks[peaks.length - 1].frame + 1 : 1) / fps));
  return { aligned, sideAligned, nearAligned, farAligned, sharpness: aligned / Math.max(farAligned, 1), spread: slots.size / Math.max(1, windowSlots) };
}

/**
 * The offsets (track frames of the window's first frame) at which `trackNum`'s votes in the window form a loop's other
 * teeth (decisionRule loopToothShare): each the top of its own neighbourhood (no offset nearer than
 * PROFILE_GUARD_FRAMES has more; of tops that close, the first), with at least rule.loopToothShare of the best
 * offset's votes (and rule.minAligned), and rule.minPeakSharpness times the most any offset PROFILE_GUARD_FRAMES..
 * PROFILE_NEAR_FRAMES away from it gets. The candidate's own offset (within the rule's tolerance) is left out. Votes
 * are counted as offsetProfile counts them (+-offsetToleranceFrames, one per landmark and offset), over the whole
 * track. Pure.
 */
export function loopTeeth(
  peaks: readonly Peak[],
  config: FingerprintConfig,
  lookup: LookupFn,
  rule: DecisionRule,
  candidate: { readonly trackNum: number; readonly offsetFrames: number } & Hypothesis,
): number[] {
  if (!(rule.loopToothShare > 0)) return [];
  const identity = candidate.timeFactor === 1 && candidate.pitchFactor === 1;
  const keys = makeQueryKeys(peaks, config, candidate, identity ? rule.keyTolerance : rule.shiftedKeyTolerance);
  const votes = new Map<number, number>();
  const seen = new Set<number>();
  let k = 0;
  while (k < keys.count) {
    const id = keys.landmarkIds[k];
    seen.clear();
    for (; k < keys.count && keys.landmarkIds[k] === id; k++) {
      const postings = lookup(keys.hashes[k]);
      for (let p = 0; p < postings.length; p += 2) {
        if (postings[p] !== candidate.trackNum) continue;
        const d = Math.round(postings[p + 1] - keys.frames[k]);
        if (seen.has(d)) continue; // one vote per landmark and offset
        seen.add(d);
        votes.set(d, (votes.get(d) ?? 0) + 1);
      }
    }
  }
  const tol = rule.offsetToleranceFrames;
  const windowSum = (c: number): number => {
    let s = 0;
    for (let d = c - tol; d <= c + tol; d++) s += votes.get(d) ?? 0;
    return s;
  };
  let best = 0;
  for (const d of votes.keys()) best = Math.max(best, windowSum(d));
  const bar = Math.max(rule.minAligned, rule.loopToothShare * best);
  const own = Math.round(candidate.offsetFrames);
  const teeth: number[] = [];
  for (const d of [...votes.keys()].sort((a, b) => a - b)) {
    const v = windowSum(d);
    if (v < bar || Math.abs(d - own) <= tol) continue;
    if (teeth.length > 0 && d - teeth[teeth.length - 1] < PROFILE_GUARD_FRAMES) continue; // the same tooth
    let top = true;
    let flank = 0;
    for (let c = 1; c <= PROFILE_NEAR_FRAMES && top; c++) {
      const m = Math.max(windowSum(d - c), windowSum(d + c));
      if (c < PROFILE_GUARD_FRAMES) top = m <= v;
      else flank = Math.max(flank, m);
    }
    if (top && isSharpPeak(v, flank, rule)) teeth.push(d);
  }
  return teeth;
}

/**
 * The turntable speeds (time and pitch together) past the edge of `hypotheses`' turntable steps, in 1 % steps out to
 * +-probe, nearest first: where music played faster or slower than the search follows would vote best.
 */
export function beyondRangeSpeeds(hypotheses: readonly Hypothesis[], probe: number): number[] {
  let edge = 0;
  for (const h of hypotheses) if (h.timeFactor === h.pitchFactor) edge = Math.max(edge, Math.abs(h.timeFactor - 1));
  const speeds: number[] = [];
  for (let k = Math.round(edge * 100) + 1; k <= Math.round(probe * 100); k++) speeds.push(1 + k / 100, 1 - k / 100);
  return speeds;
}

/**
 * Whether a track votes `ratio` times as well (and rule.minAligned more) for `peaks` at a turntable speed beyond the
 * search's range (beyondRangeSpeeds) as under `hypothesis`, each vote over the whole track (trackVote: a window's
 * offset may lie a window before the track's start, and a chance alignment mid-grid is not where the music plays):
 * the music plays beyond the speeds searched, and what the search found is a coincidence of it.
 */
export function playsBeyondRange(
  peaks: readonly Peak[],
  config: FingerprintConfig,
  lookup: LookupFn,
  track: { readonly trackNum: number; readonly frames: number },
  hypothesis: Hypothesis,
  rule: DecisionRule,
  probe: number,
  ratio: number,
): boolean {
  if (peaks.length === 0) return false;
  // Offsets run from the clip's last frame (scaled by the fastest speed asked) before the track's start to its end.
  const lead = peaks[peaks.length - 1].frame * (1 + probe) + 1;
  const votes = (h: Hypothesis): number =>
    trackVote(
      makeQueryKeys(peaks, config, h, rule.shiftedKeyTolerance),
      lookup,
      track.trackNum,
      (track.frames - lead) / 2,
      (track.frames + lead) / 2,
      rule.offsetToleranceFrames,
    )?.alignedCount ?? 0;
  const own = votes(hypothesis);
  for (const f of beyondRangeSpeeds(rule.hypotheses, probe)) {
    const beyond = votes({ timeFactor: f, pitchFactor: f });
    if (beyond >= ratio * own && beyond >= own + rule.minAligned) return true;
  }
  return false;
}
