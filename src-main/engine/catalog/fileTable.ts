// The files table (migration 0020): every file a scan looked at, by path, with what it turned out to be (a track, a
// byte-identical duplicate of one, or a failure and why). Statements prepared once on the catalog's connection.
import type { Database, Statement } from 'better-sqlite3';
import type { FolderId } from '../../../src-preload/contract/library.js';
import { FILE_COLUMNS, type FileRow, type FileStatus } from './catalogRows.js';

export class FileTable {
  private readonly stmt: {
    upsert: Statement<Record<string, unknown>>;
    get: Statement<[string], FileRow>;
    delete: Statement<[string]>;
    listByFolder: Statement<[number], FileRow>;
    listFailed: Statement<[number, number], FileRow>;
    countByStatus: Statement<[], { status: FileStatus; count: number }>;
    countTracksByFolder: Statement<[], { folderId: FolderId; count: number }>;
    duplicatePathsOf: Statement<[number], string>;
    filesOfTrack: Statement<[number], FileRow>;
  };

  constructor(db: Database) {
    this.stmt = {
      upsert: db.prepare(`
        INSERT INTO files (path, folder_id, track_num, size_bytes, mtime_ms, status, error_code, error_detail, seen_at)
        VALUES (@path, @folderId, @trackNum, @sizeBytes, @mtimeMs, @status, @errorCode, @errorDetail, @seenAt)
        ON CONFLICT (path) DO UPDATE SET folder_id = excluded.folder_id, track_num = excluded.track_num,
          size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, status = excluded.status,
          error_code = excluded.error_code, error_detail = excluded.error_detail, seen_at = excluded.seen_at`),
      get: db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE path = ?`),
      delete: db.prepare(`DELETE FROM files WHERE path = ?`),
      listByFolder: db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE folder_id = ? ORDER BY path`),
      listFailed: db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE status = 'failed' ORDER BY seen_at DESC, path LIMIT ? OFFSET ?`),
      countByStatus: db.prepare(`SELECT status, COUNT(*) AS count FROM files GROUP BY status`),
      countTracksByFolder: db.prepare(
        `SELECT folder_id AS folderId, COUNT(*) AS count FROM files WHERE status = 'track' AND folder_id IS NOT NULL GROUP BY folder_id`,
      ),
      duplicatePathsOf: db.prepare<[number], string>(`SELECT path FROM files WHERE track_num = ? AND status = 'duplicate' ORDER BY path`).pluck(),
      filesOfTrack: db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE track_num = ? ORDER BY status DESC, path`),
    };
  }

  /** Inserts or replaces the row for row.path. */
  upsert(row: FileRow): void {
    this.stmt.upsert.run({ ...row });
  }

  get(filePath: string): FileRow | undefined {
    return this.stmt.get.get(filePath);
  }

  delete(filePath: string): boolean {
    return this.stmt.delete.run(filePath).changes > 0;
  }

  /** Every file a scan saw under the folder, by path. */
  listByFolder(folderId: FolderId): FileRow[] {
    return this.stmt.listByFolder.all(folderId);
  }

  /** Failed files, most recently seen first. */
  listFailed(limit: number, offset = 0): FileRow[] {
    return this.stmt.listFailed.all(limit, offset);
  }

  countByStatus(): Record<FileStatus, number> {
    const counts: Record<FileStatus, number> = { track: 0, duplicate: 0, failed: 0 };
    for (const { status, count } of this.stmt.countByStatus.all()) counts[status] = count;
    return counts;
  }

  /** How many tracks each folder holds (its files with status 'track'); a folder without one is absent. */
  countTracksByFolder(): Map<FolderId, number> {
    return new Map(this.stmt.countTracksByFolder.all().map((r) => [r.folderId, r.count]));
  }

  /** Paths of byte-identical copies of the track (not its primary file), sorted. */
  duplicatePathsOf(trackNum: number): string[] {
    return this.stmt.duplicatePathsOf.all(trackNum);
  }

  /** All files rows pointing at the track: the primary ('track') first, then duplicates, each by path. */
  filesOfTrack(trackNum: number): FileRow[] {
    return this.stmt.filesOfTrack.all(trackNum);
  }
}
