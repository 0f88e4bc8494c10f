// The renderer's event door: a WebSocket at /events?token=... that pushes every LibraryEvents event as a JSON text
// frame {"event": name, "payload": ...}. Checks Host, Origin and token before the upgrade; pings to drop dead clients.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIBRARY_EVENTS, type Unsubscribe } from '../../src-preload/contract/api.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';
import { isAllowedHost, isAllowedOrigin, tokenMatches } from './httpCommon.js';

export const EVENTS_PATH = '/events';
const PING_INTERVAL_MS = 30_000;

export interface EventHub {
  /** Handles an HTTP upgrade; answers and closes the socket itself when the request is refused. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly clientCount: () => number;
  close(): void;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function createEventHub(backend: LibraryBackend, token: string, port: () => number): EventHub {
  // The page never sends anything that matters; keep its frames tiny.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  const unsubscribes: Unsubscribe[] = LIBRARY_EVENTS.map((event) =>
    backend.on(event, (payload: unknown) => {
      const frame = JSON.stringify({ event, payload });
      for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(frame);
    }),
  );

  wss.on('connection', (ws) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('message', () => undefined);
    ws.on('error', () => ws.terminate());
  });

  const pinger = setInterval(() => {
    for (const client of wss.clients) {
      if (!alive.get(client)) {
        client.terminate();
        continue;
      }
      alive.set(client, false);
      client.ping();
    }
  }, PING_INTERVAL_MS);
  pinger.unref();

  return {
    handleUpgrade(req, socket, head) {
      socket.on('error', () => socket.destroy());
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== EVENTS_PATH) return refuse(socket, 404, 'Not Found');
      if (!isAllowedHost(req.headers.host, port())) return refuse(socket, 403, 'Forbidden');
      if (!isAllowedOrigin(req.headers.origin, port())) return refuse(socket, 403, 'Forbidden');
      if (!tokenMatches(token, url.searchParams.get('token'))) return refuse(socket, 401, 'Unauthorized');
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    clientCount: () => wss.clients.size,
    close() {
      clearInterval(pinger);
      for (const unsubscribe of unsubscribes) unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
