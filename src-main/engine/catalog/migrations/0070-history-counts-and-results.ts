// Migration 0070: History you can use. An entry now keeps the whole result it showed (to reopen it), a count and
// the first time it was seen (the same file dropped again bumps its entry instead of adding one), the SHA-256 of a
// dropped clip's bytes (how "the same file" is recognised) and the matched track's file name (to search by it).
// Numbered 0070, not 0060, to leave 0060 to work on the tracks table running beside this one.
// Frozen once released: fix mistakes in a later migration, never here.
//
// Why the bytes' hash and not path + size + mtime: a dropped file reaches the engine as bytes through every door
// (the page's drop and file picker, the browser host, the HTTP API); the browser never learns a file's path, and
// Electron only through a deprecated API. The hash names the content itself, so the same clip copied, renamed or
// downloaded again is still the same entry, and a clip edited in place (same path, new bytes) is a new one. Hashing
// is cheap beside decoding: a clip is at most 100 MB, and SHA-256 runs at several hundred MB/s.
import type { Database } from 'better-sqlite3';

export const version = 70;

/** The file name (last path component) of a path column, in SQL; '/' and '\' both separate (as in migration 0050). */
function fileNameSql(column: string): string {
  return `substr(${column}, length(rtrim(${column}, replace(replace(${column}, '/', ''), '\\', ''))) + 1)`;
}

export function up(db: Database): void {
  db.exec(`
    -- When the entry was first recorded; at stays the latest time. NULL only until the backfill below.
    ALTER TABLE history ADD COLUMN first_at TEXT;
    UPDATE history SET first_at = at;

    -- How many times this clip was identified (the same bytes dropped again); 1 for every Listen.
    ALTER TABLE history ADD COLUMN seen_count INTEGER NOT NULL DEFAULT 1 CHECK (seen_count >= 1);

    -- Hex SHA-256 of a dropped clip's bytes; NULL for the microphone (and for entries older than this migration).
    ALTER TABLE history ADD COLUMN clip_sha256 TEXT;
    CREATE UNIQUE INDEX history_clip_sha256 ON history (clip_sha256) WHERE clip_sha256 IS NOT NULL;

    -- The IdentifyResult as it was shown (JSON); NULL for entries older than this migration.
    ALTER TABLE history ADD COLUMN result_json TEXT;

    -- The matched (or sounds-like) track's file name then. Older entries get it from the catalog where the track is
    -- still there.
    ALTER TABLE history ADD COLUMN track_file_name TEXT;
    UPDATE history SET track_file_name = (
      SELECT ${fileNameSql('t.file_path')} FROM tracks t
      WHERE t.id = coalesce(json_extract(history.match_json, '$.trackId'), json_extract(history.match_json, '$.soundsLike.trackId'))
    ) WHERE match_json IS NOT NULL;
  `);
}
