// Migration 0020: every audio file a scan saw: a track's primary file, byte-identical copies, and failures.
// Frozen once released: fix mistakes in a later migration, never here.
import type { Database } from 'better-sqlite3';

export const version = 20;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE files (
      path TEXT PRIMARY KEY,
      folder_id INTEGER REFERENCES folders (id) ON DELETE CASCADE,
      track_num INTEGER REFERENCES tracks (num) ON DELETE SET NULL,
      size_bytes INTEGER NOT NULL,
      mtime_ms INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('track', 'duplicate', 'failed')),
      error_code TEXT,
      error_detail TEXT,
      seen_at TEXT NOT NULL
    );

    CREATE INDEX files_track_num ON files (track_num);
    CREATE INDEX files_folder_id ON files (folder_id);
    -- Failures are few among many files: a partial index keeps the "failed files" list cheap.
    CREATE INDEX files_failed_seen_at ON files (seen_at) WHERE status = 'failed';
  `);
}
