import { describe, expect, it } from 'vitest';
import { FINGERPRINT_CONFIG as C } from './config.js';
import { makeQueryKeys } from './landmarks.js';
import { voteOffsets } from './matcher.js';
import type { Peak } from './peaks.js';
import type { AudioCheck } from './audioCheck.js';
import { auditMatches, type CheckAudioFn } from './auditMatches.js';
import { DEFAULT_DECISION_RULE, screenKeyBar, settlesSearch, STREAM_DECISION_RULE } from './decisionRule.js';
import { peakPostings, scatterPeaks } from '../testing/peakScatter.js';
import { distinctBinCount, rareKeysOnly, searchPeaks, type ExactCandidate, type SearchOutcome } from './searchClip.js';

const scatter = scatterPeaks;

/** An in-memory postings lookup and peak source over the given tracks (track number = key). */
const library = (tracks: Map<number, Peak[]>) => peakPostings(tracks, C);

const excerpt = (track: Peak[], from: number, to: number): Peak[] =>
  track.filter((p) => p.frame >= from && p.frame < to).map((p) => ({ ...p, frame: p.frame - from }));

describe('searchPeaks: one recording held by two library files', () => {
  const song = scatter(1, 6000);
  const clip = excerpt(song, 2400, 2700);

  it('reports both files of the same recording instead of rejecting the tie', () => {
    // Track 2 is the same audio as track 1, starting 40 frames later (another file of one recording).
    const lib = library(
      new Map([
        [1, song],
        [2, song.map((p) => ({ ...p, frame: p.frame + 40 }))],
        [3, scatter(3, 6000)],
      ]),
    );
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

  it("still rejects a tie between two different tracks that share only the clip's passage", () => {
    // Track 2 is another song that contains frames 2300..2800 of track 1 (a shared sting or sample) and nothing else of it.
    const other = scatter(7, 6000);
    const sharing = [...other.filter((p) => p.frame < 2300 || p.frame >= 2800), ...song.filter((p) => p.frame >= 2300 && p.frame < 2800)].sort(
      (a, b) => a.frame - b.frame,
    );
    const lib = library(
      new Map([
        [1, song],
        [2, sharing],
        [3, scatter(3, 6000)],
      ]),
    );
    const outcome = searchPeaks(clip, C, lib.lookup, undefined, 5, lib.peaksOf);
    expect(outcome.best?.alignedCount).toBeGreaterThan(50);
    expect(outcome.backgroundAligned).toBe(outcome.best?.alignedCount);
    expect(outcome.sameRecording).toEqual([]);
    expect(outcome.matches).toEqual([]);
  });

  it('answers a clip of a track that has no twin with that track alone', () => {
    const lib = library(
      new Map([
        [1, song],
        [3, scatter(3, 6000)],
      ]),
    );
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
  const lib = library(
    new Map([
      [1, track],
      [2, scatter(12, 3000)],
      [3, scatter(13, 3000)],
    ]),
  );

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
      trackNum: 1,
      offsetFrames: 1000,
      alignedCount: 40,
      confidence: 0,
      timeFactor: 1,
      pitchFactor: 1,
      verification: { matchedPeaks: 60, consideredPeaks: 60, decoyMean: 0, decoyMax: 0, score: 60, matchedBinCount: 1, shiftedDecoyMean: 0, shiftedScore: 60 },
    };
    const outcome: SearchOutcome = { matches: [], best: oneBin, backgroundAligned: 0, hypothesesTried: 1, lookups: 1, sameRecording: [], verified: [] };
    const perfect: CheckAudioFn = async (): Promise<AudioCheck> => ({ shortfall: 0, contrast: 0.9, judged: 100, shiftFrames: 0 });
    expect((await auditMatches(outcome, perfect)).rescued).toBeNull();
  });
});

describe('searchPeaks: as recorded again, frame differences one frame either side (a room moves peaks by a frame)', () => {
  const lib = library(
    new Map([
      [1, scatter(1, 6000)],
      [3, scatter(3, 6000)],
      [4, scatter(17, 6000)],
    ]),
  );
  const strict = { ...DEFAULT_DECISION_RULE, jitterKeyTolerance: null };
  // Off in the default rule (a shared stem passes it as readily as the recording; docs/decision-rule.md, session 12).
  const wider = { ...DEFAULT_DECISION_RULE, jitterKeyTolerance: { ...DEFAULT_DECISION_RULE.keyTolerance, frames: 1 } };

  it('is off in the default rule: a clip is voted as recorded once', () => {
    const clip = moved(60);
    expect(DEFAULT_DECISION_RULE.jitterKeyTolerance).toBeNull();
    expect(searchPeaks(clip, C, lib.lookup)).toEqual(searchPeaks(clip, C, lib.lookup, strict));
  });

  /** Track 1 from frame 2400, each peak moved by a pseudo-random -1, 0 or +1 frame (a reverberant room's wandering maxima). */
  const moved = (frames: number): Peak[] => {
    let seed = 7;
    return excerpt(scatter(1, 6000), 2400, 2400 + frames)
      .map((p) => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return { ...p, frame: Math.max(0, p.frame + (seed % 3) - 1) };
      })
      .sort((a, b) => a.frame - b.frame);
  };

  it('finds the pairs whose difference moved, and names the track at its offset', () => {
    const clip = moved(60);
    const exactOnly = searchPeaks(clip, C, lib.lookup, strict);
    const outcome = searchPeaks(clip, C, lib.lookup, wider);
    expect(outcome.matches[0]?.trackNum).toBe(1);
    expect(outcome.matches[0].offsetFrames).toBeCloseTo(2400, -0.5);
    expect(outcome.best!.alignedCount).toBeGreaterThanOrEqual(2 * exactOnly.best!.alignedCount);
    expect(outcome.hypothesesTried).toBe(exactOnly.hypothesesTried + 1);
  });

  it('keeps the first vote when the wider keys raise the background more than the leader (a dry clip)', () => {
    // Track 5 holds the same notes a frame off here and there (another rendition): the wider keys find its pairs too,
    // while the dry clip of track 1 has nothing more to give them.
    const withRendition = library(
      new Map([
        [1, scatter(1, 6000)],
        [3, scatter(3, 6000)],
        [5, moved(45).map((p) => ({ ...p, frame: p.frame + 1000 }))],
      ]),
    );
    const clip = excerpt(scatter(1, 6000), 2400, 2445);
    const exactOnly = searchPeaks(clip, C, withRendition.lookup, strict);
    const outcome = searchPeaks(clip, C, withRendition.lookup, wider);
    expect(exactOnly.best!.alignedCount).toBeLessThan(DEFAULT_DECISION_RULE.earlyStopAligned); // so the second vote is tried
    expect(outcome.hypothesesTried).toBe(exactOnly.hypothesesTried + 1);
    expect(outcome.best).toEqual(exactOnly.best);
    expect(outcome.backgroundAligned).toBe(exactOnly.backgroundAligned);
    expect(outcome.matches).toEqual(exactOnly.matches);
  });

  it('does not settle the search: a clip 4 % faster than the track gains votes from it too, and keeps its speed', () => {
    // Key-locked tempo x1.04: every frame difference 4 % shorter. The wider keys catch the short pairs, enough votes to
    // have stopped the search before; the grid's time-stretch hypothesis holds them all.
    const clip = excerpt(scatter(1, 6000), 2400, 3000).map((p) => ({ ...p, frame: Math.round(p.frame / 1.04) }));
    const wide = voteOffsets(makeQueryKeys(clip, C, { timeFactor: 1, pitchFactor: 1 }, wider.jitterKeyTolerance), lib.lookup, 1);
    expect(settlesSearch(wide[0].alignedCount, wide[1]?.alignedCount ?? 0, wider)).toBe(true);
    const outcome = searchPeaks(clip, C, lib.lookup, wider);
    expect(outcome.hypothesesTried).toBeGreaterThan(2);
    expect(outcome.matches[0]?.trackNum).toBe(1);
    expect(outcome.matches[0].timeFactor).toBeCloseTo(1.04, 2);
    expect(outcome.matches[0].offsetFrames).toBeCloseTo(2400, -0.5);
  });

  it('is not tried when the first vote settles the search', () => {
    const clip = excerpt(scatter(1, 6000), 2400, 2700);
    const outcome = searchPeaks(clip, C, lib.lookup, wider);
    expect(outcome.best!.alignedCount).toBeGreaterThanOrEqual(DEFAULT_DECISION_RULE.earlyStopAligned);
    expect(outcome.hypothesesTried).toBe(1);
  });
});

describe('searchPeaks: screens read the rare keys (the stream rule)', () => {
  it('bars posting lists above the quantile of the as-recorded lists, never below the floor; 0 reads every key', () => {
    const rule = { screenKeyQuantile: 0.75, screenKeyFloor: 16 };
    // 1..40 pairs: the 0.75 quantile is the 31st smallest (index 30), 31 pairs.
    expect(
      screenKeyBar(
        Array.from({ length: 40 }, (_, i) => 40 - i),
        rule,
      ),
    ).toBe(31);
    // Short lists everywhere: the floor.
    expect(screenKeyBar([1, 2, 3, 4, 5, 6, 7, 8], rule)).toBe(16);
    expect(screenKeyBar([100, 400, 200, 300], rule)).toBe(400);
    expect(screenKeyBar([], rule)).toBe(Number.POSITIVE_INFINITY);
    expect(screenKeyBar([5, 500], { ...rule, screenKeyQuantile: 0 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('reads a list of at most the bar as stored, and a longer one as empty', () => {
    const lists = new Map([
      [1, Uint32Array.from({ length: 2 * 16 }, (_, i) => i)],
      [2, Uint32Array.from({ length: 2 * 17 }, (_, i) => i)],
    ]);
    const read: number[] = [];
    const rare = rareKeysOnly((h) => {
      read.push(h);
      return lists.get(h) ?? new Uint32Array(0);
    }, 16);
    expect(rare(1)).toBe(lists.get(1));
    expect(rare(2)).toHaveLength(0);
    expect(rare(3)).toHaveLength(0);
    expect(read).toEqual([1, 2, 3]); // every key is still looked up (and counted)
  });

  it('still finds a clip 4 % fast and 3 % pitched down, and the same answer as screens over every key', () => {
    // A library where some keys are common: track 9 repeats one short phrase, so its pairs fill long posting lists.
    const phrase = scatter(5, 90);
    const loop: Peak[] = [];
    for (let start = 0; start < 6000; start += 90) for (const p of phrase) loop.push({ ...p, frame: p.frame + start });
    const lib = library(
      new Map([
        [1, scatter(1, 6000)],
        [3, scatter(3, 6000)],
        [9, loop],
      ]),
    );
    const every = { ...STREAM_DECISION_RULE, screenKeyQuantile: 0 };
    const fast = excerpt(scatter(1, 6000), 2400, 3000).map((p) => ({ ...p, frame: Math.round(p.frame / 1.04), pitch: p.pitch + 12 * Math.log2(1.04) }));
    const pitched = excerpt(scatter(1, 6000), 2400, 3000).map((p) => ({ ...p, pitch: p.pitch + 12 * Math.log2(0.97) }));
    for (const clip of [fast, pitched]) {
      const rare = searchPeaks(clip, C, lib.lookup, STREAM_DECISION_RULE);
      expect(rare.matches[0]?.trackNum).toBe(1);
      expect(rare.matches[0].offsetFrames).toBeCloseTo(2400, -0.5);
      const all = searchPeaks(clip, C, lib.lookup, every);
      expect([rare.matches[0].timeFactor, rare.matches[0].pitchFactor]).toEqual([all.matches[0].timeFactor, all.matches[0].pitchFactor]);
    }
  });
});

describe('searchPeaks: when no track outvotes the rest, the verified candidate whose peaks stand out leads (a room)', () => {
  const song = scatter(1, 6000);
  const lib = library(
    new Map([
      [1, song],
      [2, scatter(3, 6000)],
      [3, scatter(5, 6000)],
    ]),
  );
  /** Track 1 from frame 2400, only every third peak heard (a room hides most of a track's peaks). */
  const clip = excerpt(song, 2400, 2700).filter((_, i) => i % 3 === 0);
  const identity = { timeFactor: 1, pitchFactor: 1 };

  /**
   * `lookup` plus chance votes for track 2: `count` of the clip's landmarks also find a posting of track 2 at offset
   * 1000, where track 2's own peaks are unrelated to the clip (the chance maximum of a large library, or of a
   * hypothesis of the speed grid, concentrated on one track).
   */
  function withChanceVotes(count: number, heard: readonly Peak[] = clip): (h: number) => Uint32Array {
    const keys = makeQueryKeys(heard, C, identity, DEFAULT_DECISION_RULE.keyTolerance);
    const extra = new Map<number, number>();
    let landmark = -1;
    for (let k = 0; k < keys.count && extra.size < count; k++) {
      if (keys.landmarkIds[k] === landmark) continue;
      landmark = keys.landmarkIds[k];
      if (!extra.has(keys.hashes[k])) extra.set(keys.hashes[k], 1000 + keys.frames[k]);
    }
    return (h) => {
      const own = lib.lookup(h);
      const frame = extra.get(h);
      return frame === undefined ? own : Uint32Array.from([...own, 2, frame]);
    };
  }

  it('names the recording though chance gave another track more votes, and not without the peak lead', () => {
    const plain = searchPeaks(clip, C, lib.lookup, DEFAULT_DECISION_RULE, 5, lib.peaksOf);
    const own = plain.best!.alignedCount;
    expect(plain.best!.trackNum).toBe(1);
    const lookup = withChanceVotes(Math.round(own * 1.3));
    const outcome = searchPeaks(clip, C, lookup, DEFAULT_DECISION_RULE, 5, lib.peaksOf);
    const chance = outcome.verified.find((v) => v.trackNum === 2)!;
    expect(chance.alignedCount).toBeGreaterThan(own); // track 2 has the most votes...
    expect(chance.alignedCount).toBeLessThan(DEFAULT_DECISION_RULE.minRatio * own); // ...but does not outvote track 1
    expect(outcome.matches[0]?.trackNum).toBe(1);
    expect(outcome.matches[0].offsetFrames).toBeCloseTo(2400, -0.5);
    const byVotes = searchPeaks(clip, C, lookup, { ...DEFAULT_DECISION_RULE, peakLead: false }, 5, lib.peaksOf);
    expect(byVotes.best!.trackNum).toBe(2);
    expect(byVotes.matches).toEqual([]);
  });

  it('does not lead with peaks when a track outvotes the rest', () => {
    // Each heard peak a frame off here and there: few of track 1's landmarks keep their hash, while chance gives track 2
    // a vote from every landmark, three times track 1's. The votes have spoken: track 2 leads, and its unrelated peaks
    // do not make it an answer.
    let seed = 7;
    const jittered = clip
      .map((p) => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return { ...p, frame: Math.max(0, p.frame + (seed % 3) - 1) };
      })
      .sort((a, b) => a.frame - b.frame);
    const lookup = withChanceVotes(Number.MAX_SAFE_INTEGER, jittered);
    const outcome = searchPeaks(jittered, C, lookup, DEFAULT_DECISION_RULE, 5, lib.peaksOf);
    const own = outcome.verified.find((v) => v.trackNum === 1);
    expect(own).toBeDefined();
    expect(outcome.best!.trackNum).toBe(2);
    expect(outcome.best!.alignedCount).toBeGreaterThanOrEqual(DEFAULT_DECISION_RULE.minRatio * own!.alignedCount);
    expect(own!.verification.score).toBeGreaterThan(outcome.best!.verification!.score);
    expect(outcome.matches).toEqual([]);
  });

  it('answers nothing for music not in the library, whatever track chance favours', () => {
    const unknown = scatter(41, 300).filter((_, i) => i % 3 === 0);
    const outcome = searchPeaks(unknown, C, lib.lookup, DEFAULT_DECISION_RULE, 5, lib.peaksOf);
    expect(outcome.matches).toEqual([]);
  });
});
