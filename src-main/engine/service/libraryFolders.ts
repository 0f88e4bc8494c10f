// The library folders as the page sees them: checking a folder the user adds (it exists, is a folder, and neither
// holds nor sits inside another library folder; "~" is the home folder) and the summary of each. Reads the file
// system and the catalog; the service's thread.
import { existsSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FolderSummary } from '../../../src-preload/contract/api.js';
import type { Catalog } from '../catalog/catalog.js';
import { AppError } from '../errors.js';

/** The absolute path of a folder the user asks to add, or the AppError that says why it cannot be added. */
export async function checkNewFolder(catalog: Catalog, folderPath: string): Promise<string> {
  const absolute = path.resolve(expandHome(folderPath));
  let stat;
  try {
    stat = await fsp.stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new AppError('permission-denied', `cannot read ${absolute}`, { cause: error });
    throw new AppError('folder-not-found', `there is no folder at ${absolute}`, { cause: error });
  }
  if (!stat.isDirectory()) throw new AppError('folder-not-found', `${absolute} is a file, not a folder`);
  for (const other of catalog.listFolders()) {
    if (other.path === absolute) continue;
    if (isInside(absolute, other.path)) throw new AppError('invalid-argument', `${absolute} is already inside the library folder ${other.path}`);
    if (isInside(other.path, absolute)) {
      throw new AppError('invalid-argument', `the library folder ${other.path} is inside ${absolute}; remove it first, then add ${absolute}`);
    }
  }
  return absolute;
}

/** Every library folder: whether it is there now, and how many tracks it holds. */
export function folderSummaries(catalog: Catalog): FolderSummary[] {
  const counts = catalog.countTracksByFolder();
  return catalog.listFolders().map((f) => ({
    id: f.id,
    path: f.path,
    exists: existsSync(f.path),
    trackCount: counts.get(f.id) ?? 0,
    lastScannedAt: f.lastScanAt,
  }));
}

/** "~" and "~/x" name the user's home folder (the page cannot know it, so the engine expands it). */
export function expandHome(folderPath: string): string {
  if (folderPath === '~') return os.homedir();
  if (folderPath.startsWith('~/') || folderPath.startsWith('~\\')) return path.join(os.homedir(), folderPath.slice(2));
  return folderPath;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
