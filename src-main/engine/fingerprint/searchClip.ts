// Stage 6: a clip's peaks -> ranked exact matches. Tries (time, pitch) hypotheses (first "as recorded", then the
// speed / pitch-shift / time-stretch grid), keeps each track's best aligned vote, and applies ONE decision rule,
// calibrated on clips of music that is not in the library, so that such clips return nothing. Pure.
import type { FingerprintConfig } from './config.js';
import { makeQueryKeys, type Hypothesis, type KeyTolerance } from './landmarks.js';
import { voteOffsets, type LookupFn, type TrackVote } from './matcher.js';
import type { Peak } from './peaks.js';

export interface DecisionRule {
  /** Fewest aligned landmarks for any answer. */
  readonly minAligned: number;
  /** The answer must have at least this many times the aligned votes of the background (the best other track). */
  readonly minRatio: number;
  /** Stop trying hypotheses once a track has this many aligned votes and passes the rule. */
  readonly earlyStopAligned: number;
  readonly offsetToleranceFrames: number;
  readonly keyTolerance: KeyTolerance;
  /** Tried in order; the first should be {1, 1}. */
  readonly hypotheses: readonly Hypothesis[];
  /** The other hypotheses are first screened with fewer, narrower keys; the best `refineCount` get the full search. */
  readonly screenFanOut: number;
  readonly screenKeyTolerance: KeyTolerance;
  readonly refineCount: number;
}

function speedGrid(): Hypothesis[] {
  const out: Hypothesis[] = [{ timeFactor: 1, pitchFactor: 1 }];
  const steps = [0.01, -0.01, 0.02, -0.02, 0.03, -0.03, 0.04, -0.04, 0.05, -0.05, 0.06, -0.06];
  for (const d of steps) out.push({ timeFactor: 1 + d, pitchFactor: 1 + d }); // turntable speed
  for (const d of steps) out.push({ timeFactor: 1, pitchFactor: 1 + d }); // pitch shift, tempo kept
  for (const d of steps) if (Math.abs(d) >= 0.03) out.push({ timeFactor: 1 + d, pitchFactor: 1 }); // time stretch
  return out;
}

export const DEFAULT_DECISION_RULE: DecisionRule = Object.freeze({
  minAligned: 8,
  minRatio: 2,
  earlyStopAligned: 20,
  offsetToleranceFrames: 1,
  keyTolerance: Object.freeze({ pitchSemitones: 0.15, deltaSemitones: 0.15, frames: 1 }),
  hypotheses: Object.freeze(speedGrid()),
  screenFanOut: 3,
  screenKeyTolerance: Object.freeze({ pitchSemitones: 0.1, deltaSemitones: 0.1, frames: 0 }),
  refineCount: 3,
});

export interface ExactCandidate {
  readonly trackNum: number;
  readonly offsetFrames: number;
  readonly alignedCount: number;
  readonly confidence: number;
  readonly timeFactor: number;
  readonly pitchFactor: number;
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
}

interface Scored extends TrackVote {
  readonly hypothesis: Hypothesis;
}

/** confidence in 0..1 from how far the aligned count clears the rule's two bars. */
function confidenceOf(aligned: number, background: number, rule: DecisionRule): number {
  const bar = Math.max(rule.minAligned, rule.minRatio * background);
  const margin = aligned - bar;
  if (margin < 0) return 0;
  return Math.min(1, 0.5 + 0.5 * (1 - Math.exp(-margin / Math.max(4, bar / 2))));
}

export function searchPeaks(
  peaks: readonly Peak[],
  config: FingerprintConfig,
  lookup: LookupFn,
  rule: DecisionRule = DEFAULT_DECISION_RULE,
  maxResults = 5,
): SearchOutcome {
  const bestByTrack = new Map<number, Scored>();
  let tried = 0;
  let lookups = 0;
  /** Full searches run (screening passes are not counted). */
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
    merge(voteOffsets(makeQueryKeys(peaks, config, hypothesis, rule.keyTolerance), countingLookup, rule.offsetToleranceFrames), hypothesis);
  };

  // 1. As recorded. Most clips end here.
  const [asRecorded, ...others] = rule.hypotheses;
  if (asRecorded) fullVote(asRecorded);
  let ranked = rank();
  const strong = (r: Scored[]): boolean =>
    r[0] !== undefined && r[0].alignedCount >= rule.earlyStopAligned && r[0].alignedCount >= rule.minRatio * (r[1]?.alignedCount ?? 0);
  if (!strong(ranked) && others.length > 0) {
    // 2. Screen every other hypothesis cheaply; 3. search the most promising ones in full.
    const screened = others.map((hypothesis) => {
      const votes = voteOffsets(
        makeQueryKeys(peaks, config, hypothesis, rule.screenKeyTolerance, rule.screenFanOut),
        countingLookup,
        rule.offsetToleranceFrames,
      );
      return { hypothesis, score: votes[0]?.alignedCount ?? 0 };
    });
    screened.sort((a, b) => b.score - a.score);
    for (const { hypothesis } of screened.slice(0, rule.refineCount)) fullVote(hypothesis);
    ranked = rank();
  }
  const toCandidate = (s: Scored, background: number): ExactCandidate => ({
    trackNum: s.trackNum,
    offsetFrames: s.offsetFrames,
    alignedCount: s.alignedCount,
    confidence: confidenceOf(s.alignedCount, background, rule),
    timeFactor: s.hypothesis.timeFactor,
    pitchFactor: s.hypothesis.pitchFactor,
  });
  const background = ranked[1]?.alignedCount ?? 0;
  const matches: ExactCandidate[] = [];
  if (ranked[0]) {
    // Later answers (a clip spanning two songs) are measured against the first track that fails the bar below them.
    for (let i = 0; i < ranked.length && matches.length < maxResults; i++) {
      const bg = ranked[i + 1]?.alignedCount ?? 0;
      const refBg = i === 0 ? background : Math.max(bg, 0);
      const c = toCandidate(ranked[i], refBg);
      if (c.confidence <= 0) break;
      matches.push(c);
    }
  }
  return {
    matches,
    best: ranked[0] ? toCandidate(ranked[0], background) : null,
    backgroundAligned: background,
    hypothesesTried: tried,
    lookups,
  };
}
