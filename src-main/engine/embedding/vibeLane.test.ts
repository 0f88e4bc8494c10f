// The vibe lane inside a LibraryEngine: the scan stores vectors in SQLite and the HNSW indexes follow; deleted or damaged
// index files are rebuilt from SQLite on open (no file is decoded again); removed tracks leave the indexes.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessRunners, LibraryEngine, type FileJobRunners } from '../libraryEngine.js';
import { writeSongFile } from '../testing/synthAudio.js';
import { BUILTIN_MODEL_ID, builtinManifestPath, builtinModelsDir, readManifest } from './embedderManifest.js';

let root: string;
let music: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'vibe-lane-'));
  music = path.join(root, 'music');
  mkdirSync(music, { recursive: true });
  for (const [i, name] of ['a', 'b', 'c', 'd'].entries())
    await writeSongFile(path.join(music, `${name}.flac`), 300 + i, 12, { title: name.toUpperCase() }, { sampleRateHz: 8000 });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function countingRunners(): FileJobRunners & { calls: () => number; embeds: () => number } {
  const inner = inProcessRunners(2);
  let calls = 0;
  let embeds = 0;
  return {
    ...inner,
    concurrency: inner.concurrency,
    fingerprint: (p, s, m) => {
      calls++;
      return inner.fingerprint(p, s, m);
    },
    embed: (p, s, m) => {
      embeds++;
      return inner.embed!(p, s, m);
    },
    calls: () => calls,
    embeds: () => embeds,
  };
}

describe('VibeLane in a Library', () => {
  it('indexes every scanned track, rebuilds missing or damaged index files from SQLite, and forgets removed tracks', async () => {
    const dataDir = path.join(root, 'data');
    let lib = await LibraryEngine.open(dataDir, inProcessRunners(2));
    await lib.scan([music]);
    expect(lib.vibe?.indexedTrackCount).toBe(4);
    const a = lib.catalog.listTracks({ page: 1, perPage: 10 }).items.find((t) => t.title === 'A')!;
    const before = lib.similarTracks(a.id, 3).map((m) => m.track.title);
    expect(before).toHaveLength(3);
    expect(before).not.toContain('A');
    expect(() => lib.similarTracks(a.id, 0)).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => lib.similarTracks('00000000-0000-4000-8000-000000000000', 3)).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(lib.catalog.getTrackById(a.id)).toMatchObject({ embeddingStatus: 'indexed', embeddingModel: BUILTIN_MODEL_ID, embeddingDim: 143 });
    await lib.close();

    // Deleted: rebuilt on open, nothing decoded again (a rescan finds every file settled).
    rmSync(path.join(dataDir, 'vectors'), { recursive: true });
    let runners = countingRunners();
    lib = await LibraryEngine.open(dataDir, runners);
    expect(lib.vibe?.wasRebuilt).toBe(true);
    expect(lib.vibe?.indexedTrackCount).toBe(4);
    expect(lib.similarTracks(a.id, 3).map((m) => m.track.title)).toEqual(before);
    await lib.scan([music]);
    expect(runners.calls()).toBe(0);
    await lib.close();

    // Damaged: same.
    for (const f of readdirSync(path.join(dataDir, 'vectors')).filter((n) => n.endsWith('.hnsw'))) writeFileSync(path.join(dataDir, 'vectors', f), 'garbage');
    runners = countingRunners();
    lib = await LibraryEngine.open(dataDir, runners);
    expect(lib.vibe?.wasRebuilt).toBe(true);
    expect(lib.similarTracks(a.id, 3).map((m) => m.track.title)).toEqual(before);

    // A removed file leaves the catalog, SQLite's vectors and the indexes.
    rmSync(path.join(music, 'b.flac'));
    await lib.scan([music]);
    expect(lib.vibe?.indexedTrackCount).toBe(3);
    expect(
      lib
        .similarTracks(a.id, 5)
        .map((m) => m.track.title)
        .sort(),
    ).toEqual(['C', 'D']);
    expect(lib.vibe?.embeddings.countFor(BUILTIN_MODEL_ID)).toBe(3);
    await lib.close();
  }, 120_000);

  it('a new vibe model re-embeds the library without fingerprinting it again (landmarks untouched)', async () => {
    const dataDir = path.join(root, 'data-switch');
    let runners = countingRunners();
    let lib = await LibraryEngine.open(dataDir, runners);
    await lib.scan([music]);
    const n = lib.catalog.countTracks(); // the first test removed one of the four songs
    expect(n).toBeGreaterThanOrEqual(3);
    expect(runners.calls()).toBe(n);
    const landmarksBefore = lib.catalog.listTracks({ page: 1, perPage: 10 }).items.map((t) => [t.id, lib.catalog.getTrackById(t.id)!.landmarkCount]);
    await lib.close();

    // Another model (the built-in one under another id: same file, so its manifest's hash still holds).
    const other = path.join(root, 'other-model');
    mkdirSync(other, { recursive: true });
    const manifest = { ...readManifest(builtinManifestPath()), id: 'other-model-v1' };
    copyFileSync(path.join(builtinModelsDir(), manifest.file), path.join(other, manifest.file));
    writeFileSync(path.join(other, 'manifest.json'), JSON.stringify(manifest));
    runners = countingRunners();
    lib = await LibraryEngine.open(dataDir, runners, undefined, { embedderManifest: path.join(other, 'manifest.json') });
    const summary = await lib.scan([music]);
    expect(summary.failed).toBe(0);
    expect(runners.calls()).toBe(0);
    expect(runners.embeds()).toBe(n);
    for (const [id, landmarks] of landmarksBefore) {
      expect(lib.catalog.getTrackById(id as string)).toMatchObject({
        embeddingModel: 'other-model-v1',
        embeddingStatus: 'indexed',
        fingerprintStatus: 'indexed',
        landmarkCount: landmarks,
      });
    }
    expect(lib.vibe?.indexedTrackCount).toBe(n);
    // Settled now: nothing decoded again.
    await lib.scan([music]);
    expect(runners.calls() + runners.embeds()).toBe(n);
    await lib.close();
  }, 120_000);
});
