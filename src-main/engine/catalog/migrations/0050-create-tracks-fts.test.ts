// Tests migration 0050 Signal's way: a version-40 catalog with tracks, migrated to 50, has every existing track in
// the full-text index (file name and format included), and the triggers keep it in step afterwards.
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateCatalog, readUserVersion } from '../migrate.js';

let db: Database;
beforeEach(() => {
  db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrateCatalog(db, { toVersion: 40 });
});
afterEach(() => db.close());

const NOW = '2025-01-01T00:00:00.000Z';
let seq = 0;
function insertTrack(title: string, artist: string | null, album: string | null, filePath: string, format: string): number {
  seq++;
  const info = db
    .prepare(
      `INSERT INTO tracks (id, title, artist, album, format, file_hash_sha256, file_size_bytes, file_path,
    file_mtime_ms, ingested_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, 1, ?, ?)`,
    )
    .run(`id-${seq}`, title, artist, album, format, `h${seq}`, filePath, NOW, NOW);
  return Number(info.lastInsertRowid);
}
const match = (query: string): number[] =>
  db.prepare<[string], number>(`SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH ? ORDER BY rowid`).pluck().all(query);

describe('migration 0050 (tracks_fts)', () => {
  it('indexes the tracks a version-40 catalog already has', () => {
    const help = insertTrack('Help!', 'The Beatles', 'Help!', '/music/Beatles/01 Help_Me.flac', 'flac');
    const halo = insertTrack('Halo', 'Beyoncé', null, 'C:\\Music\\Beyonce\\Halo (Live).m4a', 'm4a');
    const bare = insertTrack('Bare', null, null, 'noseparator.mp3', 'mp3');
    db.prepare(
      `INSERT INTO files (path, folder_id, track_num, size_bytes, mtime_ms, status, seen_at)
      VALUES ('/music/Beatles/01 Help_Me.flac', NULL, ?, 1, 1, 'track', ?)`,
    ).run(help, NOW);

    migrateCatalog(db, { toVersion: 50 });
    expect(readUserVersion(db)).toBe(50);

    expect(db.prepare(`SELECT rowid AS num, title, artist, album, file_name AS fileName, format FROM tracks_fts ORDER BY rowid`).all()).toEqual([
      { num: help, title: 'Help!', artist: 'The Beatles', album: 'Help!', fileName: '01 Help_Me.flac', format: 'flac' },
      { num: halo, title: 'Halo', artist: 'Beyoncé', album: null, fileName: 'Halo (Live).m4a', format: 'm4a' },
      { num: bare, title: 'Bare', artist: null, album: null, fileName: 'noseparator.mp3', format: 'mp3' },
    ]);
    expect(match('"beat"*')).toEqual([help]);
    expect(match('"help_me"*')).toEqual([help]);
    expect(match('"flac"*')).toEqual([help]);
    expect(match('"beyonce"*')).toEqual([halo]);
    expect(match('"live"*')).toEqual([halo]);
    expect(match('"music"*')).toEqual([]); // folders are not indexed
    expect(match('"noseparator"*')).toEqual([bare]);
    // Rows survived untouched.
    expect(db.prepare(`SELECT COUNT(*) FROM tracks`).pluck().get()).toBe(3);
    expect(db.prepare(`SELECT track_num FROM files`).pluck().get()).toBe(help);
    db.prepare(`INSERT INTO tracks_fts (tracks_fts) VALUES ('integrity-check')`).run();
  });

  it('keeps the index in step on insert, retag, move, touch and delete', () => {
    migrateCatalog(db, { toVersion: 50 });
    const num = insertTrack('First', 'Artist', 'Album', '/m/old-name.mp3', 'mp3');
    expect(match('"old"*')).toEqual([num]);

    db.prepare(`UPDATE tracks SET title = 'Second', format = 'ogg' WHERE num = ?`).run(num);
    expect(match('"first"*')).toEqual([]);
    expect(match('"second"* "ogg"*')).toEqual([num]);

    db.prepare(`UPDATE tracks SET file_path = '/n/new-name.ogg' WHERE num = ?`).run(num);
    expect(match('"old"*')).toEqual([]);
    expect(match('"new"*')).toEqual([num]);

    db.prepare(`UPDATE tracks SET file_mtime_ms = 5, fingerprint_status = 'indexed' WHERE num = ?`).run(num);
    expect(match('"new"*')).toEqual([num]);

    db.prepare(`DELETE FROM tracks WHERE num = ?`).run(num);
    expect(match('"new"*')).toEqual([]);
    expect(db.prepare(`SELECT COUNT(*) FROM tracks_fts`).pluck().get()).toBe(0);
    db.prepare(`INSERT INTO tracks_fts (tracks_fts) VALUES ('integrity-check')`).run();
  });
});
