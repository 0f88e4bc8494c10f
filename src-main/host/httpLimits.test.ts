// The host under hostile or stuck peers (issue 15 #11): a stalled body gets 408 after the idle timeout, stalled
// headers are cut off, an oversized chunked upload gets 413 in the API's error shape (not a connection reset), and
// /health answers from the host while the library worker never does.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src-preload/contract/api.js';
import { startHost, type RunningHost } from './server.js';
import { createFakeBackend, type FakeBackend } from './testing/fakeBackend.js';
import { rawRequest } from './testing/httpClient.js';
import { loadOpenApi } from './testing/openApi.js';

const openApi = loadOpenApi();
const IDLE_MS = 300;
let backend: FakeBackend;
let host: RunningHost;

beforeAll(async () => {
  backend = createFakeBackend();
  host = await startHost({ backend, appVersion: '1.2.3', log: () => undefined, bodyIdleTimeoutMs: IDLE_MS, headersTimeoutMs: IDLE_MS });
});
afterAll(async () => {
  await host?.close();
});

/**
 * Writes `head` (and optional body bytes) on a raw socket, then stalls; resolves with all the server sent until it
 * closed. A host that never gives up fails it (the socket is destroyed after 10 s).
 */
function stallingRequest(port: number, head: string, body = ''): Promise<{ text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head + body));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve({ text }));
    socket.on('error', reject);
    setTimeout(() => socket.destroy(new Error('the host never gave up on the stalled request')), 10_000).unref();
  });
}

const jsonOf = (raw: string): any => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));

describe('stalled requests', () => {
  it('answers 408 REQUEST_TIMEOUT when an authorised upload stops sending bytes, then closes', async () => {
    const head =
      `POST /api/v1/search HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}\r\n` +
      'Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 100000\r\n\r\n';
    const { text } = await stallingRequest(host.port, head, '--xyz\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\n\r\nRIFF');
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    const body = jsonOf(text);
    expect(body.error.code).toBe('REQUEST_TIMEOUT');
    openApi.check('/api/v1/search', 'POST', 408, body);
  });

  it('does the same for a stalled chunked body and for the renderer door (/rpc)', async () => {
    const chunked = await stallingRequest(
      host.port,
      `POST /api/v1/ingest HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      '5\r\n{"pat\r\n',
    );
    expect(chunked.text).toMatch(/^HTTP\/1\.1 408 /);
    const rpc = await stallingRequest(
      host.port,
      `POST /rpc/identifyClip HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}\r\nContent-Length: 5000\r\n\r\n`,
      'AIW1',
    );
    expect(rpc.text).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('cuts off a request whose headers never finish', async () => {
    const { text } = await stallingRequest(host.port, `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Slow: `);
    expect(text).toMatch(/^(HTTP\/1\.1 408 |$)/);
  });

  it('leaves a slow answer alone once the body has arrived (the idle timeout covers the upload only)', async () => {
    const original = backend.listTracks;
    backend.listTracks = async (query) => {
      await new Promise((r) => setTimeout(r, IDLE_MS * 3));
      return original(query);
    };
    try {
      const res = await rawRequest(host.port, { path: '/api/v1/tracks', headers: { authorization: `Bearer ${host.token}` } });
      expect(res.status).toBe(200);
    } finally {
      backend.listTracks = original;
    }
  });
});

/** Streams a chunked body until the host answers (or `maxBytes` went out); resolves with the answer. */
/**
 * Streams a chunked POST of up to maxBytes over a raw socket, stopping once any answer arrives. A raw socket because
 * the host closes the connection a little after its 413 while a fast client may still be writing: Node's HTTP client
 * then reports the write's EPIPE and drops the answer it had already been sent, where a browser or curl reads it.
 */
function chunkedUpload(port: number, urlPath: string, headers: Record<string, string>, preamble: Buffer, maxBytes: number) {
  return new Promise<{ status: number; headers: Record<string, string>; body: string; sentBytes: number }>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let sentBytes = 0;
    let received = Buffer.alloc(0);
    let settled = false;
    const answer = (): { status: number; headers: Record<string, string>; body: string } | null => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return null;
      const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const head: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        head[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(head['content-length'] ?? NaN);
      if (!Number.isFinite(length) || received.length < end + 4 + length) return null;
      return { status: Number(statusLine.split(' ')[1]), headers: head, body: received.subarray(end + 4, end + 4 + length).toString('utf8') };
    };
    const settle = (ended: boolean): void => {
      if (settled) return;
      const res = answer();
      if (res) {
        settled = true;
        resolve({ ...res, sentBytes });
        socket.destroy();
      } else if (ended) {
        settled = true;
        reject(new Error(`connection closed without a complete answer (${received.length} bytes received)`));
      }
    };
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      settle(false);
    });
    socket.on('error', () => settle(true)); // EPIPE / ECONNRESET after the answer: what arrived still counts
    socket.on('close', () => settle(true));
    const headLines = Object.entries({ host: `127.0.0.1:${port}`, 'transfer-encoding': 'chunked', ...headers }).map(([k, v]) => `${k}: ${v}`);
    socket.write(`POST ${urlPath} HTTP/1.1\r\n${headLines.join('\r\n')}\r\n\r\n`);
    const frame = (data: Buffer): Buffer => Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
    socket.write(frame(preamble));
    const chunk = frame(Buffer.alloc(256 * 1024, 0x41));
    const pump = (): void => {
      while (received.length === 0 && !socket.destroyed && sentBytes < maxBytes) {
        sentBytes += 256 * 1024;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (received.length === 0 && !socket.destroyed) socket.write('0\r\n\r\n');
    };
    pump();
  });
}

describe('oversized chunked uploads', () => {
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${host.token}` });

  it('answer 413 FILE_TOO_LARGE in the API error shape, not a connection reset', async () => {
    const preamble = Buffer.from('--xyz\r\nContent-Disposition: form-data; name="audio"; filename="big.wav"\r\n\r\n');
    const res = await chunkedUpload(
      host.port,
      '/api/v1/search',
      { ...auth(), 'content-type': 'multipart/form-data; boundary=xyz' },
      preamble,
      200 * 1024 * 1024,
    );
    expect(res.status).toBe(413);
    const body = JSON.parse(res.body);
    expect(body.error).toMatchObject({ code: 'FILE_TOO_LARGE', details: { max_bytes: LIMITS.httpSearchMaxBytes } });
    openApi.check('/api/v1/search', 'POST', 413, body);
    // The host stopped listening soon after the limit, not at the end of 200 MB.
    expect(res.sentBytes).toBeLessThan(LIMITS.httpSearchMaxBytes * 4);
    expect(backend.calls.some((c) => c.method === 'identifyClip')).toBe(false);
  });

  it('answer 413 too when the bytes are not even a file part (counted as they stream)', async () => {
    const res = await chunkedUpload(
      host.port,
      '/api/v1/search',
      { ...auth(), 'content-type': 'multipart/form-data; boundary=xyz' },
      Buffer.from('no boundary here'),
      200 * 1024 * 1024,
    );
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('FILE_TOO_LARGE');
    const health = await rawRequest(host.port, { path: '/health' });
    expect(health.status).toBe(200);
  });
});

describe('/health while the library worker is stuck', () => {
  it('answers from the host with the last known state instead of waiting on the worker', async () => {
    const stuck = createFakeBackend();
    let statusCalls = 0;
    let answerStatus = true;
    const original = stuck.getStatus;
    stuck.getStatus = () => {
      statusCalls++;
      return answerStatus ? original() : new Promise(() => undefined); // a worker busy forever on one bad file
    };
    const stuckHost = await startHost({ backend: stuck, appVersion: '1.2.3', log: () => undefined });
    try {
      const fresh = await rawRequest(stuckHost.port, { path: '/health' });
      expect(fresh.status).toBe(200);
      expect(fresh.json()).toMatchObject({ status: 'ok', library: 'ready' });
      openApi.check('/health', 'GET', 200, fresh.json());

      // The worker no longer answers: /health answers anyway (busy), from what it last knew.
      answerStatus = false;
      const answers = await Promise.all([1, 2, 3, 4, 5].map(() => rawRequest(stuckHost.port, { path: '/health' })));
      for (const res of answers) {
        expect(res.status).toBe(200);
        expect(res.json()).toMatchObject({ status: 'ok', library: 'busy', checks: { catalog: 'ok', landmark_store: 'ok' } });
        openApi.check('/health', 'GET', 200, res.json());
      }
      const callsWhileStuck = statusCalls;
      await rawRequest(stuckHost.port, { path: '/health' });
      expect(statusCalls).toBe(callsWhileStuck); // one question in flight at a time: the worker's queue does not grow
    } finally {
      await stuckHost.close();
    }
  });

  it('says busy with 503 when the worker has never answered', async () => {
    const stuck = createFakeBackend();
    stuck.getStatus = () => new Promise(() => undefined);
    const stuckHost = await startHost({ backend: stuck, appVersion: '1.2.3', log: () => undefined });
    try {
      const res = await rawRequest(stuckHost.port, { path: '/health' }); // answers although getStatus never does
      expect(res.status).toBe(503);
      expect(res.json()).toMatchObject({ status: 'degraded', library: 'busy' });
      openApi.check('/health', 'GET', 503, res.json());
    } finally {
      await stuckHost.close();
    }
  });
});
