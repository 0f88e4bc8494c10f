// Security as the app applies it: the window as created (through a stand-in BrowserWindow) is isolated, sandboxed and
// cannot navigate away; the CSP actually served with the page (the app:// handler's header, read by a small CSP
// evaluator) blocks inline and remote script; the permission policy (microphone, notifications and display capture
// for our own page only, nothing else for anyone), the navigation / new-window guard on every webContents, and the origin checks.
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppProtocolHandler } from './appProtocol.js';
import { createMainWindow } from './mainWindow.js';
import { isExternalHttpsUrl, isOwnAppUrl } from './origins.js';
import { guardEveryWebContents, guardNavigation, installPermissionPolicy, isPermissionCheckAllowed, isPermissionRequestAllowed } from './security.js';

const OWN = 'app://audio-ident/index.html';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'security-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A BrowserWindow stand-in: records its options; its webContents can be made to navigate or open a window. */
class FakeWindow extends EventEmitter {
  static created: FakeWindow[] = [];
  readonly webContents = Object.assign(new EventEmitter(), {
    openHandler: undefined as ((d: { url: string }) => { action: string }) | undefined,
    setWindowOpenHandler(handler: (d: { url: string }) => { action: string }) {
      this.openHandler = handler;
    },
  });
  readonly loadURL = vi.fn(async () => undefined);
  constructor(readonly options: { webPreferences?: Record<string, unknown> }) {
    super();
    FakeWindow.created.push(this);
  }
  maximize(): void {}
  isDestroyed = () => false;
  isMinimized = () => false;
  isFullScreen = () => false;
  isMaximized = () => false;
  getBounds = () => ({ x: 0, y: 0, width: 1000, height: 700 });
  getNormalBounds = this.getBounds;
  /** Whether the page's navigation to `url` was stopped. */
  navigate(url: string): boolean {
    const event = {
      url,
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    this.webContents.emit('will-navigate', event, url);
    return event.defaultPrevented;
  }
}

describe('the app window as created', () => {
  it('is isolated and sandboxed, without Node, with web security on and our preload, loads app:// and cannot leave it', () => {
    const openExternal = vi.fn(async () => undefined);
    const display = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } };
    createMainWindow({
      BrowserWindow: FakeWindow as never,
      screen: { getAllDisplays: () => [display], getPrimaryDisplay: () => display } as never,
      openExternal,
      dataDir: dir,
      preloadPath: '/app/out/preload/preload.cjs',
      title: 'audio-ident',
    });
    const win = FakeWindow.created.at(-1)!;
    const prefs = win.options.webPreferences!;
    expect(prefs.preload).toBe('/app/out/preload/preload.cjs');
    // What a page script could reach: no Node anywhere (main frame, sub-frames, workers), no webview, isolated world.
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    for (const key of ['nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'webviewTag', 'allowRunningInsecureContent']) {
      expect(prefs[key], key).not.toBe(true);
    }
    expect(prefs.webSecurity).not.toBe(false);
    expect(win.loadURL).toHaveBeenCalledWith(OWN);
    expect(win.navigate('https://example.org/docs')).toBe(true);
    expect(win.navigate('file:///etc/passwd')).toBe(true);
    expect(win.webContents.openHandler!({ url: 'https://example.org/new' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.org/docs'], ['https://example.org/new']]);
  });
});

/**
 * Whether a CSP lets a resource of `kind` (a CSP fetch directive without "-src": script, connect, media...) load from
 * `source` ('inline', 'eval', or a URL), for a page at `pageOrigin`; per CSP 3, a missing directive falls back to
 * default-src. Enough of CSP for this policy's sources: 'none', 'self', 'unsafe-inline', 'unsafe-eval', schemes, '*'.
 */
function cspAllows(policy: string, kind: string, source: string, pageOrigin = 'app://audio-ident'): boolean {
  const directives = new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name.toLowerCase(), values]),
  );
  const values = directives.get(`${kind}-src`) ?? directives.get('default-src') ?? ['*'];
  if (values.includes("'none'")) return false;
  if (source === 'inline') return values.includes("'unsafe-inline'");
  if (source === 'eval') return values.includes("'unsafe-eval'");
  const url = new URL(source);
  return values.some(
    (v) => v === '*' || (v === "'self'" && `${url.protocol}//${url.host}` === pageOrigin) || v === url.protocol || (!v.startsWith("'") && source.startsWith(v)),
  );
}

describe('the Content-Security-Policy served with the page', () => {
  it('blocks inline, eval and remote script, remote connections, plugins and framing; allows our own files and media:', async () => {
    const rendererDir = path.join(dir, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>audio-ident</title>');
    const handle = createAppProtocolHandler(rendererDir);
    const page = await handle(new Request(OWN));
    const missing = await handle(new Request('app://audio-ident/nothing.js'));
    expect(missing.headers.get('content-security-policy')).toBe(page.headers.get('content-security-policy'));
    const csp = page.headers.get('content-security-policy')!;
    expect(cspAllows(csp, 'script', 'inline')).toBe(false);
    expect(cspAllows(csp, 'script', 'eval')).toBe(false);
    for (const remote of ['https://cdn.example/x.js', 'http://127.0.0.1:8080/x.js', 'data:text/javascript,alert(1)', 'blob:app://audio-ident/1']) {
      expect(cspAllows(csp, 'script', remote), remote).toBe(false);
    }
    expect(cspAllows(csp, 'connect', 'https://evil.example/steal')).toBe(false);
    expect(cspAllows(csp, 'object', 'app://audio-ident/x.swf')).toBe(false);
    expect(cspAllows(csp, 'frame', 'https://evil.example/')).toBe(false);
    expect(/frame-ancestors\s+'none'/.test(csp)).toBe(true); // nobody frames us
    expect(cspAllows(csp, 'script', 'app://audio-ident/assets/index.js')).toBe(true);
    expect(cspAllows(csp, 'connect', 'app://audio-ident/x.json')).toBe(true);
    expect(cspAllows(csp, 'media', 'media://track/0b6f3c2e-8a51-4c8e-9c1d-2f0a9e6b7d41')).toBe(true);
    expect(cspAllows(csp, 'media', 'https://evil.example/a.mp3')).toBe(false);
  });
});

describe('origin checks', () => {
  it('accepts only app://audio-ident', () => {
    for (const url of [OWN, 'app://audio-ident/', 'app://audio-ident', 'app://AUDIO-IDENT/assets/x.js']) expect(isOwnAppUrl(url), url).toBe(true);
    for (const url of [
      'app://audio-ident.evil/',
      'app://evil/',
      'app://x@audio-ident/',
      'app://audio-ident:8080/',
      'https://audio-ident/',
      'file:///index.html',
      'media://track/x',
      'null',
      '',
      undefined,
      null,
      'not a url',
    ])
      expect(isOwnAppUrl(url as string), String(url)).toBe(false);
  });
  it('sends only https links to the browser', () => {
    expect(isExternalHttpsUrl('https://example.org/x')).toBe(true);
    for (const url of ['http://example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://audio-ident/'])
      expect(isExternalHttpsUrl(url), url).toBe(false);
  });
});

describe('permission policy', () => {
  it('grants microphone requests from our page only, and no camera', () => {
    expect(isPermissionRequestAllowed('media', { requestingUrl: OWN, mediaTypes: ['audio'] })).toBe(true);
    expect(isPermissionRequestAllowed('media', { requestingUrl: OWN, mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(isPermissionRequestAllowed('media', { requestingUrl: OWN, mediaTypes: ['video'] })).toBe(false);
    expect(isPermissionRequestAllowed('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] })).toBe(false);
    expect(isPermissionRequestAllowed('media', { requestingUrl: 'file:///x.html', mediaTypes: ['audio'] })).toBe(false);
    expect(isPermissionRequestAllowed('media', { mediaTypes: ['audio'] })).toBe(false);
  });
  it('denies a media request that names no media type (empty or missing list): only audio, explicitly', () => {
    expect(isPermissionRequestAllowed('media', { requestingUrl: OWN, mediaTypes: [] })).toBe(false);
    expect(isPermissionRequestAllowed('media', { requestingUrl: OWN })).toBe(false);
    expect(isPermissionRequestAllowed('media', { requestingUrl: OWN, mediaTypes: ['audio', 'audio'] })).toBe(true);
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    installPermissionPolicy(session);
    const request = session.setPermissionRequestHandler.mock.calls[0][0] as (...a: unknown[]) => void;
    const answers: boolean[] = [];
    request({}, 'media', (ok: boolean) => answers.push(ok), { requestingUrl: OWN, mediaTypes: [], isMainFrame: true });
    request({}, 'media', (ok: boolean) => answers.push(ok), { requestingUrl: OWN, isMainFrame: true });
    expect(answers).toEqual([false, false]);
  });
  it('denies every other permission, even to our page', () => {
    for (const p of ['geolocation', 'clipboard-read', 'openExternal', 'midiSysex', 'hid', 'serial', 'usb', 'fullscreen', 'unknown']) {
      expect(isPermissionRequestAllowed(p, { requestingUrl: OWN }), p).toBe(false);
      expect(isPermissionCheckAllowed(p, 'app://audio-ident', { requestingUrl: OWN }), p).toBe(false);
    }
  });
  it('allows notifications (Keep listening) to our page only', () => {
    expect(isPermissionRequestAllowed('notifications', { requestingUrl: OWN })).toBe(true);
    expect(isPermissionRequestAllowed('notifications', { requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(isPermissionRequestAllowed('notifications', {})).toBe(false);
    expect(isPermissionCheckAllowed('notifications', 'app://audio-ident', { requestingUrl: OWN })).toBe(true);
    expect(isPermissionCheckAllowed('notifications', 'https://evil.example', { requestingUrl: 'https://evil.example/' })).toBe(false);
  });
  it("allows display capture (getDisplayMedia, for the computer's own sound) to our page only", () => {
    expect(isPermissionRequestAllowed('display-capture', { requestingUrl: OWN, mediaTypes: ['video', 'audio'] })).toBe(true);
    expect(isPermissionRequestAllowed('display-capture', { requestingUrl: 'https://evil.example/', mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(isPermissionRequestAllowed('display-capture', { requestingUrl: 'file:///x.html' })).toBe(false);
    expect(isPermissionRequestAllowed('display-capture', {})).toBe(false);
    expect(isPermissionCheckAllowed('display-capture', 'app://audio-ident', { requestingUrl: OWN })).toBe(true);
    expect(isPermissionCheckAllowed('display-capture', 'https://evil.example', { requestingUrl: 'https://evil.example/' })).toBe(false);
  });
  it('checks: audio media for our origin only', () => {
    expect(isPermissionCheckAllowed('media', 'app://audio-ident', { mediaType: 'audio' })).toBe(true);
    expect(isPermissionCheckAllowed('media', 'app://audio-ident', { mediaType: 'video' })).toBe(false);
    expect(isPermissionCheckAllowed('media', 'https://evil.example', { mediaType: 'audio', requestingUrl: 'https://evil.example/' })).toBe(false);
  });
  it('installs both handlers on the session and answers through them', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    installPermissionPolicy(session);
    const request = session.setPermissionRequestHandler.mock.calls[0][0] as (...a: unknown[]) => void;
    const check = session.setPermissionCheckHandler.mock.calls[0][0] as (...a: unknown[]) => boolean;
    const answers: boolean[] = [];
    request({}, 'media', (ok: boolean) => answers.push(ok), { requestingUrl: OWN, mediaTypes: ['audio'], isMainFrame: true });
    request({}, 'media', (ok: boolean) => answers.push(ok), { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'], isMainFrame: false });
    request({}, 'geolocation', (ok: boolean) => answers.push(ok), { requestingUrl: OWN, isMainFrame: true });
    expect(answers).toEqual([true, false, false]);
    expect(check(null, 'media', 'app://audio-ident', { mediaType: 'audio', isMainFrame: true })).toBe(true);
    expect(check(null, 'media', 'https://evil.example', { mediaType: 'audio', isMainFrame: true })).toBe(false);
  });
});

describe('guardNavigation', () => {
  function fakeWebContents() {
    const emitter = new EventEmitter();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    return {
      on: (event: string, listener: (...a: unknown[]) => void) => emitter.on(event, listener),
      setWindowOpenHandler: (h: typeof openHandler) => void (openHandler = h),
      navigate(url: string) {
        const event = {
          url,
          defaultPrevented: false,
          preventDefault() {
            this.defaultPrevented = true;
          },
        };
        emitter.emit('will-navigate', event, url);
        return event.defaultPrevented;
      },
      open: (url: string) => openHandler!({ url }),
      emitter,
    };
  }

  it('denies every navigation and new window; https links go to the browser, other schemes nowhere', async () => {
    const wc = fakeWebContents();
    const openExternal = vi.fn(async () => undefined);
    guardNavigation(wc as never, { openExternal });
    expect(wc.navigate('https://example.org/docs')).toBe(true);
    expect(wc.navigate('file:///etc/passwd')).toBe(true);
    expect(wc.navigate('app://audio-ident/other.html')).toBe(true);
    expect(wc.open('https://example.org/new')).toEqual({ action: 'deny' });
    expect(wc.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(wc.open('file:///bin/sh')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.org/docs'], ['https://example.org/new']]);
    for (const event of ['will-redirect', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn() };
      wc.emitter.emit(event, e);
      expect(e.preventDefault, event).toHaveBeenCalled();
    }
  });
});

describe('guardEveryWebContents', () => {
  function fakeContents() {
    const emitter = new EventEmitter();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    return Object.assign(emitter, {
      setWindowOpenHandler: (h: typeof openHandler) => void (openHandler = h),
      open: (url: string) => openHandler?.({ url }),
      fire(event: string, url = 'https://example.org/') {
        const e = {
          url,
          defaultPrevented: false,
          preventDefault() {
            this.defaultPrevented = true;
          },
        };
        emitter.emit(event, e, url);
        return e.defaultPrevented;
      },
    });
  }

  it('guards every webContents the app creates (a devtools page, a frame host, a future window), not only the main one', () => {
    const app = new EventEmitter();
    const openExternal = vi.fn(async () => undefined);
    guardEveryWebContents(app as never, { openExternal });
    expect(app.listenerCount('web-contents-created')).toBe(1);
    const other = fakeContents();
    app.emit('web-contents-created', {}, other);
    expect(other.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(other.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(other.fire('will-attach-webview')).toBe(true);
    expect(other.open('https://example.org/popup')).toEqual({ action: 'deny' });
    expect(other.open('app://audio-ident/index.html')).toEqual({ action: 'deny' });
  });

  it('guards a webContents once, even when the main window guards itself too', () => {
    const app = new EventEmitter();
    const openExternal = vi.fn(async () => undefined);
    guardEveryWebContents(app as never, { openExternal });
    const main = fakeContents();
    app.emit('web-contents-created', {}, main);
    guardNavigation(main as never, { openExternal });
    expect(main.listenerCount('will-navigate')).toBe(1);
    main.fire('will-navigate', 'https://example.org/docs');
    expect(openExternal).toHaveBeenCalledTimes(1);
  });
});
