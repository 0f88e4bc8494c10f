// POST /api/v1/ingest against the host on a fake backend: add or scan again, wait for the scan, report the failed
// files, refuse bad paths; every JSON answer checked against docs/openapi.yaml.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, useApiHost } from './testing/apiHostFixture.js';
import type { FakeBackend } from './testing/fakeBackend.js';

const fx = useApiHost();
const { call, bearer } = fx;
let dir: string;
let backend: FakeBackend;
beforeAll(() => {
  ({ dir, backend } = fx.state());
});

describe('POST /api/v1/ingest', () => {
  it('adds a directory, waits for the scan and reports it, with the failed files of this ingest', async () => {
    const folder = path.join(dir, 'music');
    backend.nextScan = {
      added: 3,
      updated: 1,
      unchanged: 2,
      rebuilt: 0,
      moved: 0,
      removed: 0,
      duplicates: 1,
      failed: 1,
      cancelled: false,
      audioSeconds: 300,
      wallSeconds: 2,
    };
    const now = new Date().toISOString();
    backend.failedFiles = [
      { path: path.join(folder, 'sub', 'broken.mp3'), error: { code: 'unsupported-format', detail: 'not audio' }, at: now },
      { path: path.join(folder, 'old.mp3'), error: { code: 'decode-failed' }, at: '2020-01-01T00:00:00.000Z' },
      { path: path.join(dir, 'elsewhere', 'x.mp3'), error: { code: 'decode-failed' }, at: now },
    ];
    const res = await call('/api/v1/ingest', 'POST', '/api/v1/ingest', {
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: JSON.stringify({ path: folder }),
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      path: folder,
      folder: { id: 1, path: folder },
      ingested: 4,
      duplicates: 1,
      failed: 1,
      errors: [{ path: path.join(folder, 'sub', 'broken.mp3'), code: 'unsupported-format', message: 'not audio' }],
    });
    expect(backend.calls.some((c) => c.method === 'addFolder' && c.args[0] === folder)).toBe(true);
  });

  it("takes a file's directory; the library folder it is in is scanned again, not added twice", async () => {
    const foldersBefore = backend.folders.length;
    await fsp.writeFile(path.join(dir, 'music', 'sub', 'a.mp3'), 'x');
    const res = await call('/api/v1/ingest', 'POST', '/api/v1/ingest', {
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: JSON.stringify({ path: path.join(dir, 'music', 'sub', 'a.mp3') }),
    });
    expect(res.status).toBe(200);
    expect(res.json().folder.path).toBe(path.join(dir, 'music'));
    expect(backend.folders.length).toBe(foldersBefore);
    // addFolder on the library folder's own path scans that folder (and only it) again.
    expect(backend.calls.filter((c) => c.method === 'addFolder').at(-1)?.args).toEqual([path.join(dir, 'music')]);
  });

  it('NOT_FOUND for a missing path, VALIDATION_ERROR for a relative path or a bad body, 401 without token', async () => {
    const post = (body: string, headers = bearer()) =>
      call('/api/v1/ingest', 'POST', '/api/v1/ingest', { headers: { ...headers, 'content-type': 'application/json' }, body });
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
      const res = await call('/api/v1/ingest', 'POST', '/api/v1/ingest', {
        headers: { ...bearer(), 'content-type': 'application/json' },
        body: JSON.stringify({ path: dir }),
      });
      expect(res.status).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', details: { app_error_code: 'permission-denied' } });
    } finally {
      backend.addFolder = original;
    }
  });
});

describe('openapi.yaml coverage of apiIngest', () => {
  it('each route it owns was answered with a success and an error', () => fx.expectExercised(API_ROUTES.apiIngest));
});
