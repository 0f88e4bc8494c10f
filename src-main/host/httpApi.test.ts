// The scripts' HTTP API against the host on a fake backend: /health, tokens, routing, /api/v1/version and the track
// routes, every JSON answer checked against docs/openapi.yaml (uploads: apiUploads.test.ts, ingest: apiIngest.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from './server.js';
import { API_ROUTES, useApiHost } from './testing/apiHostFixture.js';
import type { FakeBackend } from './testing/fakeBackend.js';
import { rawRequest } from './testing/httpClient.js';

const fx = useApiHost();
const { call, bearer, openApi } = fx;
let backend: FakeBackend;
let host: RunningHost;
beforeAll(() => {
  ({ backend, host } = fx.state());
});

describe('GET /health', () => {
  it('needs no token and reports the checks', async () => {
    const res = await call('/health', 'GET', '/health', { headers: {} });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      version: '0.0.0-fake',
      checks: { catalog: 'ok', landmark_store: 'ok', vector_index: 'absent' },
      track_count: 7,
      scanning: false,
      library: 'ready',
    });
  });

  it('says degraded while a store is rebuilding or damaged, and 503 when the backend cannot answer', async () => {
    try {
      backend.health.landmarkStore = 'rebuilding';
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
      backend.health.landmarkStore = 'ok';
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

describe('GET /api/v1/tracks and /api/v1/tracks/{id}', () => {
  it('pages and searches', async () => {
    const page2 = await call('/api/v1/tracks', 'GET', '/api/v1/tracks?page=2&per_page=3');
    expect(page2.json()).toMatchObject({ total: 7, page: 2, per_page: 3 });
    // By artist, as the catalog lists (no artist first, then Band; ties by title).
    expect(page2.json().items.map((t: { title: string }) => t.title)).toEqual(['Needle in the haystack', 'Song 1', 'Song 5']);
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
    expect(body.vibe_matches[0]).toMatchObject({ embedding_model: 'builtin-descriptors-v2', explanation: 'similar timbre' });
    expect(backend.calls.filter((c) => c.method === 'similarTracks').at(-1)).toEqual({ method: 'similarTracks', args: [id, 3] });
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

  it('the route lists of the API test files together cover every scripts operation of openapi.yaml', () => {
    const documented: string[] = [];
    for (const [template, operations] of Object.entries(openApi.doc.paths as Record<string, Record<string, { tags?: string[] }>>)) {
      for (const [method, operation] of Object.entries(operations))
        if (operation.tags?.includes('scripts')) documented.push(`${method.toUpperCase()} ${template}`);
    }
    expect(Object.values(API_ROUTES).flat().sort()).toEqual(documented.sort());
  });
});

describe('openapi.yaml coverage of httpApi', () => {
  it('each route it owns was answered with a success and an error', () => fx.expectExercised(API_ROUTES.httpApi));
});
