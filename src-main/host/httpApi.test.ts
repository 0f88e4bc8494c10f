// The scripts' HTTP API on a fake backend: every answer (errors included) is checked against docs/openapi.yaml,
// plus tokens, multipart search with its limits and error codes, ingest reports, paging and track detail.
import { mkdtempSync, promises as fsp, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src-preload/contract/api.js';
import type { IdentifyResult, Result } from '../../src-preload/contract/library.js';
import { startHost, type RunningHost } from './server.js';
import { createFakeBackend, fakeTrack, type FakeBackend } from './testing/fakeBackend.js';
import { rawRequest, type RawResponse } from './testing/httpClient.js';
import { loadOpenApi } from './testing/openApi.js';
import { multipartBody } from './testing/multipart.js';
import { encodeWav, synthSong } from '../engine/testing/synthAudio.js';

const openApi = loadOpenApi();
let dir: string;
let backend: FakeBackend;
let host: RunningHost;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'host-api-'));
  await fsp.mkdir(path.join(dir, 'music', 'sub'), { recursive: true });
  await fsp.writeFile(path.join(dir, 'music', 'a.mp3'), 'x');
  const tracks = Array.from({ length: 7 }, (_, i) => fakeTrack(i + 1, path.join(dir, 'music', `t${i + 1}.mp3`)));
  tracks[2] = fakeTrack(3, path.join(dir, 'music', 't3.mp3'), { title: 'Needle in the haystack', embeddingModel: 'builtin-timbre-v1', embeddingDim: 64, embeddingStatus: 'indexed' });
  backend = createFakeBackend(tracks);
  host = await startHost({ backend, appVersion: '1.2.3', searchTimeoutMs: 300, log: () => undefined, dataDir: path.join(dir, 'data') });
});

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

const bearer = (): Record<string, string> => ({ authorization: `Bearer ${host.token}` });

/** Sends a request and checks the JSON answer against the documented schema for its status. */
async function call(template: string, method: string, urlPath: string, options: { headers?: Record<string, string>; body?: Uint8Array | string } = {}): Promise<RawResponse> {
  const res = await rawRequest(host.port, { method, path: urlPath, headers: options.headers ?? bearer(), body: options.body });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  openApi.check(template, method, res.status, res.json());
  return res;
}

function searchForm(fields: Record<string, string>, file?: { name: string; bytes: Uint8Array }): { headers: Record<string, string>; body: Uint8Array } {
  const { contentType, body } = multipartBody(fields, file ? { audio: { fileName: file.name, bytes: file.bytes } } : {});
  return { headers: { ...bearer(), 'content-type': contentType }, body };
}

describe('GET /health', () => {
  it('needs no token and reports the checks', async () => {
    const res = await call('/health', 'GET', '/health', { headers: {} });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      version: '9.9.9-test',
      checks: { catalog: 'ok', landmark_store: 'ok', vector_index: 'absent' },
      track_count: 7,
      scanning: false,
      library: 'ready',
    });
  });

  it('says degraded while a store is rebuilding or damaged, and 503 when the backend cannot answer', async () => {
    const saved = backend.status;
    try {
      backend.status = { ...saved, landmarkStore: 'rebuilding' };
      expect((await call('/health', 'GET', '/health')).json().status).toBe('degraded');
      const original = backend.getStatus;
      backend.getStatus = async () => ({ ok: false, error: { code: 'catalog-corrupt' } });
      try {
        const res = await call('/health', 'GET', '/health');
        expect(res.status).toBe(503);
      } finally {
        backend.getStatus = original;
      }
    } finally {
      backend.status = saved;
    }
  });
});

describe('tokens on /api/v1', () => {
  it('401 UNAUTHORIZED without or with a wrong token; Bearer and X-Api-Token both work', async () => {
    const missing = await call('/api/v1/version', 'GET', '/api/v1/version', { headers: {} });
    expect(missing.status).toBe(401);
    expect(missing.json().error.code).toBe('UNAUTHORIZED');
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect((await call('/api/v1/version', 'GET', '/api/v1/version', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await call('/api/v1/tracks', 'GET', '/api/v1/tracks', { headers: { 'x-api-token': host.token.slice(1) } })).status).toBe(401);
    const viaHeader = await call('/api/v1/version', 'GET', '/api/v1/version', { headers: { 'x-api-token': host.token } });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.json()).toMatchObject({ name: 'audio-ident', version: '1.2.3', api_version: 'v1' });
    // A foreign Host is refused before anything else.
    const rebound = await call('/api/v1/version', 'GET', '/api/v1/version', { headers: { ...bearer(), host: 'evil.example' } });
    expect(rebound.status).toBe(403);
  });

  it('answers NOT_FOUND for unknown API routes and METHOD_NOT_ALLOWED for wrong methods', async () => {
    const unknown = await rawRequest(host.port, { path: '/api/v1/nothing', headers: bearer() });
    expect(unknown.status).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
    const wrong = await rawRequest(host.port, { path: '/api/v1/search', headers: bearer() });
    expect(wrong.json().error.code).toBe('METHOD_NOT_ALLOWED');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
  });
});

describe('POST /api/v1/search', () => {
  const clip = { name: 'clip.wav', bytes: new Uint8Array(5000).fill(7) };

  it('identifies an uploaded clip: snake_case matches, mode and max_results passed on', async () => {
    const form = searchForm({ mode: 'exact', max_results: '3' }, clip);
    const res = await call('/api/v1/search', 'POST', '/api/v1/search', form);
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.exact_matches[0]).toMatchObject({
      track: { id: backend.tracks[0].id, title: 'Song 1', duration_seconds: 76, file_path: backend.tracks[0].filePath },
      confidence: 0.93,
      offset_seconds: 60.2,
      aligned_hashes: 87,
    });
    expect(body.mode_used).toBe('exact');
    const [, [request]] = backend.calls.filter(([m]) => m === 'identifyClip').at(-1)! as [string, [any]];
    expect(request).toMatchObject({ source: 'file', mode: 'exact', maxResults: 3, audio: { kind: 'file', fileName: 'clip.wav' } });
    expect(request.historyKey).toBeUndefined();
    expect(Array.from(request.audio.bytes)).toEqual(Array.from(clip.bytes));
  });

  it('defaults to mode both and 10 results; vibe matches are snake_case too', async () => {
    const original = backend.identify;
    backend.identify = async (): Promise<Result<IdentifyResult>> => ({
      ok: true,
      value: {
        durationMs: 3,
        clipSeconds: 5,
        exact: [],
        vibe: [{ track: backend.tracks[2], similarity: 0.8, embeddingModel: 'builtin-timbre-v1', explanation: null }],
        modeUsed: 'both',
      },
    });
    try {
      const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({}, clip));
      expect(res.json().vibe_matches[0]).toMatchObject({ similarity: 0.8, embedding_model: 'builtin-timbre-v1', track: { title: 'Needle in the haystack' } });
      const [, [request]] = backend.calls.filter(([m]) => m === 'identifyClip').at(-1)! as [string, [any]];
      expect(request).toMatchObject({ mode: 'both', maxResults: 10 });
    } finally {
      backend.identify = original;
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
    const broken = await call('/api/v1/search', 'POST', '/api/v1/search', { headers: { ...bearer(), 'content-type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\ngarbage' });
    expect(broken.status).toBe(400);
  });

  it('FILE_TOO_LARGE (413) for an upload over 10 MB, without calling the engine or crashing', async () => {
    const before = backend.calls.filter(([m]) => m === 'identifyClip').length;
    const big = { name: 'big.wav', bytes: new Uint8Array(LIMITS.httpSearchMaxBytes + 1) };
    const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({ mode: 'exact' }, big));
    expect(res.status).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'FILE_TOO_LARGE', details: { max_bytes: LIMITS.httpSearchMaxBytes } });
    expect(backend.calls.filter(([m]) => m === 'identifyClip').length).toBe(before);
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
    const original = backend.identify;
    const cases: [Result<IdentifyResult> | 'throw', number, string][] = [
      [{ ok: false, error: { code: 'clip-too-short', detail: 'clip is 0.4 s' } }, 400, 'AUDIO_TOO_SHORT'],
      [{ ok: false, error: { code: 'unsupported-format' } }, 400, 'UNSUPPORTED_FORMAT'],
      [{ ok: false, error: { code: 'decode-failed' } }, 400, 'UNSUPPORTED_FORMAT'],
      [{ ok: false, error: { code: 'file-too-large' } }, 413, 'FILE_TOO_LARGE'],
      [{ ok: false, error: { code: 'ffmpeg-missing' } }, 503, 'SERVICE_UNAVAILABLE'],
      [{ ok: false, error: { code: 'internal', detail: 'at secret.ts:1' } }, 500, 'INTERNAL_ERROR'],
      ['throw', 500, 'INTERNAL_ERROR'],
    ];
    try {
      for (const [answer, status, code] of cases) {
        backend.identify = async () => {
          if (answer === 'throw') throw new Error('boom /secret/stack');
          return answer;
        };
        const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({}, clip));
        expect(res.status, code).toBe(status);
        expect(res.json().error.code).toBe(code);
        expect(res.text()).not.toMatch(/secret/);
      }
      backend.identify = async () => ({ ok: false, error: { code: 'clip-too-short', detail: 'clip is 0.4 s' } });
      const short = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({}, clip));
      expect(short.json().error.details).toEqual({ app_error_code: 'clip-too-short', detail: 'clip is 0.4 s' });
    } finally {
      backend.identify = original;
    }
  });

  it('SEARCH_TIMEOUT (504) when the engine takes longer than the limit', async () => {
    const original = backend.identify;
    backend.identify = () => new Promise(() => undefined);
    try {
      const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({}, clip));
      expect(res.status).toBe(504);
      expect(res.json().error).toMatchObject({ code: 'SEARCH_TIMEOUT', details: { timeout_ms: 300 } });
    } finally {
      backend.identify = original;
    }
  });

  it('the search timeout cancels the search: the backend sees its signal abort', async () => {
    const original = backend.identify;
    let aborted: Promise<void> | undefined;
    backend.identify = (_request, signal) => {
      aborted = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
      return aborted.then(() => ({ ok: false, error: { code: 'cancelled' } }));
    };
    try {
      const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({}, clip));
      expect(res.status).toBe(504);
      expect(aborted).toBeDefined();
      await aborted; // resolves only if the signal was aborted (else the test times out)
    } finally {
      backend.identify = original;
    }
  });

  it('AUDIO_TOO_LONG (400) for a clip over 5 minutes', async () => {
    const original = backend.identify;
    backend.identify = async () => ({ ok: false, error: { code: 'clip-too-long', detail: 'the clip is longer than 5 minutes' } });
    try {
      const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({}, clip));
      expect(res.status).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'AUDIO_TOO_LONG', details: { app_error_code: 'clip-too-long' } });
    } finally {
      backend.identify = original;
    }
  });

  it('SERVICE_UNAVAILABLE (503) when the catalog or the landmark store failed its health check', async () => {
    const saved = backend.status;
    try {
      for (const status of [{ ...saved, catalog: 'damaged' as const }, { ...saved, landmarkStore: 'rebuilding' as const }]) {
        backend.status = status;
        const res = await call('/api/v1/search', 'POST', '/api/v1/search', searchForm({ mode: 'exact' }, clip));
        expect(res.status).toBe(503);
        expect(res.json().error.code).toBe('SERVICE_UNAVAILABLE');
      }
    } finally {
      backend.status = saved;
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
    expect(Object.keys(body)).toEqual(['file', 'durationSeconds', 'segments']);
    expect(body).toMatchObject({ file: 'Friday mix.wav', durationSeconds: 95.5 });
    expect(body.segments).toEqual([
      { start: 0, end: 30, trackId: backend.tracks[0].id, path: backend.tracks[0].filePath, title: 'Song 1', artist: backend.tracks[0].artist, offsetSeconds: 12.5, speedFactor: 1, confidence: 0.91 },
      { start: 30, end: 45, trackId: null, path: null, title: null, artist: null, offsetSeconds: null, speedFactor: null, confidence: null },
      expect.objectContaining({ start: 45, title: 'Song 2', speedFactor: 1.04 }),
    ]);
    // The backend got the upload whole, as a file in the data folder's tmp/, with the run id; the file is gone now.
    expect(backend.tracklistFiles).toHaveLength(1);
    expect(Buffer.from(backend.tracklistFiles[0].bytes).equals(Buffer.from(mix))).toBe(true);
    expect(path.dirname(backend.tracklistFiles[0].filePath)).toBe(path.join(dir, 'data', 'tmp'));
    expect(backend.tracklistFiles[0].filePath).toMatch(/upload-[0-9a-f-]+\.wav$/);
    expect(backend.calls.filter(([m]) => m === 'tracklistFile').at(-1)![1][0]).toMatchObject({ runId: 'script-1' });
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
    const before = backend.calls.filter(([m]) => m === 'tracklistFile').length;
    const noFile = await call('/api/v1/tracklist', 'POST', '/api/v1/tracklist', searchForm({ mode: 'exact' }));
    expect(noFile.status).toBe(400);
    expect(noFile.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'audio' } });
    const json = await call('/api/v1/tracklist', 'POST', '/api/v1/tracklist', { headers: { ...bearer(), 'content-type': 'application/json' }, body: '{}' });
    expect(json.json().error.code).toBe('VALIDATION_ERROR');
    const format = await call('/api/v1/tracklist', 'POST', '/api/v1/tracklist?format=m3u', searchForm({}, { name: 'mix.wav', bytes: mix }));
    expect(format.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'format' } });
    const runId = await call('/api/v1/tracklist', 'POST', '/api/v1/tracklist?run_id=a%20b', searchForm({}, { name: 'mix.wav', bytes: mix }));
    expect(runId.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'run_id' } });
    expect(backend.calls.filter(([m]) => m === 'tracklistFile').length).toBe(before);
    const original = backend.tracklist;
    backend.tracklist = async () => ({ ok: false, error: { code: 'unsupported-format', detail: 'not audio' } });
    try {
      const junk = await call('/api/v1/tracklist', 'POST', '/api/v1/tracklist', searchForm({}, { name: 'junk.mp3', bytes: new Uint8Array(100) }));
      expect(junk.status).toBe(400);
      expect(junk.json().error).toMatchObject({ code: 'UNSUPPORTED_FORMAT', details: { app_error_code: 'unsupported-format' } });
    } finally {
      backend.tracklist = original;
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

    const original = backend.tracklist;
    let aborted = false;
    let started = false;
    backend.tracklist = (_bytes, _runId, signal) =>
      new Promise((resolve) => {
        started = true;
        signal?.addEventListener('abort', () => {
          aborted = true;
          resolve({ ok: false, error: { code: 'cancelled' } });
        });
      });
    try {
      const form = searchForm({}, { name: 'mix.wav', bytes: mix });
      const req = http.request({ host: '127.0.0.1', port: host.port, method: 'POST', path: '/api/v1/tracklist', headers: { host: `127.0.0.1:${host.port}`, ...form.headers, 'content-length': String(form.body.length) } });
      req.on('error', () => undefined);
      req.end(Buffer.from(form.body));
      await expect.poll(() => started, { timeout: 10_000 }).toBe(true);
      req.destroy();
      await expect.poll(() => aborted, { timeout: 10_000 }).toBe(true);
      await expect.poll(() => tmp(), { timeout: 10_000 }).toEqual([]);
    } finally {
      backend.tracklist = original;
    }
  });
});

describe('POST /api/v1/ingest', () => {
  it('adds a directory, waits for the scan and reports it, with the failed files of this ingest', async () => {
    const folder = path.join(dir, 'music');
    backend.nextScan = { added: 3, updated: 1, unchanged: 2, rebuilt: 0, moved: 0, removed: 0, duplicates: 1, failed: 1, cancelled: false, audioSeconds: 300, wallSeconds: 2 };
    const now = new Date().toISOString();
    backend.failedFiles = [
      { path: path.join(folder, 'sub', 'broken.mp3'), error: { code: 'unsupported-format', detail: 'not audio' }, at: now },
      { path: path.join(folder, 'old.mp3'), error: { code: 'decode-failed' }, at: '2020-01-01T00:00:00.000Z' },
      { path: path.join(dir, 'elsewhere', 'x.mp3'), error: { code: 'decode-failed' }, at: now },
    ];
    const res = await call('/api/v1/ingest', 'POST', '/api/v1/ingest', { headers: { ...bearer(), 'content-type': 'application/json' }, body: JSON.stringify({ path: folder }) });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      path: folder,
      folder: { id: 1, path: folder },
      ingested: 4,
      duplicates: 1,
      failed: 1,
      errors: [{ path: path.join(folder, 'sub', 'broken.mp3'), code: 'unsupported-format', message: 'not audio' }],
    });
    expect(backend.calls.some(([m, a]) => m === 'addFolder' && a[0] === folder)).toBe(true);
  });

  it("takes a file's directory; one already in the library is rescanned, not added again", async () => {
    const addsBefore = backend.calls.filter(([m]) => m === 'addFolder').length;
    const res = await call('/api/v1/ingest', 'POST', '/api/v1/ingest', {
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: JSON.stringify({ path: path.join(dir, 'music', 'a.mp3') }),
    });
    expect(res.status).toBe(200);
    expect(res.json().folder.path).toBe(path.join(dir, 'music'));
    expect(backend.calls.filter(([m]) => m === 'addFolder').length).toBe(addsBefore);
    expect(backend.calls.slice(-4).map(([m]) => m)).toContain('rescan');
  });

  it('NOT_FOUND for a missing path, VALIDATION_ERROR for a relative path or a bad body, 401 without token', async () => {
    const post = (body: string, headers = bearer()) => call('/api/v1/ingest', 'POST', '/api/v1/ingest', { headers: { ...headers, 'content-type': 'application/json' }, body });
    expect((await post(JSON.stringify({ path: path.join(dir, 'nope') }))).json().error.code).toBe('NOT_FOUND');
    expect((await post(JSON.stringify({ path: 'relative/music' }))).json().error.code).toBe('VALIDATION_ERROR');
    expect((await post(JSON.stringify({ folder: '/x' }))).json().error.code).toBe('VALIDATION_ERROR');
    expect((await post('{not json')).json().error.code).toBe('VALIDATION_ERROR');
    expect((await post('null')).json().error.code).toBe('VALIDATION_ERROR');
    expect((await post(JSON.stringify({ path: dir }), {})).status).toBe(401);
  });

  it('reports an engine refusal of the folder with its code', async () => {
    const original = backend.addFolder;
    backend.addFolder = async () => ({ ok: false, error: { code: 'permission-denied', detail: 'cannot read' } });
    try {
      const res = await call('/api/v1/ingest', 'POST', '/api/v1/ingest', { headers: { ...bearer(), 'content-type': 'application/json' }, body: JSON.stringify({ path: dir }) });
      expect(res.status).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', details: { app_error_code: 'permission-denied' } });
    } finally {
      backend.addFolder = original;
    }
  });
});

describe('GET /api/v1/tracks and /api/v1/tracks/{id}', () => {
  it('pages and searches', async () => {
    const page2 = await call('/api/v1/tracks', 'GET', '/api/v1/tracks?page=2&per_page=3');
    expect(page2.json()).toMatchObject({ total: 7, page: 2, per_page: 3 });
    expect(page2.json().items.map((t: { title: string }) => t.title)).toEqual(['Song 4', 'Song 5', 'Song 6']);
    const all = await call('/api/v1/tracks', 'GET', '/api/v1/tracks');
    expect(all.json()).toMatchObject({ total: 7, page: 1, per_page: 50 });
    const found = await call('/api/v1/tracks', 'GET', '/api/v1/tracks?search=haystack');
    expect(found.json().items.map((t: { id: string }) => t.id)).toEqual([backend.tracks[2].id]);
  });

  it('VALIDATION_ERROR for bad paging or a long search', async () => {
    for (const q of ['page=0', 'page=abc', 'per_page=1001', 'per_page=-1', `search=${'x'.repeat(201)}`]) {
      const res = await call('/api/v1/tracks', 'GET', `/api/v1/tracks?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_ERROR');
    }
  });

  it('gives one track with fingerprint and embedding status; 404 and 400 otherwise', async () => {
    const res = await call('/api/v1/tracks/{id}', 'GET', `/api/v1/tracks/${backend.tracks[2].id}`);
    expect(res.json()).toMatchObject({
      id: backend.tracks[2].id,
      fingerprint_status: 'indexed',
      fingerprint_version: 3,
      landmark_count: 5000,
      embedding_model: 'builtin-timbre-v1',
      embedding_dim: 64,
      embedding_status: 'indexed',
    });
    const missing = await call('/api/v1/tracks/{id}', 'GET', '/api/v1/tracks/00000000-0000-4000-8000-00000000ffff');
    expect(missing.status).toBe(404);
    const bad = await call('/api/v1/tracks/{id}', 'GET', '/api/v1/tracks/..%2F..');
    expect(bad.status).toBe(400);
  });

  it('"more like this" gives the vibe neighbours of a track (itself excluded), limited; 404, 400 and 503 otherwise', async () => {
    const id = backend.tracks[2].id;
    const res = await call('/api/v1/tracks/{id}/similar', 'GET', `/api/v1/tracks/${id}/similar?limit=3`);
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.track_id).toBe(id);
    expect(body.vibe_matches).toHaveLength(3);
    expect(body.vibe_matches.map((m: { track: { id: string } }) => m.track.id)).not.toContain(id);
    expect(body.vibe_matches[0]).toMatchObject({ embedding_model: 'fake-model', explanation: 'similar tempo' });
    expect(backend.calls.filter(([m]) => m === 'similarTracks').at(-1)).toEqual(['similarTracks', [id, 3]]);
    const defaults = await call('/api/v1/tracks/{id}/similar', 'GET', `/api/v1/tracks/${id}/similar`);
    expect(defaults.json().vibe_matches).toHaveLength(6); // 7 tracks, itself excluded, default limit 10

    expect((await call('/api/v1/tracks/{id}/similar', 'GET', '/api/v1/tracks/00000000-0000-4000-8000-00000000ffff/similar')).status).toBe(404);
    expect((await call('/api/v1/tracks/{id}/similar', 'GET', '/api/v1/tracks/nope/similar')).status).toBe(400);
    const tooMany = await call('/api/v1/tracks/{id}/similar', 'GET', `/api/v1/tracks/${id}/similar?limit=51`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json().error.code).toBe('VALIDATION_ERROR');

    const original = backend.similarTracks;
    backend.similarTracks = async () => ({ ok: false, error: { code: 'model-missing', detail: 'the vibe lane is turned off' } });
    try {
      const off = await call('/api/v1/tracks/{id}/similar', 'GET', `/api/v1/tracks/${id}/similar`);
      expect(off.status).toBe(503);
      expect(off.json().error.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      backend.similarTracks = original;
    }
  });

  it('media errors follow the documented error shape too', async () => {
    await call('/media/{trackId}', 'GET', `/media/${backend.tracks[0].id}`, { headers: {} });
    await call('/media/{trackId}', 'GET', `/media/not-a-uuid?token=${host.token}`, { headers: {} });
  });
});

describe('openapi.yaml coverage', () => {
  it('the checker itself rejects answers that break the schema', () => {
    expect(() => openApi.check('/api/v1/version', 'GET', 200, { name: 'audio-ident', version: '1', api_version: 'v1' })).toThrow(/fingerprint_version/);
    expect(() => openApi.check('/api/v1/search', 'POST', 504, { error: { code: 'NOT_FOUND', message: 'x', details: {} } })).toThrow();
    expect(() => openApi.check('/api/v1/tracks', 'GET', 418, {})).toThrow(/no documented 418/);
  });

  it('every scripts operation was exercised with a success and at least one error', () => {
    for (const [template, operations] of Object.entries(openApi.doc.paths as Record<string, Record<string, { tags?: string[] }>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!operation.tags?.includes('scripts')) continue;
        const statuses = [...openApi.seen].filter((k) => k.startsWith(`${method.toUpperCase()} ${template} `)).map((k) => Number(k.split(' ')[2]));
        expect(statuses.some((s) => s < 300), `${method} ${template} success`).toBe(true);
        expect(statuses.some((s) => s >= 400), `${method} ${template} error`).toBe(true);
      }
    }
  });
});
