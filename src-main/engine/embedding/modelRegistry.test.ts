// The download path of an on-demand model, against a local HTTP server serving a small generated ONNX model with
// CLAP's input/output contract (the real CLAP weights cannot be downloaded here): progress, resume after a cut,
// a wrong hash rejected, then load + run through the CLAP front end.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from './audioWindows.js';
import type { DownloadProgress } from './modelDownload.js';
import { CLAP_FP32, installModel, isPinned, modelDir, modelState, type DownloadableManifest } from './modelRegistry.js';
import { OnnxEmbedder } from './onnxEmbedder.js';

let dir: string;
let model: Buffer;
let server: http.Server;
let baseUrl: string;
const requests: { range: string | undefined; sent: number }[] = [];
/** When set, the next response is cut after this many bytes. */
let cutAfter: number | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vibe-download-'));
  const modelPath = path.join(dir, 'served.onnx');
  execFileSync('/usr/bin/python3', ['scripts/generate-test-clap-model.py', modelPath]);
  model = readFileSync(modelPath);
  server = http.createServer((req, res) => {
    const range = req.headers.range;
    const start = range ? Number(/bytes=(\d+)-/.exec(range)?.[1] ?? 0) : 0;
    const body = model.subarray(start);
    res.writeHead(range ? 206 : 200, {
      'Content-Length': body.length,
      ...(range ? { 'Content-Range': `bytes ${start}-${model.length - 1}/${model.length}` } : {}),
    });
    const entry = { range, sent: 0 };
    requests.push(entry);
    if (cutAfter !== undefined) {
      const n = cutAfter;
      cutAfter = undefined;
      res.write(body.subarray(0, n), () => {
        entry.sent = n;
        setTimeout(() => res.destroy(), 100); // the connection drops mid-file, after the client got the bytes
      });
      return;
    }
    entry.sent = body.length;
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function servedManifest(overrides: Partial<DownloadableManifest> = {}): DownloadableManifest {
  return {
    ...CLAP_FP32,
    id: 'test-clap',
    url: `${baseUrl}/model.onnx`,
    sha256: createHash('sha256').update(model).digest('hex'),
    sizeBytes: model.length,
    ...overrides,
  };
}

describe('on-demand model download', () => {
  it('refuses to download a model whose hash is not pinned; CLAP itself is pinned by revision, size and SHA-256', async () => {
    const unpinned = { ...servedManifest(), sha256: '0'.repeat(64), sizeBytes: 0 };
    expect(isPinned(unpinned)).toBe(false);
    await expect(installModel(path.join(dir, 'data0'), unpinned)).rejects.toMatchObject({ code: 'model-missing' });
    expect(isPinned(CLAP_FP32)).toBe(true);
    expect(CLAP_FP32.url).toContain(`/resolve/${CLAP_FP32.revision}/`);
  });

  it('resumes after a cut, reports progress, verifies, installs, and the model runs through the CLAP front end', async () => {
    const dataDir = path.join(dir, 'data1');
    const m = servedManifest();
    expect(await modelState(dataDir, m)).toBe('missing');
    // A load before the download is a clear model-missing, not a crash.
    await expect(OnnxEmbedder.load(path.join(modelDir(dataDir, m.id), 'manifest.json'))).rejects.toMatchObject({ code: 'model-missing' });

    requests.length = 0;
    const cut = Math.floor(model.length / 3);
    cutAfter = cut;
    await expect(installModel(dataDir, m)).rejects.toMatchObject({ code: 'model-missing' });
    expect(await modelState(dataDir, m)).toBe('partial');
    const partSize = statSync(path.join(modelDir(dataDir, m.id), `${m.file}.part`)).size;
    expect(partSize).toBe(cut);

    const progress: DownloadProgress[] = [];
    const manifestPath = await installModel(dataDir, m, { onProgress: (p) => progress.push(p) });
    expect(requests.at(-1)!.range).toBe(`bytes=${partSize}-`);
    expect(requests.at(-1)!.sent).toBe(model.length - partSize);
    expect(progress.at(-1)).toEqual({ receivedBytes: model.length, totalBytes: model.length, resumedFromBytes: partSize });
    expect(progress.every((p, i) => i === 0 || p.receivedBytes >= progress[i - 1].receivedBytes)).toBe(true);
    expect(await modelState(dataDir, m, true)).toBe('installed');
    expect(readFileSync(path.join(modelDir(dataDir, m.id), m.file)).equals(model)).toBe(true);

    const embedder = await OnnxEmbedder.load(manifestPath);
    try {
      const tone = Float32Array.from({ length: 48_000 * 4 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48_000));
      const a = await embedder.embedClip(tone);
      const b = await embedder.embedClip(tone);
      expect(a.dim).toBe(512);
      expect(a.vector).toHaveLength(512);
      expect(Array.from(a.vector)).toEqual(Array.from(b.vector));
      const noise = Float32Array.from({ length: 48_000 * 4 }, (_, i) => Math.sin(i * 12.9898) * 0.5);
      expect(cosine(a.vector, (await embedder.embedClip(noise)).vector)).toBeLessThan(0.999);
    } finally {
      await embedder.release();
    }
    // Installed and verified: a second install does not download again.
    const before = requests.length;
    await installModel(dataDir, m);
    expect(requests.length).toBe(before);
  });

  it('rejects a file whose SHA-256 differs from the pinned one, and keeps nothing of it', async () => {
    const dataDir = path.join(dir, 'data2');
    const m = servedManifest({ sha256: 'f'.repeat(64) });
    await expect(installModel(dataDir, m)).rejects.toMatchObject({ code: 'model-missing', detail: expect.stringMatching(/SHA-256/) });
    expect(existsSync(path.join(modelDir(dataDir, m.id), m.file))).toBe(false);
    expect(existsSync(path.join(modelDir(dataDir, m.id), `${m.file}.part`))).toBe(false);
    expect(await modelState(dataDir, m)).toBe('missing');
  });

  it('answers model-missing for an installed model whose file was damaged afterwards', async () => {
    const dataDir = path.join(dir, 'data3');
    const m = servedManifest();
    const manifestPath = await installModel(dataDir, m);
    const file = path.join(modelDir(dataDir, m.id), m.file);
    const bytes = readFileSync(file);
    bytes[100] ^= 0xff;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, bytes);
    expect(await modelState(dataDir, m, true)).toBe('corrupt');
    await expect(OnnxEmbedder.load(manifestPath)).rejects.toMatchObject({ code: 'model-missing' });
  });
});
