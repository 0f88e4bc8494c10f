// Tests for hashFile: equals node:crypto over the bytes (empty, small, multi-chunk), and its error codes.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { hashFile } from './hashFile.js';

let dir = '';
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hash-file-'));
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('hashFile', () => {
  for (const size of [0, 1, 1000, 3 * 1024 * 1024 + 7]) {
    it(`matches crypto's SHA-256 for ${size} bytes`, async () => {
      const bytes = randomBytes(size);
      const filePath = path.join(dir, `f${size}.bin`);
      await fsp.writeFile(filePath, bytes);
      expect(await hashFile(filePath)).toBe(createHash('sha256').update(bytes).digest('hex'));
    });
  }

  it('hashes the empty file to the well-known digest', async () => {
    await fsp.writeFile(path.join(dir, 'empty'), '');
    expect(await hashFile(path.join(dir, 'empty'))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('throws not-found for a missing file', async () => {
    const err = await hashFile(path.join(dir, 'missing')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('not-found');
  });

  it('throws permission-denied for an unreadable file (readable anyway when running as root)', async () => {
    const filePath = path.join(dir, 'locked.bin');
    await fsp.writeFile(filePath, 'secret');
    await fsp.chmod(filePath, 0o000);
    const bypass = await fsp.readFile(filePath).then(
      () => true,
      () => false,
    );
    const result = await hashFile(filePath).catch((e: unknown) => e);
    if (bypass) expect(result).toBe(createHash('sha256').update('secret').digest('hex'));
    else expect((result as AppError).code).toBe('permission-denied');
  });

  it('throws cancelled when aborted before or during the read', async () => {
    const filePath = path.join(dir, 'big.bin');
    await fsp.writeFile(filePath, randomBytes(8 * 1024 * 1024));
    const before = new AbortController();
    before.abort();
    expect(((await hashFile(filePath, before.signal).catch((e: unknown) => e)) as AppError).code).toBe('cancelled');
    const during = new AbortController();
    const promise = hashFile(filePath, during.signal);
    setImmediate(() => during.abort());
    expect(((await promise.catch((e: unknown) => e)) as AppError).code).toBe('cancelled');
  });
});
