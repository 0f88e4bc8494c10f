// Stage 6: a clip's peaks -> ranked exact matches. Tries (time, pitch) hypotheses (first "as recorded", then the
// speed / pitch-shift / time-stretch grid), keeps each track's best aligned vote, and applies the decision rule
// (decisionRule.ts), calibrated on clips of music that is not in the library, so that such clips return nothing. Pure.
import type { FingerprintConfig } from './config.js';
import {
  decide,
  DEFAULT_DECISION_RULE,
  isSameRecording,
  outvotes,
  screenKeyBar,
  settlesSearch,
  widerVoteStands,
  type DecisionRule,
  type PeakEvidence,
} from './decisionRule.js';
import { makeQueryKeys, pitchToBin, type Hypothesis } from './landmarks.js';
import { voteOffsets, type LookupFn, type TrackVote } from './matcher.js';
import type { Peak } from './peaks.js';
import type { HypothesisShare } from './hypothesisShare.js';
import { indexTrackPeaks, trackAgreement, verifyCandidate, type TrackPeakIndex, type Verification } from './verifyMatch.js';

export interface ExactCandidate {
  readonly trackNum: number;
  readonly offsetFrames: number;
  readonly alignedCount: number;
  readonly confidence: number;
  readonly timeFactor: number;
  readonly pitchFactor: number;
  /** The aligned votes it was judged against (the best track outside its recording; for later matches, the next one's). */
  readonly background?: number;
  readonly verification?: Verification;
  /** The peak test's evidence (with the dominance over the other verified tracks), when the candidate was verified. */
  readonly peakEvidence?: PeakEvidence;
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

/** Distinct FFT bins (rounded) the peaks occupy. */
export function distinctBinCount(peaks: readonly Peak[], config: FingerprintConfig): number {
  const bins = new Set<number>();
  for (const p of peaks) bins.add(Math.round(pitchToBin(p.pitch, config)));
  return bins.size;
}

const NO_POSTINGS = new Uint32Array(0);

/** `lookup` with every posting list longer than `maxPairs` pairs read as empty (the screens' rare keys). */
export function rareKeysOnly(lookup: LookupFn, maxPairs: number): LookupFn {
  return (hash) => {
    const postings = lookup(hash);
    return postings.length >>> 1 > maxPairs ? NO_POSTINGS : postings;
  };
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

/**
 * What a search step has just done (a vote under one hypothesis, a screening pass, a verification), or 'wait': the
 * search needs a result its partner is computing (the driver waits for partner.share's version to move from
 * partner.seen, or for the partner to be done, then resumes it).
 */
export type SearchStep = 'vote' | 'screen' | 'verify' | 'wait';

/**
 * A helper thread searching the same clip (jobs/searchHelp.ts), as the search's driver sees it: the hypotheses they
 * share, and what the helper's job answered.
 */
export interface SearchPartner {
  readonly share: HypothesisShare;
  /** The helper's full votes, by refine slot, once its job has answered. */
  readonly refineVotes: ReadonlyMap<number, readonly TrackVote[]>;
  /** The helper's job has answered or failed: nothing more will come from it. */
  readonly done: boolean;
  /** Set by the search before it yields 'wait': the share's version it last read. */
  seen: number;
}

/** The hypotheses other than "as recorded", in the order the search screens them (HypothesisShare's indices). */
export function screenedHypotheses(rule: DecisionRule): readonly Hypothesis[] {
  return rule.hypotheses.slice(1);
}

/** The peaks a screen votes with: the clip's first rule.screenMaxSeconds. */
export function screenPeaksOf(peaks: readonly Peak[], config: FingerprintConfig, rule: DecisionRule): Peak[] {
  const screenEnd = (rule.screenMaxSeconds * config.sampleRateHz) / config.hopSizeSamples;
  return peaks.filter((p) => p.frame < screenEnd);
}

/** A screen's score: the best track's aligned votes under `hypothesis`, with the screens' fewer, narrower keys. */
export function screenScore(screenPeaks: readonly Peak[], config: FingerprintConfig, hypothesis: Hypothesis, rule: DecisionRule, lookup: LookupFn): number {
  const votes = voteOffsets(makeQueryKeys(screenPeaks, config, hypothesis, rule.screenKeyTolerance, rule.screenFanOut), lookup, rule.offsetToleranceFrames);
  return votes[0]?.alignedCount ?? 0;
}

/** Every track's vote under `hypothesis` with the full keys (as recorded: rule.keyTolerance; otherwise the shifted one). */
export function hypothesisVotes(peaks: readonly Peak[], config: FingerprintConfig, hypothesis: Hypothesis, rule: DecisionRule, lookup: LookupFn): TrackVote[] {
  const identity = hypothesis.timeFactor === 1 && hypothesis.pitchFactor === 1;
  const tolerance = identity ? rule.keyTolerance : rule.shiftedKeyTolerance;
  return voteOffsets(makeQueryKeys(peaks, config, hypothesis, tolerance), lookup, rule.offsetToleranceFrames);
}

/**
 * Waits (yielding 'wait') until `missing()` names nothing, the partner's results having come in; a partner done
 * (answered or failed) with some still missing, what it had claimed is computed here.
 */
function* awaitPartner(partner: SearchPartner, missing: () => number[], compute: (index: number) => void, step: SearchStep): Generator<SearchStep, void, void> {
  for (;;) {
    const seen = partner.share.version;
    const left = missing();
    if (left.length === 0) return;
    if (partner.done) {
      for (const index of left) {
        compute(index);
        yield step;
      }
      return;
    }
    partner.seen = seen;
    yield 'wait';
  }
}

/** The screened hypotheses to search in full: the rule.refineCount best scores, ties in screening order. */
export function refineChoice(scores: readonly number[], rule: DecisionRule): number[] {
  return scores
    .map((score, index) => ({ score, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, rule.refineCount)
    .map((s) => s.index);
}

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
  sharedWith?: SearchPartner,
): Generator<SearchStep, SearchOutcome, void> {
  if (decide({ kind: 'clip', distinctBins: distinctBinCount(peaks, config) }, rule).verdict === 'refuse') {
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
  const fullVote = (hypothesis: Hypothesis, via: LookupFn = countingLookup): void => {
    tried++;
    merge(hypothesisVotes(peaks, config, hypothesis, rule, via), hypothesis);
  };
  const isSettled = (r: readonly Scored[]): boolean => r[0] !== undefined && settlesSearch(r[0].alignedCount, r[1]?.alignedCount ?? 0, rule);

  // 1. As recorded. Most clips end here.
  const [asRecorded, ...others] = rule.hypotheses;
  // The first vote's postings, for the second (its keys are a subset of the second's), and their lengths (pairs), for
  // the screens' rare-key bar.
  const firstPostings = new Map<number, Uint32Array>();
  const firstLengths: number[] = [];
  const measureLengths = rule.screenKeyQuantile > 0;
  const remembering: LookupFn = (h) => {
    const p = countingLookup(h);
    if (rule.jitterKeyTolerance) firstPostings.set(h, p);
    if (measureLengths && p.length > 0) firstLengths.push(p.length >>> 1);
    return p;
  };
  if (asRecorded) {
    fullVote(asRecorded, rule.jitterKeyTolerance || measureLengths ? remembering : countingLookup);
    yield 'vote';
  }
  let ranked = rank();
  const settled = isSettled(ranked);
  if (!settled && asRecorded && rule.jitterKeyTolerance) {
    // 1b. As recorded again, each landmark's frame difference also looked up one frame either side. In a room a peak's
    // maximum moves by a frame (16 ms) now and then: reverberation smears a note's onset and sustain into one ridge
    // whose top wanders, so a pair's difference is off by one and its exact hash misses; the wider keys find it. They
    // also find three times the chance coincidences, and the pairs of a stem another recording shares with the track
    // (a remix) as readily as the track's own, so their votes replace the first vote's only when the leader clears the
    // plain vote bars with them (minAligned, minRatio) and stands further above the runner-up than before: a leader
    // they would bring only to the weaker paths (the peak test's lower ratio, the rescue, corroboration, calibrated on
    // exact differences) is judged on the first vote. Nor do they settle the search: a clip a few per cent faster or
    // slower than the track also gains votes from them, and its speed is found by the grid below.
    const jittered = voteOffsets(
      makeQueryKeys(peaks, config, asRecorded, rule.jitterKeyTolerance),
      (h) => firstPostings.get(h) ?? countingLookup(h),
      rule.offsetToleranceFrames,
    );
    tried++;
    firstPostings.clear();
    yield 'vote';
    const leadAndRunnerUp = (votes: readonly TrackVote[]): [number, number] => [votes[0]?.alignedCount ?? 0, votes[1]?.alignedCount ?? 0];
    if (widerVoteStands(leadAndRunnerUp(ranked), leadAndRunnerUp(jittered), rule)) {
      bestByTrack.clear();
      merge(jittered, asRecorded);
      ranked = rank();
    }
  }
  if (!settled && others.length > 0) {
    // 2. Screen every other hypothesis cheaply; 3. search the most promising ones in full. With a partner, the two
    // threads share the hypotheses (HypothesisShare); the results are taken in hypothesis order whoever computed them.
    const screenPeaks = screenPeaksOf(peaks, config, rule);
    const bar = screenKeyBar(firstLengths, rule);
    const screenLookup: LookupFn = bar === Number.POSITIVE_INFINITY ? countingLookup : rareKeysOnly(countingLookup, bar);
    const screenAt = (i: number): number => screenScore(screenPeaks, config, others[i], rule, screenLookup);
    const scores: number[] = [];
    // Screens on the rare keys alone (a bar from this clip's first vote, which the helper does not have) are not
    // shared: the helper, never let into the grid, claims nothing and is stopped at the end.
    const partner = bar === Number.POSITIVE_INFINITY ? sharedWith : undefined;
    if (partner) {
      const { share } = partner;
      share.openGrid();
      for (let i = share.claimScreen(); i >= 0; i = share.claimScreen()) {
        share.setScore(i, screenAt(i));
        yield 'screen';
      }
      yield* awaitPartner(
        partner,
        () => share.unscored(),
        (i) => share.setScore(i, screenAt(i)),
        'screen',
      );
      for (let i = 0; i < others.length; i++) scores.push(share.score(i)!);
    } else {
      for (let i = 0; i < others.length; i++) {
        scores.push(screenAt(i));
        yield 'screen';
      }
    }
    const chosen = refineChoice(scores, rule);
    const refined: (readonly TrackVote[] | undefined)[] = chosen.map(() => undefined);
    const refineAt = (slot: number): readonly TrackVote[] => hypothesisVotes(peaks, config, others[chosen[slot]], rule, countingLookup);
    if (partner) {
      const { share } = partner;
      share.publishRefines(chosen);
      for (let slot = share.claimRefine(); slot >= 0; slot = share.claimRefine()) {
        refined[slot] = refineAt(slot);
        yield 'vote';
      }
      const missingVotes = (): number[] => {
        for (const [slot, votes] of partner.refineVotes) refined[slot] ??= votes;
        return chosen.map((_, slot) => slot).filter((slot) => refined[slot] === undefined);
      };
      yield* awaitPartner(partner, missingVotes, (slot) => (refined[slot] = refineAt(slot)), 'vote');
      // The helper's lookups for the screens and votes it handed over (counted before it handed each over).
      lookups += share.helperLookups;
    } else {
      for (let slot = 0; slot < chosen.length; slot++) {
        refined[slot] = refineAt(slot);
        yield 'vote';
      }
    }
    refined.forEach((votes, slot) => merge(votes!, others[chosen[slot]]));
    tried += chosen.length;
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
      verified.set(s.trackNum, verifyCandidate(peaks, indexOf(s.trackNum), s.offsetFrames, s.hypothesis, config, rule.verification));
      yield 'verify';
    }
  }

  if (peaksOf && rule.peakLead && ranked.length > 1 && !outvotes(ranked[0].alignedCount, ranked[1].alignedCount, rule)) {
    // No track outvotes the rest: the votes have not told the recording from chance (in a room, chance votes rival the
    // recording's own, and the speed grid's hypotheses add chance maxima). The verified candidate whose peaks stand
    // furthest above its own decoys leads instead; the rule still asks it for its share of the votes.
    let lead = ranked[0];
    let leadScore = verified.get(lead.trackNum)?.score ?? Number.NEGATIVE_INFINITY;
    for (const s of ranked.slice(1, rule.verifyCount)) {
      const score = verified.get(s.trackNum)?.score ?? Number.NEGATIVE_INFINITY;
      if (score > leadScore) {
        lead = s;
        leadScore = score;
      }
    }
    if (lead !== ranked[0]) ranked = [lead, ...ranked.filter((s) => s !== lead)];
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
      if (outvotes(lead.alignedCount, s.alignedCount, rule)) continue; // no threat to the lead: nothing to decide
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
    let peaks: PeakEvidence | undefined;
    if (verification) {
      // Dominance over the other verified tracks (those of the same recording are not "others").
      const own = inGroup.has(s.trackNum) ? inGroup : new Set([s.trackNum]);
      let othersScore = 1;
      for (const [num, v] of verified) if (!own.has(num)) othersScore = Math.max(othersScore, v.score);
      peaks = { score: verification.score, matchedBinCount: verification.matchedBinCount, shiftedScore: verification.shiftedScore, othersScore };
    }
    const { confidence } = decide({ kind: 'votes', aligned: s.alignedCount, background, ...(peaks ? { peaks } : {}) }, rule);
    return {
      trackNum: s.trackNum,
      offsetFrames: s.offsetFrames,
      alignedCount: s.alignedCount,
      confidence,
      timeFactor: s.hypothesis.timeFactor,
      pitchFactor: s.hypothesis.pitchFactor,
      background,
      ...(verification ? { verification } : {}),
      ...(peaks ? { peakEvidence: peaks } : {}),
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
