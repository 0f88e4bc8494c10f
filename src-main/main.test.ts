// The composition root with electron and the backend mocked: what main.ts does before and after 'ready', in order,
// for the first instance (schemes, data folder, IPC, window, menu, events, closing the backend on quit) and for a
// second instance (quits, touches nothing).
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EVENT_CHANNEL,
  LIBRARY_METHODS,
  PICK_FOLDER_CHANNEL,
  SHOW_IN_FOLDER_CHANNEL,
  SYSTEM_AUDIO_SUPPORT_CHANNEL,
  callChannel,
} from '../src-preload/contract/api.js';
import { createFakeBackend } from './ipc/testing/fakeBackend.js';

const h = vi.hoisted(() => ({ state: undefined as unknown as ReturnType<typeof makeElectron> }));

function makeElectron() {
  const log: string[] = [];
  let ready!: () => void;
  const whenReady = new Promise<void>((resolve) => (ready = resolve));
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    paths: new Map<string, string>(),
    lock: true,
    setPath: vi.fn((name: string, value: string) => {
      log.push(`setPath:${name}`);
      app.paths.set(name, value);
    }),
    getAppPath: () => '/opt/audio-ident',
    getVersion: () => '9.9.9',
    getName: () => 'audio-ident',
    commandLine: { appendSwitch: vi.fn() },
    requestSingleInstanceLock: vi.fn(() => {
      log.push('lock');
      return app.lock;
    }),
    whenReady: () => whenReady,
    quit: vi.fn(() => log.push('quit')),
  });
  const windows: FakeWindow[] = [];
  class FakeWindow extends EventEmitter {
    options: Record<string, unknown>;
    destroyed = false;
    minimized = true;
    webContents = Object.assign(new EventEmitter(), { send: vi.fn(), isDestroyed: () => false, setWindowOpenHandler: vi.fn() });
    loadURL = vi.fn(async () => undefined);
    restore = vi.fn(() => (this.minimized = false));
    focus = vi.fn();
    show = vi.fn();
    maximize = vi.fn();
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      log.push('BrowserWindow');
      windows.push(this);
    }
    isDestroyed = () => this.destroyed;
    isMinimized = () => this.minimized;
    isMaximized = () => false;
    isFullScreen = () => false;
    getBounds = () => ({ x: 1, y: 2, width: 800, height: 600 });
    static getAllWindows = () => windows;
  }
  const handlers = new Map<string, (...a: unknown[]) => unknown>();
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    Menu: { buildFromTemplate: vi.fn((t: unknown) => ({ template: t })), setApplicationMenu: vi.fn(() => log.push('menu')) },
    dialog: { showOpenDialog: vi.fn(), showMessageBox: vi.fn() },
    ipcMain: { handle: vi.fn((c: string, f: (...a: unknown[]) => unknown) => handlers.set(c, f)), removeHandler: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn(() => log.push('schemes')), handle: vi.fn((s: string) => log.push(`handle:${s}`)) },
    screen: { getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }), getAllDisplays: () => [] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(() => log.push('permissions')),
        setPermissionCheckHandler: vi.fn(),
        setDisplayMediaRequestHandler: vi.fn(),
      },
    },
    desktopCapturer: { getSources: vi.fn(async () => []) },
    shell: { openExternal: vi.fn(async () => undefined) },
  };
  return { electron, log, ready, windows, handlers, backend: createFakeBackend(), openBackend: vi.fn() };
}

// Mocked modules are cached across vi.resetModules(), so each export reads the current test's fakes.
vi.mock('electron', () => {
  const names = ['app', 'BrowserWindow', 'Menu', 'desktopCapturer', 'dialog', 'ipcMain', 'protocol', 'screen', 'session', 'shell'] as const;
  const mod: Record<string, unknown> = {};
  for (const name of names) Object.defineProperty(mod, name, { enumerable: true, get: () => h.state.electron[name] });
  return mod;
});
vi.mock('./host/openBackend.js', () => ({ openBackend: (...args: unknown[]) => h.state.openBackend(...args) }));

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'main-test-'));
// Electron's own addition to process (main.ts asks the OS version for system audio); plain Node has none.
Object.defineProperty(process, 'getSystemVersion', { value: () => '6.1.0', configurable: true });
afterAll(() => {
  Reflect.deleteProperty(process, 'getSystemVersion');
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  vi.resetModules();
  h.state = makeElectron();
  h.state.openBackend.mockImplementation(async () => h.state.backend);
  vi.stubEnv('AUDIO_IDENT_DATA', dataDir);
  vi.stubEnv('AUDIO_IDENT_FAKE_MIC', '');
});

/** Waits for main.ts's start-up after ready to open the window (no fixed sleep). */
const windowOpened = () => vi.waitFor(() => expect(h.state.windows).toHaveLength(1));

describe('main.ts', () => {
  it('before ready: data folder, privileged schemes, single-instance lock, backend opening, IPC handlers', async () => {
    const { electron, log, handlers, openBackend } = h.state;
    await import('./main.js');
    expect(electron.app.paths.get('userData')).toBe(dataDir);
    expect(electron.app.paths.get('sessionData')).toBe(path.join(dataDir, 'chromium'));
    expect(log).toEqual(['setPath:userData', 'setPath:sessionData', 'schemes', 'lock']); // nothing window-ish before ready
    expect(openBackend).toHaveBeenCalledWith({ dataDir, watch: true, appVersion: '9.9.9' });
    expect([...handlers.keys()].sort()).toEqual(
      [...LIBRARY_METHODS.map(callChannel), PICK_FOLDER_CHANNEL, SHOW_IN_FOLDER_CHANNEL, SYSTEM_AUDIO_SUPPORT_CHANNEL].sort(),
    );
    // No fake microphone; on Linux only the PulseAudio loopback feature (system audio).
    const switches = electron.app.commandLine.appendSwitch.mock.calls.map((c: unknown[]) => c[0]);
    expect(switches).toEqual(process.platform === 'linux' ? ['enable-features'] : []);
  });

  it('after ready: permissions, protocols, menu, then one secure window loading app://audio-ident/', async () => {
    const { log, ready, windows } = h.state;
    await import('./main.js');
    ready();
    await windowOpened();
    expect(log.slice(4)).toEqual(['permissions', 'handle:app', 'handle:media', 'menu', 'BrowserWindow']);
    expect(windows).toHaveLength(1);
    const win = windows[0];
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: path.join('/opt/audio-ident', 'out', 'preload', 'preload.cjs'),
    });
    expect(win.loadURL).toHaveBeenCalledWith('app://audio-ident/index.html');
    expect(win.webContents.setWindowOpenHandler).toHaveBeenCalled();
    expect(win.webContents.listenerCount('will-navigate')).toBe(1);
  });

  it('routes IPC from our page to the backend and pushes backend events to the window', async () => {
    const { ready, windows, handlers, backend } = h.state;
    await import('./main.js');
    ready();
    await windowOpened();
    const result = await handlers.get(callChannel('listFolders'))!({ senderFrame: { url: 'app://audio-ident/index.html' } });
    expect(result).toEqual({ ok: true, value: { method: 'listFolders', args: [] } });
    backend.emit('libraryChanged', { reason: 'watch' });
    expect(windows[0].webContents.send).toHaveBeenCalledWith(EVENT_CHANNEL, 'libraryChanged', { reason: 'watch' });
  });

  it('a second launch focuses the existing window', async () => {
    const { electron, ready, windows } = h.state;
    await import('./main.js');
    ready();
    await windowOpened();
    electron.app.emit('second-instance', {}, ['electron', '.'], '/');
    expect(windows[0].restore).toHaveBeenCalled();
    expect(windows[0].focus).toHaveBeenCalled();
    expect(windows).toHaveLength(1);
  });

  it('closes the backend before quitting', async () => {
    const { electron, ready, backend } = h.state;
    await import('./main.js');
    ready();
    await windowOpened();
    const event = { preventDefault: vi.fn() };
    electron.app.emit('will-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled());
    expect(backend.closed).toBe(true);
    expect(electron.app.quit).toHaveBeenCalledTimes(1);
    const again = { preventDefault: vi.fn() };
    electron.app.emit('will-quit', again); // the real quit goes through
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('as a second instance: quits at once, opens nothing, registers nothing', async () => {
    const { electron, handlers, openBackend, ready, windows } = h.state;
    electron.app.lock = false;
    await import('./main.js');
    ready();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled());
    expect(electron.app.quit).toHaveBeenCalled();
    expect(openBackend).not.toHaveBeenCalled();
    expect(handlers.size).toBe(0);
    expect(windows).toHaveLength(0);
  });

  it('adds the fake-microphone switches when AUDIO_IDENT_FAKE_MIC names a clip', async () => {
    vi.stubEnv('AUDIO_IDENT_FAKE_MIC', '/abs/clip.wav');
    await import('./main.js');
    expect(h.state.electron.app.commandLine.appendSwitch).toHaveBeenCalledWith('use-file-for-fake-audio-capture', '/abs/clip.wav');
  });

  it('ignores AUDIO_IDENT_FAKE_MIC in a packaged app', async () => {
    vi.stubEnv('AUDIO_IDENT_FAKE_MIC', '/abs/clip.wav');
    h.state.electron.app.isPackaged = true;
    await import('./main.js');
    const switches = h.state.electron.app.commandLine.appendSwitch.mock.calls.map((c: unknown[]) => c[0]);
    expect(switches).not.toContain('use-fake-device-for-media-stream');
    expect(switches).not.toContain('use-file-for-fake-audio-capture');
  });

  it('guards navigation and new windows of every webContents, from the start', async () => {
    const { electron } = h.state;
    await import('./main.js');
    expect(electron.app.listenerCount('web-contents-created')).toBe(1);
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    electron.app.emit('web-contents-created', {}, contents);
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.listenerCount('will-attach-webview')).toBe(1);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
  });
});

describe('main.ts when the library cannot start', () => {
  it('still opens the window, answers calls with the error code and leaves no unhandled rejection', async () => {
    const { electron, ready, windows, handlers, openBackend } = h.state;
    const { AppError } = await import('./engine/errors.js');
    openBackend.mockImplementation(() => Promise.reject(new AppError('internal', 'the library worker could not start')));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await import('./main.js');
      ready();
      await windowOpened();
      expect(windows).toHaveLength(1);
      const result = await handlers.get(callChannel('getStatus'))!({ senderFrame: { url: 'app://audio-ident/index.html' } });
      expect(result).toEqual({ ok: false, error: { code: 'internal', detail: 'the library worker could not start' } });
      electron.app.emit('will-quit', { preventDefault: vi.fn() });
      await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled());
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      consoleError.mockRestore();
    }
  });
});
