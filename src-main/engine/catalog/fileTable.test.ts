// Tests for the catalog's files rows on a migrated ':memory:' database: upsert, lists by folder and by track,
// duplicates, failures newest first, counts by status and by folder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FolderId } from '../../../src-preload/contract/library.js';
import { fileRow, newTrack } from '../testing/catalogRows.js';
import { type Catalog, toFailedFile } from './catalog.js';
import { openCatalog } from './openCatalog.js';

let catalog: Catalog;
beforeEach(() => {
  catalog = openCatalog(':memory:');
});
afterEach(() => catalog.close());

describe('files', () => {
  it('upserts, reads, lists by folder, and deletes', () => {
    const folder = catalog.addFolder('/music');
    const t = catalog.insertTrack(newTrack({ filePath: '/music/a.mp3' }));
    catalog.upsertFile(fileRow({ path: '/music/b.mp3', folderId: folder.id, trackNum: t.num, status: 'duplicate' }));
    catalog.upsertFile(fileRow({ path: '/music/a.mp3', folderId: folder.id, trackNum: t.num, sizeBytes: 5, mtimeMs: 1.5 }));
    expect(catalog.getFile('/music/a.mp3')).toEqual(fileRow({ path: '/music/a.mp3', folderId: folder.id, trackNum: t.num, sizeBytes: 5, mtimeMs: 1.5 }));

    catalog.upsertFile(fileRow({ path: '/music/a.mp3', folderId: folder.id, trackNum: t.num, sizeBytes: 6, mtimeMs: 2 }));
    expect(catalog.getFile('/music/a.mp3')).toMatchObject({ sizeBytes: 6, mtimeMs: 2 });
    expect(catalog.listFilesByFolder(folder.id).map((f) => f.path)).toEqual(['/music/a.mp3', '/music/b.mp3']);
    expect(catalog.listFilesByFolder(999 as FolderId)).toEqual([]);

    expect(catalog.deleteFile('/music/b.mp3')).toBe(true);
    expect(catalog.deleteFile('/music/b.mp3')).toBe(false);
    expect(catalog.getFile('/music/b.mp3')).toBeUndefined();
  });

  it('lists a track’s duplicates and files; deleting the track unlinks them', () => {
    const t = catalog.insertTrack(newTrack({ filePath: '/m/orig.mp3' }));
    const other = catalog.insertTrack(newTrack());
    catalog.upsertFile(fileRow({ path: '/m/orig.mp3', trackNum: t.num, status: 'track' }));
    catalog.upsertFile(fileRow({ path: '/m/z-copy.mp3', trackNum: t.num, status: 'duplicate' }));
    catalog.upsertFile(fileRow({ path: '/m/a-copy.mp3', trackNum: t.num, status: 'duplicate' }));
    catalog.upsertFile(fileRow({ path: '/m/other.mp3', trackNum: other.num, status: 'track' }));

    expect(catalog.duplicatePathsOf(t.num)).toEqual(['/m/a-copy.mp3', '/m/z-copy.mp3']);
    expect(catalog.duplicatePathsOf(other.num)).toEqual([]);
    expect(catalog.filesOfTrack(t.num).map((f) => [f.path, f.status])).toEqual([
      ['/m/orig.mp3', 'track'],
      ['/m/a-copy.mp3', 'duplicate'],
      ['/m/z-copy.mp3', 'duplicate'],
    ]);

    catalog.deleteTrack(t.num);
    expect(catalog.getFile('/m/a-copy.mp3')?.trackNum).toBeNull();
    expect(catalog.filesOfTrack(t.num)).toEqual([]);
  });

  it('lists failed files newest first with paging, and counts by status', () => {
    catalog.upsertFile(fileRow({ path: '/m/ok.mp3', status: 'track' }));
    catalog.upsertFile(fileRow({ path: '/m/dup.mp3', status: 'duplicate' }));
    catalog.upsertFile(
      fileRow({ path: '/m/old.wav', status: 'failed', errorCode: 'decode-failed', errorDetail: 'bad header', seenAt: '2025-01-01T00:00:00.000Z' }),
    );
    catalog.upsertFile(fileRow({ path: '/m/new.xyz', status: 'failed', errorCode: 'unsupported-format', seenAt: '2025-02-01T00:00:00.000Z' }));
    catalog.upsertFile(fileRow({ path: '/m/mid.ogg', status: 'failed', errorCode: 'permission-denied', seenAt: '2025-01-15T00:00:00.000Z' }));

    expect(catalog.listFailedFiles(10, 0).map((f) => f.path)).toEqual(['/m/new.xyz', '/m/mid.ogg', '/m/old.wav']);
    expect(catalog.listFailedFiles(1, 1).map((f) => f.path)).toEqual(['/m/mid.ogg']);
    expect(catalog.countFilesByStatus()).toEqual({ track: 1, duplicate: 1, failed: 3 });

    const old = catalog.getFile('/m/old.wav')!;
    expect(toFailedFile(old)).toEqual({ path: '/m/old.wav', error: { code: 'decode-failed', detail: 'bad header' }, at: '2025-01-01T00:00:00.000Z' });
    expect(toFailedFile(catalog.getFile('/m/new.xyz')!).error).toEqual({ code: 'unsupported-format' });

    // A file that later succeeds stops being listed as failed.
    catalog.upsertFile(fileRow({ path: '/m/old.wav', status: 'track' }));
    expect(catalog.countFilesByStatus()).toEqual({ track: 2, duplicate: 1, failed: 2 });
  });

  it('counts the tracks of each folder (its primary files, not duplicates or failures)', () => {
    const a = catalog.addFolder('/a');
    const b = catalog.addFolder('/b');
    catalog.addFolder('/empty');
    const t1 = catalog.insertTrack(newTrack());
    const t2 = catalog.insertTrack(newTrack());
    catalog.upsertFile(fileRow({ path: '/a/1.mp3', folderId: a.id, trackNum: t1.num }));
    catalog.upsertFile(fileRow({ path: '/a/2.mp3', folderId: a.id, trackNum: t2.num }));
    catalog.upsertFile(fileRow({ path: '/a/copy.mp3', folderId: a.id, trackNum: t1.num, status: 'duplicate' }));
    catalog.upsertFile(fileRow({ path: '/a/bad.mp3', folderId: a.id, status: 'failed', errorCode: 'decode-failed' }));
    catalog.upsertFile(fileRow({ path: '/b/copy.mp3', folderId: b.id, trackNum: t2.num, status: 'duplicate' }));
    catalog.upsertFile(fileRow({ path: '/loose.mp3', trackNum: t1.num })); // outside any folder
    expect(catalog.countTracksByFolder()).toEqual(new Map([[a.id, 2]]));
  });
});
