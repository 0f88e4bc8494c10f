// Keeps the landmark store (a cache) in line with the catalog (the source of truth): the repair at open (orphans
// out, stale tracks back to pending), marking every track for re-fingerprinting when the store was replaced, the
// check after a miss that a store still holds what the catalog says it does, and one summary for a scan that had to
// run twice. Functions of a catalog and a store; run by the library's owner thread.
import type { ScanSummary } from '../../src-preload/contract/library.js';
import type { Catalog } from './catalog/catalog.js';
import { AppError } from './errors.js';
import { isStoreDamageError, type OpenedLandmarkStore, type RecoveringLandmarkStore, type StoreReplacement } from './landmarkStore/storeRecovery.js';

/** What opening found about the landmark store. */
export interface OpenReport {
  /** The store was damaged (failed to open or failed the start-up check): it was moved aside and is rebuilt. */
  readonly storeWasDamaged: boolean;
  /** The catalog had fingerprinted tracks but the store held none of them (deleted, or emptied): it is rebuilt. */
  readonly storeWasMissing: boolean;
  /** What was wrong with a damaged store, and where it went. */
  readonly storeReplacement?: StoreReplacement;
  readonly repair: RepairReport;
}

export interface RepairReport {
  /** Store entries without a catalog track, deleted. */
  readonly orphansRemoved: number;
  /** Catalog tracks marked indexed that the store lacks (or has at another version): set back to pending. */
  readonly tracksToRefingerprint: number;
}

/** Tracks a check after a miss looks for in the store (four primary-key seeks in the catalog, a few store reads). */
const MISS_CHECK_SAMPLES = 4;

/**
 * What opening found about the store `opened` (damaged and replaced, or missing: the catalog has fingerprinted tracks
 * the store holds none of), after repairing it when `canRepair` (a writer, or no writer holds the folder).
 */
export async function checkStoreAtOpen(catalog: Catalog, opened: OpenedLandmarkStore, version: number, canRepair: boolean): Promise<OpenReport> {
  const { store, replaced } = opened;
  const indexedCount = catalog.listTrackNumsByFingerprintStatus('indexed').length;
  const storeWasMissing = replaced === undefined && indexedCount > 0 && isStoreEmpty(store);
  const replacementsBefore = store.replacementCount;
  const repair = canRepair ? await repairStore(catalog, store, version) : { orphansRemoved: 0, tracksToRefingerprint: storeWasMissing ? indexedCount : 0 };
  return {
    storeWasDamaged: replaced !== undefined || store.replacementCount !== replacementsBefore,
    storeWasMissing,
    ...(replaced ? { storeReplacement: replaced } : {}),
    repair,
  };
}

/** Makes the store agree with the catalog (fingerprints at `version`); a store found damaged meanwhile is replaced first. */
export async function repairStore(catalog: Catalog, store: RecoveringLandmarkStore, version: number): Promise<RepairReport> {
  try {
    return await repairOnce(catalog, store, version);
  } catch (err) {
    if (!isStoreDamageError(err)) throw err;
    await store.settled(); // replaced by an empty store (or it throws why it could not be)
    return repairOnce(catalog, store, version);
  }
}

async function repairOnce(catalog: Catalog, store: RecoveringLandmarkStore, version: number): Promise<RepairReport> {
  const storeNums = new Set(store.trackNums());
  const catalogRows = catalog.getTracksByNums([...storeNums]);
  const orphans = [...storeNums].filter((n) => !catalogRows.has(n));
  if (orphans.length > 0) await store.deleteTracks(orphans);
  let stale = 0;
  catalog.transaction(() => {
    for (const num of catalog.listTrackNumsByFingerprintStatus('indexed')) {
      if (store.trackVersion(num) !== version) {
        catalog.setFingerprintStatus(num, 'pending', null, 0);
        stale++;
      }
    }
  });
  return { orphansRemoved: orphans.length, tracksToRefingerprint: stale };
}

/** Sets every indexed track back to pending (its landmarks are gone with a replaced store); returns how many. */
export function markAllForRefingerprint(catalog: Catalog): number {
  let count = 0;
  catalog.transaction(() => {
    for (const num of catalog.listTrackNumsByFingerprintStatus('indexed')) {
      catalog.setFingerprintStatus(num, 'pending', null, 0);
      count++;
    }
  });
  return count;
}

/** Whether the landmark store holds no track at all (false when reading it fails on damage: that is found elsewhere). */
function isStoreEmpty(store: RecoveringLandmarkStore): boolean {
  try {
    return store.trackNums().length === 0;
  } catch (err) {
    if (isStoreDamageError(err)) return false;
    throw err;
  }
}

/**
 * A miss is also what a damaged store answers when a scribbled page reads as an empty one. So after a miss, a few
 * tracks the catalog says are fingerprinted (at `version`) are looked up: when none is in the store, the store is
 * replaced (see storeRecovery.ts) and this throws AppError 'store-damaged'. A few ms; runs after every miss (most of
 * what continuous listening hears), so the sample is a few primary-key seeks, never a read of the whole table.
 */
export async function checkStoreAgainstCatalog(catalog: Catalog, store: RecoveringLandmarkStore, version: number): Promise<void> {
  const sample = catalog.sampleIndexedTrackNums(version, MISS_CHECK_SAMPLES);
  if (sample.length === 0) return;
  // A track being removed leaves the store a moment before the catalog: one missing track is not damage.
  if (sample.length < 2 && catalog.countTracks() > 1) return;
  if (sample.some((num) => store.hasTrack(num))) return;
  const reason = `the catalog's fingerprinted tracks ${sample.join(', ')} are missing from the store`;
  await store.reportDamage(reason).catch(() => undefined);
  throw new AppError('store-damaged', `the fingerprint index was damaged (${reason}); it is being rebuilt from your files`);
}

/**
 * One summary for a scan that ran twice (the store was replaced during the first pass): each file as the second pass
 * saw it, less the files the first pass added, updated or moved (the second pass counts them as unchanged, or as
 * rebuilt when their landmarks went with the damaged store; which of the two is not known, so unchanged goes first).
 */
export function mergeSummaries(a: ScanSummary, b: ScanSummary): ScanSummary {
  const changedByFirst = a.added + a.updated + a.moved;
  const unchanged = Math.max(0, b.unchanged - changedByFirst);
  return {
    added: a.added + b.added,
    updated: a.updated + b.updated,
    unchanged,
    rebuilt: Math.max(0, b.rebuilt - Math.max(0, changedByFirst - b.unchanged)),
    moved: a.moved + b.moved,
    removed: a.removed + b.removed,
    duplicates: b.duplicates,
    failed: b.failed,
    cancelled: b.cancelled,
    audioSeconds: a.audioSeconds + b.audioSeconds,
    wallSeconds: a.wallSeconds + b.wallSeconds,
  };
}
