// Tests migration 0020 Signal's way: build the catalog at version 10, fill it, migrate to 20, and check the
// old rows survived and the new files table works with its foreign keys.
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateCatalog, readUserVersion } from '../migrate.js';

let db: Database;
beforeEach(() => {
  db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrateCatalog(db, { toVersion: 10 });
});
afterEach(() => db.close());

const NOW = '2025-01-01T00:00:00.000Z';

function seedVersion10(d: Database): void {
  d.prepare(`INSERT INTO folders (id, path, added_at) VALUES (1, '/music', ?)`).run(NOW);
  const insert = d.prepare(`INSERT INTO tracks (id, title, artist, file_hash_sha256, file_size_bytes, file_path,
    file_mtime_ms, fingerprint_status, landmark_count, ingested_at, updated_at)
    VALUES (?, ?, ?, ?, 100, ?, 5, 'indexed', 42, ?, ?)`);
  insert.run('id-1', 'One', 'A', 'h1', '/music/one.mp3', NOW, NOW);
  insert.run('id-2', 'Two', null, 'h2', '/music/two.flac', NOW, NOW);
}

describe('migration 0020 (files)', () => {
  it('keeps version-10 rows and adds a working files table', () => {
    seedVersion10(db);
    migrateCatalog(db, { toVersion: 20 });
    expect(readUserVersion(db)).toBe(20);

    const tracks = db.prepare(`SELECT num, id, title, artist, landmark_count FROM tracks ORDER BY num`).all();
    expect(tracks).toEqual([
      { num: 1, id: 'id-1', title: 'One', artist: 'A', landmark_count: 42 },
      { num: 2, id: 'id-2', title: 'Two', artist: null, landmark_count: 42 },
    ]);
    expect(db.prepare(`SELECT path FROM folders`).pluck().all()).toEqual(['/music']);

    const insertFile = db.prepare(`INSERT INTO files (path, folder_id, track_num, size_bytes, mtime_ms, status, seen_at)
      VALUES (?, ?, ?, 100, 5, ?, ?)`);
    insertFile.run('/music/one.mp3', 1, 1, 'track', NOW);
    insertFile.run('/music/copy/one.mp3', 1, 1, 'duplicate', NOW);
    insertFile.run('/music/two.flac', 1, 2, 'track', NOW);
    expect(() => insertFile.run('/music/x.mp3', 1, null, 'weird', NOW)).toThrow(/CHECK/);
    expect(() => insertFile.run('/music/y.mp3', 99, null, 'failed', NOW)).toThrow(/FOREIGN KEY/);

    // Deleting a track keeps its files rows, unlinked; deleting a folder removes its files rows.
    db.prepare(`DELETE FROM tracks WHERE num = 1`).run();
    expect(db.prepare(`SELECT track_num FROM files WHERE path = '/music/one.mp3'`).pluck().get()).toBeNull();
    db.prepare(`DELETE FROM folders WHERE id = 1`).run();
    expect(db.prepare(`SELECT COUNT(*) FROM files`).pluck().get()).toBe(0);
  });

  it('creates the files indexes', () => {
    migrateCatalog(db, { toVersion: 20 });
    const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'files' AND sql IS NOT NULL ORDER BY name`).pluck().all();
    expect(indexes).toEqual(['files_failed_seen_at', 'files_folder_id', 'files_track_num']);
  });
});
