// Migration 0040: raw embedding vectors per (track, embedder), the source the HNSW indexes are rebuilt from.
// Frozen once released: fix mistakes in a later migration, never here.
import type { Database } from 'better-sqlite3';

export const version = 40;

export function up(db: Database): void {
  db.exec(`
    -- id: replaced (new value) on every rewrite, so an index file knows which rows it already reflects.
    -- vector: the pooled, L2-normalised track vector, float32 little-endian, dim values.
    -- window_vectors: the per-window vectors (window_count x dim float32), for clip queries.
    CREATE TABLE embeddings (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      track_num INTEGER NOT NULL REFERENCES tracks(num) ON DELETE CASCADE,
      model_id TEXT NOT NULL,
      dim INTEGER NOT NULL CHECK (dim > 0),
      vector BLOB NOT NULL,
      window_count INTEGER NOT NULL DEFAULT 0,
      window_vectors BLOB,
      created_at TEXT NOT NULL,
      UNIQUE (track_num, model_id)
    );
    CREATE INDEX embeddings_model ON embeddings (model_id, id);
  `);
}
