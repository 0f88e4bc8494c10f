// Runs the shared LandmarkStore contract against the LMDB store, plus what only a disk store must do:
// persist across reopen, report its size, refuse a damaged directory with 'store-damaged', and compact
// (shrink, survive reopen, recover from a crash mid-compaction).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { open } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { describeLandmarkStoreContract, makeTrack } from './testing/landmarkStoreContract.js';
import { isWorthCompacting, type LandmarkStore, type TrackLandmarks } from './landmarkStore.js';
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
      makeTrack(
        1,
        [
          [10, 1],
          [11, 2],
        ],
        { version: 3, peaks: Uint8Array.of(1, 2, 3) },
      ),
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

/** `count` tracks numbered from `firstNum`, each with `perTrack` postings of random 22-bit hashes (as the fingerprinter). */
function randomTracks(firstNum: number, count: number, perTrack: number, seed: number): TrackLandmarks[] {
  let state = seed;
  const next = (): number => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state;
  };
  return Array.from({ length: count }, (_, t) => {
    const landmarks = new Uint32Array(2 * perTrack);
    for (let i = 0; i < perTrack; i++) {
      landmarks[2 * i] = next() >>> 10;
      landmarks[2 * i + 1] = i;
    }
    return { trackNum: firstNum + t, fingerprintVersion: 1, landmarks, peaks: Uint8Array.of(t & 0xff) };
  });
}

/** Lookups of a fixed sample of hashes (those of the first and the last stored track), to compare two states. */
function snapshot(store: LandmarkStore): unknown {
  const nums = store.trackNums();
  const sample = randomTracks(nums[0] ?? 1, 1, 500, 7)[0].landmarks.filter((_, i) => i % 2 === 0);
  return {
    nums,
    stats: { trackCount: store.stats().trackCount, landmarkCount: store.stats().landmarkCount },
    postings: Array.from(sample, (hash) => Array.from(store.lookup(hash))),
    peaks: nums.map((n) => Array.from(store.getPeaks(n))),
  };
}

/** A store with churn: 24 batches of 8 tracks, every third batch followed by deleting the batch before it. */
async function churnedStore(dir: string, perTrack = 1000): Promise<LandmarkStore> {
  const store = await openLmdbLandmarkStore(dir);
  for (let b = 0; b < 24; b++) {
    await store.putTracks(randomTracks(1 + b * 8, 8, perTrack, b + 1));
    if (b % 3 === 2) await store.deleteTracks(Array.from({ length: 8 }, (_, t) => 1 + (b - 1) * 8 + t));
  }
  return store;
}

const leftovers = (dir: string): string[] => fs.readdirSync(path.dirname(dir)).filter((name) => name.startsWith(`${path.basename(dir)}.`));

describe('LmdbLandmarkStore.compact', () => {
  it('shrinks a churned file to at most the live size it reported, keeping every posting', async () => {
    const dir = freshDir();
    const store = await churnedStore(dir);
    const before = store.stats();
    const expected = snapshot(store);
    expect(before.bytesOnDisk).toBeGreaterThan(1.6 * before.liveBytes);

    const result = await store.compact();
    expect(result.bytesBefore).toBe(before.bytesOnDisk);
    expect(result.bytesAfter).toBeLessThanOrEqual(before.liveBytes);
    expect(store.stats().bytesOnDisk).toBe(result.bytesAfter);
    expect(store.stats().liveBytes).toBeLessThanOrEqual(result.bytesAfter);
    expect(snapshot(store)).toEqual(expected);
    expect(leftovers(dir)).toEqual([]);

    // Pages were left room: a batch spread over most of them fills them instead of splitting them all.
    const liveAfter = store.stats().liveBytes;
    await store.putTracks(randomTracks(400, 2, 2000, 98));
    expect(store.stats().liveBytes).toBeLessThan(1.15 * liveAfter);

    // Still writable (lmdb-js's own compacting copy failed exactly here), and the writes land in the new file.
    await store.putTracks(randomTracks(500, 16, 2000, 99));
    await store.deleteTracks([2]);
    const afterWrites = snapshot(store);
    await store.close();
    const reopened = await openLmdbLandmarkStore(dir);
    expect(snapshot(reopened)).toEqual(afterWrites);
    expect(reopened.hasTrack(501)).toBe(true);
    expect(reopened.hasTrack(2)).toBe(false);
    await reopened.close();
  });

  it('survives compact, close and reopen of the same path several times in one process', async () => {
    const dir = freshDir();
    let store = await churnedStore(dir, 300);
    const expected = snapshot(store);
    for (let round = 0; round < 3; round++) {
      await store.compact();
      expect(snapshot(store), `round ${round}, same object`).toEqual(expected);
      await store.close();
      store = await openLmdbLandmarkStore(dir);
      expect(snapshot(store), `round ${round}, fresh object`).toEqual(expected);
    }
    await store.close();
  });

  it('lets writes issued during a compaction wait for it, and keeps lookups working while it copies', async () => {
    const dir = freshDir();
    const store = await churnedStore(dir, 500);
    const hash = randomTracks(1, 1, 1, 1)[0].landmarks[0];
    const postings = Array.from(store.lookup(hash));
    const compacting = store.compact();
    await setImmediate(); // between two of the copy's transactions
    expect(Array.from(store.lookup(hash))).toEqual(postings);
    const writing = store.putTracks([makeTrack(900, [[hash, 5]])]);
    expect(store.hasTrack(900)).toBe(false);
    const joined = store.compact();
    const [result] = await Promise.all([compacting, writing]);
    expect(await joined).toEqual(result);
    expect(Array.from(store.lookup(hash))).toEqual([...postings, 900, 5]);
    await store.close();
    const reopened = await openLmdbLandmarkStore(dir);
    expect(Array.from(reopened.lookup(hash))).toEqual([...postings, 900, 5]);
    await reopened.close();
  });

  it('refuses to compact a read-only or closed store', async () => {
    const dir = freshDir();
    const writer = await openLmdbLandmarkStore(dir);
    await writer.putTracks([makeTrack(1, [[1, 1]])]);
    await writer.close();
    await expect(writer.compact()).rejects.toMatchObject({ code: 'internal' });
    const reader = await openLmdbLandmarkStore(dir, { readOnly: true });
    await expect(reader.compact()).rejects.toMatchObject({ code: 'internal' });
    await reader.close();
  });
});

describe('recovery from an interrupted compaction', () => {
  /** A closed store holding tracks 1-3 (version 1) whose compacting copy is `dir.compact-new`; then track 4 is added. */
  async function storeWithCopy(): Promise<string> {
    const dir = freshDir();
    const store = await openLmdbLandmarkStore(dir);
    await store.putTracks([makeTrack(1, [[10, 1]]), makeTrack(2, [[10, 2]]), makeTrack(3, [[11, 3]])]);
    await store.close();
    const env = open(dir, { compression: false });
    const copyDir = `${dir}-copy`;
    fs.mkdirSync(copyDir);
    await env.backup(copyDir, true);
    await env.close();
    // Make the old store differ from the copy, so the tests see which one survives.
    const later = await openLmdbLandmarkStore(dir);
    await later.putTracks([makeTrack(4, [[10, 4]])]);
    await later.close();
    fs.renameSync(copyDir, `${dir}.compact-new`);
    return dir;
  }

  it('drops a copy left behind before the first rename (the old store is kept)', async () => {
    const dir = await storeWithCopy();
    const store = await openLmdbLandmarkStore(dir);
    expect(store.trackNums()).toEqual([1, 2, 3, 4]);
    expect(leftovers(dir)).toEqual([]);
    await store.close();
  });

  it('drops a half-written copy', async () => {
    const dir = await storeWithCopy();
    const copy = path.join(`${dir}.compact-new`, 'data.mdb');
    fs.truncateSync(copy, Math.floor(fs.statSync(copy).size / 3));
    const store = await openLmdbLandmarkStore(dir);
    expect(store.trackNums()).toEqual([1, 2, 3, 4]);
    expect(leftovers(dir)).toEqual([]);
    await store.close();
  });

  it('renames the copy in when a crash fell between the two renames', async () => {
    const dir = await storeWithCopy();
    fs.renameSync(dir, `${dir}.compact-old`);
    const store = await openLmdbLandmarkStore(dir);
    expect(store.trackNums()).toEqual([1, 2, 3]);
    expect(Array.from(store.lookup(10))).toEqual([1, 1, 2, 2]);
    expect(store.stats()).toMatchObject({ trackCount: 3, landmarkCount: 3 });
    expect(leftovers(dir)).toEqual([]);
    await store.putTracks([makeTrack(5, [[10, 5]])]);
    expect(Array.from(store.lookup(10))).toEqual([1, 1, 2, 2, 5, 5]);
    await store.close();
  });

  it('puts the old store back when, between the renames, the copy is unsound', async () => {
    const dir = await storeWithCopy();
    fs.renameSync(dir, `${dir}.compact-old`);
    fs.writeFileSync(path.join(`${dir}.compact-new`, 'data.mdb'), '');
    const store = await openLmdbLandmarkStore(dir);
    expect(store.trackNums()).toEqual([1, 2, 3, 4]);
    expect(leftovers(dir)).toEqual([]);
    await store.close();
  });

  it('deletes the old store left behind after the second rename', async () => {
    const dir = await storeWithCopy();
    fs.renameSync(dir, `${dir}.compact-old`);
    fs.renameSync(`${dir}.compact-new`, dir);
    const store = await openLmdbLandmarkStore(dir);
    expect(store.trackNums()).toEqual([1, 2, 3]);
    expect(leftovers(dir)).toEqual([]);
    await store.close();
  });
});

describe('isWorthCompacting', () => {
  const MB = 1024 * 1024;
  it.each([
    [339 * MB, 130 * MB, true],
    [200 * MB, 130 * MB, false],
    [12 * MB, 1 * MB, true],
    [6 * MB, 0.1 * MB, false],
    [0, 0, false],
  ])('bytesOnDisk %d, liveBytes %d -> %s', (bytesOnDisk, liveBytes, worth) => {
    expect(isWorthCompacting({ trackCount: 1, landmarkCount: 1, bytesOnDisk, liveBytes })).toBe(worth);
  });
});
