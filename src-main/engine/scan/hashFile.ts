// Streams a file through SHA-256 and returns the lowercase hex digest; memory stays flat whatever the file's size.
// Errors: AppError 'not-found', 'permission-denied', 'cancelled' (on abort); other I/O failures are rethrown as-is.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { AppError } from '../errors.js';

const READ_CHUNK_BYTES = 1 << 20;

export async function hashFile(filePath: string, signal?: AbortSignal): Promise<string> {
  if (signal?.aborted) throw new AppError('cancelled', 'hashing cancelled');
  const hash = createHash('sha256');
  const stream = createReadStream(filePath, { highWaterMark: READ_CHUNK_BYTES, signal });
  try {
    for await (const chunk of stream) hash.update(chunk as Buffer);
  } catch (err) {
    if (signal?.aborted) throw new AppError('cancelled', 'hashing cancelled', { cause: err });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AppError('not-found', filePath, { cause: err });
    if (code === 'EACCES' || code === 'EPERM') throw new AppError('permission-denied', filePath, { cause: err });
    throw err;
  } finally {
    stream.destroy();
  }
  return hash.digest('hex');
}
