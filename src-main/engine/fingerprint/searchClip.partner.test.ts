// The clip search shared with a helper (HypothesisShare, jobs/searchHelp.ts): whoever computes which screen or full
// vote, and whenever the helper starts or fails, the outcome is the search's alone. The helper runs here on the test's
// thread, stepped between the search's steps (the worker thread's version is in fingerprintRunners.test.ts).
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SearchHelpWork } from '../jobs/searchHelp.js';
import { peakPostings, scatterPeaks } from '../testing/peakScatter.js';
import { FINGERPRINT_CONFIG as C } from './config.js';
import { DEFAULT_DECISION_RULE, STREAM_DECISION_RULE, type DecisionRule } from './decisionRule.js';
import { HypothesisShare } from './hypothesisShare.js';
import type { TrackVote } from './matcher.js';
import type { Peak } from './peaks.js';
import { screenedHypotheses, screenPeaksOf, screenScore, searchPeaks, searchPeaksSteps, type SearchOutcome, type SearchPartner } from './searchClip.js';

const scatter = scatterPeaks;
const tracks = new Map([1, 2, 3, 4, 5].map((n) => [n, scatter(n, 6000)]));
const { lookup, peaksOf } = peakPostings(tracks, C);

/** Frames 2400-3000 of track 2 played 4 % fast (time and pitch): not settled as recorded, found by the speed grid. */
const fast = tracks
  .get(2)!
  .filter((p) => p.frame >= 2400 && p.frame < 3000)
  .map((p) => ({ ...p, frame: Math.round((p.frame - 2400) / 1.04), pitch: p.pitch + 12 * Math.log2(1.04) }));
/** Music that is not in the library: every hypothesis screened, the best three voted in full. */
const unknown = scatter(99, 600);

type Helper = 'never starts' | 'one step per search step' | 'greedy' | 'slow' | 'fails holding a screen' | 'fails holding a full vote';

/** The search driven as identifyClip drives it, with a helper on this thread stepped by `helper`'s plan. */
function searchWith(clip: readonly Peak[], rule: DecisionRule, helper: Helper): { outcome: SearchOutcome; helped: number; waits: number } {
  const share = new HypothesisShare(screenedHypotheses(rule).length, rule.refineCount);
  const refineVotes = new Map<number, readonly TrackVote[]>();
  const partner: SearchPartner = { share, refineVotes, done: false, seen: 0 };
  const work = new SearchHelpWork(clip, C, rule, lookup, share);
  const answer = (): void => {
    // The helper's job answers: its full votes arrive with it.
    for (const { slot, votes } of work.refines) refineVotes.set(slot, votes);
    (partner as { done: boolean }).done = true;
  };
  let helped = 0;
  let waits = 0;
  /** The 'slow' helper's screen, claimed early and computed only once the search waits for it. */
  let held = -1;
  const helperStep = (): 'worked' | 'idle' | 'done' => {
    if (partner.done) return 'done';
    const step = work.step();
    if (step === 'worked') helped++;
    if (step === 'done') answer();
    return step;
  };
  const steps = searchPeaksSteps(clip, C, lookup, rule, 5, peaksOf, partner);
  for (let n = 0; ; n++) {
    const step = steps.next();
    if (step.done) {
      share.stop();
      return { outcome: step.value, helped, waits };
    }
    if (step.value === 'wait') {
      waits++;
      expect(helper).not.toBe('never starts'); // the search waits only for what a helper has claimed
      if (held >= 0) {
        let lookups = 0;
        const score = screenScore(screenPeaksOf(clip, C, rule), C, screenedHypotheses(rule)[held], rule, (h) => (lookups++, lookup(h)));
        share.addHelperLookups(lookups);
        share.setScore(held, score);
        helped++;
        held = -1;
      }
      // The helper goes on until it has nothing to do now (a worker's Atomics.wait).
      while (helperStep() === 'worked');
      continue;
    }
    if (helper === 'one step per search step') helperStep();
    if (helper === 'greedy') while (helperStep() === 'worked');
    if (helper === 'slow' && n === 1) held = share.claimScreenFromBack();
    if (helper === 'fails holding a screen' && n === 1 && share.claimScreenFromBack() >= 0) answer();
    if (helper === 'fails holding a full vote' && share.refines() !== null && !partner.done) {
      if (share.claimRefine() >= 0) answer();
    }
  }
}

describe('a clip search shared with a helper', () => {
  const helpers: Helper[] = ['never starts', 'one step per search step', 'greedy', 'slow', 'fails holding a screen', 'fails holding a full vote'];
  for (const [name, clip] of [
    ['a clip 4 % fast', fast],
    ['music not in the library', unknown],
  ] as const) {
    it(`${name}: the same outcome whoever computes each hypothesis`, () => {
      const alone = searchPeaks(clip, C, lookup, DEFAULT_DECISION_RULE, 5, peaksOf);
      expect(alone.hypothesesTried).toBe(1 + DEFAULT_DECISION_RULE.refineCount); // as recorded, then the grid's best three
      if (clip === fast) expect(alone.matches[0]).toMatchObject({ trackNum: 2, timeFactor: 1.04 });
      else expect(alone.matches).toEqual([]);
      for (const helper of helpers) {
        const { outcome, helped, waits } = searchWith(clip, DEFAULT_DECISION_RULE, helper);
        expect(outcome, helper).toEqual(alone);
        if (helper === 'greedy') {
          // Once the search opened the grid (with its first screen), it screened the rest, and took the full votes the
          // search had not.
          expect(helped).toBe(screenedHypotheses(DEFAULT_DECISION_RULE).length - 1 + DEFAULT_DECISION_RULE.refineCount - 1);
          expect(waits).toBe(0);
        }
        if (helper === 'one step per search step') expect(helped).toBeGreaterThanOrEqual(screenedHypotheses(DEFAULT_DECISION_RULE).length / 2);
        if (helper === 'slow') expect(waits).toBeGreaterThan(0); // the search waited for the screen it held
        if (helper === 'never starts') expect(helped).toBe(0);
      }
    });
  }

  it("screens on the rare keys alone (the streams' rule) are not shared: the same outcome, the helper let into nothing", () => {
    const rule = { ...STREAM_DECISION_RULE, hypotheses: DEFAULT_DECISION_RULE.hypotheses };
    const alone = searchPeaks(unknown, C, lookup, rule, 5, peaksOf);
    expect(alone.hypothesesTried).toBe(1 + rule.refineCount);
    const { outcome, helped, waits } = searchWith(unknown, rule, 'greedy');
    expect(outcome).toEqual(alone);
    expect([helped, waits]).toEqual([0, 0]);
  });

  it('a clip settled as recorded: the search asks nothing of the helper and stops it', () => {
    const clip = tracks
      .get(3)!
      .filter((p) => p.frame >= 1200 && p.frame < 1800)
      .map((p) => ({ ...p, frame: p.frame - 1200 }));
    const alone = searchPeaks(clip, C, lookup, DEFAULT_DECISION_RULE, 5, peaksOf);
    expect(alone.hypothesesTried).toBe(1);
    const { outcome, waits, helped } = searchWith(clip, DEFAULT_DECISION_RULE, 'greedy');
    expect(outcome).toEqual(alone);
    expect(waits).toBe(0);
    expect(helped).toBe(0); // the grid never opened: the helper had nothing to claim
  });
});

describe('HypothesisShare', () => {
  it('hands each hypothesis to one claimant, then refines once published, until stopped', () => {
    const mine = new HypothesisShare(3, 2);
    const theirs = new HypothesisShare(mine.buffer); // the helper's view of the same memory
    // The search from the front, the helper from the back, until they meet; each hypothesis once.
    expect([mine.claimScreen(), theirs.claimScreenFromBack(), theirs.claimScreenFromBack(), mine.claimScreen(), theirs.claimScreenFromBack()]).toEqual([
      0, 2, 1, -1, -1,
    ]);
    expect(theirs.unscored()).toEqual([0, 1, 2]);
    const v = mine.version;
    theirs.setScore(1, 7);
    expect(mine.version).not.toBe(v);
    expect(mine.score(1)).toBe(7);
    expect(mine.score(0)).toBeUndefined();
    expect(theirs.claimRefine()).toBe(-1); // nothing published yet
    expect(theirs.refines()).toBeNull();
    mine.publishRefines([2, 0]);
    expect(theirs.refines()).toEqual([2, 0]);
    expect([theirs.claimRefine(), mine.claimRefine(), theirs.claimRefine()]).toEqual([0, 1, -1]);
    expect(() => mine.publishRefines([0, 1, 2])).toThrow(RangeError);
    expect(() => mine.setScore(0, -1)).toThrow(RangeError);
    const stopped = new HypothesisShare(4, 1);
    new HypothesisShare(stopped.buffer).stop();
    expect(stopped.stopped).toBe(true);
    expect(stopped.claimScreen()).toBe(-1);
  });

  it('keeps the thread alive while it waits: a process with nothing else to do does not end with the wait unanswered', () => {
    const share = pathToFileURL(fileURLToPath(new URL('./hypothesisShare.ts', import.meta.url))).href;
    const tsx = new URL('../../workers/registerTsx.mjs', import.meta.url).href;
    const script = `import { HypothesisShare } from '${share}'; const s = new HypothesisShare(1, 1); await s.changed(s.version, 50); console.log('woke');`;
    const run = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect([run.status, run.stdout.trim()]).toEqual([0, 'woke']); // 13 and nothing: Node's "unsettled top-level await"
  });

  it('wakes a waiting thread when something changes, and gives up after the timeout otherwise', async () => {
    const share = new HypothesisShare(2, 1);
    const seen = share.version;
    const woken = share.changed(seen, 10_000);
    share.setScore(0, 3);
    await woken; // well before 10 s
    const t = performance.now();
    await share.changed(share.version, 30);
    expect(performance.now() - t).toBeGreaterThanOrEqual(20);
  });
});
