// Runs the shared LandmarkStore contract against the LMDB store, plus what only a disk store must do:
// persist across reopen, report its size, and refuse a damaged directory with 'store-damaged'.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeLandmarkStoreContract, makeTrack } from './landmarkStore.contract.js';
import { openLmdbLandmarkStore } from './lmdbLandmarkStore.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lmdb-store-test-'));
let dirCount = 0;
const freshDir = (): string => path.join(root, `store-${++dirCount}`);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describeLandmarkStoreContract('lmdb', () => openLmdbLandmarkStore(freshDir()));

describe('openLmdbLandmarkStore', () => {
  it('keeps tracks, postings, peaks and counts across close and reopen', async () => {
    const dir = freshDir();
    const first = await openLmdbLandmarkStore(dir);
    await first.putTracks([
      makeTrack(1, [[10, 1], [11, 2]], { version: 3, peaks: Uint8Array.of(1, 2, 3) }),
      makeTrack(2, [[10, 7]]),
    ]);
    await first.deleteTracks([2]);
    await first.close();

    const second = await openLmdbLandmarkStore(dir);
    expect(second.trackNums()).toEqual([1]);
    expect(second.trackVersion(1)).toBe(3);
    expect(Array.from(second.lookup(10))).toEqual([1, 1]);
    expect(second.getPeaks(1)).toEqual(Uint8Array.of(1, 2, 3));
    expect(second.stats()).toMatchObject({ trackCount: 1, landmarkCount: 2 });
    expect(second.stats().bytesOnDisk).toBe(fs.statSync(path.join(dir, 'data.mdb')).size);
    expect(second.stats().bytesOnDisk).toBeGreaterThan(0);
    await second.close();
  });

  it('opens an existing store read-only for lookups', async () => {
    const dir = freshDir();
    const writer = await openLmdbLandmarkStore(dir);
    await writer.putTracks([makeTrack(5, [[42, 9]])]);
    await writer.close();
    const reader = await openLmdbLandmarkStore(dir, { readOnly: true });
    expect(Array.from(reader.lookup(42))).toEqual([5, 9]);
    await expect(reader.putTracks([makeTrack(6, [[1, 1]])])).rejects.toMatchObject({ code: 'internal' });
    await reader.close();
  });

  it("throws 'not-found' when opening a missing store read-only", async () => {
    await expect(openLmdbLandmarkStore(freshDir(), { readOnly: true })).rejects.toMatchObject({ code: 'not-found' });
  });

  it.each([
    ['random bytes', () => randomBytes(100_000)],
    ['one byte', () => Buffer.from('x')],
    ['a text file', () => Buffer.from('hello, this is not a database\n'.repeat(500))],
  ])("throws 'store-damaged' for %s where data.mdb should be", async (_label, content) => {
    const dir = freshDir();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'data.mdb'), content());
    await expect(openLmdbLandmarkStore(dir)).rejects.toMatchObject({ name: 'AppError', code: 'store-damaged' });
  });

  it("throws 'store-damaged' for a truncated store", async () => {
    const dir = freshDir();
    const store = await openLmdbLandmarkStore(dir);
    const pairs = Array.from({ length: 20_000 }, (_, i): [number, number] => [i * 7919, i]);
    await store.putTracks([makeTrack(1, pairs)]);
    await store.close();
    const file = path.join(dir, 'data.mdb');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    await expect(openLmdbLandmarkStore(dir)).rejects.toMatchObject({ code: 'store-damaged' });
  });

  it("throws 'store-damaged' when the store path is a file", async () => {
    const file = path.join(root, 'not-a-dir');
    fs.writeFileSync(file, 'x');
    await expect(openLmdbLandmarkStore(file)).rejects.toMatchObject({ code: 'store-damaged' });
  });

  it('opens a store whose lock file is garbage (the lock file is rebuilt)', async () => {
    const dir = freshDir();
    const store = await openLmdbLandmarkStore(dir);
    await store.putTracks([makeTrack(1, [[3, 4]])]);
    await store.close();
    fs.writeFileSync(path.join(dir, 'lock.mdb'), randomBytes(8272));
    const reopened = await openLmdbLandmarkStore(dir);
    expect(Array.from(reopened.lookup(3))).toEqual([1, 4]);
    await reopened.close();
  });
});
