import { describe, expect, it } from 'vitest';
import type { QueryKeys } from './landmarks.js';
import { trackVote, voteOffsets, type LookupFn, type TrackVote } from './matcher.js';

const BIN_BIAS = 2 ** 22;
const TRACK_SCALE = 2 ** 23;

/** The previous design (sort every vote, slide a window), kept as the reference the hash-table count must equal. */
function voteOffsetsBySort(keys: QueryKeys, lookup: LookupFn, toleranceFrames: number, minAligned = 2): TrackVote[] {
  let entries = new Float64Array(16384);
  let entryCount = 0;
  let k = 0;
  while (k < keys.count) {
    // All keys of one landmark are contiguous: append its (track, offset) votes, then drop repeats among them.
    const id = keys.landmarkIds[k];
    const landmarkStart = entryCount;
    for (; k < keys.count && keys.landmarkIds[k] === id; k++) {
      const postings = lookup(keys.hashes[k]);
      if (postings.length === 0) continue;
      const clipFrame = keys.frames[k];
      if (entryCount + postings.length / 2 > entries.length) {
        const grown = new Float64Array(Math.max(entries.length * 2, entryCount + postings.length));
        grown.set(entries.subarray(0, entryCount));
        entries = grown;
      }
      for (let p = 0; p < postings.length; p += 2) {
        const bin = Math.round(postings[p + 1] - clipFrame);
        if (bin < -BIN_BIAS || bin >= BIN_BIAS) continue;
        entries[entryCount++] = postings[p] * TRACK_SCALE + (bin + BIN_BIAS);
      }
    }
    const added = entryCount - landmarkStart;
    if (added > 1) {
      const own = entries.subarray(landmarkStart, entryCount).sort();
      let w = 1;
      for (let i = 1; i < added; i++) if (own[i] !== own[w - 1]) own[w++] = own[i];
      entryCount = landmarkStart + w;
    }
  }
  const sorted = entries.subarray(0, entryCount).sort();

  // Run-length encode into (track, bin, count).
  const runTrack: number[] = [];
  const runBin: number[] = [];
  const runCount: number[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const v = sorted[i];
    const track = Math.floor(v / TRACK_SCALE);
    runTrack.push(track);
    runBin.push(v - track * TRACK_SCALE - BIN_BIAS);
    runCount.push(j - i);
    i = j;
  }

  // Per track: the window [bin - tol, bin + tol] with the most votes.
  const votes: TrackVote[] = [];
  for (let start = 0; start < runTrack.length;) {
    const track = runTrack[start];
    let end = start;
    let hits = 0;
    while (end < runTrack.length && runTrack[end] === track) hits += runCount[end++];
    let best = 0;
    let bestOffset = 0;
    let lo = start;
    let windowSum = 0;
    let weighted = 0;
    // Sliding window over runs: keep runs with bin within [bin_hi - 2*tol, bin_hi].
    for (let hi = start; hi < end; hi++) {
      windowSum += runCount[hi];
      weighted += runCount[hi] * runBin[hi];
      while (runBin[hi] - runBin[lo] > 2 * toleranceFrames) {
        windowSum -= runCount[lo];
        weighted -= runCount[lo] * runBin[lo];
        lo++;
      }
      if (windowSum > best) {
        best = windowSum;
        bestOffset = weighted / windowSum;
      }
    }
    if (best >= minAligned) votes.push({ trackNum: track, offsetFrames: bestOffset, alignedCount: best, hitCount: hits });
    start = end;
  }
  votes.sort((a, b) => b.alignedCount - a.alignedCount || a.trackNum - b.trackNum);
  return votes;
}

function keys(rows: [hash: number, frame: number, id: number][]): QueryKeys {
  return {
    hashes: Uint32Array.from(rows.map((r) => r[0])),
    frames: Float64Array.from(rows.map((r) => r[1])),
    landmarkIds: Uint32Array.from(rows.map((r) => r[2])),
    count: rows.length,
    landmarkCount: new Set(rows.map((r) => r[2])).size,
  };
}

describe('voteOffsets', () => {
  it('finds the offset most landmarks agree on, per track', () => {
    // Track 7 has hashes 1,2,3 at frames 110, 120, 131 -> clip frames 10, 20, 30 give offsets 100, 100, 101.
    // Track 9 has hash 2 at frame 500 (offset 480): one stray vote.
    const postings = new Map<number, number[]>([
      [1, [7, 110]],
      [2, [7, 120, 9, 500]],
      [3, [7, 131]],
    ]);
    const lookup = (h: number) => Uint32Array.from(postings.get(h) ?? []);
    const votes = voteOffsets(
      keys([
        [1, 10, 0],
        [2, 20, 1],
        [3, 30, 2],
      ]),
      lookup,
      1,
      1,
    );
    expect(votes[0].trackNum).toBe(7);
    expect(votes[0].alignedCount).toBe(3);
    expect(votes[0].offsetFrames).toBeCloseTo(100 + 1 / 3, 6);
    expect(votes[1]).toMatchObject({ trackNum: 9, alignedCount: 1, hitCount: 1 });
  });

  it('counts a landmark once per (track, offset) however many of its keys hit', () => {
    const lookup = (h: number) => Uint32Array.from(h === 1 || h === 2 ? [7, 50] : []);
    // Two keys of landmark 0 both hit track 7 at offset 40.
    const votes = voteOffsets(
      keys([
        [1, 10, 0],
        [2, 10, 0],
      ]),
      lookup,
      0,
      1,
    );
    expect(votes[0].alignedCount).toBe(1);
  });

  it('does not merge offsets further apart than the tolerance', () => {
    const postings = new Map<number, number[]>([
      [1, [3, 100]],
      [2, [3, 105]],
      [3, [3, 106]],
    ]);
    const lookup = (h: number) => Uint32Array.from(postings.get(h) ?? []);
    const v = voteOffsets(
      keys([
        [1, 0, 0],
        [2, 0, 1],
        [3, 0, 2],
      ]),
      lookup,
      1,
      1,
    );
    expect(v[0].alignedCount).toBe(2); // 105 and 106 within +-1; 100 alone
    expect(v[0].offsetFrames).toBeCloseTo(105.5, 6);
  });
});

/** A seeded generator of integers in [0, n). */
function randomBelow(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % n;
  };
}

describe('voteOffsets equals the sort-and-slide reference', () => {
  it('on random postings: same tracks, counts, hits and offsets, in the same order', () => {
    const rnd = randomBelow(12345);
    for (let round = 0; round < 20; round++) {
      const postings = new Map<number, number[]>();
      for (let h = 0; h < 300; h++) {
        const list: number[] = [];
        const n = rnd(12);
        for (let i = 0; i < n; i++) list.push(1 + rnd(8), rnd(2000));
        postings.set(h, list);
      }
      // Plant an aligned track so windows matter: track 5 at offset 700 (+-1 jitter).
      for (let h = 0; h < 300; h += 3) postings.get(h)!.push(5, 700 + h + rnd(3) - 1);
      const rows: [number, number, number][] = [];
      for (let i = 0; i < 400; i++) {
        const h = rnd(300);
        rows.push([h, h, Math.floor(i / (1 + rnd(3)))]);
      }
      rows.sort((a, b) => a[2] - b[2]);
      const lookup: LookupFn = (h) => Uint32Array.from(postings.get(h) ?? []);
      for (const tol of [0, 1, 2]) {
        const a: TrackVote[] = voteOffsets(keys(rows), lookup, tol, 1);
        const b: TrackVote[] = voteOffsetsBySort(keys(rows), lookup, tol, 1);
        expect(a).toEqual(b);
      }
    }
  });

  it("on the store's sorted postings, long lists and several keys per landmark", () => {
    const rnd = randomBelow(777);
    for (let round = 0; round < 10; round++) {
      const postings = new Map<number, Uint32Array>();
      for (let h = 0; h < 200; h++) {
        const pairs: [number, number][] = [];
        const n = rnd(4) === 0 ? 40 + rnd(80) : rnd(10);
        for (let i = 0; i < n; i++) pairs.push([1 + rnd(6), rnd(3000)]);
        pairs.push([3, 900 + h]); // track 3 aligned at offset 900
        pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // as readPostings gives them
        postings.set(h, Uint32Array.from(pairs.flat()));
      }
      const rows: [number, number, number][] = [];
      for (let id = 0; id < 150; id++) {
        const first = rnd(200);
        // 1-5 keys per landmark: neighbouring hashes at the same clip frame, some of them repeated.
        for (let j = 0, count = 1 + rnd(5); j < count; j++) rows.push([(first + rnd(3)) % 200, first, id]);
      }
      const lookup: LookupFn = (h) => postings.get(h) ?? new Uint32Array(0);
      for (const tol of [0, 1, 2]) expect(voteOffsets(keys(rows), lookup, tol, 1)).toEqual(voteOffsetsBySort(keys(rows), lookup, tol, 1));
    }
  });

  it('on track numbers past its working arrays, fractional clip frames, and after a lookup that threw', () => {
    const rnd = randomBelow(4242);
    const postings = new Map<number, Uint32Array>();
    for (let h = 0; h < 120; h++) {
      const pairs: [number, number][] = [];
      for (let i = 0, n = rnd(30); i < n; i++) pairs.push([rnd(3) === 0 ? 20_000 + rnd(50) : rnd(9000), rnd(5000)]);
      pairs.push([15_000, 2000 + 3 * h]); // aligned under a time factor of 1.01
      pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      postings.set(h, Uint32Array.from(pairs.flat()));
    }
    const rows: [number, number, number][] = [];
    for (let id = 0; id < 90; id++) for (let j = 0, count = 1 + rnd(3); j < count; j++) rows.push([(id + j) % 120, id * 2.97, id]);
    const lookup: LookupFn = (h) => postings.get(h) ?? new Uint32Array(0);
    const expected = voteOffsetsBySort(keys(rows), lookup, 1, 1);
    expect(expected.some((v) => v.trackNum >= 20_000)).toBe(true);
    expect(voteOffsets(keys(rows), lookup, 1, 1)).toEqual(expected);
    // A store that fails halfway (a closed environment) must not leave counts behind for the next vote.
    let calls = 0;
    const failing: LookupFn = (h) => {
      if (++calls === 60) throw new Error('store closed');
      return lookup(h);
    };
    expect(() => voteOffsets(keys(rows), failing, 1, 1)).toThrow('store closed');
    expect(voteOffsets(keys(rows), lookup, 1, 1)).toEqual(expected);
  });
});

describe('trackVote equals voteOffsets over the one track and the offsets it reads', () => {
  it('on sorted postings with other tracks, fractional clip frames, several keys per landmark and a second peak', () => {
    const rnd = randomBelow(9091);
    for (let round = 0; round < 12; round++) {
      const postings = new Map<number, Uint32Array>();
      for (let h = 0; h < 200; h++) {
        const pairs: [number, number][] = [];
        for (let i = 0, n = rnd(4) === 0 ? 30 + rnd(60) : rnd(10); i < n; i++) pairs.push([1 + rnd(9), rnd(3000)]);
        pairs.push([4, 1200 + Math.round(h * 1.01)]); // track 4 aligned at about offset 1200 under a time factor of 1.01
        if (h % 2 === 0) pairs.push([4, 1290 + h]); // and a weaker alignment 90 frames on
        pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // as readPostings gives them
        postings.set(h, Uint32Array.from(pairs.flat()));
      }
      const rows: [number, number, number][] = [];
      for (let id = 0; id < 150; id++) {
        const first = rnd(200);
        for (let j = 0, count = 1 + rnd(4); j < count; j++) rows.push([(first + rnd(3)) % 200, first + rnd(10) / 10, id]);
      }
      const lookup: LookupFn = (h) => postings.get(h) ?? new Uint32Array(0);
      for (const [centre, reach, tol, track] of [
        [1200, 40, 1, 4],
        [1203.6, 12.5, 2, 4],
        [1290, 40, 1, 4], // the weaker alignment, though the track's best lies elsewhere
        [1250, 200, 0, 4],
        [800, 60, 1, 7], // a track voting by chance only
        [1200, 40, 1, 99], // a track the postings do not hold
      ]) {
        const low = Math.round(centre) - Math.ceil(reach);
        const high = Math.round(centre) + Math.ceil(reach);
        // The reference: voteOffsets over postings holding only that track's votes at those offsets.
        const only: LookupFn = (h) => {
          const list = lookup(h);
          const frame = rows.find((r) => r[0] === h)![1];
          const kept: number[] = [];
          for (let p = 0; p < list.length; p += 2) {
            const bin = Math.round(list[p + 1] - frame);
            if (list[p] === track && bin >= low && bin <= high) kept.push(list[p], list[p + 1]);
          }
          return Uint32Array.from(kept);
        };
        // Each hash at one clip frame, so that the filter above knows which offsets a key reads.
        const single = rows.filter((r, i) => rows.findIndex((s) => s[0] === r[0]) === i);
        const expected = voteOffsets(keys(single), only, tol, 2).find((v) => v.trackNum === track) ?? null;
        expect(trackVote(keys(single), lookup, track, centre, reach, tol, 2)).toEqual(expected);
        if (track === 4) expect(expected).not.toBeNull();
      }
    }
  });
});
