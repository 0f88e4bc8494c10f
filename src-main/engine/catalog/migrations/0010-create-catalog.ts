// Migration 0010: watched folders and tracks (one row per distinct audio content, keyed by SHA-256).
// Frozen once released: fix mistakes in a later migration (0015, 0020...), never here.
import type { Database } from 'better-sqlite3';

export const version = 10;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE folders (
      id INTEGER PRIMARY KEY,
      path TEXT UNIQUE NOT NULL,
      added_at TEXT NOT NULL,
      last_scan_at TEXT
    );

    -- num: AUTOINCREMENT so a number is never reused after a delete; the landmark store is keyed by it.
    -- id: UUID v4 shown to the outside world; survives renames and moves.
    CREATE TABLE tracks (
      num INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT UNIQUE NOT NULL,
      title TEXT NOT NULL,
      artist TEXT,
      album TEXT,
      duration_seconds REAL NOT NULL DEFAULT 0,
      sample_rate INTEGER,
      channels INTEGER,
      bitrate INTEGER,
      format TEXT NOT NULL DEFAULT '',
      file_hash_sha256 TEXT UNIQUE NOT NULL,
      file_size_bytes INTEGER NOT NULL,
      file_path TEXT NOT NULL,
      file_mtime_ms INTEGER NOT NULL,
      fingerprint_status TEXT NOT NULL DEFAULT 'pending'
        CHECK (fingerprint_status IN ('pending', 'indexed', 'failed')),
      fingerprint_version INTEGER,
      landmark_count INTEGER NOT NULL DEFAULT 0,
      embedding_model TEXT,
      embedding_dim INTEGER,
      embedding_status TEXT NOT NULL DEFAULT 'none'
        CHECK (embedding_status IN ('none', 'pending', 'indexed', 'failed')),
      ingested_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    -- NOCASE so the library list (ORDER BY artist, title, num, case-insensitive) walks this index
    -- instead of sorting the table; num is the rowid, so it is the implicit last key.
    CREATE INDEX tracks_artist_title ON tracks (artist COLLATE NOCASE, title COLLATE NOCASE);
    CREATE INDEX tracks_ingested_at ON tracks (ingested_at);
    CREATE INDEX tracks_file_path ON tracks (file_path);
  `);
}
