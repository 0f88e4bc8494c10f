// The app:// protocol: serves the Vite-built renderer (out/renderer) to the window, with the CSP on every response.
// Only files inside the renderer folder are reachable: no "..", no encoded escapes, no symlinks pointing out.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { contentTypeFor } from '../engine/contentTypes.js';
import { APP_HOST, APP_SCHEME } from './origins.js';
import { CONTENT_SECURITY_POLICY } from './security.js';

/**
 * The file a request URL names inside rendererDir, or null when the URL is not ours or tries to leave the folder.
 * Pure (no I/O): symlinks are checked by the handler.
 */
export function resolveRendererFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const segments = pathname.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.')) return null;
  if (segments.length === 0) segments.push('index.html');
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, ...segments);
  if (!isInside(root, file)) return null;
  return file;
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel.length > 0 && !rel.startsWith('..') && !path.isAbsolute(rel);
}

async function realpathOr(p: string): Promise<string> {
  try {
    return await fsp.realpath(p);
  } catch {
    return p;
  }
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
} as const;

/** The protocol.handle handler for app://. Only GET and HEAD. */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = path.resolve(rendererDir);
  return async (request) => {
    const notFound = (status = 404): Response =>
      new Response(status === 404 ? 'not found' : 'method not allowed', {
        status,
        headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
      });
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound(405);
    const file = resolveRendererFile(root, request.url);
    if (!file) return notFound();
    try {
      // Follow symlinks, then check again that we are still inside the renderer folder. Inside an asar archive
      // (packaged app) realpath may not be supported; the lexical check above already holds there.
      const [realRoot, realFile] = await Promise.all([realpathOr(root), realpathOr(file)]);
      if (!isInside(realRoot, realFile)) return notFound();
      const stat = await fsp.stat(realFile);
      if (!stat.isFile()) return notFound();
      const headers = { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(realFile), 'Content-Length': String(stat.size), 'Cache-Control': 'no-cache' };
      if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
      return new Response(await fsp.readFile(realFile), { status: 200, headers });
    } catch {
      return notFound();
    }
  };
}
