// Scan step: forgetting files. A track whose file went keeps living through a byte-identical copy when one is left
// (the copy becomes its file); otherwise its landmarks and then its catalog rows go. Also the whole of a library
// root removed from the library (its files on disk are untouched). Runs on the scan's thread.
import { existsSync } from 'node:fs';
import type { FolderId } from '../../../src-preload/contract/library.js';
import type { Catalog, FileRow } from '../catalog/catalog.js';
import type { LandmarkStore } from '../landmarkStore/landmarkStore.js';
import { emptyCounts, type Counts } from './scanDecision.js';

/** A file no longer on disk (or no longer in the library): its row goes, and its track unless a copy takes over. */
export async function removeFile(catalog: Catalog, store: LandmarkStore, row: FileRow, seen: ReadonlySet<string>, counts: Counts): Promise<void> {
  if (row.status !== 'track' || row.trackNum === null) {
    catalog.deleteFile(row.path);
    return;
  }
  const num = row.trackNum;
  const heir = catalog.filesOfTrack(num).find((f) => f.path !== row.path && f.status === 'duplicate' && (seen.has(f.path) || existsSync(f.path)));
  if (heir) {
    catalog.transaction(() => {
      catalog.updateTrackFile(num, { path: heir.path, sizeBytes: heir.sizeBytes, mtimeMs: heir.mtimeMs });
      catalog.upsertFile({ ...heir, status: 'track' });
      catalog.deleteFile(row.path);
    });
    return;
  }
  // Landmarks first: if we die in between, the catalog row is still there and the next scan removes it again.
  await store.deleteTracks([num]);
  catalog.transaction(() => {
    catalog.deleteFile(row.path);
    catalog.deleteTrack(num);
  });
  counts.removed++;
}

/**
 * Forgets a library root: its files rows go, and each of its tracks is removed with its landmarks, unless a
 * byte-identical copy in another folder still exists, which then becomes the track's file. Files are untouched.
 */
export async function removeFolderFromLibrary(catalog: Catalog, store: LandmarkStore, folderId: FolderId): Promise<{ removed: number }> {
  const counts = emptyCounts();
  const rows = catalog.listFilesByFolder(folderId);
  const inFolder = new Set(rows.map((r) => r.path));
  // Copies elsewhere are "seen" (they may take over); copies inside the folder never are.
  for (const row of rows.filter((r) => r.status !== 'track')) catalog.deleteFile(row.path);
  for (const row of rows.filter((r) => r.status === 'track')) {
    const outside = row.trackNum === null ? [] : catalog.filesOfTrack(row.trackNum).filter((f) => !inFolder.has(f.path));
    await removeFile(catalog, store, row, new Set(outside.map((f) => f.path)), counts);
  }
  catalog.removeFolder(folderId);
  return { removed: counts.removed };
}
