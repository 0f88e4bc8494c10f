// The window's security settings in one place: webPreferences, the Content-Security-Policy, the permission policy
// (microphone, notifications and display capture for our own page only) and the navigation / new-window guard. Runs in the Electron main process.
import type { App, Session, WebContents, WebPreferences } from 'electron';
import { isExternalHttpsUrl, isOwnAppUrl } from './origins.js';

/** Locked-down webPreferences for every window: the page gets only what the preload exposes. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/**
 * Sent with every app:// response. Scripts only from the app itself (no inline, no eval), audio from the media
 * scheme or blobs, artwork as data/blob URLs, nothing framed, no forms, no plugins.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "media-src 'self' media: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Permission requests: only the microphone (audio, no camera), notifications (Keep listening's one per new song) and
 * display capture (how Electron 45 reports getDisplayMedia, the way to the computer's own sound; systemAudio.ts's
 * handler then grants a screen with loopback audio and nothing else), only for our own page. Everything else is
 * denied, including a media request that names no media type at all (an empty list would otherwise pass "every type
 * is audio"; before Electron 45 that was how getDisplayMedia arrived).
 */
export function isPermissionRequestAllowed(permission: string, details: { requestingUrl?: string; mediaTypes?: readonly string[] }): boolean {
  if (permission === 'notifications' || permission === 'display-capture') return isOwnAppUrl(details.requestingUrl);
  if (permission !== 'media') return false;
  if (!isOwnAppUrl(details.requestingUrl)) return false;
  const types = details.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'audio');
}

/** Permission checks (e.g. device labels in enumerateDevices): the same policy, asked with an origin. */
export function isPermissionCheckAllowed(permission: string, requestingOrigin: string, details: { mediaType?: string; requestingUrl?: string }): boolean {
  if (permission === 'notifications' || permission === 'display-capture') return isOwnAppUrl(requestingOrigin) || isOwnAppUrl(details.requestingUrl);
  if (permission !== 'media') return false;
  if (!isOwnAppUrl(requestingOrigin) && !isOwnAppUrl(details.requestingUrl)) return false;
  return details.mediaType !== 'video';
}

/** Installs the permission policy on a session. */
export function installPermissionPolicy(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(isPermissionRequestAllowed(permission, { requestingUrl: details.requestingUrl, mediaTypes }));
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) => isPermissionCheckAllowed(permission, requestingOrigin, details));
}

export interface NavigationGuardDeps {
  /** Opens a URL in the user's browser (shell.openExternal). */
  readonly openExternal: (url: string) => void | Promise<void>;
}

const guarded = new WeakSet<object>();

/**
 * The page never navigates away and never opens windows: in-app navigation happens inside React. An https link
 * the user clicks (e.g. "about") goes to their browser instead. Guards a webContents once, however often called.
 */
export function guardNavigation(webContents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>, deps: NavigationGuardDeps): void {
  if (guarded.has(webContents)) return;
  guarded.add(webContents);
  const denyAndMaybeOpen = (url: string): void => {
    if (isExternalHttpsUrl(url)) void Promise.resolve(deps.openExternal(url)).catch(() => undefined);
  };
  webContents.on('will-navigate', (event) => {
    event.preventDefault();
    denyAndMaybeOpen(event.url);
  });
  webContents.on('will-redirect', (event) => {
    event.preventDefault();
  });
  webContents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  webContents.setWindowOpenHandler(({ url }) => {
    denyAndMaybeOpen(url);
    return { action: 'deny' };
  });
}

/**
 * The same guard for every webContents the app ever creates (other windows, devtools, anything a future feature or a
 * compromised page manages to open), not only the main window's. Call before the first window exists.
 */
export function guardEveryWebContents(app: Pick<App, 'on'>, deps: NavigationGuardDeps): void {
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, deps));
}
