// The fingerprint worker through its client (a real worker thread): a fingerprint with the vibe model's rows from one
// decode, and the rows alone (a new vibe model) with no landmarks computed. The worker prepares rows only; the model's
// one session (the vibe lane's) embeds them.
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
  it("prepares the model's rows from the fingerprint's decode, or alone, the same rows either way", async () => {
    const manifest = builtinManifestPath();
    const { id, windowSamples } = readManifest(manifest);
    const both = await client.fingerprint(song, undefined, manifest);
    expect(both.landmarks.length).toBeGreaterThan(0);
    expect(both.embedInput).toMatchObject({ modelId: id, rowShape: [windowSamples] });
    expect(both.embedInput!.data.length).toBe(both.embedInput!.count * windowSamples);
    const alone = await client.embed(song, manifest);
    expect(alone.embeddingError).toBeUndefined();
    expect(alone.embedInput?.count).toBe(both.embedInput!.count);
    expect(alone.embedInput!.data).toEqual(both.embedInput!.data);
  }, 60_000);

  it('reports a file that cannot be decoded as an embedding error, not a crash', async () => {
    const missing = await client.embed(path.join(dir, 'missing.flac'), builtinManifestPath());
    expect(missing.embedInput).toBeUndefined();
    expect(missing.embeddingError?.code).toMatch(/decode-failed|unsupported-format|not-found|permission-denied/);
  }, 60_000);
});
