// The on-disk LandmarkStore (LMDB via lmdb-js): each hash's postings packed into a few sorted values, written in
// one transaction per batch (atomic; durable when the promise resolves); lookups are synchronous mmap reads.
//
// Layout (sub-databases of one LMDB environment in `dirPath`; lmdb-js compression and msgpack are off everywhere):
//   postings     hash -> its postings, little-endian [trackNum u32, frame u32]* sorted by (trackNum, frame), in
//                chunks of <= 240 pairs (see lmdbPostingChunks.ts): one get per lookup until a list outgrows a chunk
//   tracks       u32 trackNum -> [fingerprintVersion, landmarkCount, distinctHashCount, peaksBytes] u32 LE
//   trackHashes  u32 trackNum -> the track's distinct hashes, ascending u32 LE (what delete/replace must touch)
//   trackPeaks   u32 trackNum -> the opaque peaks blob (absent when empty)
//   meta         'format' -> u32 LMDB_STORE_FORMAT_VERSION; 'totals' -> [trackCount, landmarkCount] f64 LE
// Values are native little-endian so a lookup is one copy into a Uint32Array (LMDB files are not portable across
// endianness anyway; a big-endian machine byte-swaps).
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
import fs from 'node:fs';
import path from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { AppError } from '../errors.js';
import { findLmdbDataFileProblem } from './lmdbDataFile.js';
import type { LandmarkStore, LandmarkStoreStats, TrackLandmarks } from './landmarkStore.js';
import { readPostings, rewritePostings, storedToU32, u32ToStored, type ChunkDb } from './lmdbPostingChunks.js';
import { EMPTY_POSTINGS, distinctHashes, groupPostingsByHash, isTrackNum, normalizeBatch, uniqueSorted } from './postings.js';

/** Bump when the layout above changes: an older store then reads as 'store-damaged' and is rebuilt. */
export const LMDB_STORE_FORMAT_VERSION = 1;

export interface LmdbLandmarkStoreOptions {
  /** Initial map size in bytes (lmdb-js grows it as needed when omitted). */
  readonly mapSizeBytes?: number;
  /** Open for lookups only; the store must already exist. */
  readonly readOnly?: boolean;
}

const DATA_FILE = 'data.mdb';
const TRACK_HEADER_BYTES = 16;

type U32Db = Database<Uint8Array, number>;

/**
 * Opens (creating if needed, unless readOnly) the store in `dirPath`.
 * Throws AppError('store-damaged') when the directory holds something that is not a healthy store of this format,
 * AppError('not-found') when readOnly and there is no store.
 */
export async function openLmdbLandmarkStore(
  dirPath: string,
  options: LmdbLandmarkStoreOptions = {},
): Promise<LandmarkStore> {
  const readOnly = options.readOnly === true;
  const dataFile = path.join(dirPath, DATA_FILE);
  prepareDirectory(dirPath, dataFile, readOnly);
  const problem = findLmdbDataFileProblem(dataFile);
  if (problem !== undefined) throw new AppError('store-damaged', `${dirPath}: ${problem}`);

  let env: RootDatabase;
  try {
    env = open(dirPath, {
      compression: false,
      encoding: 'binary',
      maxDbs: 8,
      readOnly,
      ...(options.mapSizeBytes !== undefined ? { mapSize: options.mapSizeBytes } : {}),
    });
  } catch (err) {
    throw new AppError('store-damaged', `${dirPath}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const u32Db = (name: string): U32Db =>
      env.openDB<Uint8Array, number>(name, { keyEncoding: 'uint32', encoding: 'binary', compression: false });
    const dbs: Dbs = {
      env,
      postings: env.openDB<Uint8Array, Uint8Array>('postings', { keyEncoding: 'binary', encoding: 'binary', compression: false }),
      tracks: u32Db('tracks'),
      trackHashes: u32Db('trackHashes'),
      trackPeaks: u32Db('trackPeaks'),
      meta: env.openDB<Uint8Array, string>('meta', { encoding: 'binary', compression: false }),
    };
    checkFormat(dbs, dirPath, readOnly);
    return new LmdbLandmarkStore(dbs, dataFile, readOnly);
  } catch (err) {
    await env.close().catch(() => undefined);
    if (err instanceof AppError) throw err;
    throw new AppError('store-damaged', `${dirPath}: ${(err as Error).message}`, { cause: err });
  }
}

function prepareDirectory(dirPath: string, dataFile: string, readOnly: boolean): void {
  if (readOnly) {
    if (!fs.existsSync(dataFile)) throw new AppError('not-found', `no landmark store in ${dirPath}`);
    return;
  }
  try {
    fs.mkdirSync(dirPath, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new AppError('permission-denied', dirPath, { cause: err });
    throw new AppError('store-damaged', `${dirPath}: ${(err as Error).message}`, { cause: err });
  }
  if (!fs.statSync(dirPath).isDirectory()) throw new AppError('store-damaged', `${dirPath} is not a directory`);
}

interface Dbs {
  readonly env: RootDatabase;
  readonly postings: ChunkDb;
  readonly tracks: U32Db;
  readonly trackHashes: U32Db;
  readonly trackPeaks: U32Db;
  readonly meta: Database<Uint8Array, string>;
}

function checkFormat(dbs: Dbs, dirPath: string, readOnly: boolean): void {
  const format = dbs.meta.getBinary('format');
  if (format !== undefined) {
    const version = format.length === 4 ? format.readUInt32LE(0) : -1;
    if (version !== LMDB_STORE_FORMAT_VERSION) {
      throw new AppError('store-damaged', `${dirPath}: store format ${version}, this app reads ${LMDB_STORE_FORMAT_VERSION}`);
    }
    if (dbs.meta.getBinary('totals')?.length !== 16) throw new AppError('store-damaged', `${dirPath}: totals missing`);
    return;
  }
  const isEmpty = dbs.postings.getKeysCount({ limit: 1 }) === 0 && dbs.tracks.getKeysCount({ limit: 1 }) === 0;
  if (!isEmpty) throw new AppError('store-damaged', `${dirPath}: data without a format marker`);
  if (readOnly) throw new AppError('not-found', `${dirPath}: landmark store was never initialized`);
  dbs.env.transactionSync(() => {
    const marker = Buffer.alloc(4);
    marker.writeUInt32LE(LMDB_STORE_FORMAT_VERSION, 0);
    dbs.meta.putSync('format', marker);
    dbs.meta.putSync('totals', encodeTotals(0, 0));
  });
}

function encodeTotals(trackCount: number, landmarkCount: number): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeDoubleLE(trackCount, 0);
  bytes.writeDoubleLE(landmarkCount, 8);
  return bytes;
}

interface TrackHeader {
  readonly version: number;
  readonly landmarkCount: number;
}

class LmdbLandmarkStore implements LandmarkStore {
  private closed = false;

  constructor(
    private readonly dbs: Dbs,
    private readonly dataFile: string,
    private readonly readOnly: boolean,
  ) {}

  async putTracks(batch: readonly TrackLandmarks[]): Promise<void> {
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
    const totals = this.dbs.meta.getBinary('totals');
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
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.dbs.env.close();
  }

  private assertWritable(): void {
    if (this.closed) throw new AppError('internal', 'landmark store is closed');
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
