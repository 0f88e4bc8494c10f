// The preload with electron mocked: exactly one thing reaches the page (window.library), its method set is the
// contract's, calls go to the derived channels, the system-audio answer is one of three words, events are filtered by name and unsubscribe works, menu commands
// become DOM events. A second part bundles the real preload and runs the bundle the way a sandboxed preload runs.
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_COMMAND_CHANNEL, APP_COMMAND_EVENT } from './contract/appCommands.js';
import {
  EVENT_CHANNEL,
  LIBRARY_METHODS,
  PICK_FOLDER_CHANNEL,
  SHOW_IN_FOLDER_CHANNEL,
  SYSTEM_AUDIO_SUPPORT_CHANNEL,
  callChannel,
  type LibraryBridge,
} from './contract/api.js';

class FakeIpcRenderer extends EventEmitter {
  invoke = vi.fn(async (channel: string, ...args: unknown[]) => ({ ok: true, value: { channel, args } }));
  /** What main's webContents.send(channel, ...args) looks like on this side. */
  push(channel: string, ...args: unknown[]): void {
    this.emit(channel, { sender: this }, ...args);
  }
}

const mocks = vi.hoisted((): { exposed: Array<[string, unknown]>; ipc: unknown } => ({ exposed: [], ipc: undefined }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => mocks.exposed.push([key, api]) },
  get ipcRenderer() {
    return mocks.ipc;
  },
}));

const EXTRA_KEYS = ['on', 'door', 'mediaUrl', 'pickFolder', 'showInFolder', 'systemAudioSupport'];
const TRACK_ID = '0b6f3c2e-8a51-4c8e-9c1d-2f0a9e6b7d41';

function expectBridgeShape(bridge: LibraryBridge, ipc: FakeIpcRenderer): void {
  expect(Object.keys(bridge).sort()).toEqual([...LIBRARY_METHODS, ...EXTRA_KEYS].sort());
  for (const value of Object.values(bridge)) {
    expect(value).not.toBe(ipc);
    expect(value).not.toBe(ipc.invoke);
  }
  expect(bridge.door).toBe('electron');
}

describe('preload (electron mocked)', () => {
  let ipc: FakeIpcRenderer;
  let bridge: LibraryBridge;
  const page = new EventTarget();

  beforeAll(async () => {
    ipc = new FakeIpcRenderer();
    mocks.ipc = ipc;
    vi.stubGlobal('window', page);
    await import('./preload.js');
    expect(mocks.exposed).toHaveLength(1);
    expect(mocks.exposed[0][0]).toBe('library');
    bridge = mocks.exposed[0][1] as LibraryBridge;
  });
  afterAll(() => vi.unstubAllGlobals());

  it('exposes only window.library, with exactly the contract methods plus on/door/mediaUrl/pickFolder/showInFolder/systemAudioSupport', () => {
    expectBridgeShape(bridge, ipc);
  });

  it('every method invokes its derived channel with the call arguments only', async () => {
    for (const method of LIBRARY_METHODS) {
      ipc.invoke.mockClear();
      const args = [`arg-of-${method}`, 2];
      const call = bridge[method] as (...a: unknown[]) => Promise<unknown>;
      await expect(call(...args)).resolves.toEqual({ ok: true, value: { channel: callChannel(method), args } });
      expect(ipc.invoke).toHaveBeenCalledTimes(1);
      expect(ipc.invoke).toHaveBeenCalledWith(`library:${method}`, ...args);
    }
  });

  it('on() delivers only its event name, only the payload, and stops after unsubscribe', () => {
    const progress = vi.fn();
    const changed = vi.fn();
    const offProgress = bridge.on('scanProgress', progress);
    bridge.on('libraryChanged', changed);
    ipc.push(EVENT_CHANNEL, 'scanProgress', { filesDone: 1 });
    ipc.push(EVENT_CHANNEL, 'libraryChanged', { reason: 'scan' });
    ipc.push(EVENT_CHANNEL, 'somethingElse', { x: 1 });
    ipc.push('another:channel', 'scanProgress', { filesDone: 99 });
    expect(progress.mock.calls).toEqual([[{ filesDone: 1 }]]);
    expect(changed.mock.calls).toEqual([[{ reason: 'scan' }]]);
    offProgress();
    ipc.push(EVENT_CHANNEL, 'scanProgress', { filesDone: 2 });
    expect(progress).toHaveBeenCalledTimes(1);
    expect(() => bridge.on('notAnEvent' as 'scanProgress', () => undefined)).toThrow(/unknown event/);
  });

  it('a throwing listener does not stop the others', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const after = vi.fn();
    const off1 = bridge.on('statusChanged', () => {
      throw new Error('boom');
    });
    const off2 = bridge.on('statusChanged', after);
    ipc.push(EVENT_CHANNEL, 'statusChanged', { trackCount: 3 });
    expect(after).toHaveBeenCalledWith({ trackCount: 3 });
    off1();
    off2();
    spy.mockRestore();
  });

  it('mediaUrl gives media://track/<id>; pickFolder uses the pick-folder channel', async () => {
    expect(bridge.mediaUrl(TRACK_ID as never)).toBe(`media://track/${TRACK_ID}`);
    expect(bridge.mediaUrl('../etc/passwd' as never)).toBe('media://track/..%2Fetc%2Fpasswd');
    ipc.invoke.mockClear();
    await bridge.pickFolder!();
    expect(ipc.invoke).toHaveBeenCalledWith(PICK_FOLDER_CHANNEL);
    await bridge.showInFolder!(TRACK_ID as never);
    expect(ipc.invoke).toHaveBeenCalledWith(SHOW_IN_FOLDER_CHANNEL, TRACK_ID);
  });

  it('systemAudioSupport asks main on its channel and passes on only one of the three answers', async () => {
    for (const answer of ['loopback', 'macos-too-old', 'unsupported-platform']) {
      ipc.invoke.mockResolvedValueOnce(answer as never);
      await expect(bridge.systemAudioSupport!()).resolves.toBe(answer);
      expect(ipc.invoke).toHaveBeenLastCalledWith(SYSTEM_AUDIO_SUPPORT_CHANNEL);
    }
    for (const odd of [null, 'yes', { ok: true }, 1]) {
      ipc.invoke.mockResolvedValueOnce(odd as never);
      await expect(bridge.systemAudioSupport!()).resolves.toBe('unsupported-platform');
    }
  });

  it('menu commands arrive as DOM events on window; unknown commands are dropped', () => {
    const seen: unknown[] = [];
    page.addEventListener(APP_COMMAND_EVENT, (e) => seen.push((e as CustomEvent).detail));
    ipc.push(APP_COMMAND_CHANNEL, 'listen');
    ipc.push(APP_COMMAND_CHANNEL, 'format-disk');
    expect(seen).toEqual(['listen']);
  });
});

describe('the bundled preload (out/preload/preload.cjs as scripts/buildPreload.mjs makes it)', () => {
  let dir: string;
  let code: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'preload-bundle-'));
    const { buildPreload } = (await import(path.resolve('scripts/buildPreload.mjs'))) as { buildPreload: (out: string) => Promise<string> };
    code = readFileSync(await buildPreload(path.join(dir, 'preload.cjs')), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('requires nothing but electron', () => {
    const required = [...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s*\(/);
  });

  it('runs as a sandboxed preload would (CommonJS, only electron requirable) and exposes the same bridge', async () => {
    const ipc = new FakeIpcRenderer();
    const exposed: Array<[string, unknown]> = [];
    const electron = { contextBridge: { exposeInMainWorld: (k: string, v: unknown) => exposed.push([k, v]) }, ipcRenderer: ipc };
    const sandboxRequire = (name: string): unknown => {
      if (name === 'electron') return electron;
      throw new Error(`module not found in a sandboxed preload: ${name}`);
    };
    const module = { exports: {} };
    const context = vm.createContext({ require: sandboxRequire, module, exports: module.exports, window: new EventTarget(), CustomEvent, console });
    vm.runInContext(code, context, { filename: 'preload.cjs' });
    expect(exposed.map(([k]) => k)).toEqual(['library']);
    const bridge = exposed[0][1] as LibraryBridge;
    expectBridgeShape(bridge, ipc);
    await bridge.getTrack(TRACK_ID as never);
    expect(ipc.invoke).toHaveBeenCalledWith('library:getTrack', TRACK_ID);
  });
});
