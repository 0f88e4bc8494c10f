import { describe, expect, it } from 'vitest';
import { FINGERPRINT_CONFIG as C } from './config.js';
import { makeTrackLandmarks } from './landmarks.js';
import type { Peak } from './peaks.js';
import { DEFAULT_DECISION_RULE, passesPeakTest, searchPeaks } from './searchClip.js';

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
