// Temporary files in the data folder's tmp/ (uploads of long recordings, written whole or streamed, then read by
// ffmpeg): on the same disk as the library, never in a shared /tmp. Each user deletes its own file when done; what a
// crash left behind is deleted by the next LibraryService that opens the folder (it holds the writer lock).
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

export const TEMP_PREFIX = 'upload-';

export function tempDir(dataDir: string): string {
  return path.join(dataDir, 'tmp');
}

/** A fresh path in dataDir/tmp (created, mode 0700), keeping a short extension of `fileName` for ffmpeg's probe. */
export async function newTempPath(dataDir: string, fileName: string): Promise<string> {
  const dir = tempDir(dataDir);
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1]?.toLowerCase();
  return path.join(dir, `${TEMP_PREFIX}${randomUUID()}${ext ? `.${ext}` : ''}`);
}

/** Deletes a temporary file; a file already gone is fine. */
export async function removeTempFile(filePath: string): Promise<void> {
  await fsp.rm(filePath, { force: true });
}

/**
 * Deletes the upload files a crashed run left in dataDir/tmp: those untouched for `olderThanMs` (default an hour, so
 * an upload still streaming in, or being listed by a library worker that was just restarted, is left alone).
 */
export async function clearTempFiles(dataDir: string, olderThanMs = 3_600_000, nowMs = Date.now()): Promise<void> {
  const dir = tempDir(dataDir);
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => n.startsWith(TEMP_PREFIX))
      .map(async (n) => {
        const file = path.join(dir, n);
        const stat = await fsp.stat(file).catch(() => null);
        if (stat && nowMs - stat.mtimeMs >= olderThanMs) await fsp.rm(file, { force: true }).catch(() => undefined);
      }),
  );
}
