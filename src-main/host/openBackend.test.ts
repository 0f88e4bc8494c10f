// openBackend runs the LibraryService in a worker thread: calls and events cross the thread boundary intact
// (typed arrays included), garbage never crashes the worker, and close() ends it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryEvents } from '../../src-preload/contract/api.js';
import { cutClip, writeSongFile } from '../engine/testing/synthAudio.js';
import { openBackend } from './openBackend.js';

let root: string;
let song: Float32Array;
beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ai-backend-'));
  mkdirSync(path.join(root, 'music'));
  song = await writeSongFile(path.join(root, 'music', 'song.flac'), 201, 30, { title: 'Worker Song', artist: 'W' });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('openBackend', () => {
  it('serves the contract from a worker thread, with events', async () => {
    const backend = await openBackend({ dataDir: path.join(root, 'data'), workerCount: 1, watch: false, appVersion: '1.2.3' });
    try {
      const status = await backend.getStatus();
      expect(status).toMatchObject({ ok: true, value: { appVersion: '1.2.3', catalog: 'ok' } });

      const finished = new Promise<LibraryEvents['scanFinished']>((resolve) => {
        const off = backend.on('scanFinished', (s) => {
          off();
          resolve(s);
        });
      });
      const added = await backend.addFolder(path.join(root, 'music'));
      expect(added.ok).toBe(true);
      expect(await finished).toMatchObject({ added: 1 });

      const result = await backend.identifyClip({
        audio: { kind: 'pcm', sampleRateHz: 22050, samples: cutClip(song, 22050, 12, 5) },
        source: 'mic',
        mode: 'exact',
        maxResults: 1,
      });
      expect(result.ok && result.value.exact[0]?.track.title).toBe('Worker Song');
      if (result.ok) expect(result.value.exact[0].offsetSeconds).toBeCloseTo(12, 0);

      // A door that gives up (the HTTP search timeout) cancels the work in the worker: a long clip of music that is
      // not in the library would run the whole speed/pitch grid, and answers 'cancelled' instead.
      const stranger = new Float32Array(240 * 8000);
      for (let i = 0; i < stranger.length; i++) stranger[i] = 0.3 * Math.sin(i * (0.2 + 0.1 * Math.sin(i / 4000))) * Math.sin(i / 900);
      const controller = new AbortController();
      const cancelled = backend.identifyClip(
        { audio: { kind: 'pcm', sampleRateHz: 8000, samples: stranger }, source: 'file', mode: 'exact', maxResults: 1 },
        controller.signal,
      );
      setTimeout(() => controller.abort(), 20);
      expect(await cancelled).toMatchObject({ ok: false, error: { code: 'cancelled' } });
      // The worker carries on answering.
      expect(
        (
          await backend.identifyClip({
            audio: { kind: 'pcm', sampleRateHz: 22050, samples: cutClip(song, 22050, 12, 5) },
            source: 'mic',
            mode: 'exact',
            maxResults: 1,
          })
        ).ok,
      ).toBe(true);

      // The door parses arguments; even so, garbage reaching the worker comes back as a Result.
      const garbage = await (backend.getTrack as (x: unknown) => Promise<unknown>)(42);
      expect(garbage).toMatchObject({ ok: false });
      expect((await backend.listTracks({})).ok).toBe(true);
    } finally {
      await backend.close();
    }
    expect(await backend.getStatus()).toMatchObject({ ok: false, error: { code: 'internal' } });
  }, 90_000);
});
