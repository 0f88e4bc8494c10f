// The browser host's door: LibraryBridge over HTTP (POST /rpc/<method>, wire format) and one WebSocket (/events, with
// reconnect), authenticated with the per-run token that `audio-ident serve` printed in its URL (?token=...).
// Browser code: no Node imports. Every method answers a Result, never throws (a lost host is an 'internal' Result).
import {
  LIBRARY_EVENTS,
  LIBRARY_METHODS,
  type AsyncLibraryApi,
  type LibraryBridge,
  type LibraryEventName,
  type LibraryEvents,
  type LibraryMethod,
  type TracklistRequest,
} from '../../src-preload/contract/api';
import type { AppErrorInfo, Result, TrackId, Tracklist } from '../../src-preload/contract/library';
import { decodeWire, encodeWireParts, WIRE_CONTENT_TYPE } from '../../src-preload/contract/wire';

/** sessionStorage key holding the token, so a reload without ?token= keeps working. */
export const TOKEN_STORAGE_KEY = 'audio-ident.token';
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/** The part of the WebSocket API the bridge uses (the browser's, or `ws` in tests). */
export interface WebSocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
}

export interface HttpBridgeOptions {
  /** http://127.0.0.1:PORT; default: the page's origin. */
  readonly baseUrl?: string;
  /** Default: ?token= of the page's URL, else the one kept in sessionStorage. */
  readonly token?: string;
  readonly fetchImpl?: typeof fetch;
  readonly WebSocketImpl?: new (url: string) => WebSocketLike;
  readonly storage?: Pick<Storage, 'getItem' | 'setItem'>;
  /** The page's query string; default location.search. */
  readonly search?: string;
}

type Listener = (payload: never) => void;

function tokenFrom(options: HttpBridgeOptions): string | null {
  if (options.token) return options.token;
  const storage = options.storage ?? (typeof sessionStorage === 'undefined' ? undefined : sessionStorage);
  const search = options.search ?? (typeof location === 'undefined' ? '' : location.search);
  const fromUrl = new URLSearchParams(search).get('token');
  try {
    if (fromUrl) {
      storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
      return fromUrl;
    }
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    // Storage can be disabled (privacy settings): the URL's token still works for this page load.
    return fromUrl;
  }
}

const failure = (code: AppErrorInfo['code'], detail: string): Result<never> => ({ ok: false, error: { code, detail } });

const NO_TOKEN = failure('permission-denied', 'this page has no access token: open the URL that `audio-ident serve` printed (it ends with ?token=...)');

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { ok?: unknown; error?: { code?: unknown } };
  return r.ok === true || (r.ok === false && typeof r.error?.code === 'string');
}

export function createHttpBridge(options: HttpBridgeOptions = {}): LibraryBridge {
  const baseUrl = (options.baseUrl ?? (typeof location === 'undefined' ? 'http://127.0.0.1' : location.origin)).replace(/\/+$/, '');
  const token = tokenFrom(options);
  const doFetch = options.fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const SocketImpl = options.WebSocketImpl ?? (typeof WebSocket === 'undefined' ? undefined : (WebSocket as unknown as new (url: string) => WebSocketLike));

  async function call(method: LibraryMethod, args: unknown[]): Promise<Result<unknown>> {
    if (!token) return NO_TOKEN;
    let body: Blob;
    try {
      body = new Blob(encodeWireParts(args) as BlobPart[], { type: WIRE_CONTENT_TYPE });
    } catch (error) {
      return failure('invalid-argument', `${method}: ${error instanceof Error ? error.message : 'arguments cannot be sent'}`);
    }
    return post(method, body, { 'content-type': WIRE_CONTENT_TYPE });
  }

  /**
   * tracklistClip: a recording may be hundreds of MB, more than the host takes in one wire message, so it goes as a
   * multipart upload (field runId, file field audio) that the host streams to disk; the answer is a wire Result.
   */
  function tracklistClip(request: TracklistRequest): Promise<Result<Tracklist>> {
    if (!token) return Promise.resolve(NO_TOKEN);
    const form = new FormData();
    form.append('runId', request.runId);
    form.append('audio', new Blob([request.audio.bytes as BlobPart]), request.audio.fileName);
    return post('tracklistClip', form, {}) as Promise<Result<Tracklist>>;
  }

  /** POSTs to /rpc/<method> and reads the wire Result back (a status-based Result when there is none). */
  async function post(method: LibraryMethod, body: Blob | FormData, headers: Record<string, string>): Promise<Result<unknown>> {
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}/rpc/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, ...headers },
        body,
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch {
      return failure('internal', 'the audio-ident host is not reachable (is `audio-ident serve` still running?)');
    }
    try {
      if ((response.headers.get('content-type') ?? '').startsWith(WIRE_CONTENT_TYPE)) {
        const decoded = decodeWire(new Uint8Array(await response.arrayBuffer()));
        if (isResult(decoded)) return decoded;
      }
    } catch {
      // fall through to a status-based answer
    }
    if (response.status === 401) return failure('permission-denied', 'the host refused the token (it changes on every run of `audio-ident serve`)');
    if (response.status === 413) return failure('file-too-large', 'the host refused a request that large');
    return failure('internal', `unexpected answer from the host (HTTP ${response.status})`);
  }

  // ---- events: one WebSocket for all listeners, reconnecting with backoff while anyone listens ----
  const listeners = new Map<LibraryEventName, Set<Listener>>();
  let socket: WebSocketLike | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let reconnectDelayMs = RECONNECT_MIN_MS;
  let hasConnectedBefore = false;

  const listenerCount = (): number => [...listeners.values()].reduce((n, s) => n + s.size, 0);

  function dispatch(event: LibraryEventName, payload: unknown): void {
    for (const listener of [...(listeners.get(event) ?? [])]) {
      try {
        (listener as (p: unknown) => void)(payload);
      } catch (error) {
        console.error(`audio-ident: a ${event} listener failed`, error);
      }
    }
  }

  function connect(): void {
    if (socket || !token || !SocketImpl || listenerCount() === 0) return;
    const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/events?token=${encodeURIComponent(token)}`;
    let ws: WebSocketLike;
    try {
      ws = new SocketImpl(wsUrl);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      reconnectDelayMs = RECONNECT_MIN_MS;
      if (hasConnectedBefore) {
        // Events may have been missed while disconnected: hand the page the current status.
        void call('getStatus', []).then((status) => {
          if (status.ok) dispatch('statusChanged', status.value);
        });
      }
      hasConnectedBefore = true;
    };
    ws.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      let frame: { event?: unknown; payload?: unknown };
      try {
        frame = JSON.parse(message.data) as typeof frame;
      } catch {
        return;
      }
      if ((LIBRARY_EVENTS as readonly unknown[]).includes(frame.event)) dispatch(frame.event as LibraryEventName, frame.payload);
    };
    ws.onerror = () => undefined; // onclose follows
    ws.onclose = () => {
      if (socket === ws) socket = null;
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    if (reconnectTimer || listenerCount() === 0) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, reconnectDelayMs);
    reconnectDelayMs = Math.min(RECONNECT_MAX_MS, reconnectDelayMs * 2);
  }

  function disconnectIfIdle(): void {
    if (listenerCount() > 0) return;
    if (reconnectTimer) clearTimeout(reconnectTimer);
    reconnectTimer = null;
    const ws = socket;
    socket = null;
    if (ws) {
      ws.onclose = null;
      ws.close();
    }
  }

  const methods = Object.fromEntries(LIBRARY_METHODS.map((method) => [method, (...args: unknown[]) => call(method, args)])) as unknown as AsyncLibraryApi;

  return {
    ...methods,
    tracklistClip,
    door: 'browser',
    mediaUrl(trackId: TrackId): string {
      return `${baseUrl}/media/${encodeURIComponent(trackId)}?token=${encodeURIComponent(token ?? '')}`;
    },
    on<E extends LibraryEventName>(event: E, listener: (payload: LibraryEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      const l = listener as Listener;
      set.add(l);
      connect();
      return () => {
        set.delete(l);
        disconnectIfIdle();
      };
    },
  };
}
