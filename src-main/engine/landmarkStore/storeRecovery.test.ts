// Damaged landmark stores: pages scribbled over (found at open by the sampled check, or at run time by a lookup or a
// write), a truncated file, a deleted directory. Each is moved aside, replaced by an empty store, and the owner told.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { makeTrack } from './testing/landmarkStoreContract.js';
import type { TrackLandmarks } from './landmarkStore.js';
import { openLmdbLandmarkStore } from './lmdbLandmarkStore.js';
import { isStoreDamageError, listDamagedStores, openRecoveringLandmarkStore, removeDamagedStores, type StoreReplacement } from './storeRecovery.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'store-recovery-test-'));
let dirCount = 0;
const freshDir = (): string => path.join(root, `case-${++dirCount}`, 'landmarks');

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** 50 tracks x 3000 landmarks with pseudo-random 22-bit hashes: a store of ~1500 pages. */
function tracks(): TrackLandmarks[] {
  let seed = 1;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  return Array.from({ length: 50 }, (_, t) =>
    makeTrack(
      t + 1,
      Array.from({ length: 3000 }, (_, i): [number, number] => [next() & 0x3fffff, i]),
      { peaks: new Uint8Array(64).fill(t) },
    ),
  );
}

let template: Promise<string> | undefined;

/** The store of tracks(), written once per file in batches of 10 and copied for each case (it is closed: a plain copy). */
async function buildStore(dir: string): Promise<void> {
  template ??= (async () => {
    const templateDir = path.join(root, 'template', 'landmarks');
    const store = await openLmdbLandmarkStore(templateDir);
    const all = tracks();
    for (let i = 0; i < all.length; i += 10) await store.putTracks(all.slice(i, i + 10));
    await store.close();
    return templateDir;
  })();
  fs.cpSync(await template, dir, { recursive: true });
}

/** Overwrites pages [firstPage, end) of data.mdb, every `stride`-th one, with pseudo-random bytes. */
function scribble(dir: string, firstPage: number, stride: number): void {
  const file = path.join(dir, 'data.mdb');
  const bytes = fs.readFileSync(file);
  const pageBytes = 4096;
  let seed = 99;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let page = firstPage; (page + 1) * pageBytes <= bytes.length; page += stride) {
    for (let i = page * pageBytes; i < (page + 1) * pageBytes; i++) bytes[i] = next() >>> 24;
  }
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, bytes, 0, bytes.length, 0);
  fs.closeSync(fd);
}

const repairAllowed = { canRepair: () => true };

describe('landmark store recovery', () => {
  it('finds pages scribbled over at open, moves the store aside and opens an empty one', async () => {
    const dir = freshDir();
    await buildStore(dir);
    scribble(dir, 3, 3);
    const { store, replaced } = await openRecoveringLandmarkStore(dir, repairAllowed);
    try {
      expect(replaced?.reason).toMatch(/MDB_|store-damaged/);
      expect(replaced?.movedTo).toMatch(/landmarks\.damaged-\d+$/);
      expect(fs.existsSync(path.join(replaced!.movedTo, 'data.mdb'))).toBe(true);
      expect(store.trackNums()).toEqual([]);
      await store.putTracks([makeTrack(7, [[5, 1]])]);
      expect(Array.from(store.lookup(5))).toEqual([7, 1]);
    } finally {
      await store.close();
    }
    expect(await listDamagedStores(dir)).toEqual([replaced!.movedTo]);
    expect(await removeDamagedStores(dir)).toBe(1);
    expect(await listDamagedStores(dir)).toEqual([]);
  });

  it('finds a truncated data file at open', async () => {
    const dir = freshDir();
    await buildStore(dir);
    const file = path.join(dir, 'data.mdb');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    const { store, replaced } = await openRecoveringLandmarkStore(dir, repairAllowed);
    await store.close();
    expect(replaced?.reason).toMatch(/truncated/);
  });

  it('replaces a store damaged while open: the failing lookup answers store-damaged, later calls use the new store', async () => {
    const dir = freshDir();
    await buildStore(dir);
    const replacements: StoreReplacement[] = [];
    const { store, replaced } = await openRecoveringLandmarkStore(dir, { canRepair: () => true, onReplaced: (r) => void replacements.push(r) });
    expect(replaced).toBeUndefined();
    try {
      expect(store.trackNums()).toHaveLength(50);
      scribble(dir, 2, 1);
      let thrown: unknown;
      try {
        for (let hash = 0; hash < 0x400000; hash += 4099) store.lookup(hash);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect((thrown as AppError).code).toBe('store-damaged');
      await store.settled();
      expect(replacements).toHaveLength(1);
      expect(fs.existsSync(replacements[0].movedTo)).toBe(true);
      expect(store.replacementCount).toBe(1);
      expect(store.trackNums()).toEqual([]);
      expect(store.lookup(5)).toHaveLength(0);
      await store.putTracks([makeTrack(3, [[5, 2]])]);
      expect(Array.from(store.lookup(5))).toEqual([3, 2]);
    } finally {
      await store.close();
    }
  });

  it('retries a write that hits a damaged page on the new store', async () => {
    const dir = freshDir();
    await buildStore(dir);
    const replacements: StoreReplacement[] = [];
    const { store } = await openRecoveringLandmarkStore(dir, { canRepair: () => true, onReplaced: (r) => void replacements.push(r) });
    try {
      scribble(dir, 2, 1);
      await store.putTracks([makeTrack(1, [[42, 9]])]); // replaces track 1: reads its old hash list from bad pages
      expect(replacements).toHaveLength(1);
      expect(store.trackNums()).toEqual([1]);
      expect(Array.from(store.lookup(42))).toEqual([1, 9]);
    } finally {
      await store.close();
    }
  });

  it('leaves a damaged store in place when another process owns the data folder', async () => {
    const dir = freshDir();
    await buildStore(dir);
    scribble(dir, 3, 3);
    await expect(openRecoveringLandmarkStore(dir, { canRepair: () => false })).rejects.toMatchObject({ code: 'store-damaged' });
    expect(await listDamagedStores(dir)).toEqual([]);
  });

  it('reads a store in a child only when its last session did not close it cleanly, or it changed since', async () => {
    const dir = freshDir();
    const data = path.join(dir, 'data.mdb');
    const mark = path.join(dir, 'closed-cleanly.json');
    await buildStore(dir);
    const probed: string[] = [];
    const hooks = { canRepair: () => true, probe: async (d: string) => void probed.push(d) };
    const age = (minutes: number): void => fs.utimesSync(data, new Date(Date.now() - minutes * 60_000), new Date(Date.now() - minutes * 60_000));

    let { store } = await openRecoveringLandmarkStore(dir, hooks);
    expect(probed).toEqual([dir]); // no mark: read in a child
    await store.close();
    expect(fs.existsSync(mark)).toBe(false); // written just now: a change in the same timestamp tick would go unseen
    age(5);
    ({ store } = await openRecoveringLandmarkStore(dir, hooks));
    expect(probed).toHaveLength(2);
    await store.close();
    expect(fs.existsSync(mark)).toBe(true);

    ({ store } = await openRecoveringLandmarkStore(dir, hooks));
    expect(probed).toHaveLength(2); // closed cleanly and unchanged: no child
    expect(fs.existsSync(mark)).toBe(false); // taken: a session that crashes now leaves no mark behind
    expect(store.trackNums()).toHaveLength(50);
    await store.close();
    expect(fs.existsSync(mark)).toBe(true);

    age(3); // changed since (another writer, a restored backup): read in a child again
    ({ store } = await openRecoveringLandmarkStore(dir, hooks));
    expect(probed).toHaveLength(3);
    await store.close();
    fs.writeFileSync(mark, '{"size":'); // a mark cut short (a crash while writing it): not trusted
    ({ store } = await openRecoveringLandmarkStore(dir, hooks));
    expect(probed).toHaveLength(4);
    await store.close();

    // Pages scribbled over after a clean close are found at the next open, with the real read in a child.
    expect(fs.existsSync(mark)).toBe(true);
    scribble(dir, 3, 3);
    const { store: after, replaced } = await openRecoveringLandmarkStore(dir, repairAllowed);
    await after.close();
    expect(replaced?.reason).toMatch(/MDB_|store-damaged/);
  });

  it('tells damage codes from other errors', () => {
    expect(isStoreDamageError(Object.assign(new Error('MDB_CORRUPTED: Located page was wrong type'), { code: -30796 }))).toBe(true);
    expect(isStoreDamageError(new AppError('internal', 'write failed', { cause: Object.assign(new Error('x'), { code: -30782 }) }))).toBe(true);
    expect(isStoreDamageError(Object.assign(new Error('MDB_MAP_FULL'), { code: -30792 }))).toBe(false);
    expect(isStoreDamageError(new Error('boom'))).toBe(false);
  });
});
