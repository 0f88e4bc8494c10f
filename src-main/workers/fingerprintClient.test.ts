// The fingerprint worker through its client (a real worker thread): a fingerprint with its embedding from one decode,
// and the embedding alone (a new vibe model) with no landmarks computed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinManifestPath, readManifest } from '../engine/embedding/embedderManifest.js';
import { writeSongFile } from '../engine/testing/synthAudio.js';
import { FingerprintClient } from './fingerprintClient.js';

let dir: string;
let song: string;
const client = new FingerprintClient(1);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fp-client-'));
  song = path.join(dir, 'song.flac');
  await writeSongFile(song, 42, 25, { title: 'Song' });
}, 60_000);
afterAll(async () => {
  await client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('FingerprintClient', () => {
  it('fingerprints and embeds from one decode, or embeds alone, with the same vectors', async () => {
    const manifest = builtinManifestPath();
    const { dim } = readManifest(manifest);
    const both = await client.fingerprint(song, undefined, manifest);
    expect(both.landmarks.length).toBeGreaterThan(0);
    expect(both.embedding?.dim).toBe(dim);
    const alone = await client.embed(song, manifest);
    expect(alone.embeddingError).toBeUndefined();
    expect(alone.embedding?.windowCount).toBe(both.embedding!.windowCount);
    expect(Array.from(alone.embedding!.vector)).toEqual(Array.from(both.embedding!.vector));
  }, 60_000);

  it('reports a file that cannot be decoded as an embedding error, not a crash', async () => {
    const missing = await client.embed(path.join(dir, 'missing.flac'), builtinManifestPath());
    expect(missing.embedding).toBeUndefined();
    expect(missing.embeddingError?.code).toMatch(/decode-failed|unsupported-format|not-found|permission-denied/);
  }, 60_000);
});
