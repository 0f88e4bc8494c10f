// receiveUploadToFile on a real HTTP server with a small limit: the file lands whole in dataDir/tmp; an upload past the
// limit (declared or chunked) is refused at once and its partial file deleted; a client that goes away mid-upload and
// a form without the file field leave nothing behind.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody } from './testing/multipart.js';
import { receiveUploadToFile, UploadError } from './uploadToFile.js';

const LIMIT = 64 * 1024;
let dir: string;
let server: http.Server;
let port: number;
const outcomes: { ok: boolean; value: unknown }[] = [];
const tmp = (): string[] => readdirSync(path.join(dir, 'tmp'));

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'upload-to-file-'));
  server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    receiveUploadToFile(req, { dataDir: dir, maxBytes: LIMIT, fileField: 'audio' }).then(
      (upload) => {
        outcomes.push({ ok: true, value: { ...upload, bytes: readFileSync(upload.filePath) } });
        res.end('ok');
      },
      (error: unknown) => {
        outcomes.push({ ok: false, value: error });
        res.writeHead(error instanceof UploadError && error.problem === 'too-large' ? 413 : 400, { connection: 'close' });
        res.end((error as Error).message);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function send(headers: Record<string, string>, chunks: Uint8Array[], options: { chunked?: boolean; abortAfter?: number } = {}): Promise<number | 'aborted'> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve('aborted'));
    if (options.chunked) req.setHeader('transfer-encoding', 'chunked');
    chunks.forEach((chunk, i) => {
      if (options.abortAfter !== undefined && i === options.abortAfter) {
        setTimeout(() => req.destroy(), 100);
        return;
      }
      req.write(chunk);
    });
    if (options.abortAfter === undefined) req.end();
  });
}

describe('receiveUploadToFile', () => {
  it('writes the file field whole to dataDir/tmp, with the fields and the client file name', async () => {
    const bytes = new Uint8Array(LIMIT - 10).map((_, i) => i % 251);
    const { contentType, body } = multipartBody({ runId: 'r1' }, { audio: { fileName: 'C:\\sets\\mix.flac', bytes } });
    expect(await send({ 'content-type': contentType, 'content-length': String(body.length) }, [body])).toBe(200);
    const upload = outcomes.at(-1)!.value as { filePath: string; fileName: string; byteCount: number; fields: Map<string, string>; bytes: Buffer };
    expect(upload.fileName).toBe('mix.flac');
    expect(upload.byteCount).toBe(bytes.length);
    expect(upload.bytes.equals(Buffer.from(bytes))).toBe(true);
    expect(upload.fields.get('runId')).toBe('r1');
    expect(path.dirname(upload.filePath)).toBe(path.join(dir, 'tmp'));
    expect(upload.filePath).toMatch(/upload-[0-9a-f-]+\.flac$/);
    rmSync(upload.filePath);
  });

  it('refuses a chunked upload past the limit at once and deletes what it had written', async () => {
    const { contentType, body } = multipartBody({}, { audio: { fileName: 'big.wav', bytes: new Uint8Array(LIMIT * 4) } });
    const pieces = Array.from({ length: Math.ceil(body.length / 8192) }, (_, i) => body.subarray(i * 8192, (i + 1) * 8192));
    const status = await send({ 'content-type': contentType }, pieces, { chunked: true });
    expect([413, 'aborted']).toContain(status);
    expect(outcomes.at(-1)).toMatchObject({ ok: false, value: { problem: 'too-large' } });
    await expect.poll(tmp).toEqual([]);
  });

  it('refuses a declared size past the limit before reading, and a form without the file', async () => {
    expect(await send({ 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(LIMIT * 100) }, [new Uint8Array(10)])).not.toBe(200);
    expect(outcomes.at(-1)).toMatchObject({ ok: false, value: { problem: 'too-large' } });
    const { contentType, body } = multipartBody({ runId: 'r2' });
    expect(await send({ 'content-type': contentType, 'content-length': String(body.length) }, [body])).toBe(400);
    expect(outcomes.at(-1)).toMatchObject({ ok: false, value: { problem: 'no-file' } });
    expect(await send({ 'content-type': 'application/json' }, [new TextEncoder().encode('{}')])).toBe(400);
    expect(outcomes.at(-1)).toMatchObject({ ok: false, value: { problem: 'not-multipart' } });
    expect(tmp()).toEqual([]);
  });

  it('leaves nothing behind when the client goes away mid-upload', async () => {
    const { contentType, body } = multipartBody({}, { audio: { fileName: 'half.wav', bytes: new Uint8Array(LIMIT - 100) } });
    const half = Math.floor(body.length / 2);
    const before = outcomes.length;
    expect(
      await send({ 'content-type': contentType, 'content-length': String(body.length) }, [body.subarray(0, half), body.subarray(half)], { abortAfter: 1 }),
    ).toBe('aborted');
    await expect.poll(() => outcomes.length).toBeGreaterThan(before);
    expect(outcomes.at(-1)).toMatchObject({ ok: false, value: { problem: 'aborted' } });
    await expect.poll(tmp).toEqual([]);
  });
});
