// Which paths the engine will open as audio: regular files only. Opening a FIFO blocks until a writer comes (for
// ever), a device streams without end, a folder named `x.mp3` is not audio. Async fs only; no other state.
import { promises as fsp, type Stats } from 'node:fs';
import { AppError, fileSystemError } from '../errors.js';

/**
 * Stats `filePath` and accepts only a regular file: a FIFO, socket, device or folder (even one named `x.wav`) would
 * block a reader for ever or be nonsense, so it is refused with unsupported-format "not a regular file". fs errors
 * become not-found / permission-denied (fileSystemError). Follows symlinks.
 */
export async function statRegularFile(filePath: string): Promise<Stats> {
  let stats: Stats;
  try {
    stats = await fsp.stat(filePath);
  } catch (err) {
    throw fileSystemError(err, filePath);
  }
  if (!stats.isFile()) {
    const kind = stats.isDirectory()
      ? 'a folder'
      : stats.isFIFO()
        ? 'a FIFO'
        : stats.isSocket()
          ? 'a socket'
          : stats.isCharacterDevice() || stats.isBlockDevice()
            ? 'a device'
            : 'not a file';
    throw new AppError('unsupported-format', `not a regular file (${kind}): ${filePath}`);
  }
  return stats;
}
