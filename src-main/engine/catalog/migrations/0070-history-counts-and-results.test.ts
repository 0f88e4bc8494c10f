// Tests migration 0070 Signal's way: a version-50 catalog with history rows, migrated to 70, keeps them with a count
// of 1, a first time equal to their time, the matched track's file name where the track is still there, and one
// entry at most per clip hash.
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

const NOW = '2025-01-01T00:00:00.000Z';

describe('migration 0070 (history counts, results, clip hashes)', () => {
  it('keeps version-50 history rows and fills the new columns', () => {
    db.prepare(
      `INSERT INTO tracks (id, title, file_hash_sha256, file_size_bytes, file_path, file_mtime_ms, ingested_at, updated_at)
      VALUES ('t-1', 'One', 'h1', 100, '/music/Band/01 One.flac', 5, ?, ?)`,
    ).run(NOW, NOW);
    db.prepare(
      `INSERT INTO tracks (id, title, file_hash_sha256, file_size_bytes, file_path, file_mtime_ms, ingested_at, updated_at)
      VALUES ('t-2', 'Two', 'h2', 100, 'C:\\Music\\Two.mp3', 5, ?, ?)`,
    ).run(NOW, NOW);
    const insert = db.prepare(`INSERT INTO history (id, history_key, at, source, clip_name, clip_seconds, mode, match_json)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    insert.run('h-exact', 'k1', NOW, 'file', 'a.wav', 5, 'exact', '{"trackId":"t-1","title":"One"}');
    insert.run('h-vibe', 'k2', NOW, 'mic', null, 6, 'vibe', '{"soundsLike":{"trackId":"t-2","title":"Two"}}');
    insert.run('h-gone', 'k3', NOW, 'mic', null, 6, 'exact', '{"trackId":"t-deleted","title":"Gone"}');
    insert.run('h-none', 'k4', NOW, 'mic', null, 6, 'exact', null);

    migrateCatalog(db, { toVersion: 70 });
    expect(readUserVersion(db)).toBe(70);
    const rows = db
      .prepare(
        `SELECT id, first_at AS firstAt, seen_count AS count, clip_sha256 AS hash, result_json AS result,
      track_file_name AS fileName FROM history ORDER BY id`,
      )
      .all();
    expect(rows).toEqual([
      { id: 'h-exact', firstAt: NOW, count: 1, hash: null, result: null, fileName: '01 One.flac' },
      { id: 'h-gone', firstAt: NOW, count: 1, hash: null, result: null, fileName: null },
      { id: 'h-none', firstAt: NOW, count: 1, hash: null, result: null, fileName: null },
      { id: 'h-vibe', firstAt: NOW, count: 1, hash: null, result: null, fileName: 'Two.mp3' },
    ]);
  });

  it('allows one entry per clip hash, any number without one, and no count below 1', () => {
    migrateCatalog(db, { toVersion: 70 });
    const insert = db.prepare(`INSERT INTO history (id, at, source, clip_name, clip_seconds, mode, clip_sha256, seen_count)
      VALUES (?, ?, 'file', 'a.wav', 5, 'exact', ?, ?)`);
    insert.run('a', NOW, 'abc', 1);
    expect(() => insert.run('b', NOW, 'abc', 1)).toThrow(/UNIQUE/);
    insert.run('c', NOW, null, 1);
    insert.run('d', NOW, null, 1);
    expect(() => insert.run('e', NOW, 'def', 0)).toThrow(/CHECK/);
    expect(db.prepare(`SELECT COUNT(*) FROM history`).pluck().get()).toBe(3);
  });
});
