// Test helper: the browser host on the host's fake backend (seven tracks, a music folder in a temp dir, a scripted
// three-segment tracklist), with a call() that checks every JSON answer against docs/openapi.yaml. Each test file of
// the scripts' API (httpApi, apiUploads, apiIngest) starts its own and, at its end, checks that it exercised each
// route it owns (API_ROUTES) with a success and an error; httpApi.test.ts checks the lists together cover every
// scripts operation.
import { mkdtempSync, promises as fsp, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { startHost, type RunningHost } from '../server.js';
import type { FakeScripts } from '../../../src-preload/contract/fake/fakeScripts.js';
import { createFakeBackend, fakeTrack, type FakeBackend } from './fakeBackend.js';
import { rawRequest, type RawResponse } from './httpClient.js';
import { multipartBody } from './multipart.js';
import { loadOpenApi, type OpenApiChecker } from './openApi.js';

/** Which test file exercises which scripts operation ("METHOD /template" as in openapi.yaml). */
export const API_ROUTES = {
  httpApi: ['GET /health', 'GET /api/v1/version', 'GET /api/v1/tracks', 'GET /api/v1/tracks/{id}', 'GET /api/v1/tracks/{id}/similar'],
  apiUploads: ['POST /api/v1/search', 'POST /api/v1/tracklist'],
  apiIngest: ['POST /api/v1/ingest'],
} as const;

/**
 * The API tests' tracklist of any recording: track 1 for 0-30 s, a stretch not in the library, then track 2 sped up,
 * with track 3 as another file of its recording (a short answer whose every kind of segment the JSON, CUE and CSV
 * shapes can be checked on).
 */
const threeSongs: FakeScripts['tracklist'] = (_request, tracks) => ({
  durationSeconds: 95.5,
  durationMs: 40,
  segments: [
    { start: 0, end: 30, track: tracks[0], offsetSeconds: 12.5, speedFactor: 1, pitchFactor: 1, confidence: 0.91, alignedHashes: 60 },
    { start: 30, end: 45, track: null, offsetSeconds: null, speedFactor: null, pitchFactor: null, confidence: null, alignedHashes: null },
    // Song 3 holds the same recording as song 2 (another file of it).
    {
      start: 45,
      end: 95.5,
      track: tracks[1],
      offsetSeconds: 3,
      speedFactor: 1.04,
      pitchFactor: 1.04,
      confidence: 0.8,
      alignedHashes: 33,
      sameRecording: tracks.slice(2, 3),
    },
  ],
});

export interface ApiHost {
  readonly dir: string;
  readonly backend: FakeBackend;
  readonly host: RunningHost;
}

export interface ApiHostFixture {
  readonly openApi: OpenApiChecker;
  /** The running host; valid from the fixture's beforeAll on. */
  state: () => ApiHost;
  bearer: () => Record<string, string>;
  /** Sends a request and checks the JSON answer against the documented schema for its status. */
  call: (template: string, method: string, urlPath: string, options?: { headers?: Record<string, string>; body?: Uint8Array | string }) => Promise<RawResponse>;
  searchForm: (fields: Record<string, string>, file?: { name: string; bytes: Uint8Array }) => { headers: Record<string, string>; body: Uint8Array };
  /** Each route was answered at least once with a success and once with an error (run it last). */
  expectExercised: (routes: readonly string[]) => void;
}

export function useApiHost(): ApiHostFixture {
  const openApi = loadOpenApi();
  let running: ApiHost | undefined;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'host-api-'));
    await fsp.mkdir(path.join(dir, 'music', 'sub'), { recursive: true });
    await fsp.writeFile(path.join(dir, 'music', 'a.mp3'), 'x');
    const tracks = Array.from({ length: 7 }, (_, i) => fakeTrack(i + 1, path.join(dir, 'music', `t${i + 1}.mp3`)));
    tracks[2] = fakeTrack(3, path.join(dir, 'music', 't3.mp3'), {
      title: 'Needle in the haystack',
      embeddingModel: 'builtin-timbre-v1',
      embeddingDim: 64,
      embeddingStatus: 'indexed',
    });
    const backend = createFakeBackend(tracks);
    backend.scripts.tracklist = threeSongs;
    const host = await startHost({ backend, appVersion: '1.2.3', searchTimeoutMs: 300, log: () => undefined, dataDir: path.join(dir, 'data') });
    running = { dir, backend, host };
  });
  afterAll(async () => {
    await running?.host.close();
    if (running) rmSync(running.dir, { recursive: true, force: true });
  });
  const state = (): ApiHost => {
    if (!running) throw new Error('the API host is not running yet');
    return running;
  };
  const bearer = (): Record<string, string> => ({ authorization: `Bearer ${state().host.token}` });
  return {
    openApi,
    state,
    bearer,
    async call(template, method, urlPath, options = {}) {
      const res = await rawRequest(state().host.port, { method, path: urlPath, headers: options.headers ?? bearer(), body: options.body });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      openApi.check(template, method, res.status, res.json());
      return res;
    },
    searchForm(fields, file) {
      const { contentType, body } = multipartBody(fields, file ? { audio: { fileName: file.name, bytes: file.bytes } } : {});
      return { headers: { ...bearer(), 'content-type': contentType }, body };
    },
    expectExercised(routes) {
      for (const route of routes) {
        const statuses = [...openApi.seen].filter((k) => k.startsWith(`${route} `)).map((k) => Number(k.split(' ').at(-1)));
        expect(
          statuses.some((s) => s < 300),
          `${route} success`,
        ).toBe(true);
        expect(
          statuses.some((s) => s >= 400),
          `${route} error`,
        ).toBe(true);
      }
    },
  };
}
