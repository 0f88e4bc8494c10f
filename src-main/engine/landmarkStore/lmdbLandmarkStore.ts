// The on-disk LandmarkStore (LMDB via lmdb-js): each hash's postings packed into a few sorted values, written in
// one transaction per batch (atomic; durable when the promise resolves); lookups are synchronous mmap reads.
// (The environment's sub-databases and format: lmdbEnvironment.ts; compaction and crash recovery: lmdbCompaction.ts.)
//
// Measured with bench/landmarkStoreBench.ts (200 tracks x 3 min x 120 postings/s = 4.32M postings, 20 tracks per
// putTracks, 20k random lookups best of 3, 2 loaded cores so +-30%; "file" = data.mdb after the writes, "compact"
// = after a compacting copy; B = bytes per posting; chunked = this store, its bytes and write time include the
// per-track hash lists, ~4 B/posting, the others store postings only):
//                 22-bit hashes, ~1/hash           18-bit, ~16/hash                 14-bit, ~264/hash
//   design      write/s lookup/s file compact   write/s lookup/s file compact   write/s lookup/s file compact
//   chunked       269k    437k   69.4  29.3       283k    519k   41.1  16.4      1521k    101k   42.9  19.1
//   packed1       331k    381k   65.2  25.1       486k    417k   37.1  12.4      2475k    233k   43.9  21.6
//   dupSort       463k    174k  117.3  41.9       649k    106k   79.6  27.6       470k     11k  121.4  56.2
//   dupFixed      458k    158k  109.8  39.1       767k     93k   45.2  18.1       650k     11k   46.6  22.8
//   (memory store: 317k / 709k, 842k / 316k, 3716k / 340k writes / lookups per second)
// packed1 = one value per hash holding its whole list; dupSort = one 8-byte big-endian duplicate per posting
// (dupFixed adds MDB_DUPFIXED), read with getValues.
// Why chunked packed values: a lookup is one mdb_get + one copy (lmdb-js getValues walks a cursor and allocates a
// Buffer per posting: 10-40x slower on long lists), and one B-tree entry per list instead of per posting saves the
// 8-byte node header + 2-byte index LMDB spends per entry. Versus packed1 it gives up ~2x lookup speed on long lists
// (1 + n gets) to bound every value at ~2 KB: with the fingerprinter's 22-bit hashes a 2000-hour library has
// hundreds to thousands of postings per hash, and packed1 would keep them in multi-page overflow values that every
// batch touching the hash rewrites whole (and LMDB's free list handles multi-page runs poorly). Here a batch
// rewrites only the chunk a new track falls in (usually the last). The cost no layout avoids: each batch copies
// every B-tree page it touches (about one per distinct hash in the batch), so bigger batches are cheaper per
// posting, and the file settles near 2.5x its compacted size (freed pages are reused, never returned).
//
// compact() returns them (see lmdbCompaction.ts), which is why LibraryEngine compacts after a scan that changed anything
// (isWorthCompacting in landmarkStore.ts).
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import type { CompactionResult, LandmarkStore, LandmarkStoreStats, TrackLandmarks } from './landmarkStore.js';
import { compactStore, recoverInterruptedCompaction } from './lmdbCompaction.js';
import { DATA_FILE, encodeTotals, liveBytes, openDbs, prepareDirectory, type Dbs, type LmdbLandmarkStoreOptions } from './lmdbEnvironment.js';
import { readPostings, rewritePostings, storedToU32, u32ToStored } from './lmdbPostingChunks.js';
import { EMPTY_POSTINGS, distinctHashes, groupPostingsByHash, isTrackNum, normalizeBatch, uniqueSorted } from './postings.js';

export { LMDB_STORE_FORMAT_VERSION, type LmdbLandmarkStoreOptions } from './lmdbEnvironment.js';

const TRACK_HEADER_BYTES = 16;

/**
 * Opens (creating if needed, unless readOnly) the store in `dirPath`. A writable open first finishes or undoes a
 * compaction a crash interrupted (see compact()).
 * Throws AppError('store-damaged') when the directory holds something that is not a healthy store of this format,
 * AppError('not-found') when readOnly and there is no store.
 */
export async function openLmdbLandmarkStore(dirPath: string, options: LmdbLandmarkStoreOptions = {}): Promise<LandmarkStore> {
  const readOnly = options.readOnly === true;
  if (!readOnly) recoverInterruptedCompaction(dirPath);
  prepareDirectory(dirPath, path.join(dirPath, DATA_FILE), readOnly);
  return new LmdbLandmarkStore(openDbs(dirPath, options), dirPath, options);
}

interface TrackHeader {
  readonly version: number;
  readonly landmarkCount: number;
}

class LmdbLandmarkStore implements LandmarkStore {
  private closed = false;
  /** The open environment; undefined while compact() swaps the copy in, and once closed. */
  private current: Dbs | undefined;
  /** The compaction in flight: writes and close wait for it. */
  private compaction: Promise<CompactionResult> | undefined;
  private readonly dataFile: string;
  private readonly readOnly: boolean;

  constructor(
    dbs: Dbs,
    private readonly dirPath: string,
    private readonly options: LmdbLandmarkStoreOptions,
  ) {
    this.current = dbs;
    this.dataFile = path.join(dirPath, DATA_FILE);
    this.readOnly = options.readOnly === true;
  }

  private get dbs(): Dbs {
    if (this.current !== undefined) return this.current;
    throw new AppError('internal', this.closed ? 'landmark store is closed' : 'landmark store is swapping in its compacted copy');
  }

  async putTracks(batch: readonly TrackLandmarks[]): Promise<void> {
    if (this.compaction !== undefined) await this.compactionSettled();
    this.assertWritable();
    const list = normalizeBatch(batch);
    if (list.length === 0) return;
    const groups = groupPostingsByHash(list);
    const newHashes = list.map((t) => distinctHashes(t.landmarks));
    const { postings, tracks, trackHashes, trackPeaks } = this.dbs;
    this.write(() => {
      const replaced = new Set<number>();
      const oldHashLists: Uint32Array[] = [];
      let landmarkDelta = 0;
      for (const track of list) {
        const header = this.readHeader(track.trackNum);
        if (header === undefined) continue;
        replaced.add(track.trackNum);
        landmarkDelta -= header.landmarkCount;
        oldHashLists.push(this.readHashes(track.trackNum));
      }
      const oldHashes = sortedUnion(oldHashLists);
      const replacedSorted = Uint32Array.from(replaced).sort();
      // Walk the new groups and the replaced tracks' old hashes together, in ascending hash order (B-tree locality).
      let i = 0;
      let j = 0;
      while (i < groups.hashes.length || j < oldHashes.length) {
        if (j >= oldHashes.length || (i < groups.hashes.length && groups.hashes[i] <= oldHashes[j])) {
          const hash = groups.hashes[i];
          if (j < oldHashes.length && oldHashes[j] === hash) j++;
          const add = groups.pairs.subarray(2 * groups.starts[i], 2 * groups.starts[i + 1]);
          rewritePostings(postings, hash, add, replacedSorted, replaced);
          i++;
        } else {
          rewritePostings(postings, oldHashes[j++], EMPTY_POSTINGS, replacedSorted, replaced);
        }
      }
      for (let t = 0; t < list.length; t++) {
        const track = list[t];
        const landmarkCount = track.landmarks.length >>> 1;
        const header = new Uint32Array([track.fingerprintVersion, landmarkCount, newHashes[t].length, track.peaks.length]);
        tracks.putSync(track.trackNum, u32ToStored(header));
        trackHashes.putSync(track.trackNum, u32ToStored(newHashes[t]));
        if (track.peaks.length > 0) trackPeaks.putSync(track.trackNum, track.peaks);
        else if (replaced.has(track.trackNum)) trackPeaks.removeSync(track.trackNum);
        landmarkDelta += landmarkCount;
      }
      this.addTotals(list.length - replaced.size, landmarkDelta);
    });
  }

  async deleteTracks(trackNums: readonly number[]): Promise<void> {
    if (this.compaction !== undefined) await this.compactionSettled();
    this.assertWritable();
    const candidates = [...new Set(trackNums.filter(isTrackNum))];
    if (candidates.length === 0) return;
    const { postings, tracks, trackHashes, trackPeaks } = this.dbs;
    this.write(() => {
      const removed = new Set<number>();
      const hashLists: Uint32Array[] = [];
      let landmarkDelta = 0;
      for (const num of candidates) {
        const header = this.readHeader(num);
        if (header === undefined) continue;
        removed.add(num);
        landmarkDelta -= header.landmarkCount;
        hashLists.push(this.readHashes(num));
      }
      if (removed.size === 0) return;
      const removedSorted = Uint32Array.from(removed).sort();
      for (const hash of sortedUnion(hashLists)) rewritePostings(postings, hash, EMPTY_POSTINGS, removedSorted, removed);
      for (const num of removed) {
        tracks.removeSync(num);
        trackHashes.removeSync(num);
        trackPeaks.removeSync(num);
      }
      this.addTotals(-removed.size, landmarkDelta);
    });
  }

  hasTrack(trackNum: number): boolean {
    return isTrackNum(trackNum) && this.dbs.tracks.doesExist(trackNum);
  }

  trackVersion(trackNum: number): number | undefined {
    return isTrackNum(trackNum) ? this.readHeader(trackNum)?.version : undefined;
  }

  trackNums(): number[] {
    return Array.from(this.dbs.tracks.getKeys());
  }

  lookup(hash: number): Uint32Array {
    return readPostings(this.dbs.postings, hash >>> 0);
  }

  getPeaks(trackNum: number): Uint8Array {
    if (!isTrackNum(trackNum)) return new Uint8Array(0);
    const bytes = this.dbs.trackPeaks.getBinaryFast(trackNum);
    if (bytes === undefined) return new Uint8Array(0);
    const out = new Uint8Array(bytes.length);
    out.set(bytes.subarray(0, bytes.length));
    return out;
  }

  stats(): LandmarkStoreStats {
    const dbs = this.dbs;
    const totals = dbs.meta.getBinary('totals');
    let bytesOnDisk = 0;
    try {
      bytesOnDisk = fs.statSync(this.dataFile).size;
    } catch {
      // A store being deleted under us: report what is readable.
    }
    return {
      trackCount: totals ? totals.readDoubleLE(0) : 0,
      landmarkCount: totals ? totals.readDoubleLE(8) : 0,
      bytesOnDisk,
      liveBytes: liveBytes(dbs),
    };
  }

  /**
   * Copies every record into a new store beside this one and swaps the directories by renames: crash-safe, lookups
   * keep working meanwhile, writes and close wait (compactStore in lmdbCompaction.ts).
   */
  async compact(): Promise<CompactionResult> {
    this.assertWritable();
    this.compaction ??= this.compactNow().finally(() => {
      this.compaction = undefined;
    });
    return this.compaction;
  }

  async close(): Promise<void> {
    if (this.compaction !== undefined) await this.compactionSettled();
    if (this.closed) return;
    this.closed = true;
    const dbs = this.current;
    this.current = undefined;
    await dbs?.env.close();
  }

  private async compactionSettled(): Promise<void> {
    while (this.compaction !== undefined) await this.compaction.catch(() => undefined);
  }

  private async compactNow(): Promise<CompactionResult> {
    return compactStore(this.dirPath, this.options, this.dbs, {
      detach: async () => {
        const old = this.dbs;
        this.current = undefined;
        await old.env.close();
      },
      attach: (dbs) => {
        this.current = dbs;
      },
      lost: () => {
        this.closed = true;
      },
    });
  }

  private assertWritable(): void {
    if (this.closed) throw new AppError('internal', 'landmark store is closed');
    if (this.current === undefined) throw new AppError('internal', 'landmark store is swapping in its compacted copy');
    if (this.readOnly) throw new AppError('internal', 'landmark store is open read-only');
  }

  /** Runs `action` in one synchronous, abortable write transaction; the commit is flushed to disk before return. */
  private write(action: () => void): void {
    try {
      this.dbs.env.transactionSync(action);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('internal', `landmark store write failed: ${(err as Error).message}`, { cause: err });
    }
  }

  private readHeader(trackNum: number): TrackHeader | undefined {
    const bytes = this.dbs.tracks.getBinaryFast(trackNum);
    if (bytes === undefined) return undefined;
    if (bytes.length !== TRACK_HEADER_BYTES) throw new AppError('store-damaged', `track ${trackNum} header has ${bytes.length} bytes`);
    const header = storedToU32(bytes, TRACK_HEADER_BYTES);
    return { version: header[0], landmarkCount: header[1] };
  }

  private readHashes(trackNum: number): Uint32Array {
    const bytes = this.dbs.trackHashes.getBinaryFast(trackNum);
    return bytes === undefined ? EMPTY_POSTINGS : storedToU32(bytes, bytes.length);
  }

  private addTotals(trackDelta: number, landmarkDelta: number): void {
    const totals = this.dbs.meta.getBinary('totals');
    const trackCount = (totals ? totals.readDoubleLE(0) : 0) + trackDelta;
    const landmarkCount = (totals ? totals.readDoubleLE(8) : 0) + landmarkDelta;
    this.dbs.meta.putSync('totals', encodeTotals(trackCount, landmarkCount));
  }
}

/** Ascending distinct values of several ascending arrays. */
function sortedUnion(lists: readonly Uint32Array[]): Uint32Array {
  if (lists.length === 0) return EMPTY_POSTINGS;
  if (lists.length === 1) return lists[0];
  let total = 0;
  for (const list of lists) total += list.length;
  const all = new Uint32Array(total);
  let o = 0;
  for (const list of lists) {
    all.set(list, o);
    o += list.length;
  }
  all.sort();
  return uniqueSorted(all);
}
