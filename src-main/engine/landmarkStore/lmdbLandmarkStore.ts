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
//
// compact() returns them: it copies every record into a new store beside this one and swaps the directories by
// renames (crash-safe, see there). Measured with a throwaway script (300 tracks x 4 min x 115 postings/s = 8.28M
// postings, 22-bit random hashes, no peaks, 16 tracks per putTracks, 2 loaded cores; MB/h = per hour of audio):
//   after the writes     data.mdb 506.9 MB = 61.2 B/posting = 25.3 MB/h; pages in use (liveBytes) 193.7 MB
//   compact()            -> 173.9 MB = 21.0 B/posting = 8.7 MB/h, in 14.9 s (lookups keep working meanwhile)
//   + 16 more tracks     data.mdb 316.8 MB, liveBytes 175.8 MB: the 15% page slack absorbed the batch
//                        (packed full, the same batch grew liveBytes to 272 MB: nearly every page split)
// Which is why Library compacts after a scan that changed anything (isWorthCompacting in landmarkStore.ts).
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { open, type Database, type Key, type RangeOptions, type RootDatabase } from 'lmdb';
import { AppError } from '../errors.js';
import { findLmdbDataFileProblem } from './lmdbDataFile.js';
import type { CompactionResult, LandmarkStore, LandmarkStoreStats, TrackLandmarks } from './landmarkStore.js';
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
/** Siblings of the store directory while compact() runs (see there). */
const COMPACT_NEW_SUFFIX = '.compact-new';
const COMPACT_OLD_SUFFIX = '.compact-old';
/** Records per write transaction of a compaction's copy: ~80 ms each on 2 loaded cores, the longest a lookup waits. */
const COPY_CHUNK_ENTRIES = 20_000;
/**
 * Share of each postings page a compaction leaves free. With random hashes a batch inserts into most pages, and a
 * full page splits into two half-empty ones on its next insert: a tightly packed copy would double its used pages
 * at the first batch after it (measured: 300 tracks packed to 151.7 MB used 272 MB of pages after 16 more tracks).
 */
const COMPACT_PAGE_SLACK = 0.15;
/** Slack is reserved this many bytes at a time, as one filler record. */
const FILLER_BYTES = 256;
const FILLER_KEY_SUFFIX = Buffer.of(0);
const FILLER_VALUE = Buffer.alloc(FILLER_BYTES);
/** What an LMDB leaf node costs besides its key and value: 8-byte node header + 2-byte slot pointer. */
const LEAF_NODE_OVERHEAD_BYTES = 10;
const APPEND = { append: true } as const;
/** LMDB's two meta pages, which no sub-database stat counts. */
const LMDB_META_PAGES = 2;
const TRACK_HEADER_BYTES = 16;

type U32Db = Database<Uint8Array, number>;

/**
 * Opens (creating if needed, unless readOnly) the store in `dirPath`. A writable open first finishes or undoes a
 * compaction a crash interrupted (see compact()).
 * Throws AppError('store-damaged') when the directory holds something that is not a healthy store of this format,
 * AppError('not-found') when readOnly and there is no store.
 */
export async function openLmdbLandmarkStore(
  dirPath: string,
  options: LmdbLandmarkStoreOptions = {},
): Promise<LandmarkStore> {
  const readOnly = options.readOnly === true;
  if (!readOnly) recoverInterruptedCompaction(dirPath);
  prepareDirectory(dirPath, path.join(dirPath, DATA_FILE), readOnly);
  return new LmdbLandmarkStore(openDbs(dirPath, options), dirPath, options);
}

/** Opens the environment and its sub-databases; synchronous, so compact() can swap stores between two lookups. */
function openDbs(dirPath: string, options: LmdbLandmarkStoreOptions): Dbs {
  const readOnly = options.readOnly === true;
  const problem = findLmdbDataFileProblem(path.join(dirPath, DATA_FILE));
  if (problem !== undefined) throw new AppError('store-damaged', `${dirPath}: ${problem}`);
  let env: RootDatabase;
  try {
    env = open(dirPath, {
      compression: false,
      encoding: 'binary',
      maxDbs: 8,
      // A directory holding data.mdb + lock.mdb, even when its name has a dot (lmdb-js would take it for a file).
      noSubdir: false,
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
    return dbs;
  } catch (err) {
    // lmdb-js closes synchronously when no asynchronous write is pending, and this store never makes one.
    env.close().catch(() => undefined);
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
   * Compacts by swapping directories (`dir` is the store, `dir.compact-new` and `dir.compact-old` its siblings):
   *   1. copy every record into a new store in dir.compact-new (copyRecords), close it, fsync its data.mdb, that
   *      directory and the parent. Writes wait meanwhile, so the copy is one consistent state.
   *   2. close the environment (flushes it), rename dir -> dir.compact-old, fsync the parent;
   *   3. rename dir.compact-new -> dir, fsync the parent;
   *   4. reopen dir in place (the sub-db handles are replaced, so this object keeps working), delete dir.compact-old.
   * A crash leaves one of: dir (+ a partial or whole .compact-new): keep dir; .compact-old + .compact-new (whole:
   * it was synced before step 2): rename it in; dir + .compact-old: keep dir. recoverInterruptedCompaction() does
   * that on the next writable open and deletes the leftovers. The new directory gets a fresh lock.mdb, so lmdb-js,
   * which shares one native environment per lock file (dev, inode) within a process, can never hand back the old one.
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
    const { dirPath, dataFile } = this;
    const parent = path.dirname(path.resolve(dirPath));
    const newDir = dirPath + COMPACT_NEW_SUFFIX;
    const oldDir = dirPath + COMPACT_OLD_SUFFIX;
    const bytesBefore = fileBytes(dataFile);
    try {
      fs.rmSync(newDir, { recursive: true, force: true });
      const target = openDbs(newDir, { mapSizeBytes: this.options.mapSizeBytes });
      try {
        await copyRecords(this.dbs, target);
      } finally {
        await target.env.close();
      }
      const copy = path.join(newDir, DATA_FILE);
      fsyncFile(copy);
      fsyncDirectory(newDir);
      fsyncDirectory(parent);
      const problem = findLmdbDataFileProblem(copy);
      if (problem !== undefined) throw new Error(`the compacted copy is unsound: ${problem}`);
    } catch (err) {
      fs.rmSync(newDir, { recursive: true, force: true });
      throw new AppError('internal', `compacting ${dirPath} failed: ${(err as Error).message}`, { cause: err });
    }

    const old = this.dbs;
    this.current = undefined;
    await old.env.close();
    let renamedOld = false;
    try {
      fs.renameSync(dirPath, oldDir);
      renamedOld = true;
      fsyncDirectory(parent);
      fs.renameSync(newDir, dirPath);
      fsyncDirectory(parent);
      this.current = openDbs(dirPath, this.options);
    } catch (err) {
      const message = `compacting ${dirPath} failed: ${(err as Error).message}`;
      try {
        // Put the old store back: the copy did not make it in, or does not open.
        if (renamedOld) {
          if (fs.existsSync(dirPath)) fs.renameSync(dirPath, newDir);
          fs.renameSync(oldDir, dirPath);
          fsyncDirectory(parent);
        }
        fs.rmSync(newDir, { recursive: true, force: true });
        this.current = openDbs(dirPath, this.options);
      } catch (restoreErr) {
        this.closed = true;
        const detail = `${message}; restoring the old store failed too (${(restoreErr as Error).message}), reopen to recover`;
        throw new AppError('store-damaged', detail, { cause: restoreErr });
      }
      throw new AppError('internal', message, { cause: err });
    }
    removeLeftover(oldDir);
    return { bytesBefore, bytesAfter: fileBytes(dataFile) };
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

/**
 * Finishes or undoes a compaction a crash interrupted (see LmdbLandmarkStore.compact for the steps), then removes
 * the leftovers. Only the window between the two renames has no `dirPath`; the new copy was complete and synced
 * before the first rename, so it is renamed in (checked first; the old store goes back if the copy looks unsound).
 */
function recoverInterruptedCompaction(dirPath: string): void {
  const newDir = dirPath + COMPACT_NEW_SUFFIX;
  const oldDir = dirPath + COMPACT_OLD_SUFFIX;
  if (!fs.existsSync(newDir) && !fs.existsSync(oldDir)) return;
  try {
    if (!fs.existsSync(dirPath) && fs.existsSync(oldDir)) {
      const copy = path.join(newDir, DATA_FILE);
      const copyIsSound = fileBytes(copy) > 0 && findLmdbDataFileProblem(copy) === undefined;
      fs.renameSync(copyIsSound ? newDir : oldDir, dirPath);
      fsyncDirectory(path.dirname(path.resolve(dirPath)));
    }
    fs.rmSync(newDir, { recursive: true, force: true });
    removeLeftover(oldDir);
  } catch (err) {
    throw new AppError('store-damaged', `${dirPath}: cannot recover an interrupted compaction: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * Copies every record of `from` into the new, empty store `to` in key order with MDB_APPEND (which fills each page
 * before starting the next), in transactions of COPY_CHUNK_ENTRIES records with an event-loop turn between them
 * (lookups go on, from `from`). The caller keeps `from` unchanged meanwhile. Checks the entry counts at the end.
 * Postings pages keep COMPACT_PAGE_SLACK free: filler records are appended between the real ones and removed before
 * the transaction commits (its pages are still private to it, so nothing is copied or freed).
 * Not mdb_env_copy2(MDB_CP_COMPACT) (lmdb-js backup(path, true)): with lmdb-js 3.5.6 a write to such a copy fails
 * ("mdb_page_alloc error", MDB_BAD_VALSIZE) or segfaults the process (found by test; lmdb-js issue #198).
 */
async function copyRecords(from: Dbs, to: Dbs): Promise<void> {
  const pairs: Array<[U32Db | ChunkDb, U32Db | ChunkDb]> = [
    [from.postings, to.postings],
    [from.tracks, to.tracks],
    [from.trackHashes, to.trackHashes],
    [from.trackPeaks, to.trackPeaks],
  ];
  for (const [source, target] of pairs) {
    // u32 numbers or byte strings, handed back exactly as the source's getRange gives them.
    const src = source as Database<Uint8Array, Key>;
    const dst = target as Database<Uint8Array, Key>;
    let after: Key | undefined;
    for (;;) {
      const range: RangeOptions = { limit: COPY_CHUNK_ENTRIES };
      if (after !== undefined) Object.assign(range, { start: after, exclusiveStart: true });
      const entries = Array.from(src.getRange(range));
      if (entries.length === 0) break;
      const withSlack = source === from.postings;
      /** Filler bytes owed per real byte, so that fillers / (real + fillers) = COMPACT_PAGE_SLACK. */
      const slackPerByte = COMPACT_PAGE_SLACK / (1 - COMPACT_PAGE_SLACK);
      to.env.transactionSync(() => {
        const fillers: Buffer[] = [];
        let credit = 0;
        for (const { key, value } of entries) {
          dst.putSync(key, value, APPEND);
          if (!withSlack) continue;
          credit += (LEAF_NODE_OVERHEAD_BYTES + (key as Uint8Array).length + value.length) * slackPerByte;
          if (credit < FILLER_BYTES) continue;
          // key + [0] sorts after key and before the next record: postings keys are 4 or 8 bytes, never 5 or 9.
          const fillerKey = Buffer.concat([key as Uint8Array, FILLER_KEY_SUFFIX]);
          const fillerValueBytes = FILLER_BYTES - LEAF_NODE_OVERHEAD_BYTES - fillerKey.length;
          dst.putSync(fillerKey, FILLER_VALUE.subarray(0, fillerValueBytes), APPEND);
          fillers.push(fillerKey);
          credit -= FILLER_BYTES;
        }
        for (const key of fillers) dst.removeSync(key);
      });
      after = entries[entries.length - 1].key;
      await setImmediate();
    }
    const counts = [src, dst].map((db) => (db.getStats() as { entryCount: number }).entryCount);
    if (counts[0] !== counts[1]) throw new Error(`copied ${counts[1]} of ${counts[0]} records`);
  }
  to.env.transactionSync(() => {
    for (const { key, value } of from.meta.getRange({})) to.meta.putSync(key, value);
  });
}

/** Deletes a directory a finished compaction left; a failure (a file held open on Windows) waits for the next open. */
function removeLeftover(dirPath: string): void {
  try {
    fs.rmSync(dirPath, { recursive: true, force: true });
  } catch {
    // recoverInterruptedCompaction() retries on the next writable open.
  }
}

/** Pages in use times the page size: exactly the size of a compacted copy (all pages but the free list's). */
function liveBytes(dbs: Dbs): number {
  const root = dbs.env.getStats() as LmdbPageStats;
  let pages = LMDB_META_PAGES + usedPages(root);
  for (const db of [dbs.postings, dbs.tracks, dbs.trackHashes, dbs.trackPeaks, dbs.meta]) {
    pages += usedPages(db.getStats() as LmdbPageStats);
  }
  return pages * root.pageSize;
}

/** What lmdb-js getStats() reports per database (mdb_stat), in pages; index.d.ts types it as `{}`. */
interface LmdbPageStats {
  readonly pageSize: number;
  readonly treeBranchPageCount: number;
  readonly treeLeafPageCount: number;
  readonly overflowPages: number;
}

function usedPages(stats: LmdbPageStats): number {
  return stats.treeBranchPageCount + stats.treeLeafPageCount + stats.overflowPages;
}

function fileBytes(filePath: string): number {
  try {
    return fs.statSync(filePath).size;
  } catch {
    return 0;
  }
}

function fsyncFile(filePath: string): void {
  const fd = fs.openSync(filePath, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes renames and new entries in a directory durable. Windows cannot open a directory; NTFS journals renames. */
function fsyncDirectory(dirPath: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dirPath, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
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
