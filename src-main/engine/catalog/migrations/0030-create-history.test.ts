// Tests migration 0030 Signal's way: a version-20 catalog with rows, migrated to 30, keeps them and gains history.
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateCatalog, readUserVersion } from '../migrate.js';

let db: Database;
beforeEach(() => {
  db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrateCatalog(db, { toVersion: 20 });
});
afterEach(() => db.close());

const NOW = '2025-01-01T00:00:00.000Z';

describe('migration 0030 (history)', () => {
  it('keeps version-20 rows and adds a history table keyed by history_key', () => {
    db.prepare(`INSERT INTO folders (id, path, added_at) VALUES (1, '/music', ?)`).run(NOW);
    db.prepare(
      `INSERT INTO tracks (id, title, file_hash_sha256, file_size_bytes, file_path, file_mtime_ms, fingerprint_status,
      landmark_count, ingested_at, updated_at) VALUES ('id-1', 'One', 'h1', 100, '/music/one.mp3', 5, 'indexed', 42, ?, ?)`,
    ).run(NOW, NOW);
    db.prepare(
      `INSERT INTO files (path, folder_id, track_num, size_bytes, mtime_ms, status, seen_at)
      VALUES ('/music/one.mp3', 1, 1, 100, 5, 'track', ?)`,
    ).run(NOW);

    migrateCatalog(db, { toVersion: 30 });
    expect(readUserVersion(db)).toBe(30);
    expect(db.prepare(`SELECT title FROM tracks`).pluck().all()).toEqual(['One']);
    expect(db.prepare(`SELECT path FROM files`).pluck().all()).toEqual(['/music/one.mp3']);

    const insert = db.prepare(`INSERT INTO history (id, history_key, at, source, clip_name, clip_seconds, mode, match_json)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    insert.run('h-1', 'listen-1', NOW, 'mic', null, 4.5, 'exact', null);
    expect(() => insert.run('h-2', 'listen-1', NOW, 'mic', null, 5, 'exact', null)).toThrow(/UNIQUE/);
    expect(() => insert.run('h-3', null, NOW, 'radio', null, 5, 'exact', null)).toThrow(/CHECK/);
    expect(() => insert.run('h-4', null, NOW, 'file', 'a.mp3', 5, 'fuzzy', null)).toThrow(/CHECK/);
    insert.run('h-5', null, NOW, 'file', 'a.mp3', 5, 'both', '{"trackId":"id-1"}');
    expect(db.prepare(`SELECT COUNT(*) FROM history`).pluck().get()).toBe(2);
  });
});
