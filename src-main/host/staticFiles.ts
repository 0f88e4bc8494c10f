// Serves the built renderer (index.html, /assets/*) from one folder with a strict CSP; refuses traversal, dotfiles
// and symlinks that lead out of the folder. Without a built renderer it answers a plain page saying how to build it.
import { createReadStream, promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { contentTypeFor } from '../engine/contentTypes.js';
import { apiError } from './apiErrors.js';
import { BASE_HEADERS, sendApiError } from './httpCommon.js';

/**
 * The page's CSP: only our own scripts and styles (no inline script, no eval), our own media/images plus blob:/data:
 * for artwork and recorded clips, fetch/WebSocket to this host only, no frames, no forms, no plugins.
 */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>audio-ident: renderer not built</title></head>
<body><h1>audio-ident is running, but its page is not built</h1>
<p>Build the renderer in the project folder (<code>npm run build</code>, which also builds the page with Vite), then reload this page.</p>
<p>The HTTP API for scripts works already: see <code>docs/api-contract.md</code>.</p></body></html>
`;

/** Resolves a URL path to a file inside `root`, or null (traversal, dotfile, NUL, bad escape). */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return null;
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const resolved = path.resolve(root, relative);
  const rootWithSep = path.resolve(root) + path.sep;
  return resolved.startsWith(rootWithSep) ? resolved : null;
}

export async function handleStatic(req: IncomingMessage, res: ServerResponse, url: URL, rendererDir: string, port: number): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendApiError(res, apiError('METHOD_NOT_ALLOWED'), { allow: 'GET, HEAD' });
  const csp = contentSecurityPolicy(port);
  const indexPath = path.join(rendererDir, 'index.html');
  const indexExists = await fsp.stat(indexPath).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!indexExists && (url.pathname === '/' || url.pathname === '/index.html')) {
    res.writeHead(200, { ...BASE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : NOT_BUILT_PAGE);
    return;
  }
  const filePath = resolveStaticPath(rendererDir, url.pathname);
  if (!filePath) return sendApiError(res, apiError('NOT_FOUND'));
  if (
    url.pathname === '/favicon.ico' &&
    !(await fsp.stat(filePath).then(
      (s) => s.isFile(),
      () => false,
    ))
  ) {
    // Browsers ask for it on their own; answer quietly instead of logging a 404 in the page's console.
    res.writeHead(204, { ...BASE_HEADERS, 'cache-control': 'public, max-age=86400' });
    res.end();
    return;
  }
  let sizeBytes: number;
  try {
    // A symlink inside the folder must not lead outside it.
    const [realRoot, realFile] = await Promise.all([fsp.realpath(rendererDir), fsp.realpath(filePath)]);
    if (!realFile.startsWith(realRoot + path.sep)) return sendApiError(res, apiError('NOT_FOUND'));
    const stat = await fsp.stat(realFile);
    if (!stat.isFile()) return sendApiError(res, apiError('NOT_FOUND'));
    sizeBytes = stat.size;
  } catch {
    return sendApiError(res, apiError('NOT_FOUND'));
  }
  const ext = path.extname(filePath).toLowerCase();
  const isHashedAsset = url.pathname.startsWith('/assets/');
  res.writeHead(200, {
    ...BASE_HEADERS,
    'content-type': contentTypeFor(filePath),
    'content-length': String(sizeBytes),
    'cache-control': isHashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...(ext === '.html' ? { 'content-security-policy': csp } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(filePath);
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
