// Security settings: the webPreferences flags, the permission policy (microphone for our own page only, nothing
// else for anyone), the navigation / new-window guard, the CSP's key directives and the origin checks.
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { isExternalHttpsUrl, isOwnAppUrl } from './origins.js';
import { CONTENT_SECURITY_POLICY, guardEveryWebContents, guardNavigation, installPermissionPolicy, isPermissionCheckAllowed, isPermissionRequestAllowed, secureWebPreferences } from './security.js';

const OWN = 'app://audio-ident/index.html';

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the page, without Node, with web security on and our preload', () => {
    const prefs = secureWebPreferences('/app/out/preload/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('origin checks', () => {
  it('accepts only app://audio-ident', () => {
    for (const url of [OWN, 'app://audio-ident/', 'app://audio-ident', 'app://AUDIO-IDENT/assets/x.js']) expect(isOwnAppUrl(url), url).toBe(true);
    for (const url of ['app://audio-ident.evil/', 'app://evil/', 'app://x@audio-ident/', 'app://audio-ident:8080/', 'https://audio-ident/',
      'file:///index.html', 'media://track/x', 'null', '', undefined, null, 'not a url']) expect(isOwnAppUrl(url as string), String(url)).toBe(false);
  });
  it('sends only https links to the browser', () => {
    expect(isExternalHttpsUrl('https://example.org/x')).toBe(true);
    for (const url of ['http://example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://audio-ident/']) expect(isExternalHttpsUrl(url), url).toBe(false);
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
    for (const p of ['geolocation', 'clipboard-read', 'display-capture', 'openExternal', 'midiSysex', 'hid', 'serial', 'usb', 'fullscreen', 'unknown']) {
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
        const event = { url, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
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
        const e = { url, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
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

describe('CONTENT_SECURITY_POLICY', () => {
  it('allows scripts from the app only (no inline, no eval), audio from media:, nothing framed', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('media-src')).toContain('media:');
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });
});
