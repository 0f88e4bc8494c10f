// The IPC door with a fake ipcMain and a fake backend: every contract method is routed to its backend method with
// parsed arguments; garbage arguments, foreign senders, throwing backends and backends that fail to open all come
// back as Results with typed codes (never a throw); events reach the windows; the folder dialog; no sendSync.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, LIBRARY_EVENTS, LIBRARY_METHODS, PICK_FOLDER_CHANNEL, callChannel, type LibraryMethod } from '../../src-preload/contract/api.js';
import type { Result } from '../../src-preload/contract/library.js';
import { AppError } from '../engine/errors.js';
import { forwardLibraryEvents, type EventTarget } from './forwardEvents.js';
import { registerLibraryHandlers } from './libraryHandlers.js';
import { registerPickFolderHandler } from './pickFolder.js';
import { createFakeBackend } from './testing/fakeBackend.js';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

function createFakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: vi.fn((channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
    /** What ipcRenderer.invoke(channel, ...args) from a frame at frameUrl does. */
    async invoke(channel: string, frameUrl: string | null, ...args: unknown[]): Promise<unknown> {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      return handler({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args);
    },
  };
}

const OWN_PAGE = 'app://audio-ident/index.html';
const TRACK_ID = '0b6f3c2e-8a51-4c8e-9c1d-2f0a9e6b7d41';
const samples = new Float32Array([0.1, -0.2, 0.3]);

/** One valid call per method; a method added to the contract without an entry here fails to compile. */
const VALID_ARGS: Record<LibraryMethod, { args: unknown[]; parsed: unknown[] }> = {
  getStatus: { args: [], parsed: [] },
  listFolders: { args: [], parsed: [] },
  addFolder: { args: ['/music/Band'], parsed: ['/music/Band'] },
  removeFolder: { args: [3], parsed: [3] },
  rescan: { args: [], parsed: [] },
  cancelScan: { args: [], parsed: [] },
  listTracks: { args: [{ search: 'solo', page: 2, perPage: 10 }], parsed: [{ search: 'solo', page: 2, perPage: 10 }] },
  trackPosition: {
    args: [{ trackId: TRACK_ID.toUpperCase(), sort: 'album', direction: 'desc', search: 'solo' }],
    parsed: [{ trackId: TRACK_ID, sort: 'album', direction: 'desc', search: 'solo' }],
  },
  listAlbums: { args: [{ page: 1, perPage: 20 }], parsed: [{ page: 1, perPage: 20 }] },
  listArtists: { args: [], parsed: [{}] },
  getTrack: { args: [TRACK_ID.toUpperCase()], parsed: [TRACK_ID] },
  getArtwork: { args: [TRACK_ID], parsed: [TRACK_ID] },
  listFailedFiles: { args: [], parsed: [{}] },
  identifyClip: {
    args: [{ audio: { kind: 'pcm', sampleRateHz: 44100, samples }, source: 'mic', mode: 'exact', maxResults: 5, historyKey: 'listen-1' }],
    parsed: [{ audio: { kind: 'pcm', sampleRateHz: 44100, samples }, source: 'mic', mode: 'exact', maxResults: 5, historyKey: 'listen-1' }],
  },
  tracklistClip: {
    args: [{ audio: { kind: 'file', fileName: 'mix.mp3', bytes: new Uint8Array([1, 2, 3]) }, runId: 'run-1' }],
    parsed: [{ audio: { kind: 'file', fileName: 'mix.mp3', bytes: new Uint8Array([1, 2, 3]) }, runId: 'run-1' }],
  },
  cancelTracklist: { args: ['run-1'], parsed: ['run-1'] },
  listenStart: { args: [{ sessionId: 'listen-1' }], parsed: [{ sessionId: 'listen-1' }] },
  listenPush: { args: [{ sessionId: 'listen-1', samples }], parsed: [{ sessionId: 'listen-1', samples }] },
  listenStop: { args: [{ sessionId: 'listen-1' }], parsed: [{ sessionId: 'listen-1' }] },
  similarTracks: { args: [TRACK_ID, 10], parsed: [TRACK_ID, 10] },
  listHistory: { args: [{ page: 1, search: 'beta' }], parsed: [{ page: 1, search: 'beta' }] },
  getHistoryEntry: { args: ['entry-1'], parsed: ['entry-1'] },
  deleteHistoryEntries: { args: [['entry-1', 'entry-2']], parsed: [['entry-1', 'entry-2']] },
  clearHistory: { args: [], parsed: [] },
  exportHistory: { args: [{ format: 'csv', search: 'beta' }], parsed: [{ format: 'csv', search: 'beta' }] },
  listModels: { args: [], parsed: [] },
  installModel: { args: ['clap-htsat-unfused'], parsed: ['clap-htsat-unfused'] },
  cancelModelInstall: { args: ['clap-htsat-unfused'], parsed: ['clap-htsat-unfused'] },
  useModel: { args: ['builtin-descriptors-v2'], parsed: ['builtin-descriptors-v2'] },
  getNowPlayingFile: { args: [], parsed: [] },
  setNowPlayingFile: { args: ['/home/me/now-playing.txt'], parsed: ['/home/me/now-playing.txt'] },
};

describe('registerLibraryHandlers', () => {
  it('registers exactly one handler per contract method, on the derived channels, and removes them again', () => {
    const ipc = createFakeIpcMain();
    const unregister = registerLibraryHandlers(ipc, createFakeBackend());
    expect([...ipc.handlers.keys()].sort()).toEqual(LIBRARY_METHODS.map((m) => `library:${m}`).sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('routes every method to the backend with the parsed arguments and returns its Result', async () => {
    const ipc = createFakeIpcMain();
    const backend = createFakeBackend();
    registerLibraryHandlers(ipc, backend);
    for (const method of LIBRARY_METHODS) {
      const { args, parsed } = VALID_ARGS[method];
      const result = await ipc.invoke(callChannel(method), OWN_PAGE, ...args);
      expect(result, method).toEqual({ ok: true, value: { method, args: parsed } });
    }
    expect(backend.calls.map((c) => c.method)).toEqual([...LIBRARY_METHODS]);
    // Typed arrays pass through untouched (Electron's structured clone delivers them as such).
    expect((backend.calls.find((c) => c.method === 'identifyClip')!.args[0] as { audio: { samples: unknown } }).audio.samples).toBe(samples);
  });

  it('answers garbage arguments with invalid-argument and never calls the backend', async () => {
    const ipc = createFakeIpcMain();
    const backend = createFakeBackend();
    registerLibraryHandlers(ipc, backend);
    const garbage: Array<[LibraryMethod, unknown[]]> = [
      ['addFolder', [42]],
      ['addFolder', ['relative/path']],
      ['addFolder', []],
      ['removeFolder', ['3']],
      ['getTrack', ['not-a-uuid']],
      ['getArtwork', [{ toString: () => TRACK_ID }]],
      ['listTracks', [{ perPage: 1e9 }]],
      ['listTracks', [{ search: 'x', evil: true }]],
      ['identifyClip', [{}]],
      ['identifyClip', [{ audio: { kind: 'pcm', sampleRateHz: 44100, samples: [1, 2, 3] }, source: 'mic', mode: 'exact', maxResults: 5 }]],
      ['identifyClip', [{ audio: { kind: 'pcm', sampleRateHz: 44100, samples }, source: 'mic', mode: 'exact', maxResults: 51 }]],
      ['getStatus', ['unexpected']],
      ['clearHistory', [null]],
      ['getHistoryEntry', [42]],
      ['deleteHistoryEntries', ['entry-1']],
      ['exportHistory', [{ format: 'html' }]],
      ['similarTracks', [TRACK_ID]],
      ['similarTracks', [TRACK_ID, 0]],
      ['similarTracks', ['not-a-uuid', 5]],
    ];
    for (const [method, args] of garbage) {
      const result = (await ipc.invoke(callChannel(method), OWN_PAGE, ...args)) as Result<unknown>;
      expect(result.ok, `${method}(${JSON.stringify(args)})`).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid-argument');
        expect(result.error.detail).toMatch(new RegExp(`^${method}: `));
      }
    }
    expect(backend.calls).toEqual([]);
  });

  it('refuses callers that are not our own page (permission-denied), without calling the backend', async () => {
    const ipc = createFakeIpcMain();
    const backend = createFakeBackend();
    registerLibraryHandlers(ipc, backend);
    const foreign = [
      'https://evil.example/',
      'file:///home/user/page.html',
      'app://audio-ident.evil.example/',
      'app://other/index.html',
      'app://user@audio-ident/',
      'http://audio-ident/',
      'media://track/x',
      'devtools://devtools/bundled/x.html',
      '',
      null,
    ];
    for (const url of foreign) {
      const result = (await ipc.invoke(callChannel('listFolders'), url)) as Result<unknown>;
      expect(result, String(url)).toEqual({ ok: false, error: { code: 'permission-denied', detail: "listFolders: caller is not the app's own page" } });
    }
    // A frame whose url getter throws (disposed frame) is refused too.
    const handler = ipc.handlers.get(callChannel('getStatus'))!;
    const disposed = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed');
      },
    };
    expect(await handler(disposed)).toMatchObject({ ok: false, error: { code: 'permission-denied' } });
    expect(backend.calls).toEqual([]);
  });

  it('turns a throwing backend into a Result: AppError keeps its code, anything else is internal (and logged)', async () => {
    const ipc = createFakeIpcMain();
    const backend = createFakeBackend();
    const logError = vi.fn();
    registerLibraryHandlers(ipc, backend, { logError });
    backend.answer('rescan', () => {
      throw new TypeError('cannot read properties of undefined');
    });
    backend.answer('addFolder', async () => {
      throw new AppError('folder-not-found', '/music/gone');
    });
    backend.answer('listFolders', () => 'not a result');
    await expect(ipc.invoke(callChannel('rescan'), OWN_PAGE)).resolves.toEqual({
      ok: false,
      error: { code: 'internal', detail: 'cannot read properties of undefined' },
    });
    await expect(ipc.invoke(callChannel('addFolder'), OWN_PAGE, '/music/gone')).resolves.toEqual({
      ok: false,
      error: { code: 'folder-not-found', detail: '/music/gone' },
    });
    await expect(ipc.invoke(callChannel('listFolders'), OWN_PAGE)).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(logError).toHaveBeenCalledTimes(1); // the TypeError (a bug); the AppError is an expected outcome
    // The backend's own error Results pass through unchanged.
    backend.answer('getTrack', async () => ({ ok: false, error: { code: 'not-found' } }));
    await expect(ipc.invoke(callChannel('getTrack'), OWN_PAGE, TRACK_ID)).resolves.toEqual({ ok: false, error: { code: 'not-found' } });
  });

  it('waits for a backend that is still opening, and reports one that failed to open with its code', async () => {
    const ipc = createFakeIpcMain();
    const backend = createFakeBackend();
    let resolveOpen!: (b: typeof backend) => void;
    registerLibraryHandlers(ipc, new Promise((resolve) => (resolveOpen = resolve)));
    const pending = ipc.invoke(callChannel('getStatus'), OWN_PAGE);
    resolveOpen(backend);
    await expect(pending).resolves.toEqual({ ok: true, value: { method: 'getStatus', args: [] } });

    const failed = createFakeIpcMain();
    registerLibraryHandlers(failed, Promise.reject(new AppError('catalog-newer-than-app', 'catalog v9, app knows v2')), { logError: () => undefined });
    await expect(failed.invoke(callChannel('getStatus'), OWN_PAGE)).resolves.toEqual({
      ok: false,
      error: { code: 'catalog-newer-than-app', detail: 'catalog v9, app knows v2' },
    });
  });
});

describe('forwardLibraryEvents', () => {
  it('sends every event to every live window as (EVENT_CHANNEL, name, payload), and stops on unsubscribe', () => {
    const backend = createFakeBackend();
    const live = { send: vi.fn(), isDestroyed: () => false };
    const dead = { send: vi.fn(), isDestroyed: () => true };
    const throwing = {
      send: vi.fn(() => {
        throw new Error('Object has been destroyed');
      }),
      isDestroyed: () => false,
    };
    const targets: EventTarget[] = [live, dead, throwing];
    const unsubscribe = forwardLibraryEvents(backend, () => targets);
    const payloads = {
      scanProgress: { filesDone: 1 },
      scanFinished: { added: 2 },
      libraryChanged: { reason: 'watch' },
      statusChanged: { trackCount: 4 },
      modelProgress: { modelId: 'm', phase: 'downloading' },
      tracklistProgress: { runId: 'r', doneSeconds: 5, totalSeconds: null, songs: 1 },
    };
    for (const name of LIBRARY_EVENTS) backend.emit(name, payloads[name] as never);
    expect(live.send.mock.calls).toEqual(LIBRARY_EVENTS.map((name) => [EVENT_CHANNEL, name, payloads[name]]));
    expect(dead.send).not.toHaveBeenCalled();
    unsubscribe();
    for (const name of LIBRARY_EVENTS) expect(backend.listenerCount(name)).toBe(0);
    backend.emit('scanProgress', payloads.scanProgress as never);
    expect(live.send).toHaveBeenCalledTimes(LIBRARY_EVENTS.length);
  });
});

describe('registerPickFolderHandler', () => {
  it('shows an open-directory dialog for our page and returns the path, null when cancelled or asked by others', async () => {
    const ipc = createFakeIpcMain();
    const dialog = { showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/music/New'] })) };
    registerPickFolderHandler(ipc, dialog, () => null);
    await expect(ipc.invoke(PICK_FOLDER_CHANNEL, OWN_PAGE)).resolves.toBe('/music/New');
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(expect.objectContaining({ properties: ['openDirectory'] }));
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    await expect(ipc.invoke(PICK_FOLDER_CHANNEL, OWN_PAGE)).resolves.toBeNull();
    dialog.showOpenDialog.mockClear();
    await expect(ipc.invoke(PICK_FOLDER_CHANNEL, 'https://evil.example/')).resolves.toBeNull();
    expect(dialog.showOpenDialog).not.toHaveBeenCalled();
    dialog.showOpenDialog.mockRejectedValueOnce(new Error('no display'));
    await expect(ipc.invoke(PICK_FOLDER_CHANNEL, OWN_PAGE)).resolves.toBeNull();
  });
});

describe('the Electron code', () => {
  it('never uses sendSync, @electron/remote or a raw ipcRenderer on window', () => {
    const roots = ['src-main/ipc', 'src-main/app', 'src-main/main.ts', 'src-preload'].map((p) => path.resolve(p));
    const files: string[] = [];
    const walk = (p: string): void => {
      if (statSync(p).isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e));
      else if (/\.(ts|mjs|cjs|js)$/.test(p) && !/\.test\.ts$/.test(p)) files.push(p);
    };
    roots.forEach(walk);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/sendSync|@electron\/remote|exposeInMainWorld\(\s*['"][^'"]+['"]\s*,\s*ipcRenderer\b/);
    }
  });
});
