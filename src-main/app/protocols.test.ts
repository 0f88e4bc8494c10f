// The app:// and media:// protocol handlers on real files in a temp folder: the renderer is served with the CSP and
// nothing outside out/renderer is reachable (dot segments, encoded escapes, backslashes, symlinks); library audio
// is served by track id only, with byte ranges for seeking (206 / 416 / suffix ranges / HEAD).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FolderSummary } from '../../src-preload/contract/api.js';
import type { FolderId, Result, TrackDetail } from '../../src-preload/contract/library.js';
import { createAppProtocolHandler, resolveRendererFile } from './appProtocol.js';
import { parseByteRange } from './byteRange.js';
import { createMediaProtocolHandler, mediaUrlFor, trackIdFromMediaUrl } from './mediaProtocol.js';
import { handleAppProtocols, registerPrivilegedSchemes } from './protocols.js';
import { CONTENT_SECURITY_POLICY } from './security.js';

let dir: string;
let rendererDir: string;
const TRACK_ID = '0b6f3c2e-8a51-4c8e-9c1d-2f0a9e6b7d41';
const OTHER_ID = '11111111-2222-4333-8444-555555555555';
const audioBytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'protocols-'));
  rendererDir = path.join(dir, 'out', 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>audio-ident</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(rendererDir, 'assets', 'my file.css'), 'body{}');
  writeFileSync(path.join(dir, 'secret.txt'), 'top secret');
  writeFileSync(path.join(dir, 'out', 'renderer-evil.txt'), 'sibling with a shared prefix');
  symlinkSync(path.join(dir, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
  mkdirSync(path.join(dir, 'music', 'dir.mp3'), { recursive: true });
  writeFileSync(path.join(dir, 'music', 'song.mp3'), audioBytes);
  symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'music', 'swapped.mp3'));
  writeFileSync(path.join(dir, 'outside.mp3'), audioBytes);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (url: string, headers: Record<string, string> = {}, method = 'GET'): Request => new Request(url, { headers, method });

describe('app:// (the renderer)', () => {
  it('maps URLs to files inside the renderer folder and refuses everything else (pure)', () => {
    expect(resolveRendererFile(rendererDir, 'app://audio-ident/')).toBe(path.join(rendererDir, 'index.html'));
    expect(resolveRendererFile(rendererDir, 'app://audio-ident/assets/app.js?v=1#x')).toBe(path.join(rendererDir, 'assets', 'app.js'));
    expect(resolveRendererFile(rendererDir, 'app://audio-ident/assets/my%20file.css')).toBe(path.join(rendererDir, 'assets', 'my file.css'));
    for (const url of [
      'app://audio-ident/..%2f..%2fsecret.txt',
      'app://audio-ident/..%5c..%5csecret.txt',
      'app://audio-ident/%2e%2e%2frenderer-evil.txt',
      'app://audio-ident/assets/%00.js',
      'app://audio-ident/%E0%A4%A',
      'app://other-host/index.html',
      'media://track/index.html',
      'file:///etc/passwd',
    ])
      expect(resolveRendererFile(rendererDir, url), url).toBeNull();
    // Dot segments, literal or percent-encoded, are removed by URL parsing itself and stay inside the folder.
    for (const url of ['app://audio-ident/../../secret.txt', 'app://audio-ident/%2e%2e/secret.txt', 'app://audio-ident/assets/%2E%2E/%2E%2E/secret.txt']) {
      expect(resolveRendererFile(rendererDir, url), url).toBe(path.join(rendererDir, 'secret.txt'));
    }
  });

  it('serves files with their type and the CSP; traversal, symlinks out and other methods get no file', async () => {
    const handle = createAppProtocolHandler(rendererDir);
    const index = await handle(get('app://audio-ident/'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>audio-ident</title>');
    const js = await handle(get('app://audio-ident/assets/app.js'));
    expect([js.status, js.headers.get('content-type'), await js.text()]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)']);
    for (const url of [
      'app://audio-ident/%2e%2e/%2e%2e/secret.txt',
      'app://audio-ident/../secret.txt',
      'app://audio-ident/assets/link.txt',
      'app://audio-ident/assets',
      'app://audio-ident/missing.js',
      'app://audio-ident/%2e%2e%2frenderer-evil.txt',
    ]) {
      const response = await handle(get(url));
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toMatch(/secret|sibling/);
    }
    expect((await handle(get('app://audio-ident/index.html', {}, 'POST'))).status).toBe(405);
  });
});

describe('byte ranges', () => {
  it('parses single ranges, suffixes and open ends, and spots unsatisfiable ones', () => {
    expect(parseByteRange(null, 1000)).toBeNull();
    expect(parseByteRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseByteRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
    expect(parseByteRange('bytes=0-0,5-9', 1000)).toEqual({ start: 0, end: 0 });
    expect(parseByteRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=50-10', 1000)).toBeNull();
    expect(parseByteRange('items=0-10', 1000)).toBeNull();
    expect(parseByteRange('bytes=abc', 1000)).toBeNull();
  });
});

const track = { id: TRACK_ID, filePath: '' } as unknown as TrackDetail;
const folders = async (): Promise<Result<readonly FolderSummary[]>> => ({
  ok: true,
  value: [{ id: 1 as FolderId, path: path.join(dir, 'music'), exists: true, trackCount: 1, lastScannedAt: null }],
});
const trackAt = (filePath: string) => ({
  getTrack: async (): Promise<Result<TrackDetail>> => ({ ok: true, value: { ...track, filePath } }),
  listFolders: folders,
});
const library = {
  getTrack: vi.fn(async (id: string): Promise<Result<TrackDetail>> =>
    id === TRACK_ID ? { ok: true, value: { ...track, filePath: path.join(dir, 'music', 'song.mp3') } } : { ok: false, error: { code: 'not-found' } },
  ),
  listFolders: folders,
};

describe('media:// (library audio)', () => {
  it('names tracks by id only', () => {
    expect(mediaUrlFor(TRACK_ID)).toBe(`media://track/${TRACK_ID}`);
    expect(trackIdFromMediaUrl(`media://track/${TRACK_ID.toUpperCase()}`)).toBe(TRACK_ID);
    for (const url of [
      'media://track/',
      'media://track/../../etc/passwd',
      `media://track/${TRACK_ID}/x`,
      `media://other/${TRACK_ID}`,
      'media://track/%2Fetc%2Fpasswd',
      `app://track/${TRACK_ID}`,
    ])
      expect(trackIdFromMediaUrl(url), url).toBeNull();
  });

  it('serves the whole file, byte ranges (206), HEAD, and 416 past the end', async () => {
    const handle = createMediaProtocolHandler(library);
    const whole = await handle(get(mediaUrlFor(TRACK_ID)));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/mpeg');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-length')).toBe('1000');
    expect(Buffer.from(await whole.arrayBuffer()).equals(audioBytes)).toBe(true);

    const part = await handle(get(mediaUrlFor(TRACK_ID), { Range: 'bytes=100-199' }));
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(part.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await part.arrayBuffer()).equals(audioBytes.subarray(100, 200))).toBe(true);

    const tail = await handle(get(mediaUrlFor(TRACK_ID), { Range: 'bytes=-10' }));
    expect(tail.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect(Buffer.from(await tail.arrayBuffer()).equals(audioBytes.subarray(990))).toBe(true);

    const open = await handle(get(mediaUrlFor(TRACK_ID), { Range: 'bytes=995-' }));
    expect([open.status, open.headers.get('content-range'), (await open.arrayBuffer()).byteLength]).toEqual([206, 'bytes 995-999/1000', 5]);

    const head = await handle(get(mediaUrlFor(TRACK_ID), { Range: 'bytes=0-9' }, 'HEAD'));
    expect([head.status, head.headers.get('content-length'), head.headers.get('content-range')]).toEqual([206, '10', 'bytes 0-9/1000']);

    const beyond = await handle(get(mediaUrlFor(TRACK_ID), { Range: 'bytes=1000-' }));
    expect([beyond.status, beyond.headers.get('content-range')]).toEqual([416, 'bytes */1000']);
  });

  it('answers 404 for unknown tracks, bad ids and vanished files, 500 when the library throws', async () => {
    const handle = createMediaProtocolHandler(library);
    expect((await handle(get(mediaUrlFor(OTHER_ID)))).status).toBe(404);
    library.getTrack.mockClear();
    expect((await handle(get('media://track/..%2F..%2Fetc%2Fpasswd'))).status).toBe(404);
    expect(library.getTrack).not.toHaveBeenCalled(); // a malformed id never reaches the library
    const vanished = createMediaProtocolHandler(trackAt(path.join(dir, 'music', 'gone.mp3')));
    expect((await vanished(get(mediaUrlFor(TRACK_ID)))).status).toBe(404);
    const broken = createMediaProtocolHandler({
      getTrack: async () => {
        throw new Error('worker died');
      },
      listFolders: folders,
    });
    expect((await broken(get(mediaUrlFor(TRACK_ID)))).status).toBe(500);
  });

  it('serves only regular files inside a library folder: no link out, no .., no directory, nothing outside (404)', async () => {
    const music = path.join(dir, 'music');
    for (const filePath of [
      path.join(music, 'swapped.mp3'),
      path.join(music, 'dir.mp3'),
      path.join(dir, 'outside.mp3'),
      `${music}${path.sep}..${path.sep}outside.mp3`,
    ]) {
      const response = await createMediaProtocolHandler(trackAt(filePath))(get(mediaUrlFor(TRACK_ID)));
      expect(response.status, filePath).toBe(404);
    }
    expect((await createMediaProtocolHandler(trackAt(path.join(music, 'song.mp3')))(get(mediaUrlFor(TRACK_ID)))).status).toBe(200);
  });
});

describe('scheme registration', () => {
  it('declares app: and media: standard, secure, fetch-capable and streaming, and handles both', async () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
    registerPrivilegedSchemes(protocol);
    const schemes = protocol.registerSchemesAsPrivileged.mock.calls[0][0] as Array<{ scheme: string; privileges: Record<string, boolean> }>;
    expect(schemes.map((s) => s.scheme)).toEqual(['app', 'media']);
    for (const s of schemes) {
      expect(s.privileges, s.scheme).toMatchObject({ standard: true, secure: true, supportFetchAPI: true, stream: true });
      expect(s.privileges.bypassCSP, s.scheme).toBeFalsy();
      expect(s.privileges.corsEnabled, s.scheme).toBeFalsy();
    }
    handleAppProtocols(protocol, rendererDir, Promise.resolve(library));
    expect(protocol.handle.mock.calls.map((c) => c[0])).toEqual(['app', 'media']);
    const media = protocol.handle.mock.calls[1][1] as (r: Request) => Promise<Response>;
    expect((await media(get(mediaUrlFor(TRACK_ID), { Range: 'bytes=0-1' }))).status).toBe(206);
  });
});
