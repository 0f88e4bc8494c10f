// Chunking of long posting lists in the LMDB store: where lists are cut, and what lands on disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { open } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrackLandmarks } from './landmarkStore.js';
import { makeTrack } from './testing/landmarkStoreContract.js';
import { openLmdbLandmarkStore } from './lmdbLandmarkStore.js';
import { createMemoryLandmarkStore } from './memoryLandmarkStore.js';
import { CHUNK_MAX_PAIRS, splitIntoChunks } from './lmdbPostingChunks.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lmdb-chunks-test-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Pairs for tracks 1..trackCount with `perTrack` postings each. */
function pairsFor(trackCount: number, perTrack: number): Uint32Array {
  const out: number[] = [];
  for (let t = 1; t <= trackCount; t++) for (let f = 0; f < perTrack; f++) out.push(t, f);
  return Uint32Array.from(out);
}

describe('splitIntoChunks', () => {
  it('keeps a short list whole', () => {
    const pairs = pairsFor(3, 2);
    expect(splitIntoChunks(pairs, 0)).toEqual([{ firstTrack: 0, pairs }]);
    expect(splitIntoChunks(new Uint32Array(0), 7)).toEqual([{ firstTrack: 7, pairs: new Uint32Array(0) }]);
  });

  it('cuts between tracks into chunks of at most CHUNK_MAX_PAIRS', () => {
    const pairs = pairsFor(100, 7); // 700 pairs
    const chunks = splitIntoChunks(pairs, 0);
    expect(chunks.length).toBe(3);
    expect(chunks[0].firstTrack).toBe(0);
    const total = chunks.reduce((sum, c) => sum + c.pairs.length / 2, 0);
    expect(total).toBe(700);
    for (const [i, chunk] of chunks.entries()) {
      expect(chunk.pairs.length / 2).toBeLessThanOrEqual(CHUNK_MAX_PAIRS);
      if (i > 0) expect(chunk.firstTrack).toBe(chunk.pairs[0]);
      // No track is split across two chunks.
      if (i > 0) expect(chunks[i - 1].pairs[chunks[i - 1].pairs.length - 2]).toBeLessThan(chunk.pairs[0]);
    }
  });

  it('lets one track with more postings than a chunk holds have an oversized chunk of its own', () => {
    const pairs = Uint32Array.from([1, 0, ...Array.from({ length: 300 }, (_, f) => [2, f]).flat(), 3, 0]);
    const chunks = splitIntoChunks(pairs, 0);
    expect(chunks.map((c) => [c.firstTrack, c.pairs.length / 2])).toEqual([
      [0, 1],
      [2, 300],
      [3, 1],
    ]);
  });
});

describe('LMDB posting chunks on disk', () => {
  it('stores a long list as a directory plus inline-sized chunks, and inline again once it is short', async () => {
    const dir = path.join(root, 'store');
    const store = await openLmdbLandmarkStore(dir);
    const tracks = Array.from({ length: 300 }, (_, i) =>
      makeTrack(i + 1, [
        [9, i],
        [9, i + 1000],
        [10, i],
      ]),
    );
    for (let b = 0; b < tracks.length; b += 40) await store.putTracks(tracks.slice(b, b + 40));
    expect(store.lookup(9).length / 2).toBe(600);
    await store.close();

    const readEntries = async (): Promise<Array<{ hash: number; firstTrack: number | undefined; bytes: number }>> => {
      const env = open(dir, { compression: false });
      const db = env.openDB<Uint8Array, Uint8Array>('postings', { keyEncoding: 'binary', encoding: 'binary', compression: false });
      const entries = Array.from(db.getRange({})).map(({ key, value }) => {
        const k = Buffer.from(key);
        return { hash: k.readUInt32BE(0), firstTrack: k.length === 8 ? k.readUInt32BE(4) : undefined, bytes: value.length };
      });
      await env.close();
      return entries;
    };
    let entries = await readEntries();
    const chunksOf9 = entries.filter((e) => e.hash === 9 && e.firstTrack !== undefined);
    expect(chunksOf9.length).toBeGreaterThanOrEqual(3);
    expect(chunksOf9[0].firstTrack).toBe(0);
    for (const chunk of chunksOf9) expect(chunk.bytes).toBeLessThanOrEqual(CHUNK_MAX_PAIRS * 8);
    const head9 = entries.find((e) => e.hash === 9 && e.firstTrack === undefined)!;
    expect(head9.bytes % 8).toBe(4); // a directory, not pairs
    expect(entries.filter((e) => e.hash === 10).length).toBe(3); // directory + 2 chunks

    const reopened = await openLmdbLandmarkStore(dir);
    await reopened.deleteTracks(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(Array.from(reopened.lookup(10))).toEqual(Array.from({ length: 50 }, (_, i) => [251 + i, 250 + i]).flat());
    await reopened.close();
    entries = await readEntries();
    expect(entries.filter((e) => e.hash === 10)).toEqual([{ hash: 10, firstTrack: undefined, bytes: 400 }]);
    expect(entries.filter((e) => e.hash === 9)).toEqual([{ hash: 9, firstTrack: undefined, bytes: 800 }]);
  });
  it('matches the memory store through random puts, replacements and range deletes', async () => {
    let state = 12345;
    const random = (n: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 8) % n;
    };
    const hashes = [1, 2, 0xffff_fffe];
    const lmdb = await openLmdbLandmarkStore(path.join(root, 'random'));
    const memory = createMemoryLandmarkStore();
    const makeRandomTrack = (trackNum: number): TrackLandmarks =>
      makeTrack(
        trackNum,
        Array.from({ length: 1 + random(12) }, (): [number, number] => [hashes[random(hashes.length)], random(50)]),
        { version: 1 + random(3) },
      );
    let longestPairs = 0;
    for (let step = 0; step < 120; step++) {
      const op = random(10);
      if (op < 6) {
        const batch = Array.from({ length: 1 + random(60) }, () => makeRandomTrack(1 + random(400)));
        await lmdb.putTracks(batch);
        await memory.putTracks(batch);
      } else if (op < 8) {
        const from = 1 + random(400);
        const nums = Array.from({ length: random(120) }, (_, i) => from + i);
        await lmdb.deleteTracks(nums);
        await memory.deleteTracks(nums);
      } else {
        const nums = Array.from({ length: random(40) }, () => 1 + random(400));
        await lmdb.deleteTracks(nums);
        await memory.deleteTracks(nums);
      }
      for (const hash of hashes) {
        const postings = lmdb.lookup(hash);
        expect(Array.from(postings), `step ${step}, hash ${hash}`).toEqual(Array.from(memory.lookup(hash)));
        longestPairs = Math.max(longestPairs, postings.length / 2);
      }
      expect(lmdb.trackNums()).toEqual(memory.trackNums());
      expect(lmdb.stats()).toMatchObject({ trackCount: memory.stats().trackCount, landmarkCount: memory.stats().landmarkCount });
    }
    expect(longestPairs).toBeGreaterThan(2 * CHUNK_MAX_PAIRS); // lists did span several chunks
    await lmdb.close();
    await memory.close();
  });
});
