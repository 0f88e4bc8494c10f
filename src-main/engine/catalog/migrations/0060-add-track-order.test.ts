// Tests migration 0060 Signal's way: a version-50 catalog with tracks, migrated to 60, keeps every row, with disc
// and track numbers unknown and tags_version 0 (so the next scan reads their tags again), and gains one index per sort.
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateCatalog, readUserVersion } from '../migrate.js';

let db: Database;
beforeEach(() => {
  db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrateCatalog(db, { toVersion: 50 });
});
afterEach(() => db.close());

describe('migration 0060 (disc/track numbers, album artist, sort indexes)', () => {
  it('keeps existing tracks, marks their tags as read by no current reader, and adds the sort indexes', () => {
    db.prepare(
      `INSERT INTO tracks (id, title, artist, album, format, file_hash_sha256, file_size_bytes, file_path,
      file_mtime_ms, ingested_at, updated_at) VALUES ('a', 'Help!', 'The Beatles', 'Help!', 'flac', 'h1', 1, '/m/help.flac', 1, 'now', 'now')`,
    ).run();
    migrateCatalog(db, { toVersion: 60 });
    expect(readUserVersion(db)).toBe(60);
    expect(db.prepare(`SELECT title, album, disc_number, track_number, album_artist, tags_version FROM tracks`).all()).toEqual([
      { title: 'Help!', album: 'Help!', disc_number: null, track_number: null, album_artist: null, tags_version: 0 },
    ]);
    const indexes = db
      .prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tracks' AND sql IS NOT NULL ORDER BY name`)
      .pluck()
      .all();
    expect(indexes).toEqual(expect.arrayContaining(['tracks_album_group', 'tracks_album_order', 'tracks_duration', 'tracks_format', 'tracks_title_artist']));
    // The full-text triggers of 0050 still fire on the altered table.
    db.prepare(`UPDATE tracks SET title = 'Yesterday', track_number = 13 WHERE id = 'a'`).run();
    expect(db.prepare(`SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH '"yester"*'`).pluck().all()).toHaveLength(1);
  });
});
