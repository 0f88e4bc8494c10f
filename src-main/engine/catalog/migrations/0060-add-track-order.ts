// Migration 0060: what browsing the library needs: disc and track numbers and the album artist (album order, the
// Albums view), a tags_version saying which tag reader filled a row, and one index per sortable column so every
// sort of a 100,000-track table walks an index instead of sorting it.
// Frozen once released: fix mistakes in a later migration, never here.
//
// Existing rows get NULL numbers and tags_version 0: the next scan reads their tags again (hash + tags, no
// fingerprinting; see scanFolders' isSettled), which fills the new columns. Rows written by a scan after this
// migration carry the tag reader's TAGS_VERSION.
import type { Database } from 'better-sqlite3';

export const version = 60;

export function up(db: Database): void {
  db.exec(`
    ALTER TABLE tracks ADD COLUMN disc_number INTEGER;
    ALTER TABLE tracks ADD COLUMN track_number INTEGER;
    ALTER TABLE tracks ADD COLUMN album_artist TEXT;
    ALTER TABLE tracks ADD COLUMN tags_version INTEGER NOT NULL DEFAULT 0;

    -- Sort by title (then artist); by album (disc, track, title: an album plays in order); by length; by format.
    -- The artist sort has tracks_artist_title (0010); "added" has tracks_ingested_at (0010). num, the rowid, is the
    -- implicit last key of every index: the tiebreak that keeps paging stable.
    CREATE INDEX tracks_title_artist ON tracks (title COLLATE NOCASE, artist COLLATE NOCASE);
    CREATE INDEX tracks_album_order ON tracks (album COLLATE NOCASE, disc_number, track_number, title COLLATE NOCASE);
    CREATE INDEX tracks_duration ON tracks (duration_seconds);
    CREATE INDEX tracks_format ON tracks (format, artist COLLATE NOCASE, title COLLATE NOCASE);
    -- The Albums view groups by album and album artist (the track artist where no album artist is tagged), and an
    -- album's page filters by the same pair.
    CREATE INDEX tracks_album_group ON tracks (album COLLATE NOCASE, coalesce(album_artist, artist, '') COLLATE NOCASE);
  `);
}
