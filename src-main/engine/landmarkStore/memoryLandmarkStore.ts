// The in-memory LandmarkStore (tests, benchmarks, throwaway indexes): Maps of growable typed arrays, nothing on disk.
// Same contract as the LMDB store (testing/landmarkStoreContract.ts); every call completes synchronously; single-threaded.
import type { CompactionResult, LandmarkStore, LandmarkStoreStats, TrackLandmarks } from './landmarkStore.js';
import { EMPTY_POSTINGS, distinctHashes, groupPostingsByHash, isTrackNum, normalizeBatch, removeTrackPairs, sortPairs, uniqueSorted } from './postings.js';

/** One hash's postings: `count` [trackNum, frame] pairs at the start of `data`, sorted when `sorted` is set. */
interface Bucket {
  data: Uint32Array;
  count: number;
  sorted: boolean;
}

interface StoredTrack {
  readonly version: number;
  readonly landmarkCount: number;
  /** Distinct hashes of the track, ascending: where its postings are. */
  readonly hashes: Uint32Array;
  readonly peaks: Uint8Array;
}

export function createMemoryLandmarkStore(): LandmarkStore {
  const buckets = new Map<number, Bucket>();
  const tracks = new Map<number, StoredTrack>();
  let landmarkCount = 0;
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new Error('memory landmark store is closed');
  }

  /** Removes all postings of `nums` (tracks that are stored) from the buckets, and the tracks themselves. */
  function removeTracks(nums: ReadonlySet<number>): void {
    if (nums.size === 0) return;
    const hashLists: Uint32Array[] = [];
    let total = 0;
    for (const num of nums) {
      const track = tracks.get(num);
      if (!track) continue;
      hashLists.push(track.hashes);
      total += track.hashes.length;
      landmarkCount -= track.landmarkCount;
      tracks.delete(num);
    }
    const all = new Uint32Array(total);
    let o = 0;
    for (const list of hashLists) {
      all.set(list, o);
      o += list.length;
    }
    all.sort();
    for (const hash of uniqueSorted(all)) {
      const bucket = buckets.get(hash);
      if (!bucket) continue;
      bucket.count = removeTrackPairs(bucket.data, bucket.count, nums);
      if (bucket.count === 0) buckets.delete(hash);
    }
  }

  function appendGroup(hash: number, group: Uint32Array): void {
    const pairCount = group.length >>> 1;
    const bucket = buckets.get(hash);
    if (!bucket) {
      buckets.set(hash, { data: group.slice(), count: pairCount, sorted: true });
      return;
    }
    const needed = (bucket.count + pairCount) * 2;
    if (needed > bucket.data.length) {
      const grown = new Uint32Array(Math.max(needed, bucket.data.length * 2));
      grown.set(bucket.data.subarray(0, bucket.count * 2));
      bucket.data = grown;
    }
    const at = bucket.count * 2;
    if (bucket.sorted && bucket.count > 0) {
      const lastT = bucket.data[at - 2];
      if (lastT > group[0] || (lastT === group[0] && bucket.data[at - 1] > group[1])) bucket.sorted = false;
    }
    bucket.data.set(group, at);
    bucket.count += pairCount;
  }

  return {
    async putTracks(batch: readonly TrackLandmarks[]): Promise<void> {
      assertOpen();
      const list = normalizeBatch(batch);
      if (list.length === 0) return;
      removeTracks(new Set(list.map((t) => t.trackNum).filter((n) => tracks.has(n))));
      const groups = groupPostingsByHash(list);
      for (let i = 0; i < groups.hashes.length; i++) {
        appendGroup(groups.hashes[i], groups.pairs.subarray(2 * groups.starts[i], 2 * groups.starts[i + 1]));
      }
      for (const track of list) {
        const count = track.landmarks.length >>> 1;
        tracks.set(track.trackNum, {
          version: track.fingerprintVersion,
          landmarkCount: count,
          hashes: distinctHashes(track.landmarks),
          peaks: track.peaks.slice(),
        });
        landmarkCount += count;
      }
    },

    async deleteTracks(trackNums: readonly number[]): Promise<void> {
      assertOpen();
      removeTracks(new Set(trackNums.filter((n) => isTrackNum(n) && tracks.has(n))));
    },

    hasTrack(trackNum: number): boolean {
      return tracks.has(trackNum);
    },

    trackVersion(trackNum: number): number | undefined {
      return tracks.get(trackNum)?.version;
    },

    trackNums(): number[] {
      return [...tracks.keys()].sort((a, b) => a - b);
    },

    lookup(hash: number): Uint32Array {
      const bucket = buckets.get(hash >>> 0);
      if (bucket === undefined) return EMPTY_POSTINGS;
      if (!bucket.sorted) {
        sortPairs(bucket.data, bucket.count);
        bucket.sorted = true;
      }
      return bucket.data.slice(0, bucket.count * 2);
    },

    getPeaks(trackNum: number): Uint8Array {
      const peaks = tracks.get(trackNum)?.peaks;
      return peaks ? peaks.slice() : new Uint8Array(0);
    },

    stats(): LandmarkStoreStats {
      return { trackCount: tracks.size, landmarkCount, bytesOnDisk: 0, liveBytes: 0 };
    },

    async compact(): Promise<CompactionResult> {
      assertOpen();
      return { bytesBefore: 0, bytesAfter: 0 };
    },

    async close(): Promise<void> {
      closed = true;
      buckets.clear();
      tracks.clear();
    },
  };
}
