// One ONNX session per model, however many fingerprint workers (ARCHITECTURE.md: one owner per session): a library
// scanned through N real worker threads, or N in-process lanes, creates the vibe model's session once (counted at
// onnxruntime's one factory, InferenceSession.create), and every track still gets its vectors.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pcmClip } from '../engine/audio/clipAudio.js';
import { BUILTIN_MODEL_ID } from '../engine/embedding/embedderManifest.js';
import { inProcessRunners, LibraryEngine, type FileJobRunners } from '../engine/libraryEngine.js';
import { writeSongFile } from '../engine/testing/synthAudio.js';
import { workerRunners } from './fingerprintRunners.js';

const SONGS = 4;
let root: string;
let music: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'one-session-'));
  music = path.join(root, 'music');
  mkdirSync(music);
  for (let i = 0; i < SONGS; i++) await writeSongFile(path.join(music, `song-${i}.wav`), 700 + i, 12, undefined, { sampleRateHz: 8000 });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function sessionsForScan(name: string, runners: FileJobRunners): Promise<number> {
  const create = vi.spyOn(ort.InferenceSession, 'create');
  const library = await LibraryEngine.open(path.join(root, name), runners);
  try {
    const summary = await library.scan([music]);
    expect(summary).toMatchObject({ added: SONGS, failed: 0 });
    expect(library.vibe?.indexedTrackCount).toBe(SONGS);
    for (const t of library.catalog.listTracks({ page: 1, perPage: SONGS }).items) {
      expect(library.catalog.getTrackById(t.id)).toMatchObject({ embeddingStatus: 'indexed', embeddingModel: BUILTIN_MODEL_ID });
    }
    // A clip query runs on the same session.
    const clip = await library.identifyVibe(
      pcmClip(
        new Float32Array(8000 * 5).map((_, i) => Math.sin(i / 3)),
        8000,
      ),
      2,
    );
    expect(clip.length).toBeGreaterThan(0);
  } finally {
    await library.close();
  }
  return create.mock.calls.length;
}

describe('the vibe model has one session', () => {
  it('for 2 fingerprint worker threads', async () => {
    expect(await sessionsForScan('workers', workerRunners(2))).toBe(1);
  }, 120_000);

  it('for 4 in-process lanes', async () => {
    expect(await sessionsForScan('in-process', inProcessRunners(4))).toBe(1);
  }, 60_000);
});
