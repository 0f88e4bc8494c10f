// Migration 0050: a full-text index over what the library search looks at (title, artist, album, the file name of
// the track's primary file, and its format), kept in step with `tracks` by triggers and filled for existing catalogs.
// Frozen once released: fix mistakes in a later migration, never here.
//
// Why triggers (and not the Catalog's write paths): every write to `tracks` (insertTrack, updateTrackFile on a move
// or rename, updateTrackMetadata on a retag, deleteTrack, and any SQL a later migration or tool runs) updates the
// index in the same statement, so the two cannot drift apart. The primary file's path is `tracks.file_path` (the
// scanner repoints it when the file moves or a duplicate takes over), so the `files` table needs no triggers.
//
// Tokenizer: unicode61 with remove_diacritics 2, so matching is case- and accent-insensitive ("beyonce" finds
// "Beyoncé", decomposed accents included). It splits on everything but letters, digits and private-use characters:
// "01 - Hey_Jude.flac" is indexed as `01 hey jude flac`. Known limits: scripts written without spaces (Chinese,
// Japanese, Thai) become one token per run of characters, so "東京" finds "東京事変" (a prefix) but "事変" does
// not (no substring match); emoji and other symbols are not indexed at all (the Catalog falls back to LIKE for a
// query made only of them); full-width Latin is not folded to ASCII.
//
// A regular FTS5 table (its own copy of the text): the file name is computed from the path, which an
// external-content table over `tracks` could not hold, and a self-contained index cannot disagree with its content.
// prefix='1 2': every search word is a prefix query, and one- and two-letter prefixes ("a", "be") would otherwise
// merge the doclists of thousands of terms; longer prefixes are cheap without a prefix index.
import type { Database } from 'better-sqlite3';

export const version = 50;

/**
 * The file name (last path component) of a path column, in SQL: rtrim strips every trailing character that is not
 * '/' or '\', leaving the directory with its separator; what follows it is the name. Both separators, so a catalog
 * written on Windows works too. A path without separators is its own name.
 */
function fileNameSql(column: string): string {
  return `substr(${column}, length(rtrim(${column}, replace(replace(${column}, '/', ''), '\\', ''))) + 1)`;
}

function indexRowSql(prefix: 'new'): string {
  return `${prefix}.num, ${prefix}.title, ${prefix}.artist, ${prefix}.album, ${fileNameSql(`${prefix}.file_path`)}, ${prefix}.format`;
}

export function up(db: Database): void {
  db.exec(`
    -- rowid = tracks.num.
    CREATE VIRTUAL TABLE tracks_fts USING fts5 (
      title, artist, album, file_name, format,
      tokenize = 'unicode61 remove_diacritics 2',
      prefix = '1 2'
    );

    INSERT INTO tracks_fts (rowid, title, artist, album, file_name, format)
      SELECT num, title, artist, album, ${fileNameSql('file_path')}, format FROM tracks;

    CREATE TRIGGER tracks_fts_after_insert AFTER INSERT ON tracks BEGIN
      INSERT INTO tracks_fts (rowid, title, artist, album, file_name, format) VALUES (${indexRowSql('new')});
    END;

    CREATE TRIGGER tracks_fts_after_delete AFTER DELETE ON tracks BEGIN
      DELETE FROM tracks_fts WHERE rowid = old.num;
    END;

    -- Only when a searched column really changed: a rescan that merely touches a file (same path, new mtime) or a
    -- fingerprint/embedding status update leaves the index alone.
    CREATE TRIGGER tracks_fts_after_update AFTER UPDATE OF num, title, artist, album, file_path, format ON tracks
    WHEN old.num IS NOT new.num OR old.title IS NOT new.title OR old.artist IS NOT new.artist
      OR old.album IS NOT new.album OR old.file_path IS NOT new.file_path OR old.format IS NOT new.format
    BEGIN
      DELETE FROM tracks_fts WHERE rowid = old.num;
      INSERT INTO tracks_fts (rowid, title, artist, album, file_name, format) VALUES (${indexRowSql('new')});
    END;
  `);
}
