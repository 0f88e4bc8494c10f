// One HNSW index (hnswlib-node, cosine space) over one embedder's vectors: labels are caller-chosen integers (track
// numbers, or track number x 1024 + window). A rebuildable cache of the vectors kept in SQLite: `sync` makes it hold
// exactly the entries it is given (adding, updating and markDelete-ing as needed); `persist` writes it atomically
// (temp file + rename, then a small sidecar naming what it reflects, with the file's SHA-256). A missing, truncated,
// scribbled (checksum; ~2 ms per MB at open) or foreign file is rebuilt.
// Owns its native index: one owner thread (the library worker).
import { createHash } from 'node:crypto';
import { existsSync, promises as fsp, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import hnswlib from 'hnswlib-node';

export interface IndexEntry {
  readonly label: number;
  /** The source row's generation (embeddings.id): a higher one than the index reflects means the vector changed. */
  readonly generation: number;
  readonly vector: Float32Array;
}

export interface IndexHit {
  readonly label: number;
  /** Cosine similarity, -1..1. */
  readonly cosine: number;
}

interface Sidecar {
  readonly modelId: string;
  readonly dim: number;
  readonly indexBytes: number;
  /** SHA-256 (hex) of the index file; a sidecar without one (written before it existed) is not trusted. */
  readonly indexSha256?: string;
  readonly generations: Record<string, number>;
}

const M = 16;
const EF_CONSTRUCTION = 200;
const EF_SEARCH = 64;
const INITIAL_CAPACITY = 256;

export class VectorIndex {
  private index: hnswlib.HierarchicalNSW;
  /** label -> generation of the vector the index holds (live labels only). */
  private generations = new Map<number, number>();
  private dirty = false;
  /** Whether opening found the file missing or unusable (then it was rebuilt by the first sync). */
  readonly wasRebuilt: boolean;

  private constructor(
    readonly filePath: string,
    readonly modelId: string,
    readonly dim: number,
  ) {
    this.index = new hnswlib.HierarchicalNSW('cosine', dim);
    this.wasRebuilt = !this.tryLoad();
    if (this.wasRebuilt) this.reset(INITIAL_CAPACITY);
  }

  /** Opens the index file at `filePath` (its sidecar is filePath + '.json'); creates an empty one if unusable. */
  static open(filePath: string, modelId: string, dim: number): VectorIndex {
    return new VectorIndex(filePath, modelId, dim);
  }

  get size(): number {
    return this.generations.size;
  }

  get capacity(): number {
    return this.index.getMaxElements();
  }

  /** Makes the index hold exactly `entries`; returns what changed. */
  sync(entries: Iterable<IndexEntry>): { added: number; updated: number; deleted: number } {
    const wanted = new Set<number>();
    const toWrite: IndexEntry[] = [];
    let updated = 0;
    for (const e of entries) {
      wanted.add(e.label);
      const have = this.generations.get(e.label);
      if (have === e.generation) continue;
      if (have !== undefined) updated++;
      toWrite.push(e);
    }
    let deleted = 0;
    for (const label of [...this.generations.keys()]) {
      if (wanted.has(label)) continue;
      this.index.markDelete(label);
      this.generations.delete(label);
      deleted++;
    }
    const needed = this.index.getCurrentCount() + toWrite.length;
    if (needed > this.capacity) this.index.resizeIndex(Math.max(needed, this.capacity * 2));
    for (const e of toWrite) {
      if (e.vector.length !== this.dim) throw new Error(`vector of ${e.vector.length} values for a ${this.dim}-d index`);
      // addPoint on a label the index knows (even marked deleted) updates that point and unmarks it.
      this.index.addPoint(Array.from(e.vector), e.label);
      this.generations.set(e.label, e.generation);
    }
    if (toWrite.length > 0 || deleted > 0) this.dirty = true;
    return { added: toWrite.length - updated, updated, deleted };
  }

  /** Top-k by cosine, best first; `accept` filters labels (e.g. to exclude a track). */
  search(vector: Float32Array, k: number, accept?: (label: number) => boolean): IndexHit[] {
    const n = Math.min(k, this.generations.size);
    if (n <= 0) return [];
    this.index.setEf(Math.max(EF_SEARCH, n));
    const result = this.index.searchKnn(Array.from(vector), n, accept);
    return result.neighbors.map((label, i) => ({ label, cosine: 1 - result.distances[i] }));
  }

  /** Writes the index (temp + rename) and then its sidecar; a no-op when nothing changed since the last write. */
  persist(): void {
    if (!this.dirty && existsSync(this.filePath)) return;
    const tmp = `${this.filePath}.tmp-${process.pid}`;
    this.index.writeIndexSync(tmp);
    renameSync(tmp, this.filePath);
    const sidecar: Sidecar = {
      modelId: this.modelId,
      dim: this.dim,
      indexBytes: statSync(this.filePath).size,
      indexSha256: sha256File(this.filePath),
      generations: Object.fromEntries(this.generations),
    };
    const sidecarTmp = `${this.sidecarPath}.tmp-${process.pid}`;
    writeFileSync(sidecarTmp, JSON.stringify(sidecar));
    renameSync(sidecarTmp, this.sidecarPath);
    this.dirty = false;
  }

  /** Bytes on disk (index + sidecar), 0 before the first persist. */
  bytesOnDisk(): number {
    return [this.filePath, this.sidecarPath].reduce((sum, p) => sum + (existsSync(p) ? statSync(p).size : 0), 0);
  }

  /** Deletes the files (the next open starts empty). */
  static async remove(filePath: string): Promise<void> {
    await fsp.rm(filePath, { force: true });
    await fsp.rm(`${filePath}.json`, { force: true });
  }

  private get sidecarPath(): string {
    return `${this.filePath}.json`;
  }

  private reset(capacity: number): void {
    this.index = new hnswlib.HierarchicalNSW('cosine', this.dim);
    this.index.initIndex(capacity, M, EF_CONSTRUCTION, 100);
    this.generations = new Map();
    this.dirty = true;
  }

  /** Loads file + sidecar when both exist and agree (model, dim, size, labels); false otherwise. */
  private tryLoad(): boolean {
    try {
      if (!existsSync(this.filePath) || !existsSync(this.sidecarPath)) return false;
      const sidecar = JSON.parse(readFileSync(this.sidecarPath, 'utf8')) as Sidecar;
      if (sidecar.modelId !== this.modelId || sidecar.dim !== this.dim || sidecar.indexBytes !== statSync(this.filePath).size) return false;
      // Scribbled bytes keep the size and may still load (wrong vectors, or links that send a search astray).
      if (sidecar.indexSha256 === undefined || sidecar.indexSha256 !== sha256File(this.filePath)) return false;
      this.index.readIndexSync(this.filePath);
      const live = new Set(this.index.getIdsList());
      const generations = new Map(Object.entries(sidecar.generations).map(([k, v]) => [Number(k), v]));
      for (const label of generations.keys()) if (!live.has(label)) return false;
      this.generations = generations;
      return true;
    } catch {
      return false;
    }
  }
}

function sha256File(filePath: string): string {
  return createHash('sha256').update(readFileSync(filePath)).digest('hex');
}
