// LibraryService's vibe models, end to end in-process against a local HTTP server serving a small generated model
// with CLAP's input/output contract (the real CLAP weights cannot be downloaded here): download with progress events,
// use it (the library is re-embedded, identify answers with it), the choice survives a restart, a damaged model falls
// back to the built-in one, switch back; cancel mid-download leaves a partial file that resumes; a wrong hash fails
// and installs nothing.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelInfo, ModelProgress } from '../../src-preload/contract/library.js';
import { ACTIVE_MODEL_FILE } from './embedding/activeModel.js';
import { BUILTIN_MODEL_ID } from './embedding/embedderManifest.js';
import { modelDir, type DownloadableManifest } from './embedding/modelRegistry.js';
import { inProcessRunners } from './libraryEngine.js';
import { LibraryService } from './libraryService.js';
import { ok, nextEvent } from './testing/serviceTesting.js';
import { generateTestClapModel, startModelServer, testModelManifest, type ModelServer } from './testing/modelServer.js';
import { cutClip, writeSongFile } from './testing/synthAudio.js';

const RATE = 22050;
const MODEL_ID = 'test-clap';
let root: string;
let music: string;
let model: Buffer;
let server: ModelServer;
const songs: Float32Array[] = [];

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ai-models-'));
  music = path.join(root, 'music');
  mkdirSync(music, { recursive: true });
  songs.push(await writeSongFile(path.join(music, 'one.flac'), 201, 24, { title: 'One', artist: 'Synth A' }));
  songs.push(await writeSongFile(path.join(music, 'two.mp3'), 202, 24, { title: 'Two', artist: 'Synth B' }));
  model = generateTestClapModel(path.join(root, 'served.onnx'));
  server = await startModelServer(model);
}, 60_000);

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const ended = (p: ModelProgress) => p.phase === 'installed' || p.phase === 'failed' || p.phase === 'cancelled';

function openService(dataDir: string, models: readonly DownloadableManifest[]): Promise<LibraryService> {
  return LibraryService.open({ dataDir, runners: inProcessRunners(2), watch: false, scanOnOpen: false, downloadableModels: models, log: () => {} });
}

async function modelInfo(service: LibraryService, id: string): Promise<ModelInfo> {
  const found = ok(await service.listModels()).find((m) => m.id === id);
  if (!found) throw new Error(`${id} is not listed`);
  return found;
}

async function embeddingModels(service: LibraryService): Promise<(string | null)[]> {
  const page = ok(await service.listTracks({}));
  return Promise.all(page.items.map(async (t) => ok(await service.getTrack(t.id)).embeddingModel));
}

async function vibeModelOf(service: LibraryService): Promise<string[]> {
  const clip = cutClip(songs[0], RATE, 6, 8);
  const result = ok(await service.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples: clip }, source: 'file', mode: 'vibe', maxResults: 2 }));
  expect(result.modeUsed).toBe('vibe');
  expect(result.vibe.length).toBeGreaterThan(0);
  return [...new Set(result.vibe.map((v) => v.embeddingModel))];
}

describe('LibraryService vibe models', () => {
  it('downloads a model with progress, uses it (re-embedding the library), remembers it, falls back when damaged, and switches back', async () => {
    const dataDir = path.join(root, 'data-flow');
    const m = testModelManifest(MODEL_ID, server.url, model);
    let service = await openService(dataDir, [m]);
    try {
      const scanned = nextEvent(service, 'scanFinished');
      ok(await service.addFolder(music));
      expect(await scanned).toMatchObject({ added: 2, cancelled: false });
      expect(await embeddingModels(service)).toEqual([BUILTIN_MODEL_ID, BUILTIN_MODEL_ID]);

      const listed = ok(await service.listModels());
      expect(listed.map((x) => [x.id, x.state, x.active])).toEqual([
        [BUILTIN_MODEL_ID, 'builtin', true],
        [MODEL_ID, 'missing', false],
      ]);
      expect(listed[1]).toMatchObject({ sizeBytes: model.length, dim: 512, downloadedBytes: 0, installing: false, license: 'test-only' });
      // Not downloaded yet: a clear model-missing, not a crash; unknown ids are not-found.
      expect(await service.useModel(MODEL_ID)).toMatchObject({ ok: false, error: { code: 'model-missing', detail: expect.stringMatching(/not downloaded/) } });
      expect(await service.installModel('no-such-model')).toMatchObject({ ok: false, error: { code: 'not-found' } });

      // Download, slowly enough to see several progress events (throttled to a few per second).
      server.throttle = { chunkBytes: 8 * 1024, delayMs: 40 };
      const events: ModelProgress[] = [];
      const off = service.on('modelProgress', (p) => events.push(p));
      const done = nextEvent(service, 'modelProgress', ended);
      ok(await service.installModel(MODEL_ID));
      expect((await modelInfo(service, MODEL_ID)).installing).toBe(true);
      ok(await service.installModel(MODEL_ID)); // a second request joins the running download
      expect(await done).toEqual({ modelId: MODEL_ID, phase: 'installed', receivedBytes: model.length, totalBytes: model.length });
      off();
      server.throttle = { chunkBytes: 16 * 1024, delayMs: 0 };
      const phases = events.map((e) => e.phase);
      expect(phases[0]).toBe('downloading');
      expect(phases.filter((p) => p === 'downloading').length).toBeGreaterThanOrEqual(2);
      expect(phases.slice(-2)).toEqual(['verifying', 'installed']);
      // Throttled: ~1.5 s of download at 4 events/s at most (plus the phase changes).
      expect(phases.filter((p) => p === 'downloading').length).toBeLessThanOrEqual(10);
      expect(events.every((e, i) => i === 0 || e.receivedBytes >= events[i - 1].receivedBytes)).toBe(true);
      expect(server.ranges.filter((r) => r === undefined).length).toBe(1); // one download, not two
      expect(await modelInfo(service, MODEL_ID)).toMatchObject({ state: 'installed', active: false, installing: false, downloadedBytes: model.length });

      // Use it: the lane switches at once (status stays truthful) and a rescan re-embeds every track with it.
      const rescanned = nextEvent(service, 'scanFinished');
      ok(await service.useModel(MODEL_ID));
      expect(ok(await service.getStatus()).modes).toEqual(['exact', 'vibe', 'both']);
      expect((await modelInfo(service, MODEL_ID)).active).toBe(true);
      expect(await rescanned).toMatchObject({ failed: 0, cancelled: false });
      expect(await embeddingModels(service)).toEqual([MODEL_ID, MODEL_ID]);
      expect(await vibeModelOf(service)).toEqual([MODEL_ID]);
      expect(JSON.parse(readFileSync(path.join(dataDir, ACTIVE_MODEL_FILE), 'utf8'))).toEqual({ modelId: MODEL_ID });
      expect(ok(await service.getStatus())).toMatchObject({ vectorIndex: 'ok', notices: [] });
    } finally {
      await service.close();
    }

    // A restart keeps the choice.
    service = await openService(dataDir, [m]);
    try {
      expect((await modelInfo(service, MODEL_ID)).active).toBe(true);
      expect(await vibeModelOf(service)).toEqual([MODEL_ID]);
    } finally {
      await service.close();
    }

    // The model file is damaged while the app is closed: the lane falls back to the built-in model, with a notice.
    const file = path.join(modelDir(dataDir, MODEL_ID), m.file);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(file, bytes);
    service = await openService(dataDir, [m]);
    try {
      const status = ok(await service.getStatus());
      expect(status.modes).toEqual(['exact', 'vibe', 'both']);
      expect(status.notices).toEqual([
        { code: 'model-unavailable', error: { code: 'model-missing', detail: expect.stringMatching(/test-clap.*damaged.*built-in model is used instead/) } },
      ]);
      expect((await modelInfo(service, BUILTIN_MODEL_ID)).active).toBe(true);
      const retry = await service.useModel(MODEL_ID);
      expect(retry).toMatchObject({
        ok: false,
        error: { code: 'model-missing', detail: expect.stringMatching(new RegExp(`could not be loaded.*keeps using ${BUILTIN_MODEL_ID}`)) },
      });
      expect(await modelInfo(service, MODEL_ID)).toMatchObject({ state: 'corrupt', active: false });

      // Downloading it again repairs it; then switch back to the built-in model explicitly.
      const repaired = nextEvent(service, 'modelProgress', ended);
      ok(await service.installModel(MODEL_ID));
      expect((await repaired).phase).toBe('installed');
      expect(readFileSync(file).equals(model)).toBe(true);
      expect((await modelInfo(service, MODEL_ID)).state).toBe('installed');

      const rescanned = nextEvent(service, 'scanFinished');
      ok(await service.useModel(BUILTIN_MODEL_ID));
      await rescanned;
      expect(await embeddingModels(service)).toEqual([BUILTIN_MODEL_ID, BUILTIN_MODEL_ID]);
      expect(await vibeModelOf(service)).toEqual([BUILTIN_MODEL_ID]);
      expect(ok(await service.getStatus()).notices).toEqual([]);
      expect(JSON.parse(readFileSync(path.join(dataDir, ACTIVE_MODEL_FILE), 'utf8'))).toEqual({ modelId: BUILTIN_MODEL_ID });
    } finally {
      await service.close();
    }
  }, 180_000);

  it('cancels a download mid-way, leaving a partial file that the next install resumes with a Range request', async () => {
    const dataDir = path.join(root, 'data-cancel');
    const m = testModelManifest('test-clap-resume', server.url, model);
    const service = await openService(dataDir, [m]);
    try {
      server.throttle = { chunkBytes: 4 * 1024, delayMs: 50 };
      const firstBytes = nextEvent(service, 'modelProgress', (p) => p.phase === 'downloading' && p.receivedBytes > 0);
      const cancelled = nextEvent(service, 'modelProgress', ended);
      ok(await service.installModel(m.id));
      await firstBytes;
      ok(await service.cancelModelInstall(m.id)); // resolves once the download has stopped
      const stop = await cancelled;
      expect(stop.phase).toBe('cancelled');
      expect(stop.receivedBytes).toBeGreaterThan(0);
      expect(stop.receivedBytes).toBeLessThan(model.length);
      const partial = await modelInfo(service, m.id);
      expect(partial).toMatchObject({ state: 'partial', installing: false, active: false, downloadedBytes: stop.receivedBytes });

      server.throttle = { chunkBytes: 16 * 1024, delayMs: 0 };
      const rangesBefore = server.ranges.length;
      const resumed = nextEvent(service, 'modelProgress', ended);
      ok(await service.installModel(m.id));
      expect(await resumed).toMatchObject({ phase: 'installed', receivedBytes: model.length });
      expect(server.ranges.slice(rangesBefore)).toEqual([`bytes=${stop.receivedBytes}-`]);
      expect(readFileSync(path.join(modelDir(dataDir, m.id), m.file)).equals(model)).toBe(true);
      expect((await modelInfo(service, m.id)).state).toBe('installed');
    } finally {
      server.throttle = { chunkBytes: 16 * 1024, delayMs: 0 };
      await service.close();
    }
  }, 60_000);

  it('rejects a file whose SHA-256 differs from the pinned one: failed, nothing installed, the lane unchanged', async () => {
    const dataDir = path.join(root, 'data-badhash');
    const m = testModelManifest('test-clap-bad', server.url, model, { sha256: 'e'.repeat(64) });
    const service = await openService(dataDir, [m]);
    try {
      const done = nextEvent(service, 'modelProgress', ended);
      ok(await service.installModel(m.id));
      const failed = await done;
      expect(failed).toMatchObject({ modelId: m.id, phase: 'failed', error: { code: 'model-missing', detail: expect.stringMatching(/SHA-256/) } });
      expect(await modelInfo(service, m.id)).toMatchObject({ state: 'missing', downloadedBytes: 0, installing: false });
      expect(existsSync(path.join(modelDir(dataDir, m.id), m.file))).toBe(false);
      expect(await service.useModel(m.id)).toMatchObject({ ok: false, error: { code: 'model-missing' } });
      expect((await modelInfo(service, BUILTIN_MODEL_ID)).active).toBe(true);
      expect(existsSync(path.join(dataDir, ACTIVE_MODEL_FILE))).toBe(false);
    } finally {
      await service.close();
    }
  }, 60_000);
});
