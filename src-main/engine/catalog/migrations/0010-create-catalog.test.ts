// Tests migration 0010 Signal's way: start from the previous version (an empty file), migrate, and check
// the new tables accept and constrain rows as the catalog expects.
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateCatalog, readUserVersion } from '../migrate.js';

let db: Database;
beforeEach(() => {
  db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
});
afterEach(() => db.close());

const NOW = '2025-01-01T00:00:00.000Z';
function insertTrack(d: Database, id: string, hash: string, extra: Record<string, unknown> = {}): number {
  const row = {
    id,
    title: 't',
    file_hash_sha256: hash,
    file_size_bytes: 1,
    file_path: `/m/${id}.mp3`,
    file_mtime_ms: 1,
    ingested_at: NOW,
    updated_at: NOW,
    ...extra,
  };
  const cols = Object.keys(row);
  const info = d.prepare(`INSERT INTO tracks (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`).run(row);
  return Number(info.lastInsertRowid);
}

describe('migration 0010 (folders + tracks)', () => {
  it('creates folders and tracks from version 0', () => {
    expect(readUserVersion(db)).toBe(0);
    migrateCatalog(db, { toVersion: 10 });
    expect(readUserVersion(db)).toBe(10);

    db.prepare(`INSERT INTO folders (path, added_at) VALUES ('/music', ?)`).run(NOW);
    expect(() => db.prepare(`INSERT INTO folders (path, added_at) VALUES ('/music', ?)`).run(NOW)).toThrow(/UNIQUE/);

    const num = insertTrack(db, 'a', 'h1');
    const row = db.prepare(`SELECT * FROM tracks WHERE num = ?`).get(num) as Record<string, unknown>;
    expect(row).toMatchObject({
      duration_seconds: 0,
      format: '',
      fingerprint_status: 'pending',
      landmark_count: 0,
      embedding_status: 'none',
    });
  });

  it('enforces unique hashes and ids and the status CHECKs', () => {
    migrateCatalog(db, { toVersion: 10 });
    insertTrack(db, 'a', 'h1');
    expect(() => insertTrack(db, 'b', 'h1')).toThrow(/UNIQUE/);
    expect(() => insertTrack(db, 'a', 'h2')).toThrow(/UNIQUE/);
    expect(() => insertTrack(db, 'c', 'h3', { fingerprint_status: 'done' })).toThrow(/CHECK/);
    expect(() => insertTrack(db, 'd', 'h4', { embedding_status: 'maybe' })).toThrow(/CHECK/);
  });

  it('never reuses a track number (AUTOINCREMENT)', () => {
    migrateCatalog(db, { toVersion: 10 });
    insertTrack(db, 'a', 'h1');
    const last = insertTrack(db, 'b', 'h2');
    db.prepare('DELETE FROM tracks WHERE num = ?').run(last);
    expect(insertTrack(db, 'c', 'h3')).toBe(last + 1);
  });

  it('creates the listing indexes', () => {
    migrateCatalog(db, { toVersion: 10 });
    const indexes = db
      .prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tracks' AND sql IS NOT NULL ORDER BY name`)
      .pluck()
      .all();
    expect(indexes).toEqual(['tracks_artist_title', 'tracks_file_path', 'tracks_ingested_at']);
  });
});
