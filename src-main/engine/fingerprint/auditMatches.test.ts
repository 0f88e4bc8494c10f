import { describe, expect, it } from 'vitest';
import type { AudioCheck } from './audioCheck.js';
import { auditMatches, type CheckAudioFn } from './auditMatches.js';
import { DEFAULT_DECISION_RULE } from './decisionRule.js';
import type { ExactCandidate, SearchOutcome } from './searchClip.js';

describe('auditMatches: the audio-check half of the decision rule', () => {
  const rule = DEFAULT_DECISION_RULE;
  const candidate = (trackNum: number, alignedCount: number, confidence: number): ExactCandidate => ({
    trackNum,
    offsetFrames: 100,
    alignedCount,
    confidence,
    timeFactor: 1,
    pitchFactor: 1,
  });
  const outcome = (matches: ExactCandidate[], best: ExactCandidate | null, backgroundAligned = 4): SearchOutcome => ({
    matches,
    best,
    backgroundAligned,
    hypothesesTried: 1,
    lookups: 0,
    sameRecording: [],
    verified: [],
  });
  const judged = (shortfall: number, contrast = 0.5): AudioCheck => ({ judged: 200, shortfall, shiftFrames: 0, contrast });
  /** A check that answers per track and records which tracks it was asked about. */
  const checker = (answers: Record<number, AudioCheck | undefined>) => {
    const asked: number[] = [];
    const fn: CheckAudioFn = async (c) => {
      asked.push(c.trackNum);
      return answers[c.trackNum];
    };
    return { fn, asked };
  };

  it('drops a weak match that falls short of its track, keeps one that does not', async () => {
    const weak = candidate(1, 20, 0.7);
    const remix = checker({ 1: judged(rule.maxShortfall + 0.02) });
    expect((await auditMatches(outcome([weak], weak), remix.fn, rule)).matches).toEqual([]);
    const noisy = checker({ 1: judged(rule.maxShortfall - 0.02) });
    const kept = await auditMatches(outcome([weak], weak), noisy.fn, rule);
    expect(kept.matches).toEqual([weak]);
    expect(kept.dropped).toEqual([]);
  });

  it("hears a match the peak test's weak tier accepted, however many its votes, and drops it when its audio does not follow the track", async () => {
    // More votes than auditBelowAligned, yet fewer than the background's chance votes: it is heard all the same.
    const background = 2 * rule.auditBelowAligned;
    const weak = { ...candidate(1, rule.auditBelowAligned + 5, 0.6), background };
    const flat = checker({ 1: judged(0, rule.weakVotesMinContrast - 0.01) });
    const dropped = await auditMatches(outcome([weak], weak, background), flat.fn, rule);
    expect(flat.asked).toEqual([1]);
    expect(dropped.matches).toEqual([]);
    expect(dropped.dropped).toEqual([1]);
    const follows = checker({ 1: judged(0, rule.weakVotesMinContrast) });
    expect((await auditMatches(outcome([weak], weak, background), follows.fn, rule)).matches).toEqual([weak]);
  });

  it('drops the matches after a dropped lead instead of promoting them', async () => {
    const lead = candidate(1, 50, 0.6);
    const runnerUp = candidate(2, 32, 0.7); // judged against the track below it, not against the lead
    const c = checker({ 1: judged(rule.maxShortfall + 0.02), 2: judged(0) });
    const audit = await auditMatches(outcome([lead, runnerUp], lead, 32), c.fn, rule);
    expect(audit.matches).toEqual([]);
    expect(audit.dropped).toEqual([1, 2]);
    // A later match that is not heard in the clip goes alone.
    const kept = await auditMatches(outcome([runnerUp, lead], runnerUp, 32), checker({ 2: judged(0), 1: judged(rule.maxShortfall + 0.02) }).fn, rule);
    expect(kept.matches).toEqual([runnerUp]);
    expect(kept.dropped).toEqual([1]);
  });

  it('does not ask about matches with overwhelming votes', async () => {
    const strong = candidate(1, rule.auditBelowAligned, 1);
    const c = checker({ 1: judged(0.2) });
    expect((await auditMatches(outcome([strong], strong), c.fn, rule)).matches).toEqual([strong]);
    expect(c.asked).toEqual([]);
  });

  it('leaves the votes verdict alone when no check can be made (no file, too few peaks)', async () => {
    const weak = candidate(1, 20, 0.7);
    expect((await auditMatches(outcome([weak], weak), checker({}).fn, rule)).matches).toEqual([weak]);
    const thin = checker({ 1: { judged: 10, shortfall: 0.2, shiftFrames: 0, contrast: 0 } });
    expect((await auditMatches(outcome([weak], weak), thin.fn, rule)).matches).toEqual([weak]);
    const rejected = candidate(1, 20, 0);
    expect((await auditMatches(outcome([], rejected), checker({}).fn, rule)).matches).toEqual([]);
  });

  it('rescues a best candidate the vote bars turned down when its track is all there', async () => {
    const best = candidate(3, rule.rescueMinAligned, 0);
    const full = await auditMatches(outcome([], best, 4), checker({ 3: judged(0) }).fn, rule);
    expect(full.rescued).toBe(3);
    expect(full.matches).toHaveLength(1);
    expect(full.matches[0].confidence).toBeGreaterThanOrEqual(0.5);
    // Not when the track falls short, nor when the clip does not follow the track (noise that hides nothing), nor
    // without the votes to stand on.
    expect((await auditMatches(outcome([], best, 4), checker({ 3: judged(0, rule.rescueMinContrast - 0.01) }).fn, rule)).matches).toEqual([]);
    expect((await auditMatches(outcome([], best, 4), checker({ 3: judged(rule.rescueMaxShortfall + 0.01) }).fn, rule)).matches).toEqual([]);
    const few = candidate(3, rule.rescueMinAligned - 1, 0);
    const c = checker({ 3: judged(0) });
    expect((await auditMatches(outcome([], few, 1), c.fn, rule)).matches).toEqual([]);
    expect(c.asked).toEqual([]);
    const crowded = Math.ceil(rule.rescueMinAligned / rule.rescueMinRatio) + 1;
    expect((await auditMatches(outcome([], best, crowded), checker({ 3: judged(0) }).fn, rule)).matches).toEqual([]);
  });

  it('passes the peak evidence on: a room clip whose peaks and audio both single the track out is kept and rescued', async () => {
    const peakEvidence = { score: rule.corroborateMinScore + 5, matchedBinCount: 40, othersScore: 1, shiftedScore: rule.minShiftedScore + 2 };
    const roomCheck = judged(rule.corroborateMaxShortfall, rule.corroborateMinContrast + 0.1);
    // A near miss in a cluttered room: short of the rescue's shortfall bar, rescued on corroboration.
    const best = { ...candidate(3, rule.rescueMinAligned + 4, 0), peakEvidence };
    const audit = await auditMatches(outcome([], best, 10), checker({ 3: roomCheck }).fn, rule);
    expect(audit.rescued).toBe(3);
    expect(audit.corroborated).toEqual([3]);
    expect(audit.matches[0].confidence).toBeGreaterThanOrEqual(0.5);
    const unverified = candidate(3, rule.rescueMinAligned + 4, 0);
    expect((await auditMatches(outcome([], unverified, 10), checker({ 3: roomCheck }).fn, rule)).matches).toEqual([]);
    // A heard match falling short by a room's amount is kept with its evidence, dropped without it.
    const weak = { ...candidate(1, 20, 0.7), peakEvidence };
    const kept = await auditMatches(outcome([weak], weak), checker({ 1: roomCheck }).fn, rule);
    expect(kept.matches).toEqual([weak]);
    expect(kept.corroborated).toEqual([1]);
    const bare = candidate(1, 20, 0.7);
    expect((await auditMatches(outcome([bare], bare), checker({ 1: roomCheck }).fn, rule)).dropped).toEqual([1]);
  });

  it('rescues nothing after dropping a match', async () => {
    const weak = candidate(1, 20, 0.7);
    const audit = await auditMatches(outcome([weak], weak), checker({ 1: judged(0.2) }).fn, rule);
    expect(audit.dropped).toEqual([1]);
    expect(audit.rescued).toBeNull();
  });
});
