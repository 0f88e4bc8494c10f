// The whole Electron door in plain Node, minus Electron itself: the real preload bridge -> a simulated IPC wire
// (structured clone, as Electron's IPC does) -> the real IPC handlers -> the real backend (openBackend: the
// LibraryService in its worker thread) on a generated library, with events forwarded back to the "window" and
// library audio served by the media:// handler. Proves the pieces fit; only Electron's own plumbing is simulated.
import { EventEmitter } from 'node:events';
import type { IpcMainInvokeEvent } from 'electron';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryBridge, LibraryEvents } from '../../src-preload/contract/api.js';
import type { Result } from '../../src-preload/contract/library.js';
import { createMediaProtocolHandler } from '../app/mediaProtocol.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';
import { addNoise, cutClip, writeSongFile } from '../engine/testing/synthAudio.js';
import { openBackend } from '../host/openBackend.js';
import { forwardLibraryEvents } from './forwardEvents.js';
import { registerLibraryHandlers } from './libraryHandlers.js';

const RATE = 22050;
let dir: string;
let musicDir: string;
let backend: LibraryBackend;
let bridge: LibraryBridge;
let foreignBridge: LibraryBridge;
const songs = new Map<string, Float32Array>();

// The preload side, loaded at run time: main-process code may not import src-preload (layering, one tsconfig per
// side), but this test plays both sides of the wire, as Electron does.
const BRIDGE_MODULE = '../../src-preload/libraryBridge.js';
type BuildBridge = (ipc: unknown) => LibraryBridge;

/** ipcMain + one renderer's ipcRenderer, joined by structured clone, as Electron's IPC is. */
function simulateIpc(frameUrl: string) {
  type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;
  const handlers = new Map<string, Handler>();
  const renderer = new EventEmitter() as EventEmitter & { invoke(channel: string, ...args: unknown[]): Promise<unknown> };
  renderer.invoke = async (channel, ...args) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const event = { senderFrame: { url: frameUrl } } as unknown as IpcMainInvokeEvent;
    return structuredClone(await handler(event, ...structuredClone(args)));
  };
  const webContents = { isDestroyed: () => false, send: (channel: string, ...args: unknown[]) => renderer.emit(channel, {}, ...structuredClone(args)) };
  const ipcMain = { handle: (c: string, h: Handler) => void handlers.set(c, h), removeHandler: (c: string) => void handlers.delete(c) };
  return { ipcMain, renderer, webContents };
}

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.detail}`);
  return result.value;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'electron-door-'));
  musicDir = path.join(dir, 'music');
  mkdirSync(musicDir);
  songs.set('Alpha', await writeSongFile(path.join(musicDir, 'Alpha.mp3'), 21, 70, { title: 'Alpha', artist: 'Band' }, { sampleRateHz: RATE }));
  songs.set('Beta', await writeSongFile(path.join(musicDir, 'Beta.flac'), 22, 70, { title: 'Beta', artist: 'Band' }, { sampleRateHz: RATE }));
  const { buildLibraryBridge } = (await import(/* @vite-ignore */ BRIDGE_MODULE)) as { buildLibraryBridge: BuildBridge };
  backend = await openBackend({ dataDir: path.join(dir, 'data'), workerCount: 1, watch: false, appVersion: '1.2.3' });
  const own = simulateIpc('app://audio-ident/index.html');
  registerLibraryHandlers(own.ipcMain, backend);
  forwardLibraryEvents(backend, () => [own.webContents]);
  bridge = buildLibraryBridge(own.renderer);
  const foreign = simulateIpc('https://evil.example/');
  registerLibraryHandlers(foreign.ipcMain, backend);
  foreignBridge = buildLibraryBridge(foreign.renderer);
}, 120_000);

afterAll(async () => {
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the Electron door on the real backend', () => {
  it('adds a folder, streams scan events to the page, lists tracks, and refuses a foreign page', async () => {
    const progress: Array<LibraryEvents['scanProgress']> = [];
    bridge.on('scanProgress', (p) => progress.push(p));
    const finished = new Promise<LibraryEvents['scanFinished']>((resolve) => {
      const off = bridge.on('scanFinished', (summary) => {
        off();
        resolve(summary);
      });
    });
    expect(ok(await bridge.getStatus())).toMatchObject({ appVersion: '1.2.3', catalog: 'ok' });
    const folder = ok(await bridge.addFolder(musicDir));
    expect(folder.path).toBe(musicDir);
    expect(await finished).toMatchObject({ added: 2, failed: 0, cancelled: false });
    expect(progress.length).toBeGreaterThan(0);
    const page = ok(await bridge.listTracks({}));
    expect(page.items.map((t) => t.title).sort()).toEqual(['Alpha', 'Beta']);
    expect(await foreignBridge.listTracks({})).toMatchObject({ ok: false, error: { code: 'permission-denied' } });
    expect(await bridge.addFolder('relative/music')).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  }, 120_000);

  it('identifies PCM recorded by the page (Float32Array across the wire) with the offset', async () => {
    const clip = addNoise(cutClip(songs.get('Beta')!, RATE, 40, 8), 12, 3);
    const result = ok(
      await bridge.identifyClip({
        audio: { kind: 'pcm', sampleRateHz: RATE, samples: clip },
        source: 'mic',
        mode: 'exact',
        maxResults: 3,
        historyKey: 'listen-1',
      }),
    );
    expect(result.exact[0]?.track.title).toBe('Beta');
    expect(result.exact[0].offsetSeconds).toBeCloseTo(40, 0);
    const history = ok(await bridge.listHistory({}));
    expect(history.items[0]).toMatchObject({ source: 'mic', match: { title: 'Beta' } });
  }, 60_000);

  it('plays a library track through media:// by the id the page has, with ranges', async () => {
    const beta = ok(await bridge.listTracks({ search: 'Beta' })).items[0];
    const url = bridge.mediaUrl(beta.id);
    expect(url).toBe(`media://track/${beta.id}`);
    const media = createMediaProtocolHandler(backend);
    const response = await media(new Request(url, { headers: { Range: 'bytes=10-1033' } }));
    expect(response.status).toBe(206);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.equals(readFileSync(path.join(musicDir, 'Beta.flac')).subarray(10, 1034))).toBe(true);
    expect(response.headers.get('content-type')).toBe('audio/flac');
  }, 30_000);
});
