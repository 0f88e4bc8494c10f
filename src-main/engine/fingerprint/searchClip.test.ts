import { describe, expect, it } from 'vitest';
import { FINGERPRINT_CONFIG as C } from './config.js';
import { makeTrackLandmarks } from './landmarks.js';
import type { Peak } from './peaks.js';
import type { AudioCheck } from './audioCheck.js';
import {
  auditMatches,
  DEFAULT_DECISION_RULE,
  distinctBinCount,
  passesPeakTest,
  searchPeaks,
  type CheckAudioFn,
  type ExactCandidate,
  type SearchOutcome,
} from './searchClip.js';

/** A deterministic scatter of peaks: one every 3 frames at pseudo-random pitches. */
function scatter(seed: number, frames: number): Peak[] {
  const out: Peak[] = [];
  for (let f = 0; f < frames; f += 3) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out.push({ frame: f, pitch: 12 + (seed / 2 ** 32) * 50, prominenceDb: 10 });
  }
  return out;
}

/** An in-memory postings lookup and peak source over the given tracks (track number = key). */
function library(tracks: Map<number, Peak[]>): { lookup: (h: number) => Uint32Array; peaksOf: (n: number) => Peak[] } {
  const postings = new Map<number, number[]>();
  for (const [num, peaks] of tracks) {
    const lm = makeTrackLandmarks(peaks, C);
    for (let i = 0; i < lm.length; i += 2) {
      let list = postings.get(lm[i]);
      if (!list) postings.set(lm[i], (list = []));
      list.push(num, lm[i + 1]);
    }
  }
  return { lookup: (h) => Uint32Array.from(postings.get(h) ?? []), peaksOf: (n) => tracks.get(n) ?? [] };
}

const excerpt = (track: Peak[], from: number, to: number): Peak[] =>
  track.filter((p) => p.frame >= from && p.frame < to).map((p) => ({ ...p, frame: p.frame - from }));

describe('searchPeaks: one recording held by two library files', () => {
  const song = scatter(1, 6000);
  const clip = excerpt(song, 2400, 2700);

  it('reports both files of the same recording instead of rejecting the tie', () => {
    // Track 2 is the same audio as track 1, starting 40 frames later (another file of one recording).
    const lib = library(new Map([[1, song], [2, song.map((p) => ({ ...p, frame: p.frame + 40 }))], [3, scatter(3, 6000)]]));
    const withPeaks = searchPeaks(clip, C, lib.lookup, undefined, 5, lib.peaksOf);
    expect(withPeaks.matches.map((m) => m.trackNum).sort()).toEqual([1, 2]);
    expect(withPeaks.sameRecording).toHaveLength(1);
    expect(withPeaks.matches[0].confidence).toBeGreaterThan(0.5);
    expect(withPeaks.matches[0].confidence).toBe(withPeaks.matches[1].confidence);
    const offsets = Object.fromEntries(withPeaks.matches.map((m) => [m.trackNum, m.offsetFrames]));
    expect(offsets[1]).toBeCloseTo(2400, 0);
    expect(offsets[2]).toBeCloseTo(2440, 0);
    // Without the stored peaks nothing can show they are one recording: the tie is rejected as before.
    expect(searchPeaks(clip, C, lib.lookup).matches).toEqual([]);
  });

  it('still rejects a tie between two different tracks that share only the clip\'s passage', () => {
    // Track 2 is another song that contains frames 2300..2800 of track 1 (a shared sting or sample) and nothing else of it.
    const other = scatter(7, 6000);
    const sharing = [...other.filter((p) => p.frame < 2300 || p.frame >= 2800), ...song.filter((p) => p.frame >= 2300 && p.frame < 2800)].sort(
      (a, b) => a.frame - b.frame,
    );
    const lib = library(new Map([[1, song], [2, sharing], [3, scatter(3, 6000)]]));
    const outcome = searchPeaks(clip, C, lib.lookup, undefined, 5, lib.peaksOf);
    expect(outcome.best?.alignedCount).toBeGreaterThan(50);
    expect(outcome.backgroundAligned).toBe(outcome.best?.alignedCount);
    expect(outcome.sameRecording).toEqual([]);
    expect(outcome.matches).toEqual([]);
  });

  it('answers a clip of a track that has no twin with that track alone', () => {
    const lib = library(new Map([[1, song], [3, scatter(3, 6000)]]));
    const outcome = searchPeaks(clip, C, lib.lookup, undefined, 5, lib.peaksOf);
    expect(outcome.matches.map((m) => m.trackNum)).toEqual([1]);
    expect(outcome.sameRecording).toEqual([]);
  });
});

describe('searchPeaks: evidence made of distinct information (issue 15)', () => {
  /** A note held at one pitch: a peak every 4 frames. */
  const held = (pitch: number, from: number, to: number): Peak[] => {
    const out: Peak[] = [];
    for (let f = from; f < to; f += 4) out.push({ frame: f, pitch, prominenceDb: 12 });
    return out;
  };
  const byFrame = (a: Peak, b: Peak): number => a.frame - b.frame;
  // Track 1 holds a note at pitch 30 over frames 1000..1300 amid its other peaks; tracks 2 and 3 are other music.
  const track = [...scatter(11, 3000).filter((p) => p.frame < 1000 || p.frame >= 1300), ...held(30, 1000, 1300)].sort(byFrame);
  const lib = library(new Map([[1, track], [2, scatter(12, 3000)], [3, scatter(13, 3000)]]));

  it('a clip of one stationary tone is not searched, even where the track holds that very note', () => {
    const outcome = searchPeaks(held(30, 0, 250), C, lib.lookup, undefined, 5, lib.peaksOf);
    expect(outcome.matches).toEqual([]);
    expect(outcome.best).toBeNull();
    expect(outcome.lookups).toBe(0);
    expect(distinctBinCount(held(30, 0, 250), C)).toBe(1);
  });

  it('a tone over other sound: its votes line up on the held note, but one bin is not evidence of the recording', () => {
    // The clip's other peaks (another song's) give it plenty of distinct bins; only the tone aligns with track 1.
    const clip = [...held(30, 0, 250), ...scatter(99, 250)].sort(byFrame);
    expect(distinctBinCount(clip, C)).toBeGreaterThan(DEFAULT_DECISION_RULE.minClipBins);
    const outcome = searchPeaks(clip, C, lib.lookup, undefined, 5, lib.peaksOf);
    expect(outcome.best?.trackNum).toBe(1);
    expect(outcome.best?.alignedCount).toBeGreaterThan(3 * DEFAULT_DECISION_RULE.minAligned); // the votes alone would accept it
    expect(outcome.best?.verification?.matchedBinCount).toBeLessThan(DEFAULT_DECISION_RULE.minMatchedBins);
    expect(outcome.matches).toEqual([]);
  });

  it('a real excerpt of the same track, held note included, still matches', () => {
    const outcome = searchPeaks(excerpt(track, 900, 1200), C, lib.lookup, undefined, 5, lib.peaksOf);
    expect(outcome.matches.map((m) => m.trackNum)).toEqual([1]);
    expect(outcome.matches[0].verification?.matchedBinCount).toBeGreaterThan(10);
  });

  it('the rescue (audio check) never accepts a candidate whose evidence is one bin either', async () => {
    const oneBin: ExactCandidate = {
      trackNum: 1, offsetFrames: 1000, alignedCount: 40, confidence: 0, timeFactor: 1, pitchFactor: 1,
      verification: { matchedPeaks: 60, consideredPeaks: 60, decoyMean: 0, decoyMax: 0, score: 60, matchedBinCount: 1 },
    };
    const outcome: SearchOutcome = { matches: [], best: oneBin, backgroundAligned: 0, hypothesesTried: 1, lookups: 1, sameRecording: [], verified: [] };
    const perfect: CheckAudioFn = async (): Promise<AudioCheck> => ({ shortfall: 0, contrast: 0.9, judged: 100, shiftFrames: 0 });
    expect((await auditMatches(outcome, perfect)).rescued).toBeNull();
  });
});

describe('passesPeakTest: the verified branch of the decision rule', () => {
  const rule = DEFAULT_DECISION_RULE;
  it('accepts a short noisy clip whose peaks verify clearly above chance though its votes are only 2x the background', () => {
    // 16 aligned vs 8 (ratio 2.0), score 6.7, others at most 1.9 (dominance 3.5): a 5 s pink-noise clip at 0 dB.
    expect(passesPeakTest(16, 8, 6.7, 1.9, rule)).toBe(true);
    // The bars are inclusive: exactly 2x the background and exactly minVerifyScore (6.5) pass.
    expect(passesPeakTest(16, 8, 6.5, 1, rule)).toBe(true);
  });
  it('rejects when any one bar fails', () => {
    expect(passesPeakTest(16, 8, 6.0, 1, rule)).toBe(false); // score under 6.5 (the closest negative seen scored 6.0)
    expect(passesPeakTest(15, 8, 12, 1, rule)).toBe(false); // votes under 2x the background
    expect(passesPeakTest(5, 1, 12, 1, rule)).toBe(false); // fewer than minAligned votes
    expect(passesPeakTest(16, 8, 12, 8.1, rule)).toBe(false); // another verified track scores more than 12 / 1.5
    expect(passesPeakTest(16, 8, 12, 8, rule)).toBe(true);
  });
  it('treats an empty background and weak rivals as 1', () => {
    expect(passesPeakTest(6, 0, 6.5, 0, rule)).toBe(true);
    expect(passesPeakTest(6, 0, 6.5, 0, { ...rule, minVerifyScore: 7 })).toBe(false);
  });
});

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

  it('rescues nothing after dropping a match', async () => {
    const weak = candidate(1, 20, 0.7);
    const audit = await auditMatches(outcome([weak], weak), checker({ 1: judged(0.2) }).fn, rule);
    expect(audit.dropped).toEqual([1]);
    expect(audit.rescued).toBeNull();
  });
});
