// The one behavioural contract every LandmarkStore must meet, as a vitest suite factory; run by
// memoryLandmarkStore.test.ts and lmdbLandmarkStore.test.ts against a fresh, empty store per test. Test support (a
// testing/ folder), so it may import vitest: shipped engine code may not (eslint-rules/codeLayering.js).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LandmarkStore, TrackLandmarks } from '../landmarkStore.js';

/** Builds a track from [hash, frame] tuples. */
export function makeTrack(
  trackNum: number,
  pairs: ReadonlyArray<readonly [number, number]>,
  options: { version?: number; peaks?: Uint8Array } = {},
): TrackLandmarks {
  return {
    trackNum,
    fingerprintVersion: options.version ?? 1,
    landmarks: Uint32Array.from(pairs.flat()),
    peaks: options.peaks ?? new Uint8Array(0),
  };
}

/** Deterministic xorshift32 in [0, 2^32). */
function makeRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** The postings a correct store must return for `hash`, computed naively from the tracks that should be stored. */
function expectedPostings(tracks: readonly TrackLandmarks[], hash: number): number[] {
  const pairs: Array<[number, number]> = [];
  for (const track of tracks) {
    for (let i = 0; i < track.landmarks.length; i += 2) {
      if (track.landmarks[i] === hash) pairs.push([track.trackNum, track.landmarks[i + 1]]);
    }
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return pairs.flat();
}

export function describeLandmarkStoreContract(name: string, open: () => Promise<LandmarkStore>): void {
  describe(`LandmarkStore contract: ${name}`, () => {
    let store: LandmarkStore;

    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('starts empty', () => {
      expect(store.trackNums()).toEqual([]);
      expect(store.lookup(42)).toEqual(new Uint32Array(0));
      expect(store.stats().trackCount).toBe(0);
      expect(store.stats().landmarkCount).toBe(0);
    });

    it('returns postings of a hash sorted by trackNum then frame', async () => {
      await store.putTracks([
        makeTrack(7, [
          [100, 50],
          [200, 3],
          [100, 10],
        ]),
        makeTrack(3, [
          [100, 99],
          [300, 1],
        ]),
      ]);
      await store.putTracks([
        makeTrack(5, [
          [100, 20],
          [100, 5],
        ]),
      ]);
      const postings = store.lookup(100);
      expect(postings).toBeInstanceOf(Uint32Array);
      expect(Array.from(postings)).toEqual([3, 99, 5, 5, 5, 20, 7, 10, 7, 50]);
      expect(Array.from(store.lookup(200))).toEqual([7, 3]);
      expect(Array.from(store.lookup(300))).toEqual([3, 1]);
    });

    it('returns an empty array for an unknown hash', async () => {
      await store.putTracks([makeTrack(1, [[1, 1]])]);
      expect(store.lookup(2).length).toBe(0);
      expect(store.lookup(0xffff_ffff).length).toBe(0);
    });

    it('handles the full u32 range of hashes, frames and track numbers', async () => {
      await store.putTracks([
        makeTrack(0xffff_ffff, [
          [0xffff_ffff, 0xffff_fffe],
          [0, 0],
        ]),
        makeTrack(1, [[0, 7]]),
      ]);
      expect(Array.from(store.lookup(0xffff_ffff))).toEqual([0xffff_ffff, 0xffff_fffe]);
      expect(Array.from(store.lookup(0))).toEqual([1, 7, 0xffff_ffff, 0]);
      expect(store.trackNums()).toEqual([1, 0xffff_ffff]);
    });

    it('does not let a caller corrupt the store by writing into a lookup result', async () => {
      await store.putTracks([
        makeTrack(1, [
          [9, 1],
          [9, 2],
        ]),
      ]);
      store.lookup(9).fill(0);
      expect(Array.from(store.lookup(9))).toEqual([1, 1, 1, 2]);
    });

    it('replaces a track that is put again, without duplicating postings', async () => {
      await store.putTracks([
        makeTrack(
          1,
          [
            [10, 1],
            [11, 2],
          ],
          { version: 1 },
        ),
        makeTrack(2, [[10, 5]]),
      ]);
      await store.putTracks([
        makeTrack(
          1,
          [
            [10, 3],
            [12, 4],
          ],
          { version: 2 },
        ),
      ]);
      expect(Array.from(store.lookup(10))).toEqual([1, 3, 2, 5]);
      expect(store.lookup(11).length).toBe(0);
      expect(Array.from(store.lookup(12))).toEqual([1, 4]);
      expect(store.trackVersion(1)).toBe(2);
      expect(store.stats()).toMatchObject({ trackCount: 2, landmarkCount: 3 });
      // A retry of the same batch changes nothing.
      await store.putTracks([
        makeTrack(
          1,
          [
            [10, 3],
            [12, 4],
          ],
          { version: 2 },
        ),
      ]);
      expect(Array.from(store.lookup(10))).toEqual([1, 3, 2, 5]);
      expect(store.stats()).toMatchObject({ trackCount: 2, landmarkCount: 3 });
    });

    it('keeps the last entry when a batch names a track twice', async () => {
      await store.putTracks([makeTrack(4, [[1, 1]], { version: 1 }), makeTrack(4, [[2, 2]], { version: 3 })]);
      expect(store.lookup(1).length).toBe(0);
      expect(Array.from(store.lookup(2))).toEqual([4, 2]);
      expect(store.trackVersion(4)).toBe(3);
      expect(store.stats()).toMatchObject({ trackCount: 1, landmarkCount: 1 });
    });

    it('deletes exactly the postings of the deleted tracks', async () => {
      await store.putTracks([
        makeTrack(1, [
          [10, 1],
          [20, 2],
          [10, 3],
        ]),
        makeTrack(2, [
          [10, 4],
          [30, 5],
        ]),
        makeTrack(3, [[20, 6]]),
      ]);
      await store.deleteTracks([1, 999]);
      expect(Array.from(store.lookup(10))).toEqual([2, 4]);
      expect(Array.from(store.lookup(20))).toEqual([3, 6]);
      expect(Array.from(store.lookup(30))).toEqual([2, 5]);
      expect(store.hasTrack(1)).toBe(false);
      expect(store.trackNums()).toEqual([2, 3]);
      expect(store.stats()).toMatchObject({ trackCount: 2, landmarkCount: 3 });
      await store.deleteTracks([2, 3]);
      expect(store.lookup(10).length).toBe(0);
      expect(store.lookup(20).length).toBe(0);
      expect(store.stats()).toMatchObject({ trackCount: 0, landmarkCount: 0 });
    });

    it('ignores unknown and invalid track numbers in deleteTracks', async () => {
      await store.putTracks([makeTrack(1, [[10, 1]])]);
      await store.deleteTracks([]);
      await store.deleteTracks([5, -1, 0, 1.5, Number.NaN]);
      expect(store.trackNums()).toEqual([1]);
    });

    it('answers trackNums, hasTrack and trackVersion', async () => {
      await store.putTracks([makeTrack(9, [[1, 1]], { version: 4 }), makeTrack(2, [], { version: 7 })]);
      expect(store.trackNums()).toEqual([2, 9]);
      expect(store.hasTrack(9)).toBe(true);
      expect(store.hasTrack(2)).toBe(true);
      expect(store.hasTrack(3)).toBe(false);
      expect(store.trackVersion(9)).toBe(4);
      expect(store.trackVersion(2)).toBe(7);
      expect(store.trackVersion(3)).toBeUndefined();
    });

    it('round-trips the peaks blob', async () => {
      const peaks = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
      await store.putTracks([makeTrack(1, [[1, 1]], { peaks }), makeTrack(2, [[1, 2]])]);
      expect(store.getPeaks(1)).toEqual(peaks);
      expect(store.getPeaks(2)).toEqual(new Uint8Array(0));
      expect(store.getPeaks(3)).toEqual(new Uint8Array(0));
      await store.putTracks([makeTrack(1, [[1, 1]])]);
      expect(store.getPeaks(1).length).toBe(0);
      await store.deleteTracks([1]);
      expect(store.getPeaks(1).length).toBe(0);
    });

    it('rejects malformed tracks without writing anything', async () => {
      const bad = { trackNum: 0, fingerprintVersion: 1, landmarks: new Uint32Array(2), peaks: new Uint8Array(0) };
      await expect(store.putTracks([makeTrack(1, [[1, 1]]), bad])).rejects.toMatchObject({ code: 'invalid-argument' });
      const odd = { ...makeTrack(2, []), landmarks: new Uint32Array(3) };
      await expect(store.putTracks([odd])).rejects.toMatchObject({ code: 'invalid-argument' });
      expect(store.trackNums()).toEqual([]);
    });

    it('keeps long posting lists exact through out-of-order inserts, replacements and deletes', async () => {
      // A few hashes shared by hundreds of tracks (lists far longer than any chunk a store may cut them into),
      // one track with 600 postings of a single hash, and track numbers arriving out of order.
      const random = makeRandom(7);
      const hashes = [5, 6, 0xffff_ffff];
      const makeOne = (trackNum: number, version = 1): TrackLandmarks => {
        const pairs: Array<[number, number]> = [];
        const count = trackNum === 150 ? 600 : 1 + (random() % 4);
        for (let i = 0; i < count; i++) pairs.push([hashes[random() % hashes.length], random() % 10_000]);
        if (trackNum === 150) for (const pair of pairs) pair[0] = 5;
        return makeTrack(trackNum, pairs, { version });
      };
      const order = Array.from({ length: 400 }, (_, i) => i + 1);
      for (let i = order.length - 1; i > 0; i--) {
        const j = random() % (i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const stored = new Map<number, TrackLandmarks>();
      const check = (label: string): void => {
        const tracks = [...stored.values()];
        for (const hash of hashes) {
          expect(Array.from(store.lookup(hash)), `${label}, hash ${hash}`).toEqual(expectedPostings(tracks, hash));
        }
      };
      for (let b = 0; b < order.length; b += 50) {
        const batch = order.slice(b, b + 50).map((n) => makeOne(n));
        await store.putTracks(batch);
        for (const track of batch) stored.set(track.trackNum, track);
      }
      check('after inserts');
      const replacements = [1, 150, 200, 201, 399].map((n) => makeOne(n, 2));
      await store.putTracks(replacements);
      for (const track of replacements) stored.set(track.trackNum, track);
      check('after replacements');
      const doomed = order.filter((n) => n % 3 === 0);
      await store.deleteTracks(doomed);
      for (const n of doomed) stored.delete(n);
      check('after deleting a third');
      await store.deleteTracks([...stored.keys()].filter((n) => n !== 150));
      stored.forEach((_, n) => n !== 150 && stored.delete(n));
      check('after deleting all but one');
      await store.deleteTracks([150]);
      for (const hash of hashes) expect(store.lookup(hash).length).toBe(0);
      expect(store.stats()).toMatchObject({ trackCount: 0, landmarkCount: 0 });
    });

    it('stores a batch of many tracks and finds every posting', async () => {
      const random = makeRandom(99);
      const tracks: TrackLandmarks[] = [];
      for (let t = 1; t <= 60; t++) {
        const pairs: Array<[number, number]> = [];
        const count = 50 + (random() % 150);
        for (let i = 0; i < count; i++) pairs.push([random() % 512, Math.floor(i * 1.04)]);
        // Frames are not always ascending within a track.
        if (t % 5 === 0) pairs.reverse();
        tracks.push(makeTrack(t * 3, pairs, { version: t }));
      }
      await store.putTracks(tracks.slice(0, 40));
      await store.putTracks(tracks.slice(40));
      const total = tracks.reduce((sum, t) => sum + t.landmarks.length / 2, 0);
      expect(store.stats()).toMatchObject({ trackCount: 60, landmarkCount: total });
      for (let hash = 0; hash < 512; hash++) {
        expect(Array.from(store.lookup(hash)), `hash ${hash}`).toEqual(expectedPostings(tracks, hash));
      }
      const removed = new Set([3, 30, 90, 180]);
      await store.deleteTracks([...removed]);
      const left = tracks.filter((t) => !removed.has(t.trackNum));
      for (let hash = 0; hash < 512; hash++) {
        expect(Array.from(store.lookup(hash)), `hash ${hash} after delete`).toEqual(expectedPostings(left, hash));
      }
      expect(store.stats().trackCount).toBe(56);
    });

    it('keeps every posting, peaks blob, version and count through compact, and stays writable', async () => {
      const random = makeRandom(5);
      const stored = new Map<number, TrackLandmarks>();
      for (let b = 0; b < 6; b++) {
        const batch: TrackLandmarks[] = [];
        for (let t = 1; t <= 10; t++) {
          const pairs: Array<[number, number]> = [];
          for (let i = 0; i < 40 + (random() % 80); i++) pairs.push([random() % 300, random() % 5000]);
          const peaks = t % 3 === 0 ? Uint8Array.from({ length: 50 + t }, () => random() & 0xff) : undefined;
          batch.push(makeTrack(b * 10 + t, pairs, { version: 1 + (t % 2), peaks }));
        }
        await store.putTracks(batch);
        for (const track of batch) stored.set(track.trackNum, track);
        const doomed = [...stored.keys()].filter(() => random() % 4 === 0);
        await store.deleteTracks(doomed);
        for (const n of doomed) stored.delete(n);
      }
      const check = (label: string): void => {
        const tracks = [...stored.values()];
        expect(store.trackNums(), label).toEqual([...stored.keys()].sort((a, b) => a - b));
        for (const track of tracks) {
          expect(store.trackVersion(track.trackNum), label).toBe(track.fingerprintVersion);
          expect(store.getPeaks(track.trackNum), label).toEqual(track.peaks);
        }
        for (let hash = 0; hash < 300; hash++) {
          expect(Array.from(store.lookup(hash)), `${label}, hash ${hash}`).toEqual(expectedPostings(tracks, hash));
        }
        const landmarkCount = tracks.reduce((sum, t) => sum + t.landmarks.length / 2, 0);
        expect(store.stats(), label).toMatchObject({ trackCount: tracks.length, landmarkCount });
      };
      check('before compact');
      const result = await store.compact();
      expect(store.stats().bytesOnDisk).toBe(result.bytesAfter);
      check('after compact');

      const added = makeTrack(
        1000,
        [
          [7, 1],
          [299, 2],
        ],
        { peaks: Uint8Array.of(9) },
      );
      await store.putTracks([added]);
      stored.set(added.trackNum, added);
      const removed = [...stored.keys()].slice(0, 3);
      await store.deleteTracks(removed);
      for (const n of removed) stored.delete(n);
      check('after writes following compact');
      await store.compact();
      check('after a second compact');
    });

    it('reports liveBytes no larger than bytesOnDisk', async () => {
      await store.putTracks([
        makeTrack(1, [
          [1, 1],
          [2, 2],
        ]),
      ]);
      const { bytesOnDisk, liveBytes } = store.stats();
      expect(liveBytes).toBeGreaterThanOrEqual(0);
      expect(liveBytes).toBeLessThanOrEqual(bytesOnDisk);
    });
  });
}
