// Chunking of long posting lists in the LMDB store: where lists are cut, and what lands on disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { open } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTrack } from './landmarkStore.contract.js';
import { openLmdbLandmarkStore } from './lmdbLandmarkStore.js';
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
  it('stores a long list as several inline-sized chunks, the first one flagged', async () => {
    const dir = path.join(root, 'store');
    const store = await openLmdbLandmarkStore(dir);
    const tracks = Array.from({ length: 300 }, (_, i) => makeTrack(i + 1, [[9, i], [9, i + 1000], [10, i]]));
    for (let b = 0; b < tracks.length; b += 40) await store.putTracks(tracks.slice(b, b + 40));
    expect(store.lookup(9).length / 2).toBe(600);
    await store.close();

    const env = open(dir, { compression: false });
    const db = env.openDB<Uint8Array, Uint8Array>('postings', { keyEncoding: 'binary', encoding: 'binary', compression: false });
    const chunks = Array.from(db.getRange({})).map(({ key, value }) => ({
      hash: Buffer.from(key).readUInt32BE(0),
      firstTrack: Buffer.from(key).readUInt32BE(4),
      bytes: value.length,
    }));
    await env.close();
    const of9 = chunks.filter((c) => c.hash === 9);
    expect(of9.length).toBeGreaterThanOrEqual(3);
    expect(of9[0].firstTrack).toBe(0);
    expect(of9[0].bytes % 8).toBe(4); // the chunk-count trailer
    for (const chunk of of9) expect(chunk.bytes).toBeLessThanOrEqual(CHUNK_MAX_PAIRS * 8 + 4);
    expect(chunks.filter((c) => c.hash === 10).length).toBe(2);
  });
});
