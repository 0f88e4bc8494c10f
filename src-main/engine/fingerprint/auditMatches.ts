// The audio-check half of the clip search: the matches searchClip.ts accepted, and its best near miss, are heard
// against their tracks' own audio (audioCheck.ts, through the caller's CheckAudioFn) where the decision rule
// (decisionRule.ts) wants it. Pure apart from awaiting the caller's checks.
import type { AudioCheck } from './audioCheck.js';
import { decide, DEFAULT_DECISION_RULE, isJudged, type DecisionRule, type Evidence } from './decisionRule.js';
import type { ExactCandidate, SearchOutcome } from './searchClip.js';

/** A candidate's audio check (undefined: it could not be made, e.g. the track's file is gone). */
export type CheckAudioFn = (candidate: ExactCandidate) => Promise<AudioCheck | undefined>;

export interface AuditOutcome {
  /** The accepted matches after the audio check, best first. */
  readonly matches: readonly ExactCandidate[];
  /** The checks made, by track. */
  readonly checks: ReadonlyMap<number, AudioCheck>;
  readonly dropped: readonly number[];
  readonly rescued: number | null;
  /** Tracks accepted only on corroboration (peak test and audio check agreeing; the rule's 'corroborated'). */
  readonly corroborated: readonly number[];
}

/**
 * A match with few aligned votes is heard against its track: one that falls short of the track's audio (music built
 * on the track's loop, another arrangement) is dropped, and with the first (the lead) go the matches after it. With
 * nothing left, a best candidate the vote bars turned down is accepted when the track's audio is all there. A check
 * that cannot be made (no verdict, no file) leaves the vote rule's verdict as it was, and rescues nothing.
 */
export async function auditMatches(outcome: SearchOutcome, check: CheckAudioFn, rule: DecisionRule = DEFAULT_DECISION_RULE): Promise<AuditOutcome> {
  const checks = new Map<number, AudioCheck>();
  const run = async (c: ExactCandidate): Promise<AudioCheck | undefined> => {
    if (checks.has(c.trackNum)) return checks.get(c.trackNum);
    const result = await check(c);
    if (result && isJudged(result, rule.audioCheck)) {
      checks.set(c.trackNum, result);
      return result;
    }
    return undefined;
  };
  /** The decision on `evidence` once heard, when the rule wants the check; undefined when it does not. */
  const hear = async (c: ExactCandidate, evidence: Evidence & { kind: 'heard-match' | 'heard-near-miss' }) => {
    if (!decide(evidence, rule).wantsCheck) return undefined;
    const result = await run(c);
    return decide({ ...evidence, ...(result ? { check: result } : {}) }, rule);
  };
  const matches: ExactCandidate[] = [];
  const dropped: number[] = [];
  const corroborated: number[] = [];
  for (const m of outcome.matches) {
    const heard = await hear(m, {
      kind: 'heard-match',
      aligned: m.alignedCount,
      background: m.background,
      confidence: m.confidence,
      ...(m.peakEvidence ? { peaks: m.peakEvidence } : {}),
    });
    if (heard?.verdict === 'refuse') {
      dropped.push(m.trackNum);
      if (matches.length === 0) {
        // The lead (the clip's best evidence) is not heard in the clip: the matches after it were judged against the
        // tracks below them, not against it, and are not promoted to the answer (a white-noise clip whose track was
        // dropped named the runner-up it had outvoted 50 to 32).
        for (const rest of outcome.matches.slice(outcome.matches.indexOf(m) + 1)) dropped.push(rest.trackNum);
        break;
      }
      continue;
    }
    if (heard?.reason === 'corroborated') corroborated.push(m.trackNum);
    matches.push(m);
  }
  let rescued: number | null = null;
  const best = outcome.best;
  if (matches.length === 0 && dropped.length === 0 && best && best.confidence === 0) {
    const heard = await hear(best, {
      kind: 'heard-near-miss',
      aligned: best.alignedCount,
      background: outcome.backgroundAligned,
      ...(best.verification ? { matchedBinCount: best.verification.matchedBinCount, shiftedScore: best.verification.shiftedScore } : {}),
      ...(best.peakEvidence ? { peaks: best.peakEvidence } : {}),
    });
    if (heard?.verdict === 'accept') {
      rescued = best.trackNum;
      if (heard.reason === 'corroborated') corroborated.push(best.trackNum);
      matches.push({ ...best, confidence: heard.confidence });
    }
  }
  return { matches, checks, dropped, rescued, corroborated };
}
