// End to end through `audio-ident serve` on a real library it ingests: the CLI process prints its URL, the scripts'
// API ingests, lists and searches (every answer checked against docs/openapi.yaml), the page's door identifies
// PCM over /rpc, events arrive on the WebSocket, media seeks, and SIGTERM stops it cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, promises as fsp, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeWire, encodeWire, WIRE_CONTENT_TYPE } from '../../src-preload/contract/wire.js';
import { addNoise, cutClip, encodeWav, writeSongFile } from '../engine/testing/synthAudio.js';
import { rawRequest, type RawResponse } from './testing/httpClient.js';
import { multipartBody } from './testing/multipart.js';
import { loadOpenApi } from './testing/openApi.js';
import { resolveWorkerScript } from '../workers/resolveWorkerScript.js';

const RATE = 22050;
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const openApi = loadOpenApi();
let dir: string;
let child: ChildProcess;
let stdout = '';
let stderr = '';
let port = 0;
let token = '';
const songs = new Map<string, Float32Array>();
const events: { event: string; payload: any }[] = [];
let ws: WebSocket;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'serve-e2e-'));
  const music = path.join(dir, 'music');
  await fsp.mkdir(path.join(music, 'Band'), { recursive: true });
  const files: [string, number, Record<string, string>][] = [
    ['Band/01 Alpha.mp3', 21, { title: 'Alpha', artist: 'Band', album: 'Album' }],
    ['Band/02 Beta.flac', 22, { title: 'Beta', artist: 'Band', album: 'Album' }],
    ['Gamma.ogg', 23, { title: 'Gamma', artist: 'Solo' }],
  ];
  for (const [rel, seed, tags] of files) songs.set(tags.title, await writeSongFile(path.join(music, rel), seed, 45, tags, { sampleRateHz: RATE }));
  await fsp.writeFile(path.join(music, 'broken.mp3'), 'not really an mp3');

  // The CLI from source through tsx, or its compiled twin when the test run compiled the project (see vitest.globalSetup.ts).
  const cli = resolveWorkerScript(import.meta.url, 'testing/runCli');
  child = spawn(process.execPath, [...cli.execArgv, fileURLToPath(cli.url), 'serve', '--data', path.join(dir, 'data'), '--port', '0', '--workers', '1'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (c) => (stderr += String(c)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in time:\n${stdout}\n${stderr}`)), 60_000);
    child.stdout!.on('data', (c) => {
      stdout += String(c);
      const match = /audio-ident is running at http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9._~-]+)\n/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        port = Number(match[1]);
        token = match[2];
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
  });
  ws = new WebSocket(`ws://127.0.0.1:${port}/events?token=${token}`, { origin: `http://127.0.0.1:${port}` });
  ws.on('message', (data) => events.push(JSON.parse((data as Buffer).toString('utf8'))));
  await new Promise((resolve, reject) => (ws.on('open', resolve), ws.on('error', reject)));
}, 180_000);

afterAll(async () => {
  ws?.terminate();
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const bearer = (): Record<string, string> => ({ authorization: `Bearer ${token}` });

async function call(
  template: string,
  method: string,
  urlPath: string,
  options: { headers?: Record<string, string>; body?: Uint8Array | string } = {},
): Promise<RawResponse> {
  const res = await rawRequest(port, { method, path: urlPath, headers: options.headers ?? bearer(), body: options.body });
  openApi.check(template, method, res.status, res.json());
  return res;
}

function search(clip: Uint8Array, fields: Record<string, string> = {}): Promise<RawResponse> {
  const { contentType, body } = multipartBody(fields, { audio: { fileName: 'clip.wav', bytes: clip } });
  return call('/api/v1/search', 'POST', '/api/v1/search', { headers: { ...bearer(), 'content-type': contentType }, body });
}

describe('audio-ident serve', () => {
  it('is healthy and ingests the folder, reporting the broken file', async () => {
    const health = await call('/health', 'GET', '/health', { headers: {} });
    expect(health.json()).toMatchObject({ status: 'ok', checks: { catalog: 'ok', landmark_store: 'ok' } });
    const res = await call('/api/v1/ingest', 'POST', '/api/v1/ingest', {
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: JSON.stringify({ path: path.join(dir, 'music') }),
    });
    expect(res.status).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ ingested: 3, failed: 1, cancelled: false, folder: { path: path.join(dir, 'music') } });
    expect(report.errors).toEqual([expect.objectContaining({ path: path.join(dir, 'music', 'broken.mp3'), code: expect.any(String) })]);
    // The page's WebSocket saw the scan.
    await expect.poll(() => events.some((e) => e.event === 'scanFinished')).toBe(true);
    expect(events.some((e) => e.event === 'scanProgress')).toBe(true);
  }, 120_000);

  it('lists tracks and gives their detail', async () => {
    const page = await call('/api/v1/tracks', 'GET', '/api/v1/tracks?per_page=10');
    expect(page.json().total).toBe(3);
    const beta = page.json().items.find((t: { title: string }) => t.title === 'Beta');
    const detail = await call('/api/v1/tracks/{id}', 'GET', `/api/v1/tracks/${beta.id}`);
    expect(detail.json()).toMatchObject({ title: 'Beta', artist: 'Band', fingerprint_status: 'indexed', format: expect.any(String) });
    expect(detail.json().landmark_count).toBeGreaterThan(0);
  });

  it('names the song and the offset of an uploaded noisy clip', async () => {
    const clip = encodeWav(addNoise(cutClip(songs.get('Beta')!, RATE, 20, 8), 10, 3), RATE);
    const res = await search(clip, { mode: 'exact', max_results: '3' });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.exact_matches[0].track).toMatchObject({ title: 'Beta', artist: 'Band', file_path: path.join(dir, 'music', 'Band', '02 Beta.flac') });
    expect(body.exact_matches[0].offset_seconds).toBeCloseTo(20, 0);
    expect(body.mode_used).toBe('exact');
    const unknown = await search(encodeWav((await import('../engine/testing/synthAudio.js')).synthSong(999, 8, RATE), RATE));
    expect(unknown.json().exact_matches).toEqual([]);
  }, 60_000);

  it('answers AUDIO_TOO_SHORT and UNSUPPORTED_FORMAT with the original codes', async () => {
    const short = await search(encodeWav(cutClip(songs.get('Gamma')!, RATE, 10, 0.4), RATE));
    expect(short.status).toBe(400);
    expect(short.json().error.code).toBe('AUDIO_TOO_SHORT');
    const notAudio = await search(new TextEncoder().encode('hello, I am not audio at all'));
    expect(notAudio.status).toBe(400);
    expect(notAudio.json().error.code).toBe('UNSUPPORTED_FORMAT');
  }, 60_000);

  it('lists the songs of an uploaded mix (POST /api/v1/tracklist) through the real engine, with progress on /events', async () => {
    // Gamma from 0:05 then Beta from 0:10, 30 s each, with a little noise.
    const mix = new Float32Array(RATE * 60);
    mix.set(cutClip(songs.get('Gamma')!, RATE, 5, 30), 0);
    mix.set(cutClip(songs.get('Beta')!, RATE, 10, 30), RATE * 30);
    const { contentType, body } = multipartBody({}, { audio: { fileName: 'mix.wav', bytes: encodeWav(addNoise(mix, 20, 5), RATE) } });
    const res = await call('/api/v1/tracklist', 'POST', '/api/v1/tracklist?run_id=serve-mix', { headers: { ...bearer(), 'content-type': contentType }, body });
    expect(res.status).toBe(200);
    const list = res.json();
    expect(list.file).toBe('mix.wav');
    expect(list.duration_seconds).toBeCloseTo(60, 0);
    expect(list.segments.map((s: { track: { title: string } | null }) => s.track?.title ?? null)).toEqual(['Gamma', 'Beta']);
    expect(list.segments[1]).toMatchObject({ track: { artist: 'Band', file_path: path.join(dir, 'music', 'Band', '02 Beta.flac') }, speed_factor: 1 });
    expect(list.segments[1].start).toBeCloseTo(30, -0.5);
    // The frames were sent before the answer, but travel on another connection.
    const progress = () => events.filter((e) => e.event === 'tracklistProgress' && e.payload.runId === 'serve-mix');
    await expect.poll(() => progress().at(-1)?.payload).toMatchObject({ songs: 2, totalSeconds: list.duration_seconds });
    expect(progress().length).toBeGreaterThanOrEqual(2);
    expect(readdirSync(path.join(dir, 'data', 'tmp'))).toEqual([]);
  }, 60_000);

  it("identifies PCM through the page's /rpc door and streams media with ranges", async () => {
    const samples = cutClip(songs.get('Gamma')!, RATE, 30, 6);
    const res = await rawRequest(port, {
      method: 'POST',
      path: '/rpc/identifyClip',
      headers: { ...bearer(), 'content-type': WIRE_CONTENT_TYPE },
      body: encodeWire([{ audio: { kind: 'pcm', sampleRateHz: RATE, samples }, source: 'mic', mode: 'exact', maxResults: 3 }]),
    });
    const result = decodeWire(new Uint8Array(res.body)) as any;
    expect(result.ok).toBe(true);
    expect(result.value.exact[0].track.title).toBe('Gamma');
    expect(result.value.exact[0].offsetSeconds).toBeCloseTo(30, 0);
    const media = await rawRequest(port, { path: `/media/${result.value.exact[0].track.id}?token=${token}`, headers: { range: 'bytes=0-99' } });
    expect(media.status).toBe(206);
    expect(media.headers['content-type']).toBe('audio/ogg');
    expect(media.body.length).toBe(100);
  }, 60_000);

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/stopped/);
  }, 60_000);
});
