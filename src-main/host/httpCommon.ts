// Small HTTP helpers shared by the host's routes: security headers, JSON answers, the token check (timing-safe),
// Host/Origin checks against DNS rebinding, and bounded body reading. Runs on the host's (main) thread.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from './apiErrors.js';

/** Headers every answer carries. `no-referrer` keeps the token in the page URL from leaking to anyone. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...BASE_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendApiError(res: ServerResponse, error: ApiError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, error.body, headers);
}

/** Timing-safe: compares digests of equal length whatever the lengths of the inputs. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 1024) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** The token a request presents: `Authorization: Bearer <t>`, else `X-Api-Token: <t>`. */
export function headerToken(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (match) return match[1];
  }
  const apiToken = req.headers['x-api-token'];
  return typeof apiToken === 'string' ? apiToken.trim() : null;
}

/** The Host header names this server (127.0.0.1:PORT or localhost:PORT), not a rebound DNS name. */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.toLowerCase();
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A browser's Origin must be our own page; no Origin (a script, curl) is allowed since the token still applies. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  const o = origin.toLowerCase();
  return o === `http://127.0.0.1:${port}` || o === `http://localhost:${port}`;
}

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`body larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** How long the host keeps reading (and discarding) an oversized body after answering it, before closing. */
export const LINGER_MS = 2_000;

/**
 * For answers given before the request body has all arrived (413 on an oversized upload): once the answer is out,
 * keep reading and discarding what the client still sends until it stops (then close), for at most `lingerMs`
 * (then cut). Closing at once would make the kernel reset the connection over the unread bytes, and the client would
 * lose the answer with it (Apache's "lingering close").
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse, lingerMs = LINGER_MS): void {
  res.once('finish', () => {
    const socket = req.socket;
    if (req.complete) {
      socket.end();
      return;
    }
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    req.once('end', () => socket.end());
    req.resume();
  });
}

/**
 * Reads the whole body, at most `maxBytes`. A body that is too large is drained (so the client can read our answer)
 * up to a hard cap, where it is rejected with BodyTooLargeError without waiting for the end (answer with
 * closeAfterAnswer, which keeps draining a little before it closes). Bytes are counted as they stream, so a chunked
 * body without a Content-Length is bounded the same way.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const drainCapBytes = maxBytes * 2 + 1024 * 1024;
    if (Number.isFinite(declared) && declared > drainCapBytes) {
      // Not worth draining: answer now.
      reject(new BodyTooLargeError(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = false;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (tooLarge) {
        if (received > drainCapBytes) {
          req.off('data', onData);
          reject(new BodyTooLargeError(maxBytes));
        }
        return;
      }
      if (received > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => (tooLarge ? reject(new BodyTooLargeError(maxBytes)) : resolve(Buffer.concat(chunks, received))));
    req.on('error', reject);
    req.on('close', () => {
      if (tooLarge) reject(new BodyTooLargeError(maxBytes));
      else if (!req.complete) reject(new Error('request aborted'));
    });
  });
}
