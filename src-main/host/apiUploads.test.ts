// POST /api/v1/search and POST /api/v1/tracklist against the host on a fake backend: uploads, limits, time limits,
// cancellation, error mapping, and every JSON answer checked against docs/openapi.yaml.
import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from './server.js';
import { API_ROUTES, useApiHost } from './testing/apiHostFixture.js';
import type { FakeBackend } from './testing/fakeBackend.js';
import { rawRequest } from './testing/httpClient.js';
import { LIMITS } from '../../src-preload/contract/api.js';
import type { AppErrorInfo, IdentifyResult } from '../../src-preload/contract/library.js';
import { encodeWav, synthSong } from '../engine/testing/synthAudio.js';

const fx = useApiHost();
const { call, bearer, searchForm, openApi } = fx;
let dir: string;
let backend: FakeBackend;
let host: RunningHost;
beforeAll(() => {
  ({ dir, backend, host } = fx.state());
});

describe('POST /api/v1/search', () => {
  const clip = { name: 'clip.wav', bytes: new Uint8Array(5000).fill(7) };

  it('identifies an uploaded clip: snake_case matches, mode and max_results passed on', async () => {
    const form = searchForm({ mode: 'exact', max_results: '3' }, clip);
    const res = await call('/api/v1/search', 'POST', '/api/v1/search', form);
    expect(res.status).toBe(200);
    const body = res.json();
    // The fake library's default script: a file (not named "unknown") is the second track, at 60.2 s.
    expect(body.exact_matches[0]).toMatchObject({
      track: { id: backend.tracks[1].id, title: 'Song 2', duration_seconds: 77, file_path: backend.tracks[1].filePath },
      confidence: 0.93,
      offset_seconds: 60.2,
      aligned_hashes: 48,
    });
    expect(body.mode_used).toBe('exact');
    const [request] = backend.calls.filter((c) => c.method === 'identifyClip').at(-1)!.args as [any];
    expect(request).toMatchObject({ source: 'file', mode: 'exact', maxResults: 3, audio: { kind: 'file', fileName: 'clip.wav' } });
    expect(request.historyKey).toBeUndefined();
    expect(Array.from(request.audio.bytes)).toEqual(Array.from(clip.bytes));
  });

  it('defaults to mode both and 10 results; vibe matches are snake_case too', async () => {
    const original = backend.scripts.identify;
    backend.scripts.identify = async (): Promise<IdentifyResult> => ({
      durationMs: 3,
      clipSeconds: 5,
      exact: [],
      vibe: [{ track: backend.tracks[2], similarity: 0.8, embeddingModel: 'builtin-timbre-v1', explanation: null }],
      modeUsed: 'both',
    });
    try {
      const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({}, clip));
      expect(res.json().vibe_matches[0]).toMatchObject({ similarity: 0.8, embedding_model: 'builtin-timbre-v1', track: { title: 'Needle in the haystack' } });
      const [request] = backend.calls.filter((c) => c.method === 'identifyClip').at(-1)!.args as [any];
      expect(request).toMatchObject({ mode: 'both', maxResults: 10 });
    } finally {
      backend.scripts.identify = original;
    }
  });

  it('VALIDATION_ERROR for a missing file, a bad mode or max_results, or a body that is not multipart', async () => {
    const cases: [Record<string, string>, boolean, string][] = [
      [{ mode: 'exact' }, false, 'audio'],
      [{ mode: 'loud' }, true, 'mode'],
      [{ max_results: '0' }, true, 'max_results'],
      [{ max_results: '51' }, true, 'max_results'],
      [{ max_results: '2.5' }, true, 'max_results'],
      [{ max_results: 'ten' }, true, 'max_results'],
    ];
    for (const [fields, withFile, field] of cases) {
      const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm(fields, withFile ? clip : undefined));
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field } });
    }
    const json = await call('/api/v1/search', 'POST', '/api/v1/search', { headers: { ...bearer(), 'content-type': 'application/json' }, body: '{}' });
    expect(json.json().error.code).toBe('VALIDATION_ERROR');
    const broken = await call('/api/v1/search', 'POST', '/api/v1/search', {
      headers: { ...bearer(), 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\ngarbage',
    });
    expect(broken.status).toBe(400);
  });

  it('FILE_TOO_LARGE (413) for an upload over 10 MB, without calling the engine or crashing', async () => {
    const before = backend.calls.filter((c) => c.method === 'identifyClip').length;
    const big = { name: 'big.wav', bytes: new Uint8Array(LIMITS.httpSearchMaxBytes + 1) };
    const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({ mode: 'exact' }, big));
    expect(res.status).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'FILE_TOO_LARGE', details: { max_bytes: LIMITS.httpSearchMaxBytes } });
    expect(backend.calls.filter((c) => c.method === 'identifyClip').length).toBe(before);
    // Declared far too large: refused up front.
    const declared = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/v1/search',
      headers: { ...bearer(), 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(100 * 1024 * 1024) },
    }).catch(() => null);
    if (declared) expect(declared.json().error.code).toBe('FILE_TOO_LARGE');
    expect((await call('/health', 'GET', '/health')).status).toBe(200);
  });

  it('maps engine errors: AUDIO_TOO_SHORT, UNSUPPORTED_FORMAT (400), SERVICE_UNAVAILABLE (503), INTERNAL_ERROR (500)', async () => {
    const original = backend.scripts.identify;
    const cases: [AppErrorInfo | 'throw', number, string][] = [
      [{ code: 'clip-too-short', detail: 'clip is 0.4 s' }, 400, 'AUDIO_TOO_SHORT'],
      [{ code: 'unsupported-format' }, 400, 'UNSUPPORTED_FORMAT'],
      [{ code: 'decode-failed' }, 400, 'UNSUPPORTED_FORMAT'],
      [{ code: 'file-too-large' }, 413, 'FILE_TOO_LARGE'],
      [{ code: 'ffmpeg-missing' }, 503, 'SERVICE_UNAVAILABLE'],
      [{ code: 'internal', detail: 'at secret.ts:1' }, 500, 'INTERNAL_ERROR'],
      ['throw', 500, 'INTERNAL_ERROR'],
    ];
    try {
      for (const [answer, status, code] of cases) {
        backend.scripts.identify = async () => {
          if (answer === 'throw') throw new Error('boom /secret/stack');
          return answer;
        };
        const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({}, clip));
        expect(res.status, code).toBe(status);
        expect(res.json().error.code).toBe(code);
        expect(res.text()).not.toMatch(/secret/);
      }
      backend.scripts.identify = () => ({ code: 'clip-too-short', detail: 'clip is 0.4 s' });
      const short = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({}, clip));
      expect(short.json().error.details).toEqual({ app_error_code: 'clip-too-short', detail: 'clip is 0.4 s' });
    } finally {
      backend.scripts.identify = original;
    }
  });

  it('SEARCH_TIMEOUT (504) when the engine takes longer than the limit', async () => {
    const original = backend.scripts.identify;
    backend.scripts.identify = () => new Promise(() => undefined);
    try {
      const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({}, clip));
      expect(res.status).toBe(504);
      expect(res.json().error).toMatchObject({ code: 'SEARCH_TIMEOUT', details: { timeout_ms: 300 } });
    } finally {
      backend.scripts.identify = original;
    }
  });

  it('the search timeout cancels the search: the backend sees its signal abort', async () => {
    const original = backend.scripts.identify;
    let aborted: Promise<void> | undefined;
    backend.scripts.identify = (_request, _tracks, signal) => {
      aborted = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
      return aborted.then(() => ({ code: 'cancelled' }));
    };
    try {
      const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({}, clip));
      expect(res.status).toBe(504);
      expect(aborted).toBeDefined();
      await aborted; // resolves only if the signal was aborted (else the test times out)
    } finally {
      backend.scripts.identify = original;
    }
  });

  it('AUDIO_TOO_LONG (400) for a clip over 5 minutes', async () => {
    const original = backend.scripts.identify;
    backend.scripts.identify = () => ({ code: 'clip-too-long', detail: 'the clip is longer than 5 minutes' });
    try {
      const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({}, clip));
      expect(res.status).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'AUDIO_TOO_LONG', details: { app_error_code: 'clip-too-long' } });
    } finally {
      backend.scripts.identify = original;
    }
  });

  it('SERVICE_UNAVAILABLE (503) when the catalog or the landmark store failed its health check', async () => {
    try {
      for (const [store, health] of [
        ['catalog', 'damaged'],
        ['landmarkStore', 'rebuilding'],
      ] as const) {
        Object.assign(backend.health, { catalog: 'ok', landmarkStore: 'ok' }, { [store]: health });
        const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({ mode: 'exact' }, clip));
        expect(res.status).toBe(503);
        expect(res.json().error.code).toBe('SERVICE_UNAVAILABLE');
      }
    } finally {
      Object.assign(backend.health, { catalog: 'ok', landmarkStore: 'ok' });
    }
  });
});

describe('POST /api/v1/tracklist', () => {
  // A recording of three songs back to back, as a WAV (the fake backend does not decode it; it sees its bytes).
  const mix = encodeWav(synthSong(5, 12, 8000), 8000);
  const tmp = (): string[] => readdirSync(path.join(dir, 'data', 'tmp'));

  it('answers the CLI JSON shape for an uploaded recording, streamed to tmp/ and deleted afterwards', async () => {
    backend.tracklistFiles.length = 0;
    const res = await call('/api/v1/tracklist', 'POST', '/api/v1/tracklist?run_id=script-1', searchForm({}, { name: 'sets/Friday mix.wav', bytes: mix }));
    expect(res.status).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['file', 'duration_seconds', 'segments']);
    expect(body).toMatchObject({ file: 'Friday mix.wav', duration_seconds: 95.5 });
    const t0 = backend.tracks[0];
    expect(body.segments).toEqual([
      {
        start: 0,
        end: 30,
        track: {
          id: t0.id,
          title: 'Song 1',
          artist: t0.artist,
          album: t0.album,
          duration_seconds: t0.durationSeconds,
          format: t0.format,
          file_path: t0.filePath,
        },
        offset_seconds: 12.5,
        speed_factor: 1,
        pitch_factor: 1,
        confidence: 0.91,
      },
      { start: 30, end: 45, track: null, offset_seconds: null, speed_factor: null, pitch_factor: null, confidence: null },
      expect.objectContaining({
        start: 45,
        track: expect.objectContaining({ title: 'Song 2' }),
        speed_factor: 1.04,
        same_recording: [expect.objectContaining({ id: backend.tracks[2].id, title: backend.tracks[2].title, file_path: backend.tracks[2].filePath })],
      }),
    ]);
    // The backend got the upload whole, as a file in the data folder's tmp/, with the run id; the file is gone now.
    expect(backend.tracklistFiles).toHaveLength(1);
    expect(Buffer.from(backend.tracklistFiles[0].bytes).equals(Buffer.from(mix))).toBe(true);
    expect(path.dirname(backend.tracklistFiles[0].filePath)).toBe(path.join(dir, 'data', 'tmp'));
    expect(backend.tracklistFiles[0].filePath).toMatch(/upload-[0-9a-f-]+\.wav$/);
    expect(backend.calls.filter((c) => c.method === 'tracklistFile').at(-1)!.args[0]).toMatchObject({ runId: 'script-1' });
    expect(tmp()).toEqual([]);
  });

  it('answers a CUE sheet or CSV with ?format=', async () => {
    const cue = await rawRequest(host.port, { method: 'POST', path: '/api/v1/tracklist?format=cue', ...searchForm({}, { name: 'mix.mp3', bytes: mix }) });
    expect(cue.status).toBe(200);
    expect(cue.headers['content-type']).toBe('application/x-cue; charset=utf-8');
    expect(cue.headers['content-disposition']).toBe('attachment; filename="mix.cue"');
    expect(cue.text()).toContain('FILE "mix.mp3" MP3\r\n  TRACK 01 AUDIO\r\n    TITLE "Song 1"\r\n');
    expect(cue.text()).toContain('  TRACK 02 AUDIO\r\n    TITLE "Unknown"\r\n    INDEX 01 00:30:00\r\n');
    expect(cue.text()).toContain('  TRACK 03 AUDIO\r\n    TITLE "Song 2"\r\n');
    const csv = await rawRequest(host.port, { method: 'POST', path: '/api/v1/tracklist?format=csv', ...searchForm({}, { name: 'mix.mp3', bytes: mix }) });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const rows = csv.text().split('\r\n');
    expect(rows[0]).toBe('start,end,start_time,end_time,title,artist,album,offset_seconds,speed_factor,confidence,track_id,path');
    expect(rows[1]).toMatch(/^0,30,0:00,0:30,Song 1,/);
    expect(rows[2]).toBe('30,45,0:30,0:45,,,,,,,,');
    expect(tmp()).toEqual([]);
  });

  it('4xx for what is not a recording upload: no file, not multipart, a bad format or run id, undecodable audio', async () => {
    const before = backend.calls.filter((c) => c.method === 'tracklistFile').length;
    const noFile = await call('/api/v1/tracklist', 'POST', '/api/v1/tracklist', searchForm({ mode: 'exact' }));
    expect(noFile.status).toBe(400);
    expect(noFile.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'audio' } });
    const json = await call('/api/v1/tracklist', 'POST', '/api/v1/tracklist', { headers: { ...bearer(), 'content-type': 'application/json' }, body: '{}' });
    expect(json.json().error.code).toBe('VALIDATION_ERROR');
    const format = await call('/api/v1/tracklist', 'POST', '/api/v1/tracklist?format=m3u', searchForm({}, { name: 'mix.wav', bytes: mix }));
    expect(format.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'format' } });
    const runId = await call('/api/v1/tracklist', 'POST', '/api/v1/tracklist?run_id=a%20b', searchForm({}, { name: 'mix.wav', bytes: mix }));
    expect(runId.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'run_id' } });
    expect(backend.calls.filter((c) => c.method === 'tracklistFile').length).toBe(before);
    const original = backend.scripts.tracklist;
    backend.scripts.tracklist = () => ({ code: 'unsupported-format', detail: 'not audio' });
    try {
      const junk = await call('/api/v1/tracklist', 'POST', '/api/v1/tracklist', searchForm({}, { name: 'junk.mp3', bytes: new Uint8Array(100) }));
      expect(junk.status).toBe(400);
      expect(junk.json().error).toMatchObject({ code: 'UNSUPPORTED_FORMAT', details: { app_error_code: 'unsupported-format' } });
    } finally {
      backend.scripts.tracklist = original;
    }
    const declared = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/v1/tracklist',
      headers: { ...bearer(), 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(LIMITS.maxTracklistBytes + 2 * 1024 * 1024) },
    }).catch(() => null);
    if (declared) {
      expect(declared.status).toBe(413);
      openApi.check('/api/v1/tracklist', 'POST', 413, declared.json());
    }
    expect((await rawRequest(host.port, { path: '/api/v1/tracklist', headers: bearer() })).status).toBe(405);
    expect(tmp()).toEqual([]);
  });

  it('takes a recording larger than the search limit, and stops the run when the client goes away', async () => {
    const big = new Uint8Array(LIMITS.httpSearchMaxBytes * 3);
    big[big.length - 1] = 9;
    const res = await call('/api/v1/tracklist', 'POST', '/api/v1/tracklist', searchForm({}, { name: 'long.wav', bytes: big }));
    expect(res.status).toBe(200);
    expect(backend.tracklistFiles.at(-1)!.bytes.length).toBe(big.length);

    const original = backend.scripts.tracklist;
    let aborted = false;
    let started = false;
    backend.scripts.tracklist = (_request, _tracks, signal) =>
      new Promise((resolve) => {
        started = true;
        signal?.addEventListener('abort', () => {
          aborted = true;
          resolve({ code: 'cancelled' });
        });
      });
    try {
      const form = searchForm({}, { name: 'mix.wav', bytes: mix });
      const req = http.request({
        host: '127.0.0.1',
        port: host.port,
        method: 'POST',
        path: '/api/v1/tracklist',
        headers: { host: `127.0.0.1:${host.port}`, ...form.headers, 'content-length': String(form.body.length) },
      });
      req.on('error', () => undefined);
      req.end(Buffer.from(form.body));
      await expect.poll(() => started, { timeout: 10_000 }).toBe(true);
      req.destroy();
      await expect.poll(() => aborted, { timeout: 10_000 }).toBe(true);
      await expect.poll(() => tmp(), { timeout: 10_000 }).toEqual([]);
    } finally {
      backend.scripts.tracklist = original;
    }
  });
});

describe('openapi.yaml coverage of apiUploads', () => {
  it('each route it owns was answered with a success and an error', () => fx.expectExercised(API_ROUTES.apiUploads));
});
