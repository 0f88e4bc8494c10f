// The landmark store kept in line with the catalog, on a real LMDB store in a temp folder and a ':memory:' catalog:
// the repair at open, marking every track for re-fingerprinting, the check after a miss, and the summary of a scan
// that ran twice.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_SCAN_SUMMARY } from '../../src-preload/contract/library.js';
import type { Catalog } from './catalog/catalog.js';
import { openCatalog } from './catalog/openCatalog.js';
import { openRecoveringLandmarkStore, type RecoveringLandmarkStore } from './landmarkStore/storeRecovery.js';
import { checkStoreAgainstCatalog, checkStoreAtOpen, markAllForRefingerprint, mergeSummaries, repairStore } from './storeConsistency.js';
import { newTrack } from './testing/catalogRows.js';

const VERSION = 3;
let root: string;
let catalog: Catalog;
let store: RecoveringLandmarkStore;

beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ai-consistency-'));
  catalog = openCatalog(':memory:');
  ({ store } = await openRecoveringLandmarkStore(path.join(root, 'landmarks'), { canRepair: () => true, probeInChild: false }));
});
afterEach(async () => {
  await store.close();
  catalog.close();
  rmSync(root, { recursive: true, force: true });
});

/** A catalog track fingerprinted at `version`, and (unless `inStore` is false) its landmarks in the store at `storeVersion`. */
async function indexedTrack(options: { version?: number; inStore?: boolean; storeVersion?: number } = {}): Promise<number> {
  const { num } = catalog.insertTrack(newTrack());
  catalog.setFingerprintStatus(num, 'indexed', options.version ?? VERSION, 1);
  if (options.inStore ?? true) {
    await store.putTracks([
      { trackNum: num, fingerprintVersion: options.storeVersion ?? VERSION, landmarks: Uint32Array.of(num * 10, 1), peaks: new Uint8Array(0) },
    ]);
  }
  return num;
}

describe('store consistency', () => {
  it('repairs: deletes store tracks the catalog lacks, sets tracks missing or at another version back to pending', async () => {
    const kept = await indexedTrack();
    const stale = await indexedTrack({ storeVersion: VERSION - 1 });
    const missing = await indexedTrack({ inStore: false });
    await store.putTracks([{ trackNum: 999, fingerprintVersion: VERSION, landmarks: Uint32Array.of(5, 1), peaks: new Uint8Array(0) }]);

    expect(await repairStore(catalog, store, VERSION)).toEqual({ orphansRemoved: 1, tracksToRefingerprint: 2 });
    expect(store.hasTrack(999)).toBe(false);
    expect(catalog.listTrackNumsByFingerprintStatus('indexed')).toEqual([kept]);
    expect(catalog.listTrackNumsByFingerprintStatus('pending')).toEqual([stale, missing]);
    expect(await repairStore(catalog, store, VERSION)).toEqual({ orphansRemoved: 0, tracksToRefingerprint: 0 });
  });

  it('reports at open a store that lost every track the catalog fingerprinted, and repairs it only when allowed', async () => {
    await indexedTrack({ inStore: false });
    await indexedTrack({ inStore: false });
    const opened = { store, replaced: undefined };
    expect(await checkStoreAtOpen(catalog, opened, VERSION, false)).toEqual({
      storeWasDamaged: false,
      storeWasMissing: true,
      repair: { orphansRemoved: 0, tracksToRefingerprint: 2 },
    });
    expect(catalog.listTrackNumsByFingerprintStatus('pending')).toEqual([]); // a reader repairs nothing
    expect(await checkStoreAtOpen(catalog, opened, VERSION, true)).toMatchObject({ storeWasMissing: true, repair: { tracksToRefingerprint: 2 } });
    expect(catalog.listTrackNumsByFingerprintStatus('pending')).toHaveLength(2);
  });

  it('marks every fingerprinted track for re-fingerprinting', async () => {
    const a = await indexedTrack();
    const b = await indexedTrack();
    catalog.insertTrack(newTrack()); // pending already
    expect(markAllForRefingerprint(catalog)).toBe(2);
    expect(catalog.listTrackNumsByFingerprintStatus('pending')).toEqual(expect.arrayContaining([a, b]));
    expect(catalog.listTrackNumsByFingerprintStatus('indexed')).toEqual([]);
  });

  it('after a miss, accepts a store holding the tracks it samples, and replaces one holding none of them', async () => {
    for (let i = 0; i < 6; i++) await indexedTrack();
    await checkStoreAgainstCatalog(catalog, store, VERSION);
    expect(store.replacementCount).toBe(0);

    await store.deleteTracks(store.trackNums()); // what a scribbled page can look like: an empty store
    await expect(checkStoreAgainstCatalog(catalog, store, VERSION)).rejects.toMatchObject({ code: 'store-damaged' });
    await store.settled();
    expect(store.replacementCount).toBe(1);
  });

  it('does not call one missing track damage (a removal reaches the store first), nor a catalog with none fingerprinted', async () => {
    await checkStoreAgainstCatalog(catalog, store, VERSION);
    await indexedTrack({ inStore: false });
    catalog.insertTrack(newTrack());
    await checkStoreAgainstCatalog(catalog, store, VERSION);
    expect(store.replacementCount).toBe(0);
  });

  it('merges the summaries of a scan that ran twice, counting each file once', () => {
    const zero = EMPTY_SCAN_SUMMARY;
    // First pass: 2 added, 1 moved, 5 unchanged; the store is replaced. Second pass sees those 3 as unchanged and
    // the 5 as rebuilt (their landmarks went with the old store), plus 1 new file.
    const first = { ...zero, added: 2, moved: 1, unchanged: 5, audioSeconds: 30, wallSeconds: 2 };
    const second = { ...zero, added: 1, unchanged: 3, rebuilt: 5, duplicates: 1, failed: 1, audioSeconds: 50, wallSeconds: 3 };
    expect(mergeSummaries(first, second)).toEqual({
      ...zero,
      added: 3,
      moved: 1,
      unchanged: 0,
      rebuilt: 5,
      duplicates: 1,
      failed: 1,
      audioSeconds: 80,
      wallSeconds: 5,
    });
  });
});
