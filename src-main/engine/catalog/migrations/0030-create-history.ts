// Migration 0030: the identification history (what the user listened to or dropped, and what it was).
// Frozen once released: fix mistakes in a later migration, never here.
import type { Database } from 'better-sqlite3';

export const version = 30;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE history (
      id TEXT PRIMARY KEY,
      -- One Listen asks many times on its growing clip; all of them update the row with its key.
      history_key TEXT UNIQUE,
      at TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('mic', 'file')),
      clip_name TEXT,
      clip_seconds REAL NOT NULL,
      mode TEXT NOT NULL CHECK (mode IN ('exact', 'vibe', 'both')),
      -- The best match as it was then (JSON: trackId, title, artist, album, offsetSeconds, confidence), or NULL.
      match_json TEXT
    );
    CREATE INDEX history_at ON history (at);
  `);
}
