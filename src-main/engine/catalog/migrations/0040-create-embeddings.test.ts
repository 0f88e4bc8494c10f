import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as m0010 from './0010-create-catalog.js';
import * as m0020 from './0020-create-files.js';
import * as m0030 from './0030-create-history.js';
import * as m0040 from './0040-create-embeddings.js';

describe('migration 0040', () => {
  it('adds the embeddings table to a catalog at version 30 with tracks, and cascades track deletes', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    for (const m of [m0010, m0020, m0030]) m.up(db);
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO tracks (id, title, file_hash_sha256, file_size_bytes, file_path, file_mtime_ms, ingested_at, updated_at)
       VALUES ('t1', 'One', 'h1', 1, '/a.mp3', 0, ?, ?)`,
    ).run(now, now);
    m0040.up(db);
    const num = db.prepare(`SELECT num FROM tracks`).pluck().get() as number;
    const vec = Buffer.from(new Float32Array([1, 0, 0]).buffer);
    db.prepare(`INSERT INTO embeddings (track_num, model_id, dim, vector, created_at) VALUES (?, 'm', 3, ?, ?)`).run(num, vec, now);
    expect(() => db.prepare(`INSERT INTO embeddings (track_num, model_id, dim, vector, created_at) VALUES (?, 'm', 3, ?, ?)`).run(num, vec, now)).toThrow();
    db.prepare(`DELETE FROM tracks WHERE num = ?`).run(num);
    expect(db.prepare(`SELECT COUNT(*) FROM embeddings`).pluck().get()).toBe(0);
  });
});
