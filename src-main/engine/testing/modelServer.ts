// Test helper: a local HTTP server serving one model file the way a model host does (200, or 206 for a Range
// request), optionally slowly (chunks with pauses) so a test can watch the progress or cancel mid-download; plus
// the small CLAP-contract ONNX model that scripts/generate-test-clap-model.py writes. For tests only.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLAP_FP32, type DownloadableManifest } from '../embedding/modelRegistry.js';

export interface ModelServer {
  readonly url: string;
  /** Every request's Range header (undefined: none), in order. */
  readonly ranges: (string | undefined)[];
  /** Bytes per chunk and pause between chunks; 0 ms sends the whole body at once. */
  throttle: { chunkBytes: number; delayMs: number };
  close(): Promise<void>;
}

/** Serves `bytes` at <url> (any path). */
export async function startModelServer(bytes: Uint8Array, throttle = { chunkBytes: 16 * 1024, delayMs: 0 }): Promise<ModelServer> {
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const range = req.headers.range;
    state.ranges.push(range);
    const start = range ? Number(/bytes=(\d+)-/.exec(range)?.[1] ?? 0) : 0;
    const body = bytes.subarray(start);
    res.writeHead(range ? 206 : 200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': body.length,
      ...(range ? { 'Content-Range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
    });
    const { chunkBytes, delayMs } = state.throttle;
    if (delayMs <= 0) {
      res.end(body);
      return;
    }
    let at = 0;
    const next = (): void => {
      if (res.destroyed) return;
      if (at >= body.length) {
        res.end();
        return;
      }
      res.write(body.subarray(at, at + chunkBytes));
      at += chunkBytes;
      setTimeout(next, delayMs);
    };
    next();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: ModelServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.onnx`,
    ranges: [],
    throttle,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return state;
}

/** Writes the small CLAP-contract test model to `outPath` (needs /usr/bin/python3 with python3-onnx) and returns its bytes. */
export function generateTestClapModel(outPath: string): Buffer {
  const repoRoot = findRepoRoot();
  execFileSync('/usr/bin/python3', [path.join(repoRoot, 'scripts', 'generate-test-clap-model.py'), outPath]);
  return readFileSync(outPath);
}

/** A downloadable manifest for `bytes` served at `url`, with CLAP's contract (front end, shapes, dim). */
export function testModelManifest(id: string, url: string, bytes: Uint8Array, overrides: Partial<DownloadableManifest> = {}): DownloadableManifest {
  return {
    ...CLAP_FP32,
    id,
    description: 'Test model with the CLAP contract (served locally)',
    license: 'test-only',
    url,
    revision: 'test',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sizeBytes: bytes.length,
    ...overrides,
  };
}

function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      readFileSync(path.join(dir, 'scripts', 'generate-test-clap-model.py'));
      return dir;
    } catch {
      dir = path.dirname(dir);
    }
  }
  throw new Error('scripts/generate-test-clap-model.py not found above this module');
}
