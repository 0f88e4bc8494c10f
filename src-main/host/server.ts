// The browser host: serves the renderer, the same LibraryBridge contract (POST /rpc/<method>, WebSocket /events,
// GET /media/<trackId>) and the scripts' HTTP API on 127.0.0.1 only, behind a per-run random token.
// Every request passes the Host check (DNS rebinding); the backend is owned by the caller (close() leaves it open).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { AppError } from '../engine/errors.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';
import { apiError } from './apiErrors.js';
import { createEventHub } from './events.js';
import { createHealthMonitor } from './healthMonitor.js';
import { API_PREFIX, DEFAULT_INGEST_TIMEOUT_MS, DEFAULT_SEARCH_TIMEOUT_MS, handleApi, type HttpApiContext } from './httpApi.js';
import { isAllowedHost, sendApiError } from './httpCommon.js';
import { handleMedia } from './media.js';
import { handleRpc, type RpcContext } from './rpc.js';
import { handleStatic } from './staticFiles.js';
import { terminalText } from './terminalText.js';

export const HOST_ADDRESS = '127.0.0.1';

/** out/renderer: next to out/src-main when compiled (out/src-main/host/), under the repo root when run from source. */
export const DEFAULT_RENDERER_DIR = fileURLToPath(import.meta.url).endsWith('.ts')
  ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../out/renderer')
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer');

export interface HostOptions {
  readonly backend: LibraryBackend;
  /** 0 = any free port. */
  readonly port?: number;
  /** The built renderer (index.html + assets/); default out/renderer. */
  readonly rendererDir?: string;
  /** Default: 32 random bytes, base64url. A given token must be 16..256 characters of [A-Za-z0-9._~-]. */
  readonly token?: string;
  readonly appVersion: string;
  /** POST /api/v1/search gives up after this long (SEARCH_TIMEOUT). Default 30 s. */
  readonly searchTimeoutMs?: number;
  /** POST /api/v1/ingest waits this long for the scan. Default 30 min. */
  readonly ingestTimeoutMs?: number;
  /** Where unexpected errors go (in full, with stacks); clients only learn that something failed. Default stderr. */
  readonly log?: (message: string, error?: unknown) => void;
  /** A request body that sends no bytes for this long gets 408 REQUEST_TIMEOUT and the connection closes. Default 30 s. */
  readonly bodyIdleTimeoutMs?: number;
  /** The request line and headers must arrive within this long (else 408 and close). Default 30 s. */
  readonly headersTimeoutMs?: number;
  /** /health waits at most this long for the library's own answer before answering from the last known state. */
  readonly healthWaitMs?: number;
  /** The library's data folder (uploads of long recordings go to its tmp/). Default: the one getStatus names. */
  readonly dataDir?: string;
}

export const DEFAULT_BODY_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 30_000;
/** A whole request (an upload of at most ~115 MB on the loopback) gets this long, however steadily it trickles. */
const REQUEST_TIMEOUT_MS = 10 * 60_000;

export interface RunningHost {
  /** http://127.0.0.1:PORT/?token=... : the page to open. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,256}$/;

/** A token given by the user must be URL-safe and long enough to guess badly. */
export function isValidToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

const defaultLog = (message: string, error?: unknown): void => {
  // Anything else thrown is inspected, so an object shows its fields rather than [object Object].
  const text = error instanceof Error ? (error.stack ?? error.message) : typeof error === 'string' ? error : inspect(error);
  const detail = error ? `: ${text}` : '';
  // Messages quote paths and request lines: escape control characters, but keep a stack's own line breaks.
  process.stderr.write(`audio-ident host: ${`${message}${detail}`.split('\n').map(terminalText).join('\n')}\n`);
};

/**
 * Arms the body idle timeout for a request that has a body: no bytes for `idleMs` -> 408 REQUEST_TIMEOUT (in the
 * API's error shape) and the connection closes. Disarmed once the body has all arrived, so a slow answer (a search,
 * an ingest) is never cut by it. The socket's timer is refreshed by every byte the HTTP parser reads.
 */
function watchBodyIdle(req: IncomingMessage, res: ServerResponse, idleMs: number): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody || req.complete) return;
  const onIdle = (): void => {
    if (req.complete) return;
    if (res.headersSent) req.socket.destroy();
    else sendApiError(res, apiError('REQUEST_TIMEOUT', undefined, { timeout_ms: idleMs }), { connection: 'close' });
  };
  req.setTimeout(idleMs, onIdle);
  req.once('end', () => {
    req.off('timeout', onIdle);
    // Node arms its keep-alive timer when the answer finishes; only clear ours while the answer is still to come.
    if (!res.writableFinished) req.socket?.setTimeout(0);
  });
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? createToken();
  if (!isValidToken(token)) throw new Error('the token must be 16..256 characters of A-Z a-z 0-9 . _ ~ -');
  const rendererDir = path.resolve(options.rendererDir ?? DEFAULT_RENDERER_DIR);
  const log = options.log ?? defaultLog;
  let port = 0;

  let dataDirAnswer: Promise<string> | null = null;
  const dataDir = (): Promise<string> =>
    (dataDirAnswer ??=
      options.dataDir !== undefined
        ? Promise.resolve(options.dataDir)
        : options.backend.getStatus().then((status) => {
            if (status.ok) return status.value.dataDir;
            dataDirAnswer = null; // ask again next time
            throw new AppError(status.error.code, status.error.detail);
          }));
  const rpcContext: RpcContext = { backend: options.backend, token, log, dataDir };
  const apiContext: HttpApiContext = {
    backend: options.backend,
    token,
    appVersion: options.appVersion,
    searchTimeoutMs: options.searchTimeoutMs ?? DEFAULT_SEARCH_TIMEOUT_MS,
    ingestTimeoutMs: options.ingestTimeoutMs ?? DEFAULT_INGEST_TIMEOUT_MS,
    log,
    health: createHealthMonitor(options.backend, { waitMs: options.healthWaitMs, log }),
    dataDir,
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) {
      req.resume();
      return sendApiError(res, apiError('FORBIDDEN', 'Unexpected Host header: use http://127.0.0.1:PORT/.'), { connection: 'close' });
    }
    const url = new URL(req.url ?? '/', `http://${HOST_ADDRESS}:${port}`);
    const p = url.pathname;
    if (p === '/health' || p === API_PREFIX || p.startsWith(`${API_PREFIX}/`)) return handleApi(req, res, url, apiContext);
    if (p.startsWith('/rpc/')) return handleRpc(req, res, p.slice('/rpc/'.length), rpcContext);
    if (p.startsWith('/media/')) return handleMedia(req, res, p.slice('/media/'.length), url, options.backend, token);
    return handleStatic(req, res, url, rendererDir, port);
  }

  const bodyIdleTimeoutMs = options.bodyIdleTimeoutMs ?? DEFAULT_BODY_IDLE_TIMEOUT_MS;
  const headersTimeoutMs = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const server = createServer(
    {
      requestTimeout: REQUEST_TIMEOUT_MS,
      headersTimeout: headersTimeoutMs,
      // How often Node checks those two; its default (30 s) would let a stalled header block live up to twice as long.
      connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.floor(headersTimeoutMs / 4))),
    },
    (req, res) => {
      watchBodyIdle(req, res, bodyIdleTimeoutMs);
      route(req, res).catch((error: unknown) => {
        log(`${req.method} ${req.url?.split('?')[0]} failed`, error);
        if (!res.headersSent) sendApiError(res, apiError('INTERNAL_ERROR'));
        else res.destroy();
      });
    },
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // ERR_HTTP_REQUEST_TIMEOUT: the headers (or the whole request) took longer than headersTimeout/requestTimeout.
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });

  const events = createEventHub(options.backend, token, () => port);
  server.on('upgrade', (req, socket, head) => events.handleUpgrade(req, socket, head));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST_ADDRESS, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${HOST_ADDRESS}:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        events.close();
        apiContext.health.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
