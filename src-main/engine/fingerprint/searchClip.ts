// Stage 6: a clip's peaks -> ranked exact matches. Tries (time, pitch) hypotheses (first "as recorded", then the
// speed / pitch-shift / time-stretch grid), keeps each track's best aligned vote, and applies ONE decision rule,
// calibrated on clips of music that is not in the library, so that such clips return nothing. Pure.
import { DEFAULT_AUDIO_CHECK, isJudged, type AudioCheck, type AudioCheckConfig } from './audioCheck.js';
import type { FingerprintConfig } from './config.js';
import { makeQueryKeys, pitchToBin, type Hypothesis, type KeyTolerance } from './landmarks.js';
import { voteOffsets, type LookupFn, type TrackVote } from './matcher.js';
import type { Peak } from './peaks.js';
import { indexTrackPeaks, trackAgreement, verifyCandidate, type TrackAgreement, type TrackPeakIndex, type Verification } from './verifyMatch.js';

export interface DecisionRule {
  /** Fewest aligned landmarks for any answer. */
  readonly minAligned: number;
  /** The answer must have at least this many times the aligned votes of the background (the best other track). */
  readonly minRatio: number;
  /** Stop trying hypotheses once a track has this many aligned votes and passes the rule. */
  readonly earlyStopAligned: number;
  readonly offsetToleranceFrames: number;
  /** Lookup tolerance as recorded, and under the other hypotheses (which also absorb the grid's step). */
  readonly keyTolerance: KeyTolerance;
  readonly shiftedKeyTolerance: KeyTolerance;
  /** Tried in order; the first should be {1, 1}. */
  readonly hypotheses: readonly Hypothesis[];
  /** The other hypotheses are first screened with fewer, narrower keys; the best `refineCount` get the full search. */
  readonly screenFanOut: number;
  readonly screenKeyTolerance: KeyTolerance;
  /** Screening reads only the clip's first this-many seconds (the full search reads all of it). */
  readonly screenMaxSeconds: number;
  readonly refineCount: number;
  /** With track peaks available, the best `verifyCount` tracks are verified peak by peak (verifyMatch.ts)... */
  readonly verifyCount: number;
  /**
   * ...and a candidate below minRatio but at least verifiedMinRatio times the background is still accepted when its
   * verification score reaches minVerifyScore and verifyDominance times every other verified track's.
   */
  readonly verifiedMinRatio: number;
  readonly minVerifyScore: number;
  readonly verifyDominance: number;
  /** Two tracks are one recording when, over the clip's span plus this margin each side, at least sameRecordingMinAgreement
   * of the first track's peaks agree with the second's and the agreement is sameRecordingDecoyFactor times its best decoy. */
  readonly sameRecordingMarginFrames: number;
  readonly sameRecordingMinAgreement: number;
  readonly sameRecordingDecoyFactor: number;
  /**
   * The audio check (audioCheck.ts, run by the caller with the track's own audio): an accepted match with fewer aligned
   * votes than auditBelowAligned must not fall short of the track on more than maxShortfall of its judged peaks...
   */
  readonly auditBelowAligned: number;
  readonly maxShortfall: number;
  /**
   * ...and when nothing is accepted, the best candidate is still accepted if it has rescueMinAligned votes and
   * rescueMinRatio times the background, and its check falls short on at most rescueMaxShortfall of its peaks with a
   * spectral contrast of at least rescueMinContrast (the clip follows the track, not just noise hiding everything).
   */
  readonly rescueMinAligned: number;
  readonly rescueMinRatio: number;
  readonly rescueMaxShortfall: number;
  readonly rescueMinContrast: number;
  /**
   * Evidence must be made of distinct information, not one sound repeated. A clip whose peaks occupy fewer than
   * minClipBins distinct FFT bins (a stationary tone: 1; silence and DC: none) is not searched; a candidate whose
   * verified matched peaks span fewer than minMatchedBins distinct bins (a tone lining up with a held note of the
   * track) is never an answer. Real music clips have peaks in dozens of bins (50 in 3 s), matches in well over 10.
   */
  readonly minClipBins: number;
  readonly minMatchedBins: number;
}

/**
 * The peak-test branch of the rule: a candidate short of minRatio is still accepted when it has at least minAligned
 * votes and verifiedMinRatio times the background, and its verification score reaches minVerifyScore and
 * verifyDominance times the best score of the other verified tracks (`othersScore`, at least 1). Pure.
 */
export function passesPeakTest(aligned: number, background: number, score: number, othersScore: number, rule: DecisionRule): boolean {
  return (
    aligned >= rule.minAligned &&
    aligned >= rule.verifiedMinRatio * Math.max(background, 1) &&
    score >= rule.minVerifyScore &&
    score >= rule.verifyDominance * Math.max(othersScore, 1)
  );
}

/** Whether a track agreement (verifyMatch.trackAgreement) says the two tracks hold the same recording. */
export function isSameRecording(agreement: TrackAgreement, rule: DecisionRule): boolean {
  return (
    agreement.considered >= 50 &&
    agreement.matched >= rule.sameRecordingMinAgreement * agreement.considered &&
    agreement.matched >= rule.sameRecordingDecoyFactor * Math.max(agreement.decoyMax, 1)
  );
}

/**
 * The hypotheses tried: as recorded first, then 1 % steps of turntable speed (time and pitch together) and of
 * key-locked time stretch (3 % and up: below that the as-recorded search absorbs it) up to +-maxSpeed, and of pitch
 * shift (tempo kept) up to +-6 %.
 */
export function speedGrid(maxSpeed = 0.06): Hypothesis[] {
  const out: Hypothesis[] = [{ timeFactor: 1, pitchFactor: 1 }];
  const upTo = (max: number): number[] => {
    const steps: number[] = [];
    for (let k = 1; k <= Math.round(max * 100); k++) steps.push(k / 100, -k / 100);
    return steps;
  };
  for (const d of upTo(maxSpeed)) out.push({ timeFactor: 1 + d, pitchFactor: 1 + d }); // turntable speed
  for (const d of upTo(0.06)) out.push({ timeFactor: 1, pitchFactor: 1 + d }); // pitch shift, tempo kept
  for (const d of upTo(maxSpeed)) if (Math.abs(d) >= 0.03) out.push({ timeFactor: 1 + d, pitchFactor: 1 }); // time stretch
  return out;
}

// Calibrated on the seed-7 query set (340 clips of library tracks, 60 of held-out tracks, bench corpus): the smallest
// bars with no false positive and no wrong answer; checked on sets it never saw (seeds 1 and 11). The peak-test
// branch (verifiedMinRatio / minVerifyScore / verifyDominance) was re-calibrated the same way on seed 7: scores 8 and
// 1.5x the other verified tracks admit no seed-7 negative; the closest negatives seen score 6.0 (seed 1) and 0.7x.
// exact-4: minVerifyScore 8 -> 6.5. Over 640 negatives (seeds 7, 23, a 400-negative set of seed 41, and the check sets
// 1 and 11) the highest-scoring negative in the band 5.5..8 that passes the ratio and dominance bars scores 6.0
// (seed 1); none of the calibration pool's does. Negatives above 8 are remixes sharing stems with a library track
// (Warzone 2100), which this branch cannot tell from a noisy clip (bench-final3.log).
// Audio check (session 4), calibrated on seeds 1, 7, 11, 23, 31 and neg41: the 7 false positives left (all remixes
// or chance alignments, 16-27 votes) fall short on 9.3-13.3 % of the track's peaks; true matches under 60 votes, at
// their grid hypothesis, on at most 7.7 % bar a few heavy-noise clips (8.6-14 %), hence 8.5 %. Rescues: the
// negatives' best candidates that fall short on at most 3 % follow the track with a contrast of at most 0.02, true
// ones 0.21-0.64. earlyStopAligned rose from 20 to auditBelowAligned so that checked candidates carry their grid
// hypothesis: clips 2-5 % off were found "as recorded" with 20-50 votes and then checked at the wrong speed.
// Session 5: rescue bars 1.5x / contrast 0.2 -> 1.2x / 0.1. In the calibration pool (cal2: every clip's best candidate
// checked, seeds 1, 7, 11, 23, 31, neg41) the best candidates that are not the clip's track and fall short on at most
// 3 % have a contrast of at most 0.016, whatever their vote ratio; true ones turned down by the 1.5x bar (11-16 votes
// against 8-13, 0-5 dB noise) sit at 0.10-0.38. Held out: seeds 43 and 59 0/60, neg61 0/400; neg47 keeps its one
// false positive (shared samples in two tracker modules, 32 votes, which the vote bars accept before any rescue).
export const DEFAULT_DECISION_RULE: DecisionRule = Object.freeze({
  minAligned: 6,
  minRatio: 3,
  earlyStopAligned: 60,
  offsetToleranceFrames: 1,
  keyTolerance: Object.freeze({ bins: 0.3, relative: 0, frames: 0 }),
  shiftedKeyTolerance: Object.freeze({ bins: 0.3, relative: 0.005, frames: 0 }),
  hypotheses: Object.freeze(speedGrid()),
  screenFanOut: 3,
  screenMaxSeconds: 8,
  screenKeyTolerance: Object.freeze({ bins: 0.3, relative: 0.005, frames: 0 }),
  refineCount: 3,
  verifyCount: 3,
  verifiedMinRatio: 2,
  minVerifyScore: 6.5,
  verifyDominance: 1.5,
  sameRecordingMarginFrames: 1875, // 30 s
  sameRecordingMinAgreement: 0.5,
  sameRecordingDecoyFactor: 3,
  auditBelowAligned: 60,
  maxShortfall: 0.085,
  rescueMinAligned: 8,
  rescueMinRatio: 1.2,
  rescueMaxShortfall: 0.03,
  rescueMinContrast: 0.1,
  // Issue 15: a 3 s 440 Hz tone was named as a library track (12 votes, all from one bin). Far below real music.
  minClipBins: 6,
  // Session 7: minMatchedBins 3 -> 2. The first bench:exact run after the gate came in lost one true match on seed 43
  // (a 3 s clip under white noise at 5 dB; 15 votes against 7; its 10 matched peaks in 2 bins, a chiptune's two
  // square-wave notes; audio check 6.4 %). One bin is what a tone held on a track's note gives; two is music.
  minMatchedBins: 2,
});

export interface ExactCandidate {
  readonly trackNum: number;
  readonly offsetFrames: number;
  readonly alignedCount: number;
  readonly confidence: number;
  readonly timeFactor: number;
  readonly pitchFactor: number;
  readonly verification?: Verification;
}

export interface SearchOutcome {
  /** Accepted matches, best first. */
  readonly matches: readonly ExactCandidate[];
  /** The best vote whatever the rule said (for calibration and benchmarks). */
  readonly best: ExactCandidate | null;
  /** Aligned votes of the best other track: the background the rule compares against. */
  readonly backgroundAligned: number;
  readonly hypothesesTried: number;
  readonly lookups: number;
  /** Tracks found to hold the same recording as `best` (reported beside it, not counted as its background). */
  readonly sameRecording: readonly number[];
  /** The verified candidates, best vote first (for calibration and benchmarks). */
  readonly verified: readonly {
    trackNum: number;
    alignedCount: number;
    offsetFrames: number;
    hypothesis: Hypothesis;
    verification: Verification;
  }[];
}

interface Scored extends TrackVote {
  readonly hypothesis: Hypothesis;
}

/** confidence in 0..1 from how far the aligned count clears the rule's two bars. */
function confidenceOf(aligned: number, background: number, rule: DecisionRule): number {
  const bar = Math.max(rule.minAligned, rule.minRatio * Math.max(background, 1));
  const margin = aligned - bar;
  if (margin < 0) return 0;
  return Math.min(1, 0.5 + 0.5 * (1 - Math.exp(-margin / Math.max(4, bar / 2))));
}

/** A candidate's audio check (undefined: it could not be made, e.g. the track's file is gone). */
export type CheckAudioFn = (candidate: ExactCandidate) => Promise<AudioCheck | undefined>;

export interface AuditOutcome {
  /** The accepted matches after the audio check, best first. */
  readonly matches: readonly ExactCandidate[];
  /** The checks made, by track. */
  readonly checks: ReadonlyMap<number, AudioCheck>;
  readonly dropped: readonly number[];
  readonly rescued: number | null;
}

/**
 * The audio-check half of the decision rule. A match with few aligned votes is heard against its track: one that
 * falls short of the track's audio (music built on the track's loop, another arrangement) is dropped. With nothing
 * left, a best candidate the vote bars turned down is accepted when the track's audio is all there. A check that
 * cannot be made (no verdict, no file) leaves the vote rule's verdict as it was, and rescues nothing.
 */
export async function auditMatches(
  outcome: SearchOutcome,
  check: CheckAudioFn,
  rule: DecisionRule = DEFAULT_DECISION_RULE,
  audioRule: AudioCheckConfig = DEFAULT_AUDIO_CHECK,
): Promise<AuditOutcome> {
  const checks = new Map<number, AudioCheck>();
  const run = async (c: ExactCandidate): Promise<AudioCheck | undefined> => {
    if (checks.has(c.trackNum)) return checks.get(c.trackNum);
    const result = await check(c);
    if (result && isJudged(result, audioRule)) {
      checks.set(c.trackNum, result);
      return result;
    }
    return undefined;
  };
  const matches: ExactCandidate[] = [];
  const dropped: number[] = [];
  for (const m of outcome.matches) {
    if (m.alignedCount < rule.auditBelowAligned) {
      const result = await run(m);
      if (result && result.shortfall > rule.maxShortfall) {
        dropped.push(m.trackNum);
        continue;
      }
    }
    matches.push(m);
  }
  let rescued: number | null = null;
  const best = outcome.best;
  if (
    matches.length === 0 &&
    dropped.length === 0 &&
    best &&
    best.confidence === 0 &&
    best.alignedCount >= rule.rescueMinAligned &&
    best.alignedCount >= rule.rescueMinRatio * Math.max(outcome.backgroundAligned, 1) &&
    (best.verification === undefined || best.verification.matchedBinCount >= rule.minMatchedBins)
  ) {
    const result = await run(best);
    if (result && result.shortfall <= rule.rescueMaxShortfall && result.contrast >= rule.rescueMinContrast) {
      rescued = best.trackNum;
      // Just past the bar, rising as the shortfall falls below it.
      matches.push({ ...best, confidence: round3(0.5 + 0.25 * (1 - result.shortfall / Math.max(rule.rescueMaxShortfall, 1e-9))) });
    }
  }
  return { matches, checks, dropped, rescued };
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Distinct FFT bins (rounded) the peaks occupy. */
export function distinctBinCount(peaks: readonly Peak[], config: FingerprintConfig): number {
  const bins = new Set<number>();
  for (const p of peaks) bins.add(Math.round(pitchToBin(p.pitch, config)));
  return bins.size;
}

/** A track's stored peaks (sorted by frame), for verification; undefined disables it. */
export type PeaksOfTrack = (trackNum: number) => readonly Peak[];

export function searchPeaks(
  peaks: readonly Peak[],
  config: FingerprintConfig,
  lookup: LookupFn,
  rule: DecisionRule = DEFAULT_DECISION_RULE,
  maxResults = 5,
  peaksOf?: PeaksOfTrack,
): SearchOutcome {
  const steps = searchPeaksSteps(peaks, config, lookup, rule, maxResults, peaksOf);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** What a search step has just done (a vote under one hypothesis, a screening pass, a verification). */
export type SearchStep = 'vote' | 'screen' | 'verify';

/**
 * searchPeaks as a generator that yields after each costly step, so that a caller can stop between steps (a
 * cancelled identify) or let other work run. Draining it gives exactly searchPeaks' outcome. Pure.
 */
export function* searchPeaksSteps(
  peaks: readonly Peak[],
  config: FingerprintConfig,
  lookup: LookupFn,
  rule: DecisionRule = DEFAULT_DECISION_RULE,
  maxResults = 5,
  peaksOf?: PeaksOfTrack,
): Generator<SearchStep, SearchOutcome, void> {
  if (distinctBinCount(peaks, config) < rule.minClipBins) {
    // A tone, silence, DC: nothing distinct enough to tell one recording from another. Not searched at all.
    return { matches: [], best: null, backgroundAligned: 0, hypothesesTried: 0, lookups: 0, sameRecording: [], verified: [] };
  }
  const bestByTrack = new Map<number, Scored>();
  /** Full searches run (screening passes are not counted). */
  let tried = 0;
  let lookups = 0;
  const countingLookup: LookupFn = (h) => {
    lookups++;
    return lookup(h);
  };
  const merge = (votes: readonly TrackVote[], hypothesis: Hypothesis): void => {
    for (const v of votes) {
      const prev = bestByTrack.get(v.trackNum);
      if (!prev || v.alignedCount > prev.alignedCount) bestByTrack.set(v.trackNum, { ...v, hypothesis });
    }
  };
  const rank = (): Scored[] => [...bestByTrack.values()].sort((a, b) => b.alignedCount - a.alignedCount || a.trackNum - b.trackNum);
  const fullVote = (hypothesis: Hypothesis): void => {
    tried++;
    const identity = hypothesis.timeFactor === 1 && hypothesis.pitchFactor === 1;
    const tolerance = identity ? rule.keyTolerance : rule.shiftedKeyTolerance;
    merge(voteOffsets(makeQueryKeys(peaks, config, hypothesis, tolerance), countingLookup, rule.offsetToleranceFrames), hypothesis);
  };

  // 1. As recorded. Most clips end here.
  const [asRecorded, ...others] = rule.hypotheses;
  if (asRecorded) {
    fullVote(asRecorded);
    yield 'vote';
  }
  let ranked = rank();
  const strong = (r: Scored[]): boolean =>
    r[0] !== undefined && r[0].alignedCount >= rule.earlyStopAligned && r[0].alignedCount >= rule.minRatio * (r[1]?.alignedCount ?? 0);
  if (!strong(ranked) && others.length > 0) {
    // 2. Screen every other hypothesis cheaply; 3. search the most promising ones in full.
    const screenEnd = (rule.screenMaxSeconds * config.sampleRateHz) / config.hopSizeSamples;
    const screenPeaks = peaks.filter((p) => p.frame < screenEnd);
    const screened: { hypothesis: Hypothesis; score: number }[] = [];
    for (const hypothesis of others) {
      const votes = voteOffsets(
        makeQueryKeys(screenPeaks, config, hypothesis, rule.screenKeyTolerance, rule.screenFanOut),
        countingLookup,
        rule.offsetToleranceFrames,
      );
      screened.push({ hypothesis, score: votes[0]?.alignedCount ?? 0 });
      yield 'screen';
    }
    screened.sort((a, b) => b.score - a.score);
    for (const { hypothesis } of screened.slice(0, rule.refineCount)) {
      fullVote(hypothesis);
      yield 'vote';
    }
    ranked = rank();
  }
  const verified = new Map<number, Verification>();
  const trackIndex = new Map<number, TrackPeakIndex>();
  const indexOf = (num: number): TrackPeakIndex => {
    let index = trackIndex.get(num);
    if (!index) trackIndex.set(num, (index = indexTrackPeaks(peaksOf!(num), config)));
    return index;
  };
  if (peaksOf) {
    for (const s of ranked.slice(0, rule.verifyCount)) {
      verified.set(s.trackNum, verifyCandidate(peaks, indexOf(s.trackNum), s.offsetFrames, s.hypothesis, config));
      yield 'verify';
    }
  }

  // Two library files of one recording (another encoding or render of the same audio) both align with the clip and
  // would be each other's background, so neither could pass the ratio bars. The verified runners-up whose stored peaks
  // agree with the best track's, at the offset the clip implies, form one group: judged against the best track
  // outside it, and reported together. Within the group (the same audio) the order follows both evidence measures.
  const group: Scored[] = ranked.length > 0 ? [ranked[0]] : [];
  if (peaksOf && ranked.length > 1) {
    const lead = ranked[0];
    const clipEnd = peaks.length > 0 ? peaks[peaks.length - 1].frame : 0;
    for (const s of ranked.slice(1, rule.verifyCount)) {
      if (s.hypothesis.timeFactor !== lead.hypothesis.timeFactor) continue;
      if (lead.alignedCount >= rule.minRatio * s.alignedCount) continue; // no threat to the lead: nothing to decide
      const from = lead.offsetFrames - rule.sameRecordingMarginFrames;
      const to = lead.offsetFrames + clipEnd * lead.hypothesis.timeFactor + rule.sameRecordingMarginFrames;
      const agreement = trackAgreement(indexOf(lead.trackNum), indexOf(s.trackNum), from, to, s.offsetFrames - lead.offsetFrames);
      if (isSameRecording(agreement, rule)) group.push(s);
    }
    const evidence = (s: Scored): number => s.alignedCount * Math.max(1, verified.get(s.trackNum)?.score ?? 1);
    group.sort((a, b) => evidence(b) - evidence(a) || b.alignedCount - a.alignedCount || a.trackNum - b.trackNum);
  }
  const inGroup = new Set(group.map((s) => s.trackNum));
  const rest = ranked.filter((s) => !inGroup.has(s.trackNum));

  const toCandidate = (s: Scored, background: number): ExactCandidate => {
    const verification = verified.get(s.trackNum);
    let confidence = confidenceOf(s.alignedCount, background, rule);
    if (verification && verification.matchedBinCount < rule.minMatchedBins) {
      // The votes line up, but on one sound repeated (a tone on a held note): not distinct evidence of the recording.
      confidence = 0;
    } else if (confidence === 0 && verification) {
      // Dominance over the other verified tracks (those of the same recording are not "others").
      const own = inGroup.has(s.trackNum) ? inGroup : new Set([s.trackNum]);
      let others = 1;
      for (const [num, v] of verified) if (!own.has(num)) others = Math.max(others, v.score);
      const passes = passesPeakTest(s.alignedCount, background, verification.score, others, rule);
      // Accepted on the peak test: confidence from how far the score clears its bars.
      if (passes) confidence = Math.min(1, 0.5 + 0.5 * (1 - Math.exp(-(verification.score - rule.minVerifyScore) / 10)));
    }
    return {
      trackNum: s.trackNum,
      offsetFrames: s.offsetFrames,
      alignedCount: s.alignedCount,
      confidence,
      timeFactor: s.hypothesis.timeFactor,
      pitchFactor: s.hypothesis.pitchFactor,
      ...(verification ? { verification } : {}),
    };
  };
  const background = rest[0]?.alignedCount ?? 0;
  const matches: ExactCandidate[] = [];
  const best = group[0] ? toCandidate(group[0], background) : null;
  if (best && best.confidence > 0) {
    // The group shares the lead's verdict: the same audio, so the same confidence.
    for (const s of group) if (matches.length < maxResults) matches.push({ ...toCandidate(s, background), confidence: best.confidence });
    for (let i = 0; i < rest.length && matches.length < maxResults; i++) {
      // Unverified candidates (beyond verifyCount, or no peaks) are judged against the next track's votes.
      const c = toCandidate(rest[i], rest[i + 1]?.alignedCount ?? 0);
      if (c.confidence <= 0) break;
      matches.push(c);
    }
  }
  return {
    matches,
    best,
    backgroundAligned: background,
    sameRecording: group.slice(1).map((s) => s.trackNum),
    hypothesesTried: tried,
    lookups,
    verified: ranked
      .filter((r) => verified.has(r.trackNum))
      .map((r) => ({
        trackNum: r.trackNum,
        alignedCount: r.alignedCount,
        offsetFrames: r.offsetFrames,
        hypothesis: r.hypothesis,
        verification: verified.get(r.trackNum)!,
      })),
  };
}
