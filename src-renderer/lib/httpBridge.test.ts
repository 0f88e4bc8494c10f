// The page's HTTP bridge against a real browser host (a fake backend in a child process, so this test imports
// nothing from src-main): calls with binary arguments and results, typed refusals, the token kept in
// sessionStorage, media URLs, and events over one WebSocket that reconnects after the host restarts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LIMITS, type LibraryBridge } from '../../src-preload/contract/api';
import type { TrackId } from '../../src-preload/contract/library';
import { createHttpBridge, TOKEN_STORAGE_KEY, type WebSocketLike } from './httpBridge';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = 'bridge-test-token-0123456789';
let dir: string;
let host: { child: ChildProcess; port: number; trackId: TrackId };

async function startFakeHost(port = 0): Promise<{ child: ChildProcess; port: number; trackId: TrackId }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src-main/host/testing/fakeHostMain.ts',
      '--port',
      String(port),
      '--token',
      TOKEN,
      '--media',
      path.join(dir, 'song.mp3'),
      '--data',
      path.join(dir, 'data'),
    ],
    {
      cwd: REPO,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fake host exited with ${code}`)));
  });
  const info = JSON.parse(line) as { port: number; trackId: TrackId };
  return { child, ...info };
}

function stopFakeHost(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function emit(event: string, payload: unknown): void {
  host.child.stdin!.write(JSON.stringify({ emit: event, payload }) + '\n');
}

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

function bridgeFor(port: number, search = `?token=${TOKEN}`, storage = memoryStorage()): LibraryBridge {
  return createHttpBridge({ baseUrl: `http://127.0.0.1:${port}`, search, storage, WebSocketImpl: WebSocket as unknown as new (url: string) => WebSocketLike });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bridge-test-'));
  writeFileSync(path.join(dir, 'song.mp3'), Buffer.alloc(4096, 1));
  host = await startFakeHost();
}, 60_000);

afterAll(async () => {
  if (host) await stopFakeHost(host.child);
  rmSync(dir, { recursive: true, force: true });
});

describe('createHttpBridge', () => {
  it('is the browser door and calls every method through /rpc', async () => {
    const bridge = bridgeFor(host.port);
    expect(bridge.door).toBe('browser');
    expect(bridge.pickFolder).toBeUndefined();
    const status = await bridge.getStatus();
    expect(status).toMatchObject({ ok: true, value: { appVersion: '0.0.0-fake', catalog: 'ok' } });
    const tracks = await bridge.listTracks({ page: 1, perPage: 10 });
    expect(tracks.ok && tracks.value.total).toBe(1);
    expect(await bridge.clearHistory()).toEqual({ ok: true, value: undefined });
  });

  it('sends a Float32Array clip and receives binary artwork', async () => {
    const bridge = bridgeFor(host.port);
    const samples = new Float32Array(48_000 * 15).fill(0.25);
    const result = await bridge.identifyClip({
      audio: { kind: 'pcm', sampleRateHz: 48_000, samples },
      source: 'mic',
      mode: 'exact',
      maxResults: 5,
      historyKey: 'k',
    });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.clipSeconds).toBe(15);
      expect(result.value.exact[0].offsetSeconds).toBe(60.2);
    }
    const art = await bridge.getArtwork(host.trackId);
    expect(art.ok && art.value?.bytes).toBeInstanceOf(Uint8Array);
  });

  it('pushes keep-listening audio (8 kHz Float32Array) through /rpc, and the host refuses a push over the limit', async () => {
    const bridge = bridgeFor(host.port);
    expect(await bridge.listenStart({ sessionId: 's1' })).toMatchObject({ ok: true, value: { sessionId: 's1', log: [] } });
    const pushed = await bridge.listenPush({ sessionId: 's1', samples: new Float32Array(8000 * 2).fill(0.1) });
    expect(pushed).toMatchObject({ ok: true, value: { sessionId: 's1', heardSeconds: 2 } });
    const tooLong = await bridge.listenPush({ sessionId: 's1', samples: new Float32Array(LIMITS.maxListenPushSamples + 1) });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'invalid-argument', detail: expect.stringMatching(/samples must hold/) } });
    expect(await bridge.listenStop({ sessionId: 's1' })).toMatchObject({ ok: true });
  });

  it("carries a Listen's clip session: a push of 10 s at 48 kHz (over the 1 MiB other calls take) answers for the whole clip", async () => {
    const bridge = bridgeFor(host.port);
    const clip = { sampleRateHz: 48_000, mode: 'exact', maxResults: 3, historyKey: 'listen-http' } as const;
    expect(await bridge.listenStart({ sessionId: 'c1', clip })).toMatchObject({ ok: true, value: { heardSeconds: 0, answer: null } });
    const samples = new Float32Array(LIMITS.maxListenPushSamples).fill(0.1);
    expect(samples.byteLength).toBeGreaterThan(1024 * 1024);
    const pushed = await bridge.listenPush({ sessionId: 'c1', samples });
    expect(pushed).toMatchObject({ ok: true, value: { heardSeconds: 10, answer: { clipSeconds: 10 } } });
    expect(pushed.ok && pushed.value.answer?.exact).toHaveLength(1);
    expect(await bridge.listenStop({ sessionId: 'c1' })).toMatchObject({ ok: true, value: { heardSeconds: 10 } });
    expect(await bridge.getHistoryEntry('listen-http')).toMatchObject({ ok: true, value: { entry: { source: 'mic', clipSeconds: 10 } } });
  });

  it('sends a tracklist as a streamed upload (not one wire message) and reads the Result; the host keeps no copy', async () => {
    const bridge = bridgeFor(host.port);
    // 150 MB: more than any wire message the host takes (RPC_MAX_BODY_BYTES), streamed to a file instead.
    const bytes = new Uint8Array(150 * 1024 * 1024);
    bytes[bytes.length - 1] = 7;
    const result = await bridge.tracklistClip({ audio: { kind: 'file', fileName: 'set.mp3', bytes }, runId: 'run-1' });
    // The fake's default script (a recording as long as its bytes at 128 kbit/s, 40 s stretches, every fourth unknown);
    // the fake host answers the bytes it received as durationMs.
    expect(result).toMatchObject({ ok: true, value: { durationSeconds: Math.round(bytes.length / 16_000), durationMs: bytes.length } });
    if (result.ok) expect(result.value.segments.slice(0, 4).map((s) => s.track?.title ?? null)).toEqual(['Song 1', 'Song 1', 'Song 1', null]);
    expect(readdirSync(path.join(dir, 'data', 'tmp'))).toEqual([]);
    const noRun = await bridge.tracklistClip({ audio: { kind: 'file', fileName: 'set.mp3', bytes: new Uint8Array(10) }, runId: '' });
    expect(noRun).toMatchObject({ ok: false, error: { code: 'invalid-argument', detail: expect.stringMatching(/runId/) } });
  }, 60_000);

  it('returns typed errors: invalid-argument for garbage, permission-denied for a wrong or missing token', async () => {
    const bridge = bridgeFor(host.port);
    const bad = await bridge.getTrack('not-a-uuid' as TrackId);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const wrong = await bridgeFor(host.port, '?token=someone-elses-token-123').getStatus();
    expect(wrong).toMatchObject({ ok: false, error: { code: 'permission-denied' } });
    const none = await bridgeFor(host.port, '').getStatus();
    expect(none).toMatchObject({ ok: false, error: { code: 'permission-denied' } });
    const unencodable = await bridge.addFolder(new Map() as unknown as string);
    expect(unencodable).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('answers internal (not a throw) when the host is gone', async () => {
    const result = await bridgeFor(1).getStatus();
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('keeps the token in sessionStorage, so a reload without ?token= still works', async () => {
    const storage = memoryStorage();
    bridgeFor(host.port, `?token=${TOKEN}`, storage);
    expect(storage.data.get(TOKEN_STORAGE_KEY)).toBe(TOKEN);
    const reloaded = bridgeFor(host.port, '', storage);
    expect((await reloaded.getStatus()).ok).toBe(true);
  });

  it('builds media URLs the host serves', async () => {
    const url = bridgeFor(host.port).mediaUrl(host.trackId);
    expect(url).toBe(`http://127.0.0.1:${host.port}/media/${host.trackId}?token=${TOKEN}`);
    const res = await fetch(url, { headers: { range: 'bytes=0-9' } });
    expect(res.status).toBe(206);
    expect((await res.arrayBuffer()).byteLength).toBe(10);
  });

  it('delivers events through one WebSocket and reconnects after the host restarts', async () => {
    const bridge = bridgeFor(host.port);
    const progress: unknown[] = [];
    const statuses: unknown[] = [];
    const offProgress = bridge.on('scanProgress', (p) => progress.push(p));
    const offStatus = bridge.on('statusChanged', (s) => statuses.push(s));
    const payload = { phase: 'indexing', filesDone: 1, filesTotal: 4, currentFile: null, audioSecondsPerSecond: 12 };
    // The socket opens asynchronously: emit until one arrives.
    await expect.poll(() => (emit('scanProgress', payload), progress.length), { timeout: 10_000, interval: 100 }).toBeGreaterThan(0);
    expect(progress[0]).toEqual(payload);

    const port = host.port;
    await stopFakeHost(host.child);
    host = await startFakeHost(port);
    // After reconnecting the bridge hands listeners the current status (events may have been missed).
    await expect.poll(() => statuses.length, { timeout: 15_000, interval: 100 }).toBeGreaterThan(0);
    const before = progress.length;
    await expect.poll(() => (emit('scanProgress', payload), progress.length), { timeout: 10_000, interval: 100 }).toBeGreaterThan(before);
    offProgress();
    offStatus();
  }, 60_000);
});
