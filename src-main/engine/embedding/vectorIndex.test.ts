import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRng } from '../testing/synthAudio.js';
import { l2Normalise } from './audioWindows.js';
import { VectorIndex, type IndexEntry } from './vectorIndex.js';

const DIM = 16;

function randomEntries(count: number, seed: number, firstLabel = 1, generation = 1): IndexEntry[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => ({
    label: firstLabel + i,
    generation,
    vector: l2Normalise(Float32Array.from({ length: DIM }, () => rng() * 2 - 1)),
  }));
}

describe('VectorIndex', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vibe-index-'));
    file = path.join(dir, 'm.tracks.hnsw');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('grows past its initial capacity and finds each vector as its own nearest neighbour', () => {
    const index = VectorIndex.open(file, 'm', DIM);
    const entries = randomEntries(600, 1);
    expect(index.sync(entries)).toEqual({ added: 600, updated: 0, deleted: 0 });
    expect(index.capacity).toBeGreaterThanOrEqual(600);
    for (const e of entries.slice(0, 50)) {
      const [hit] = index.search(e.vector, 1);
      expect(hit.label).toBe(e.label);
      expect(hit.cosine).toBeCloseTo(1, 4);
    }
  });

  it('markDeletes what is no longer wanted, updates changed vectors, and filters labels', () => {
    const index = VectorIndex.open(file, 'm', DIM);
    const entries = randomEntries(20, 2);
    index.sync(entries);
    const kept = entries.slice(5);
    const changed = { ...kept[0], generation: 2, vector: entries[0].vector };
    expect(index.sync([changed, ...kept.slice(1)])).toEqual({ added: 0, updated: 1, deleted: 5 });
    expect(index.size).toBe(15);
    const hits = index.search(entries[0].vector, 3);
    expect(hits[0].label).toBe(changed.label); // the deleted label 1 is gone; label 6 now holds its vector
    expect(hits.map((h) => h.label)).not.toContain(1);
    expect(index.search(entries[0].vector, 3, (label) => label !== changed.label)[0].label).not.toBe(changed.label);
  });

  it('persists atomically and reopens without a rebuild; a damaged or missing file is rebuilt', () => {
    const entries = randomEntries(40, 3);
    const index = VectorIndex.open(file, 'm', DIM);
    index.sync(entries);
    index.sync(entries.slice(1)); // one deletion survives the round trip
    index.persist();
    expect(existsSync(`${file}.json`)).toBe(true);
    const reopened = VectorIndex.open(file, 'm', DIM);
    expect(reopened.wasRebuilt).toBe(false);
    expect(reopened.size).toBe(39);
    expect(reopened.sync(entries.slice(1))).toEqual({ added: 0, updated: 0, deleted: 0 });
    expect(reopened.search(entries[0].vector, 5).map((h) => h.label)).not.toContain(1);

    writeFileSync(file, 'not an index');
    const damaged = VectorIndex.open(file, 'm', DIM);
    expect(damaged.wasRebuilt).toBe(true);
    expect(damaged.sync(entries).added).toBe(40);
    damaged.persist();

    // Bytes scribbled over the middle of the file (same size, so the sidecar's size still matches): rebuilt.
    const bytes = readFileSync(file);
    for (let i = Math.floor(bytes.length / 2); i < Math.floor(bytes.length / 2) + 8; i++) bytes[i] ^= 0x5a;
    writeFileSync(file, bytes);
    const scribbled = VectorIndex.open(file, 'm', DIM);
    expect(scribbled.wasRebuilt).toBe(true);
    expect(scribbled.sync(entries).added).toBe(40);
    scribbled.persist();
    // Truncated: rebuilt.
    truncateSync(file, Math.floor(statSync(file).size / 2));
    expect(VectorIndex.open(file, 'm', DIM).wasRebuilt).toBe(true);

    rmSync(file);
    expect(VectorIndex.open(file, 'm', DIM).wasRebuilt).toBe(true);
    // Another model's (or dimension's) sidecar is not trusted either.
    const other = VectorIndex.open(path.join(dir, 'x.hnsw'), 'm', DIM);
    other.sync(entries);
    other.persist();
    expect(VectorIndex.open(path.join(dir, 'x.hnsw'), 'other-model', DIM).wasRebuilt).toBe(true);
  });
});
