// The app's own URL schemes and origin checks: the renderer is served from app://audio-ident/, library audio from
// media://track/<id>. Pure: anything that decides "is this us?" goes through here, so every check agrees.

export const APP_SCHEME = 'app';
export const APP_HOST = 'audio-ident';
/** The renderer's start URL; its origin is the only one trusted with IPC and the microphone. */
export const APP_START_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
export const MEDIA_SCHEME = 'media';
export const MEDIA_HOST = 'track';

/**
 * True when the URL (or origin) belongs to our own page: app://audio-ident with any path.
 * Node's URL gives origin "null" for non-special schemes, so compare protocol and host instead.
 */
export function isOwnAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` && parsed.host.toLowerCase() === APP_HOST && parsed.username === '' && parsed.password === '' && parsed.port === ''
  );
}

/** A link the user may open in their browser: plain https only (never file:, javascript:, custom schemes). */
export function isExternalHttpsUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
