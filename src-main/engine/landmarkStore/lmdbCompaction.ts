// Compaction of the LMDB landmark store (lmdbLandmarkStore.ts), and recovery from a compaction a crash interrupted.
//
// A store's file settles near 2.5x its compacted size (freed pages are reused, never returned; see
// lmdbLandmarkStore.ts). compact() returns them: it copies every record into a new store beside this one and swaps
// the directories by renames (crash-safe, see compactStore). Measured with a throwaway script (300 tracks x 4 min x 115 postings/s = 8.28M
// postings, 22-bit random hashes, no peaks, 16 tracks per putTracks, 2 loaded cores; MB/h = per hour of audio):
//   after the writes     data.mdb 506.9 MB = 61.2 B/posting = 25.3 MB/h; pages in use (liveBytes) 193.7 MB
//   compact()            -> 173.9 MB = 21.0 B/posting = 8.7 MB/h, in 14.9 s (lookups keep working meanwhile)
//   + 16 more tracks     data.mdb 316.8 MB, liveBytes 175.8 MB: the 15% page slack absorbed the batch
//                        (packed full, the same batch grew liveBytes to 272 MB: nearly every page split)
// Which is why LibraryEngine compacts after a scan that changed anything (isWorthCompacting in landmarkStore.ts).
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import type { Database, Key, RangeOptions } from 'lmdb';
import { AppError } from '../errors.js';
import type { CompactionResult } from './landmarkStore.js';
import { findLmdbDataFileProblem } from './lmdbDataFile.js';
import { DATA_FILE, openDbs, type Dbs, type LmdbLandmarkStoreOptions, type U32Db } from './lmdbEnvironment.js';
import type { ChunkDb } from './lmdbPostingChunks.js';

/** Siblings of the store directory while a compaction runs (see compactStore). */
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
/** The store's side of a compaction's swap. */
export interface CompactionSwap {
  /** Closes the store's environment; lookups then report the swap until attach(). */
  detach(): Promise<void>;
  /** The environment the store uses from now on (the compacted copy, or the old store put back). */
  attach(dbs: Dbs): void;
  /** Neither the copy nor the old store opens again: the store is closed for good (reopen to recover). */
  lost(): void;
}

/**
 * Compacts by swapping directories (`dir` is the store, `dir.compact-new` and `dir.compact-old` its siblings):
 *   1. copy every record into a new store in dir.compact-new (copyRecords), close it, fsync its data.mdb, that
 *      directory and the parent. Writes wait meanwhile, so the copy is one consistent state.
 *   2. close the environment (flushes it), rename dir -> dir.compact-old, fsync the parent;
 *   3. rename dir.compact-new -> dir, fsync the parent;
 *   4. reopen dir in place (swap.attach: the store object keeps working), delete dir.compact-old.
 * A crash leaves one of: dir (+ a partial or whole .compact-new): keep dir; .compact-old + .compact-new (whole:
 * it was synced before step 2): rename it in; dir + .compact-old: keep dir. recoverInterruptedCompaction() does
 * that on the next writable open and deletes the leftovers. The new directory gets a fresh lock.mdb, so lmdb-js,
 * which shares one native environment per lock file (dev, inode) within a process, can never hand back the old one.
 */
export async function compactStore(dirPath: string, options: LmdbLandmarkStoreOptions, source: Dbs, swap: CompactionSwap): Promise<CompactionResult> {
  const dataFile = path.join(dirPath, DATA_FILE);
  const parent = path.dirname(path.resolve(dirPath));
  const newDir = dirPath + COMPACT_NEW_SUFFIX;
  const oldDir = dirPath + COMPACT_OLD_SUFFIX;
  const bytesBefore = fileBytes(dataFile);
  try {
    fs.rmSync(newDir, { recursive: true, force: true });
    const target = openDbs(newDir, { mapSizeBytes: options.mapSizeBytes });
    try {
      await copyRecords(source, target);
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

  await swap.detach();
  let renamedOld = false;
  try {
    fs.renameSync(dirPath, oldDir);
    renamedOld = true;
    fsyncDirectory(parent);
    fs.renameSync(newDir, dirPath);
    fsyncDirectory(parent);
    swap.attach(openDbs(dirPath, options));
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
      swap.attach(openDbs(dirPath, options));
    } catch (restoreErr) {
      swap.lost();
      const detail = `${message}; restoring the old store failed too (${(restoreErr as Error).message}), reopen to recover`;
      throw new AppError('store-damaged', detail, { cause: restoreErr });
    }
    throw new AppError('internal', message, { cause: err });
  }
  removeLeftover(oldDir);
  return { bytesBefore, bytesAfter: fileBytes(dataFile) };
}

/**
 * Finishes or undoes a compaction a crash interrupted (see compactStore for the steps), then removes
 * the leftovers. Only the window between the two renames has no `dirPath`; the new copy was complete and synced
 * before the first rename, so it is renamed in (checked first; the old store goes back if the copy looks unsound).
 */
export function recoverInterruptedCompaction(dirPath: string): void {
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
