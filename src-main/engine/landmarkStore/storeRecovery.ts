// Damage detection and recovery for the on-disk landmark store (a cache: the catalog and the music files rebuild it).
// Finds damage at open (the meta-page check in lmdbDataFile.ts, then a cheap sampled read: checkLandmarkStore) and
// at run time (any call that fails with one of LMDB's damage codes, see isStoreDamageError). A damaged store is
// closed, moved aside to `<dir>.damaged-<ms>` and replaced by an empty one; the owner is told (onReplaced) so it can
// mark every track for re-fingerprinting and rescan. Lookups keep working throughout (empty until rebuilt); writes
// made while the store is replaced land in the new one. Main thread of the library's owner; no worker state.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import type { CompactionResult, LandmarkStore, LandmarkStoreStats, TrackLandmarks } from './landmarkStore.js';
import { findLmdbDataFileProblem } from './lmdbDataFile.js';
import { openLmdbLandmarkStore, type LmdbLandmarkStoreOptions } from './lmdbLandmarkStore.js';
import { closedCleanly, markClosedCleanly, probeStoreInChild } from './storeProbe.js';

/**
 * LMDB return codes that mean the file (or a transaction that touched a bad page) is damaged. lmdb-js throws an
 * Error whose numeric `code` is the return code (e.g. -30796, message "MDB_CORRUPTED: Located page was wrong type");
 * after one such read the thread's read transaction stays broken and every later read fails with MDB_BAD_TXN.
 * Not here: MDB_MAP_FULL, MDB_READERS_FULL and friends (resources, not damage), MDB_NOTFOUND (not an error).
 */
export const LMDB_DAMAGE_CODES: ReadonlyMap<number, string> = new Map([
  [-30797, 'MDB_PAGE_NOTFOUND'],
  [-30796, 'MDB_CORRUPTED'],
  [-30795, 'MDB_PANIC'],
  [-30794, 'MDB_VERSION_MISMATCH'],
  [-30793, 'MDB_INVALID'],
  [-30784, 'MDB_INCOMPATIBLE'],
  [-30782, 'MDB_BAD_TXN'],
]);

/** Suffix of a damaged store moved aside: `landmarks.damaged-1733320000000`. */
export const DAMAGED_SUFFIX = '.damaged-';

/** Whether `err` (or an error in its `cause` chain) says the store is damaged: an LMDB damage code or AppError 'store-damaged'. */
export function isStoreDamageError(err: unknown): boolean {
  for (let e = err, depth = 0; e !== null && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof AppError && e.code === 'store-damaged') return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && LMDB_DAMAGE_CODES.has(code)) return true;
  }
  return false;
}

/** Hash keys a start-up check looks up: spread over the 22-bit range the fingerprinter uses, and over all 32 bits. */
const PROBE_HASHES: readonly number[] = Array.from(
  { length: 64 },
  (_, i) => (i < 32 ? Math.floor((i * 2 ** 22) / 32) + 7 : Math.floor(((i - 32) * 2 ** 32) / 32) + 7) >>> 0,
);

/**
 * A cheap read through the store at open: every track header (one small record per track), the peaks of a few
 * tracks, 64 lookups spread across the hash range (each walks the B-tree from its root to a leaf) and the page
 * statistics. Damage on pages none of these touch is found at run time instead. Throws what the store throws.
 * Measured: 2-9 ms for 1000 tracks / 3M postings (2 loaded cores); the header walk grows with the track count.
 */
export function checkLandmarkStore(store: LandmarkStore): void {
  const nums = store.trackNums();
  for (const num of nums) store.trackVersion(num);
  const step = Math.max(1, Math.floor(nums.length / 8));
  for (let i = 0; i < nums.length; i += step) store.getPeaks(nums[i]);
  for (const hash of PROBE_HASHES) store.lookup(hash);
  store.stats();
}

/** Moves a damaged store directory aside (`<dir>.damaged-<ms>`); returns the new path. */
export async function moveStoreAside(dirPath: string, nowMs = Date.now()): Promise<string> {
  let target = `${dirPath}${DAMAGED_SUFFIX}${nowMs}`;
  for (let n = 1; await exists(target); n++) target = `${dirPath}${DAMAGED_SUFFIX}${nowMs}-${n}`;
  await fsp.rename(dirPath, target);
  return target;
}

/** Deletes the damaged stores moved aside next to `dirPath` (once a rebuild has succeeded); returns how many. */
export async function removeDamagedStores(dirPath: string): Promise<number> {
  const parent = path.dirname(dirPath);
  const prefix = path.basename(dirPath) + DAMAGED_SUFFIX;
  const names = (await fsp.readdir(parent).catch(() => [] as string[])).filter((name) => name.startsWith(prefix));
  for (const name of names) await fsp.rm(path.join(parent, name), { recursive: true, force: true });
  return names.length;
}

/** Lists the damaged stores moved aside next to `dirPath`. */
export async function listDamagedStores(dirPath: string): Promise<string[]> {
  const parent = path.dirname(dirPath);
  const prefix = path.basename(dirPath) + DAMAGED_SUFFIX;
  return (await fsp.readdir(parent).catch(() => [] as string[])).filter((name) => name.startsWith(prefix)).map((name) => path.join(parent, name));
}

async function exists(p: string): Promise<boolean> {
  return fsp.stat(p).then(
    () => true,
    () => false,
  );
}

export interface StoreReplacement {
  /** Where the damaged store went. */
  readonly movedTo: string;
  /** What was wrong, in words (the LMDB error or the open check's finding). */
  readonly reason: string;
}

export interface StoreRecoveryHooks {
  /**
   * Whether the damaged store may be moved aside now. False while another process holds the data folder (it owns
   * the store's repairs): the store then answers 'store-damaged' until reopened.
   */
  readonly canRepair: () => boolean;
  /** A damaged store was replaced by an empty one at run time: mark the catalog's tracks and rescan. */
  readonly onReplaced?: (replacement: StoreReplacement) => void | Promise<void>;
  /** Read the store in a child process first (storeProbe.ts: pages that crash lmdb-js). Default true. */
  readonly probeInChild?: boolean;
  /** The read in a child (default probeStoreInChild); tests count the calls. */
  readonly probe?: (dirPath: string) => Promise<string | undefined>;
}

export interface OpenedLandmarkStore {
  readonly store: RecoveringLandmarkStore;
  /** Set when opening found the store damaged and replaced it by an empty one. */
  readonly replaced: StoreReplacement | undefined;
}

/**
 * Opens the LMDB store in `dirPath` behind a RecoveringLandmarkStore: a store that fails to open or fails the
 * start-up check (a read in a child process, then checkLandmarkStore here) is moved aside and replaced by an empty
 * one (when hooks.canRepair(); otherwise the error is thrown).
 */
export async function openRecoveringLandmarkStore(
  dirPath: string,
  hooks: StoreRecoveryHooks,
  options: LmdbLandmarkStoreOptions = {},
): Promise<OpenedLandmarkStore> {
  let replaced: StoreReplacement | undefined;
  let inner: LandmarkStore | undefined;
  try {
    // The meta pages first (a file that is not LMDB, or truncated: plain words), then a read in a child process.
    // A store closed cleanly and unchanged since needs no read in a child (storeProbe.ts); the meta pages are checked
    // regardless.
    const probe = hooks.probeInChild === false || closedCleanly(dirPath) ? undefined : (hooks.probe ?? probeStoreInChild);
    const problem = findLmdbDataFileProblem(path.join(dirPath, 'data.mdb')) ?? (await probe?.(dirPath));
    if (problem !== undefined) throw new AppError('store-damaged', `${dirPath}: ${problem}`);
    inner = await openLmdbLandmarkStore(dirPath, options);
    checkLandmarkStore(inner);
  } catch (err) {
    if (!isStoreDamageError(err)) {
      await inner?.close().catch(() => undefined);
      throw err;
    }
    if (!hooks.canRepair()) {
      await inner?.close().catch(() => undefined);
      throw toDamagedError(err, dirPath);
    }
    await inner?.close().catch(() => undefined);
    const movedTo = await moveStoreAside(dirPath);
    replaced = { movedTo, reason: describe(err) };
    inner = await openLmdbLandmarkStore(dirPath, options);
  }
  return { store: new RecoveringLandmarkStore(inner, dirPath, hooks, options), replaced };
}

/**
 * A LandmarkStore that replaces its LMDB store by an empty one when a call fails with a damage error. The failing
 * read answers AppError('store-damaged'); later reads use the new store. A failing write is retried once on the new
 * store, so a scan in progress keeps writing. Single-threaded, like the store it wraps.
 */
export class RecoveringLandmarkStore implements LandmarkStore {
  /** undefined while the damaged store is being replaced, or when it is damaged and may not be repaired here. */
  private inner: LandmarkStore | undefined;
  private replacing: Promise<void> | undefined;
  private damage: AppError | undefined;
  private closed = false;
  /** Times the store was replaced at run time (a scan compares it before and after). */
  replacementCount = 0;

  constructor(
    inner: LandmarkStore,
    readonly dirPath: string,
    private readonly hooks: StoreRecoveryHooks,
    private readonly options: LmdbLandmarkStoreOptions,
  ) {
    this.inner = inner;
  }

  /** Resolves once a replacement in progress is done (at once when none is). */
  async settled(): Promise<void> {
    while (this.replacing !== undefined) await this.replacing;
  }

  async putTracks(tracks: readonly TrackLandmarks[]): Promise<void> {
    await this.settled();
    try {
      await this.live().putTracks(tracks);
    } catch (err) {
      if (!isStoreDamageError(err)) throw err;
      await this.replace(err);
      await this.live().putTracks(tracks);
    }
  }

  async deleteTracks(trackNums: readonly number[]): Promise<void> {
    await this.settled();
    try {
      await this.live().deleteTracks(trackNums);
    } catch (err) {
      if (!isStoreDamageError(err)) throw err;
      await this.replace(err); // the new store is empty: nothing left to delete
    }
  }

  hasTrack(trackNum: number): boolean {
    return this.read((s) => s.hasTrack(trackNum));
  }

  trackVersion(trackNum: number): number | undefined {
    return this.read((s) => s.trackVersion(trackNum));
  }

  trackNums(): number[] {
    return this.read((s) => s.trackNums());
  }

  lookup(hash: number): Uint32Array {
    return this.read((s) => s.lookup(hash));
  }

  getPeaks(trackNum: number): Uint8Array {
    return this.read((s) => s.getPeaks(trackNum));
  }

  stats(): LandmarkStoreStats {
    return this.read((s) => s.stats());
  }

  async compact(): Promise<CompactionResult> {
    await this.settled();
    try {
      return await this.live().compact();
    } catch (err) {
      if (!isStoreDamageError(err)) throw err;
      await this.replace(err);
      return { bytesBefore: 0, bytesAfter: 0 };
    }
  }

  /**
   * Damage found by the owner rather than by LMDB (reads that answer "not found" where the catalog knows a track:
   * a scribbled page can look like an empty one): replace the store as if a call had failed. Resolves once replaced.
   */
  reportDamage(reason: string): Promise<void> {
    return this.replace(new AppError('store-damaged', `${this.dirPath}: ${reason}`));
  }

  /** Closes the store; a sound one closed without an error is marked so that the next open skips the child read. */
  async close(): Promise<void> {
    await this.settled();
    this.closed = true;
    const inner = this.inner;
    this.inner = undefined;
    await inner?.close();
    if (inner !== undefined) markClosedCleanly(this.dirPath);
  }

  private live(): LandmarkStore {
    if (this.closed) throw new AppError('internal', 'landmark store is closed');
    if (this.inner !== undefined) return this.inner;
    throw this.damage ?? new AppError('store-damaged', 'the fingerprint index is being replaced');
  }

  private read<T>(body: (store: LandmarkStore) => T): T {
    const store = this.live();
    try {
      return body(store);
    } catch (err) {
      if (!isStoreDamageError(err)) throw err;
      void this.replace(err).catch(() => undefined);
      throw toDamagedError(err, this.dirPath);
    }
  }

  /** Closes the damaged store, moves it aside and opens an empty one (once, however many calls fail meanwhile). */
  private replace(cause: unknown): Promise<void> {
    if (this.replacing !== undefined) return this.replacing;
    if (this.inner === undefined) return Promise.reject(this.damage ?? toDamagedError(cause, this.dirPath));
    const damaged = this.inner;
    this.inner = undefined;
    this.replacing = (async () => {
      await damaged.close().catch(() => undefined);
      if (!this.hooks.canRepair()) {
        this.damage = toDamagedError(cause, this.dirPath);
        throw this.damage;
      }
      let movedTo: string;
      try {
        movedTo = await moveStoreAside(this.dirPath);
        this.inner = await openLmdbLandmarkStore(this.dirPath, this.options);
      } catch (err) {
        this.damage = new AppError('store-damaged', `${this.dirPath}: ${describe(cause)}; replacing it failed: ${describe(err)}`, { cause: err });
        throw this.damage;
      }
      this.replacementCount++;
      await this.hooks.onReplaced?.({ movedTo, reason: describe(cause) });
    })().finally(() => {
      this.replacing = undefined;
    });
    return this.replacing;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function toDamagedError(err: unknown, dirPath: string): AppError {
  if (err instanceof AppError && err.code === 'store-damaged') return err;
  return new AppError('store-damaged', `${dirPath}: ${describe(err)}`, { cause: err });
}
