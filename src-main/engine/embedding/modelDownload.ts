// Downloads one model file over HTTP(S): resumable (a `.part` file continued with a Range request), throttled
// progress, cancellable, and verified (size + SHA-256) before it is renamed into place, so a file at `destPath` is
// always a complete, checked model. Any failure is AppError: 'model-missing' (bad hash, HTTP error, network),
// 'cancelled'. Runs wherever it is called (the library worker); only Node's fetch and fs.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';

export interface DownloadProgress {
  readonly receivedBytes: number;
  readonly totalBytes: number;
  /** Bytes that were already on disk from an earlier, interrupted download. */
  readonly resumedFromBytes: number;
}

export interface DownloadOptions {
  readonly url: string;
  /** Lowercase hex SHA-256 and exact size of the file. */
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly destPath: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Minimum ms between progress reports (the last one always comes). */
  readonly progressIntervalMs?: number;
}

export async function downloadModelFile(options: DownloadOptions): Promise<void> {
  const { url, sha256, sizeBytes, destPath, signal } = options;
  const part = `${destPath}.part`;
  await fsp.mkdir(path.dirname(destPath), { recursive: true });
  let have = await fsp.stat(part).then(
    (s) => s.size,
    () => 0,
  );
  if (have > sizeBytes) {
    await fsp.rm(part, { force: true });
    have = 0;
  }
  const resumedFromBytes = have;
  if (have < sizeBytes) {
    let response: Response;
    try {
      response = await fetch(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {}, signal, redirect: 'follow' });
    } catch (err) {
      if (signal?.aborted) throw new AppError('cancelled', 'the download was cancelled', { cause: err });
      throw new AppError('model-missing', `cannot download ${url}`, { cause: err });
    }
    if (response.status === 200 && have > 0)
      have = 0; // the server ignored the Range: start over
    else if (response.status !== 200 && response.status !== 206) {
      throw new AppError('model-missing', `downloading ${url} failed: HTTP ${response.status}`);
    }
    if (!response.body) throw new AppError('model-missing', `downloading ${url} gave no body`);
    const file = await fsp.open(part, have > 0 ? 'a' : 'w');
    const interval = options.progressIntervalMs ?? 200;
    let last = 0;
    const report = (force: boolean): void => {
      const now = performance.now();
      if (!options.onProgress || (!force && now - last < interval)) return;
      last = now;
      options.onProgress({ receivedBytes: have, totalBytes: sizeBytes, resumedFromBytes });
    };
    try {
      const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (have + value.byteLength > sizeBytes) throw new AppError('model-missing', `${url} is larger than the pinned ${sizeBytes} bytes`);
        await file.write(value);
        have += value.byteLength;
        report(false);
      }
    } catch (err) {
      if (signal?.aborted) throw new AppError('cancelled', 'the download was cancelled (it resumes next time)', { cause: err });
      if (err instanceof AppError) {
        await file.close();
        await fsp.rm(part, { force: true });
        throw err;
      }
      throw new AppError('model-missing', `the download of ${url} was interrupted at ${have} of ${sizeBytes} bytes (it resumes next time)`, { cause: err });
    } finally {
      await file.close().catch(() => {});
    }
    report(true);
    if (have < sizeBytes) throw new AppError('model-missing', `the download of ${url} stopped at ${have} of ${sizeBytes} bytes (it resumes next time)`);
  }
  const actual = await sha256OfFile(part);
  if (actual !== sha256) {
    await fsp.rm(part, { force: true });
    throw new AppError('model-missing', `the downloaded model's SHA-256 is ${actual}, not the pinned ${sha256}; it was deleted`);
  }
  await fsp.rename(part, destPath);
}

export function sha256OfFile(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(filePath)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
