// The landmark store's LMDB environment (lmdbLandmarkStore.ts): opening it, its sub-databases and format marker.
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
import fs from 'node:fs';
import path from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { AppError } from '../errors.js';
import { findLmdbDataFileProblem } from './lmdbDataFile.js';
import type { ChunkDb } from './lmdbPostingChunks.js';

/** Bump when the layout above changes: an older store then reads as 'store-damaged' and is rebuilt. */
export const LMDB_STORE_FORMAT_VERSION = 1;

export interface LmdbLandmarkStoreOptions {
  /** Initial map size in bytes (lmdb-js grows it as needed when omitted). */
  readonly mapSizeBytes?: number;
  /** Open for lookups only; the store must already exist. */
  readonly readOnly?: boolean;
}

export const DATA_FILE = 'data.mdb';
/** LMDB's two meta pages, which no sub-database stat counts. */
const LMDB_META_PAGES = 2;

export type U32Db = Database<Uint8Array, number>;

/** Opens the environment and its sub-databases; synchronous, so compact() can swap stores between two lookups. */
export function openDbs(dirPath: string, options: LmdbLandmarkStoreOptions): Dbs {
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
    const u32Db = (name: string): U32Db => env.openDB<Uint8Array, number>(name, { keyEncoding: 'uint32', encoding: 'binary', compression: false });
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

export function prepareDirectory(dirPath: string, dataFile: string, readOnly: boolean): void {
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

export interface Dbs {
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

export function encodeTotals(trackCount: number, landmarkCount: number): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeDoubleLE(trackCount, 0);
  bytes.writeDoubleLE(landmarkCount, 8);
  return bytes;
}

/** Pages in use times the page size: exactly the size of a compacted copy (all pages but the free list's). */
export function liveBytes(dbs: Dbs): number {
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
