// The catalog's embeddings table (migration 0040): raw vectors per (track, embedder), the source of truth the HNSW
// indexes are rebuilt from. Runs on the catalog writer's connection.
import type { Database, Statement } from 'better-sqlite3';

/** One track's vectors from one embedder, as the vibe lane computes them (embedding/onnxEmbedder.ts's TrackEmbedding). */
export interface EmbeddingInput {
  readonly modelId: string;
  readonly dim: number;
  /** Pooled, L2-normalised. */
  readonly vector: Float32Array;
  readonly windowCount: number;
  /** windowCount x dim, each row L2-normalised. */
  readonly windowVectors: Float32Array;
}

export interface StoredEmbedding {
  /** Generation: changes whenever the row is rewritten. */
  readonly id: number;
  readonly trackNum: number;
  readonly dim: number;
  readonly vector: Float32Array;
  readonly windowCount: number;
  /** windowCount x dim. */
  readonly windowVectors: Float32Array;
}

interface Row {
  id: number;
  trackNum: number;
  dim: number;
  vector: Buffer;
  windowCount: number;
  windowVectors: Buffer | null;
}

const COLUMNS = `id, track_num AS trackNum, dim, vector, window_count AS windowCount, window_vectors AS windowVectors`;

export class EmbeddingTable {
  private readonly put: Statement;
  private readonly del: Statement<[number, string]>;
  private readonly byModel: Statement<[string]>;
  private readonly one: Statement<[number, string]>;
  private readonly count: Statement<[string], number>;

  constructor(private readonly db: Database) {
    this.put = db.prepare(`
      INSERT INTO embeddings (track_num, model_id, dim, vector, window_count, window_vectors, created_at)
      VALUES (@trackNum, @modelId, @dim, @vector, @windowCount, @windowVectors, @now)`);
    this.del = db.prepare(`DELETE FROM embeddings WHERE track_num = ? AND model_id = ?`);
    this.byModel = db.prepare(`SELECT ${COLUMNS} FROM embeddings WHERE model_id = ? ORDER BY id`);
    this.one = db.prepare(`SELECT ${COLUMNS} FROM embeddings WHERE track_num = ? AND model_id = ?`);
    this.count = db.prepare<[string], number>(`SELECT COUNT(*) FROM embeddings WHERE model_id = ?`).pluck();
  }

  /** Replaces the track's row for e.modelId (delete + insert, so the row gets a new, higher id). */
  write(trackNum: number, e: EmbeddingInput): void {
    this.del.run(trackNum, e.modelId);
    this.put.run({
      trackNum,
      modelId: e.modelId,
      dim: e.dim,
      vector: toBlob(e.vector),
      windowCount: e.windowCount,
      windowVectors: toBlob(e.windowVectors),
      now: new Date().toISOString(),
    });
  }

  delete(trackNum: number, modelId: string): void {
    this.del.run(trackNum, modelId);
  }

  get(trackNum: number, modelId: string): StoredEmbedding | undefined {
    const row = this.one.get(trackNum, modelId) as Row | undefined;
    return row && fromRow(row);
  }

  countFor(modelId: string): number {
    return this.count.get(modelId) ?? 0;
  }

  /** Every stored embedding of a model, oldest generation first (streamed). */
  *iterate(modelId: string): Generator<StoredEmbedding> {
    for (const row of this.byModel.iterate(modelId) as Iterable<Row>) yield fromRow(row);
  }
}

function toBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

function fromBlob(b: Buffer | null): Float32Array {
  if (!b) return new Float32Array(0);
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}

function fromRow(r: Row): StoredEmbedding {
  return { id: r.id, trackNum: r.trackNum, dim: r.dim, vector: fromBlob(r.vector), windowCount: r.windowCount, windowVectors: fromBlob(r.windowVectors) };
}
