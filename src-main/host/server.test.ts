// The browser host's renderer door on a fake backend: token, Host and Origin checks, /rpc with the wire format and
// parseArgs, the events WebSocket, media with byte ranges, and the static renderer without traversal.
import { mkdtempSync, promises as fsp, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LIBRARY_EVENTS } from '../../src-preload/contract/api.js';
import type { FolderId } from '../../src-preload/contract/library.js';
import { decodeWire, encodeWire, WIRE_CONTENT_TYPE } from '../../src-preload/contract/wire.js';
import { startHost, type RunningHost } from './server.js';
import { createFakeBackend, fakeTrack, type FakeBackend } from './testing/fakeBackend.js';
import { rawRequest } from './testing/httpClient.js';

let dir: string;
let backend: FakeBackend;
let host: RunningHost;
const logged: string[] = [];
const MEDIA_BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'host-test-'));
  const renderer = path.join(dir, 'renderer');
  await fsp.mkdir(path.join(renderer, 'assets'), { recursive: true });
  await fsp.writeFile(path.join(renderer, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
  await fsp.writeFile(path.join(renderer, 'assets', 'app.js'), 'console.log("app")');
  await fsp.writeFile(path.join(renderer, '.env'), 'SECRET=1');
  await fsp.writeFile(path.join(dir, 'secret.txt'), 'top secret');
  symlinkSync(path.join(dir, 'secret.txt'), path.join(renderer, 'assets', 'link.txt'));
  const music = path.join(dir, 'music');
  await fsp.mkdir(music);
  await fsp.writeFile(path.join(music, 'song.mp3'), MEDIA_BYTES);
  await fsp.writeFile(path.join(dir, 'outside.mp3'), MEDIA_BYTES);
  symlinkSync('/etc/hostname', path.join(music, 'swapped.mp3')); // an indexed file replaced by a link out of the library
  backend = createFakeBackend([
    fakeTrack(1, path.join(music, 'song.mp3')),
    fakeTrack(2, path.join(music, 'gone.flac')),
    fakeTrack(3, path.join(music, 'swapped.mp3')),
    fakeTrack(4, path.join(dir, 'outside.mp3')),
    fakeTrack(5, `${music}${path.sep}..${path.sep}outside.mp3`),
    fakeTrack(6, music),
  ]);
  backend.folders.push({ id: 1 as FolderId, path: music, exists: true, trackCount: 1, lastScannedAt: null });
  host = await startHost({ backend, port: 0, rendererDir: renderer, appVersion: '1.2.3', log: (m) => logged.push(m) });
});

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = (): Record<string, string> => ({ authorization: `Bearer ${host.token}` });

async function rpc(method: string, args: unknown, headers: Record<string, string> = auth()) {
  const res = await rawRequest(host.port, {
    method: 'POST',
    path: `/rpc/${method}`,
    headers: { 'content-type': WIRE_CONTENT_TYPE, ...headers },
    body: encodeWire(args),
  });
  expect(res.headers['content-type']).toBe(WIRE_CONTENT_TYPE);
  return { status: res.status, result: decodeWire(new Uint8Array(res.body)) as { ok: boolean; value?: any; error?: { code: string; detail?: string } } };
}

describe('startHost', () => {
  it('listens on 127.0.0.1 with a random token in the printed URL', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(host.port).toBeGreaterThan(0);
  });

  it('refuses a malformed given token', async () => {
    await expect(startHost({ backend, appVersion: 'x', token: 'short' })).rejects.toThrow(/token/);
  });
});

describe('POST /rpc/<method>', () => {
  it('calls the backend and answers the wire-encoded Result', async () => {
    const { status, result } = await rpc('getStatus', []);
    expect(status).toBe(200);
    expect(result).toEqual({ ok: true, value: backend.status });
  });

  it('requires the bearer token (401, permission-denied), compared exactly', async () => {
    const headerSets: Record<string, string>[] = [{}, { authorization: `Bearer ${host.token}x` }, { authorization: host.token }, { 'x-api-token': 'nope' }];
    for (const headers of headerSets) {
      const before = backend.calls.length;
      const { status, result } = await rpc('getStatus', [], headers);
      expect(status).toBe(401);
      expect(result.error?.code).toBe('permission-denied');
      expect(backend.calls.length).toBe(before);
    }
  });

  it('runs parseArgs first: garbage gives invalid-argument and never reaches the backend', async () => {
    const before = backend.calls.length;
    const cases: [string, unknown][] = [
      ['getTrack', ['not-a-uuid']],
      ['getTrack', []],
      ['addFolder', ['relative/path']],
      ['listTracks', [{ perPage: 1e9 }]],
      ['identifyClip', [{ audio: { kind: 'pcm', sampleRateHz: 48000, samples: [0.1, 0.2] }, source: 'mic', mode: 'exact', maxResults: 5 }]],
      ['identifyClip', [{ audio: { kind: 'file', fileName: 'a.mp3', bytes: new Uint8Array(4) }, source: 'mic', mode: 'loud', maxResults: 5 }]],
      ['getStatus', { not: 'a list' }],
    ];
    for (const [method, args] of cases) {
      const { status, result } = await rpc(method, args);
      expect(status, method).toBe(400);
      expect(result.ok).toBe(false);
      expect(result.error?.code).toBe('invalid-argument');
      expect(result.error?.detail).toContain(method);
    }
    expect(backend.calls.length).toBe(before);
  });

  it('answers invalid-argument for a body that is not a wire message, and for an unknown method', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/rpc/getStatus', headers: auth(), body: '{"json": true}' });
    expect(res.status).toBe(400);
    expect(decodeWire(new Uint8Array(res.body))).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const { status, result } = await rpc('constructor', []);
    expect(status).toBe(404);
    expect(result.error?.code).toBe('invalid-argument');
    const get = await rawRequest(host.port, { path: '/rpc/getStatus', headers: auth() });
    expect(get.status).toBe(405);
  });

  it('carries a mic clip as a Float32Array and file bytes as a Uint8Array', async () => {
    const samples = new Float32Array(48_000 * 15).map((_, i) => Math.sin(i / 9));
    const { result } = await rpc('identifyClip', [
      { audio: { kind: 'pcm', sampleRateHz: 48_000, samples }, source: 'mic', mode: 'exact', maxResults: 3, historyKey: 'listen-1' },
    ]);
    expect(result.ok).toBe(true);
    expect(result.value.exact[0]).toMatchObject({ offsetSeconds: 60.2, alignedHashes: 48 });
    expect(result.value.clipSeconds).toBe(15);
    const [request] = backend.calls.filter((c) => c.method === 'identifyClip').at(-1)!.args as [any];
    expect(request.audio.samples).toBeInstanceOf(Float32Array);
    expect(request.audio.samples.length).toBe(samples.length);
    expect(request.audio.samples[12345]).toBe(samples[12345]);
    expect(request.historyKey).toBe('listen-1');

    const bytes = new Uint8Array(3 * 1024 * 1024).map((_, i) => i & 0xff);
    const file = await rpc('identifyClip', [{ audio: { kind: 'file', fileName: 'drop.flac', bytes }, source: 'file', mode: 'both', maxResults: 1 }]);
    expect(file.result.ok).toBe(true);
    const [fileRequest] = backend.calls.filter((c) => c.method === 'identifyClip').at(-1)!.args as [any];
    expect(fileRequest.audio.bytes).toBeInstanceOf(Uint8Array);
    expect(fileRequest.audio.bytes.length).toBe(bytes.length);
    expect(fileRequest.audio.bytes[777_777]).toBe(bytes[777_777]);
  });

  it('returns binary values in Results (artwork) and void Results', async () => {
    const art = await rpc('getArtwork', [backend.tracks[0].id]);
    expect(art.result.value.mimeType).toBe('image/png');
    expect(art.result.value.bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(art.result.value.bytes)).toEqual([0x89, 0x50, 0x4e, 0x47, 0, 255, 7]);
    const cleared = await rpc('clearHistory', []);
    expect(cleared.result).toEqual({ ok: true, value: undefined });
    const missing = await rpc('getTrack', ['00000000-0000-4000-8000-00000000ffff']);
    expect(missing.result).toEqual({ ok: false, error: { code: 'not-found' } });
  });

  it('bounds the body: a huge body for a small call gives 413 and the host keeps serving', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/rpc/listFolders', headers: auth(), body: new Uint8Array(1.5 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(decodeWire(new Uint8Array(res.body))).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect((await rpc('listFolders', [])).result.ok).toBe(true);
  });

  it('turns a backend that throws into internal, without the stack, and logs it', async () => {
    const original = backend.scripts.identify;
    backend.scripts.identify = async () => {
      throw new Error('kaboom at /secret/path.ts:12');
    };
    try {
      const { result } = await rpc('identifyClip', [
        { audio: { kind: 'file', fileName: 'x.mp3', bytes: new Uint8Array(10) }, source: 'file', mode: 'exact', maxResults: 1 },
      ]);
      expect(result.error?.code).toBe('internal');
      expect(JSON.stringify(result)).not.toContain('kaboom');
      expect(logged.some((l) => l.includes('identifyClip'))).toBe(true);
    } finally {
      backend.scripts.identify = original;
    }
  });
});

describe('Host header (DNS rebinding)', () => {
  it('answers only Host 127.0.0.1:PORT or localhost:PORT', async () => {
    for (const hostHeader of [`evil.example:${host.port}`, '127.0.0.1', `127.0.0.1:${host.port + 1}`, `attacker.com`]) {
      const res = await rawRequest(host.port, { path: '/health', headers: { host: hostHeader } });
      expect(res.status, hostHeader).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    const rpcRes = await rawRequest(host.port, { method: 'POST', path: '/rpc/getStatus', headers: { ...auth(), host: 'evil.example' }, body: encodeWire([]) });
    expect(rpcRes.status).toBe(403);
    expect((await rawRequest(host.port, { path: '/health', headers: { host: `localhost:${host.port}` } })).status).toBe(200);
    expect((await rawRequest(host.port, { path: '/health', headers: { host: `LOCALHOST:${host.port}` } })).status).toBe(200);
  });
});

describe('static renderer', () => {
  it('serves index.html with a strict CSP and the assets', async () => {
    const index = await rawRequest(host.port, { path: `/?token=${host.token}` });
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.text()).toContain('/assets/app.js');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain(`ws://127.0.0.1:${host.port}`);
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    const js = await rawRequest(host.port, { path: '/assets/app.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.text()).toBe('console.log("app")');
    expect((await rawRequest(host.port, { path: '/favicon.ico' })).status).toBe(204);
  });

  it('blocks traversal, encoded traversal, dotfiles and symlinks out of the folder', async () => {
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/.env',
      '/assets/link.txt',
      '/..%5csecret.txt',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const res = await rawRequest(host.port, { path: p });
      expect(res.status, p).toBe(404);
      expect(res.text()).not.toContain('secret');
    }
  });

  it('says how to build the renderer when it is not built', async () => {
    const bare = await startHost({ backend, rendererDir: path.join(dir, 'nowhere'), appVersion: 'x' });
    try {
      const res = await rawRequest(bare.port, { path: '/' });
      expect(res.status).toBe(200);
      expect(res.text()).toMatch(/not built/);
      expect(res.text()).toMatch(/npm run build/);
    } finally {
      await bare.close();
    }
  });
});

describe('GET /media/<trackId>', () => {
  const mediaPath = (): string => `/media/${backend.tracks[0].id}?token=${host.token}`;

  it('needs the token (query or header)', async () => {
    expect((await rawRequest(host.port, { path: `/media/${backend.tracks[0].id}` })).status).toBe(401);
    expect((await rawRequest(host.port, { path: `/media/${backend.tracks[0].id}?token=wrong` })).status).toBe(401);
    expect((await rawRequest(host.port, { path: `/media/${backend.tracks[0].id}`, headers: auth() })).status).toBe(200);
  });

  it('streams the whole file with its content type and Accept-Ranges', async () => {
    const res = await rawRequest(host.port, { path: mediaPath() });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('audio/mpeg');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['content-length']).toBe('1000');
    expect(res.body.equals(MEDIA_BYTES)).toBe(true);
  });

  it('answers byte ranges with 206 and Content-Range, and 416 when unsatisfiable', async () => {
    const cases: [string, number, number][] = [
      ['bytes=0-9', 0, 9],
      ['bytes=990-', 990, 999],
      ['bytes=-5', 995, 999],
      ['bytes=500-5000', 500, 999],
    ];
    for (const [range, start, end] of cases) {
      const res = await rawRequest(host.port, { path: mediaPath(), headers: { range } });
      expect(res.status, range).toBe(206);
      expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/1000`);
      expect(res.headers['content-length']).toBe(String(end - start + 1));
      expect(res.body.equals(MEDIA_BYTES.subarray(start, end + 1))).toBe(true);
    }
    for (const range of ['bytes=1000-', 'bytes=5-2', 'bytes=-0']) {
      const res = await rawRequest(host.port, { path: mediaPath(), headers: { range } });
      expect(res.status, range).toBe(416);
      expect(res.headers['content-range']).toBe('bytes */1000');
    }
    // Several ranges: allowed to ignore, the whole file comes back.
    expect((await rawRequest(host.port, { path: mediaPath(), headers: { range: 'bytes=0-1,5-6' } })).status).toBe(200);
    const head = await rawRequest(host.port, { method: 'HEAD', path: mediaPath(), headers: { range: 'bytes=0-99' } });
    expect(head.status).toBe(206);
    expect(head.body.length).toBe(0);
  });

  it('answers 404 for an unknown track or a missing file and 400 for a bad id', async () => {
    const unknown = await rawRequest(host.port, { path: `/media/00000000-0000-4000-8000-00000000ffff?token=${host.token}` });
    expect(unknown.status).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
    const gone = await rawRequest(host.port, { path: `/media/${backend.tracks[1].id}?token=${host.token}` });
    expect(gone.status).toBe(404);
    const bad = await rawRequest(host.port, { path: `/media/..%2F..%2Fetc%2Fpasswd?token=${host.token}` });
    expect(bad.status).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_ERROR');
  });

  it('serves only regular files inside a library folder: no link out, no .., no directory (404)', async () => {
    for (const track of backend.tracks.slice(2)) {
      const res = await rawRequest(host.port, { path: `/media/${track.id}?token=${host.token}` });
      expect(res.status, track.filePath).toBe(404);
      expect(res.json().error.code, track.filePath).toBe('NOT_FOUND');
    }
  });
});

describe('WebSocket /events', () => {
  function connect(query: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; messages: unknown[] } | number> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/events${query}`, { headers });
      const messages: unknown[] = [];
      ws.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8'))));
      ws.on('open', () => resolve({ ws, messages }));
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
  }

  it('pushes every backend event to connected clients as {event, payload}', async () => {
    const conn = await connect(`?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
    if (typeof conn === 'number') throw new Error(`refused: ${conn}`);
    const progress = { phase: 'indexing' as const, filesDone: 3, filesTotal: 10, currentFile: '/m/a.mp3', audioSecondsPerSecond: 50 };
    backend.emit('scanProgress', progress);
    backend.emit('libraryChanged', { reason: 'watch' });
    await expect.poll(() => conn.messages.length).toBe(2);
    expect(conn.messages).toEqual([
      { event: 'scanProgress', payload: progress },
      { event: 'libraryChanged', payload: { reason: 'watch' } },
    ]);
    conn.ws.close();
  });

  it('refuses a missing or wrong token, a foreign Origin and a foreign Host', async () => {
    expect(await connect('')).toBe(401);
    expect(await connect('?token=wrong')).toBe(401);
    expect(await connect(`?token=${host.token}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await connect(`?token=${host.token}`, { host: 'evil.example' })).toBe(403);
  });

  it('close() drops clients and unsubscribes from the backend', async () => {
    const other = createFakeBackend();
    const h = await startHost({ backend: other, appVersion: 'x' });
    expect(other.listenerCount()).toBe(LIBRARY_EVENTS.length + 1); // every event for /events, statusChanged for /health
    const ws = new WebSocket(`ws://127.0.0.1:${h.port}/events?token=${h.token}`);
    await new Promise((resolve) => ws.on('open', resolve));
    const closed = new Promise((resolve) => ws.on('close', resolve));
    await h.close();
    await closed;
    expect(other.listenerCount()).toBe(0);
  });
});
