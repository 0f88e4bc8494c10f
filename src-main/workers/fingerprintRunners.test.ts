// The fingerprint workers as the app runs them. One ONNX session per model, however many workers (ARCHITECTURE.md: one
// owner per session): a library scanned through N real worker threads, or N in-process lanes, creates the vibe model's
// session once (counted at onnxruntime's one factory, InferenceSession.create), and every track still gets its vectors.
// And a long recording's tracklist searched in parts by the workers, with the library open in them read-only.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pcmClip } from '../engine/audio/clipAudio.js';
import { BUILTIN_MODEL_ID } from '../engine/embedding/embedderManifest.js';
import { tracklistFile } from '../engine/jobs/tracklist.js';
import { inProcessRunners, LibraryEngine, type FileJobRunners } from '../engine/libraryEngine.js';
import { openSongLibrary } from '../engine/testing/songLibrary.js';
import { addNoise, concatPcm, cutClip, synthSong, writeSongFile, writeWav } from '../engine/testing/synthAudio.js';
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

describe("a long recording's tracklist in the fingerprint workers", () => {
  it('searches its parts in 2 worker threads, each opening the library read-only beside its owner: the same list', async () => {
    const rate = 8000;
    const songs = new Map([
      ['Alpha', synthSong(51, 70, rate)],
      ['Beta', synthSong(52, 70, rate)],
    ]);
    const owner = await openSongLibrary('tracklist-workers-', songs, rate);
    const runners = workerRunners(2);
    try {
      // Beta 0:00-0:30, then Alpha 0:30-1:20: cut in two at 0:40, inside Alpha.
      const mixPath = path.join(owner.dir, 'mix.wav');
      await writeWav(mixPath, addNoise(concatPcm([cutClip(songs.get('Beta')!, rate, 5, 30), cutClip(songs.get('Alpha')!, rate, 10, 50)]), 20, 5), rate);
      const whole = await owner.library.tracklistFile(mixPath); // in-process runners: one matcher
      const parts = await tracklistFile(owner.library.identifyDeps(), mixPath, {
        totalSeconds: 80,
        parts: { runner: runners.tracklistParts!, dataDir: owner.library.dataDir, limits: { minParallelSeconds: 60, minPartSeconds: 30, leadSeconds: 30 } },
      });
      expect(parts.segments.map((s) => s.track?.title ?? null)).toEqual(['Beta', 'Alpha']);
      expect(whole.segments.map((s) => s.track?.title ?? null)).toEqual(['Beta', 'Alpha']);
      parts.segments.forEach((s, i) => {
        expect(Math.abs(s.start - whole.segments[i].start)).toBeLessThan(1);
        expect(Math.abs(s.end - whole.segments[i].end)).toBeLessThan(1);
        expect(Math.abs(s.offsetSeconds! - whole.segments[i].offsetSeconds!)).toBeLessThan(1);
      });
    } finally {
      await runners.close();
      await owner.close();
    }
  }, 60_000);
});
