// The one check both media doors (the browser host's /media and Electron's media://) make before serving a track's
// file: the catalog's path is only a hint, since the file may have been replaced (by a symlink to /etc/hostname, a
// FIFO, a directory) after it was indexed. Serves only a regular file whose real path lies inside the real path of
// one of the library's folders, and opens it without following links or blocking, so what is checked is what is read.
import { constants, promises as fsp, type Stats } from 'node:fs';
import path from 'node:path';

export interface OpenedMediaFile {
  /** The open file: the caller streams from it (handle.createReadStream closes it) or closes it. */
  readonly handle: fsp.FileHandle;
  /** The resolved path (no symlinks), inside a library folder. */
  readonly realPath: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
}

export type MediaFileRefusal = 'missing' | 'outside-library' | 'not-a-file';

export type MediaFileResult = { readonly ok: true; readonly file: OpenedMediaFile } | { readonly ok: false; readonly reason: MediaFileRefusal };

// O_NOFOLLOW: the last component must not be a link (it was just resolved); O_NONBLOCK: a FIFO swapped in between
// the check and the open must not hang the door. Both are 0 where the platform lacks them (Windows).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** True when `child` is `parent` itself or lies below it (both absolute and resolved). */
export function isPathInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** A catalog path we will even look at: absolute, with no `.`/`..` segments (those are never written by a scan). */
function isCleanAbsolute(filePath: string): boolean {
  if (!path.isAbsolute(filePath) || filePath.includes('\0')) return false;
  return !filePath.split(/[\\/]+/).some((segment) => segment === '..' || segment === '.');
}

async function realFolders(folderPaths: readonly string[]): Promise<string[]> {
  const resolved = await Promise.all(folderPaths.map((folder) => fsp.realpath(folder).catch(() => null)));
  return resolved.filter((folder): folder is string => folder !== null);
}

/**
 * Opens a track's file for serving if, and only if, it is a regular file whose real path is inside one of
 * `libraryFolders` (each resolved with realpath too). Never throws for a bad file; the caller owns the handle.
 */
export async function openMediaFile(filePath: string, libraryFolders: readonly string[]): Promise<MediaFileResult> {
  if (!isCleanAbsolute(filePath)) return { ok: false, reason: 'outside-library' };
  let realPath: string;
  try {
    realPath = await fsp.realpath(filePath);
  } catch {
    return { ok: false, reason: 'missing' };
  }
  const folders = await realFolders(libraryFolders);
  if (!folders.some((folder) => isPathInside(realPath, folder))) return { ok: false, reason: 'outside-library' };
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(realPath, OPEN_FLAGS);
  } catch {
    return { ok: false, reason: 'missing' };
  }
  let stat: Stats;
  try {
    stat = await handle.stat();
  } catch {
    await handle.close().catch(() => undefined);
    return { ok: false, reason: 'missing' };
  }
  if (!stat.isFile()) {
    await handle.close().catch(() => undefined);
    return { ok: false, reason: 'not-a-file' };
  }
  return { ok: true, file: { handle, realPath, sizeBytes: stat.size, mtimeMs: stat.mtimeMs } };
}
