// The vibe lane of one library for one embedder: the model's one ONNX session (queries, and the tracks the
// fingerprint workers prepared rows for), the raw vectors in SQLite and two HNSW indexes built from them (pooled
// track vectors for "more like this", per-window vectors for clips). The indexes are caches: `refresh` makes them
// match SQLite (after a scan, or on open when files are missing or damaged). Owned by the LibraryEngine's thread (the
// library worker in the app).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { VibeMatch } from '../../../src-preload/contract/library.js';
import { toTrackSummary, type Catalog } from '../catalog/catalog.js';
import { AppError } from '../errors.js';
import type { ManifestGroup } from './embedderManifest.js';
import type { EmbeddingTable } from '../catalog/embeddingTable.js';
import { CLIP_GROUP_WEIGHTS, groupCosine, SAME_MUSIC_BONUS, SAME_MUSIC_HARMONY, toGroupSpace, TRACK_GROUP_WEIGHTS, windowsToGroupSpace } from './groupSpace.js';
import { explainMatch } from './explainMatch.js';
import type { ModelInput } from './modelInput.js';
import { OnnxEmbedder, type TrackEmbedding } from './onnxEmbedder.js';
import { VectorIndex, type IndexEntry } from './vectorIndex.js';

/** Window labels: trackNum * WINDOW_LABEL_STRIDE + window index (at most MAX_TRACK_WINDOWS < stride). */
export const WINDOW_LABEL_STRIDE = 1024;

export interface VibeQuery {
  readonly limit: number;
  /** Tracks left out of the answer (e.g. the exact match itself). */
  readonly excludeTrackNums?: ReadonlySet<number>;
}

/**
 * Scores library tracks for a clip: each clip window searches the per-window index, and a track scores the best
 * cosine any of its windows reached (a clip is one moment of a track, which a pooled track vector blurs). Both the
 * index and `clipWindows` are in the clip group space (toGroupSpace with CLIP_GROUP_WEIGHTS), so that cosine is the
 * lane's clip score itself. Returns [trackNum, score] best first.
 */
export function rankTracksByWindows(windows: VectorIndex, clipWindows: Float32Array, dim: number, query: VibeQuery): [number, number][] {
  const exclude = query.excludeTrackNums ?? new Set<number>();
  const best = new Map<number, number>();
  // Several windows of one track can fill the nearest neighbours: ask for enough to hold `limit` distinct tracks.
  const k = Math.max(64, query.limit * 16);
  for (let w = 0; w * dim < clipWindows.length; w++) {
    const v = clipWindows.subarray(w * dim, (w + 1) * dim);
    for (const hit of windows.search(v, k, (label) => !exclude.has(Math.floor(label / WINDOW_LABEL_STRIDE)))) {
      const num = Math.floor(hit.label / WINDOW_LABEL_STRIDE);
      if ((best.get(num) ?? -2) < hit.cosine) best.set(num, hit.cosine);
    }
  }
  return [...best].sort((a, b) => b[1] - a[1]).slice(0, query.limit);
}

/** Track-to-track candidates re-scored with the same-music bonus (enough to hold the siblings of a rendition). */
export const SIMILAR_CANDIDATES = 50;

/** A clip's ranking: its windows mapped into the clip group space, then the per-window index. */
export function rankClip(windows: VectorIndex, clip: TrackEmbedding, query: VibeQuery, groups: readonly ManifestGroup[] | undefined): [number, number][] {
  return rankTracksByWindows(windows, windowsToGroupSpace(clip.windowVectors, clip.dim, groups, CLIP_GROUP_WEIGHTS), clip.dim, query);
}

/**
 * Track-to-track ranking ("more like this"): the track index (track group space) proposes SIMILAR_CANDIDATES tracks,
 * the seed excluded, and models with a harmony group add the same-music bonus from the raw vectors' harmony cosine.
 * Returns [trackNum, score] best first (the score may exceed 1 with the bonus; similarity is clipped later).
 */
export function rankSimilar(
  tracks: VectorIndex,
  vector: Float32Array,
  seedTrackNum: number,
  limit: number,
  groups: readonly ManifestGroup[] | undefined,
  vectorOf: (trackNum: number) => Float32Array | undefined,
): [number, number][] {
  const query = toGroupSpace(vector, groups, TRACK_GROUP_WEIGHTS);
  const hits = tracks.search(query, Math.max(SIMILAR_CANDIDATES, limit), (label) => label !== seedTrackNum);
  const scored = hits.map((h): [number, number] => {
    const other = vectorOf(h.label);
    const harmony = other ? groupCosine(vector, other, groups, 'harmony') : null;
    return [h.label, h.cosine + (harmony === null ? 0 : SAME_MUSIC_BONUS * Math.max(0, harmony - SAME_MUSIC_HARMONY))];
  });
  return scored.sort((a, b) => b[1] - a[1]).slice(0, limit);
}

/** The vector the track index holds for a track's pooled embedding. */
export function trackIndexVector(vector: Float32Array, groups: readonly ManifestGroup[] | undefined): Float32Array {
  return toGroupSpace(vector, groups, TRACK_GROUP_WEIGHTS);
}

/** The vector the window index holds for one window of a track. */
export function windowIndexVector(window: Float32Array, groups: readonly ManifestGroup[] | undefined): Float32Array {
  return toGroupSpace(window, groups, CLIP_GROUP_WEIGHTS);
}

export class VibeLane {
  readonly embeddings: EmbeddingTable;
  private tracks: VectorIndex;
  private windows: VectorIndex;
  private stale = true;

  private constructor(
    readonly embedder: OnnxEmbedder,
    readonly manifestPath: string,
    private readonly catalog: Catalog,
    private readonly indexDir: string,
  ) {
    this.embeddings = catalog.embeddings;
    const { id, dim } = embedder.manifest;
    mkdirSync(indexDir, { recursive: true });
    this.tracks = VectorIndex.open(path.join(indexDir, `${id}.tracks.hnsw`), id, dim);
    this.windows = VectorIndex.open(path.join(indexDir, `${id}.windows.hnsw`), id, dim);
  }

  /** Loads the embedder (AppError 'model-missing' when it cannot) and opens its indexes under `indexDir`. */
  static async open(manifestPath: string, catalog: Catalog, indexDir: string): Promise<VibeLane> {
    const embedder = await OnnxEmbedder.load(manifestPath);
    return new VibeLane(embedder, manifestPath, catalog, indexDir);
  }

  get modelId(): string {
    return this.embedder.manifest.id;
  }

  /** Whether the index files had to be rebuilt from SQLite when opened. */
  get wasRebuilt(): boolean {
    return this.tracks.wasRebuilt || this.windows.wasRebuilt;
  }

  /** New or changed embeddings exist in SQLite (a scan wrote some): the next query refreshes first. */
  markStale(): void {
    this.stale = true;
  }

  /** Brings both indexes in line with SQLite, then persists them (atomically). */
  refresh(): void {
    const id = this.modelId;
    const dim = this.embedder.manifest.dim;
    const groups = this.embedder.manifest.groups;
    const trackEntries: IndexEntry[] = [];
    const windowEntries: IndexEntry[] = [];
    for (const e of this.embeddings.iterate(id)) {
      if (e.dim !== dim) continue;
      trackEntries.push({ label: e.trackNum, generation: e.id, vector: trackIndexVector(e.vector, groups) });
      for (let w = 0; w < e.windowCount; w++) {
        windowEntries.push({
          label: e.trackNum * WINDOW_LABEL_STRIDE + w,
          generation: e.id,
          vector: windowIndexVector(e.windowVectors.subarray(w * dim, (w + 1) * dim), groups),
        });
      }
    }
    this.tracks.sync(trackEntries);
    this.windows.sync(windowEntries);
    this.tracks.persist();
    this.windows.persist();
    this.stale = false;
  }

  get indexedTrackCount(): number {
    return this.tracks.size;
  }

  indexBytes(): number {
    return this.tracks.bytesOnDisk() + this.windows.bytesOnDisk();
  }

  /** Library tracks that sound like a clip (mono PCM at the embedder's rate), best first. */
  async searchClip(pcm: Float32Array, query: VibeQuery): Promise<VibeMatch[]> {
    if (this.stale) this.refresh();
    const clip = await this.embedder.embedClip(pcm);
    return this.toMatches(rankClip(this.windows, clip, query, this.embedder.manifest.groups), clip.vector);
  }

  /**
   * A track's embedding from the rows a runner prepared (fingerprintFile's embedInput). Rows made for another model
   * (the lane switched meanwhile) answer 'model-missing', so the track is embedded again by the next scan.
   */
  embedInput(input: ModelInput): Promise<TrackEmbedding> {
    if (input.modelId !== this.modelId) {
      return Promise.reject(new AppError('model-missing', `rows prepared for ${input.modelId}; the vibe lane now uses ${this.modelId}`));
    }
    return this.embedder.embedInput(input);
  }

  /** "More like this": library tracks closest to a library track (itself excluded), best first. */
  similarTo(trackNum: number, limit: number): VibeMatch[] {
    if (this.stale) this.refresh();
    const stored = this.embeddings.get(trackNum, this.modelId);
    if (!stored) throw new AppError('not-found', 'this track has no embedding yet (it is still being indexed, or it failed)');
    const ranked = rankSimilar(
      this.tracks,
      stored.vector,
      trackNum,
      limit,
      this.embedder.manifest.groups,
      (num) => this.embeddings.get(num, this.modelId)?.vector,
    );
    return this.toMatches(ranked, stored.vector);
  }

  release(): Promise<void> {
    return this.embedder.release();
  }

  private toMatches(ranked: readonly (readonly [number, number])[], queryVector: Float32Array): VibeMatch[] {
    const rows = this.catalog.getTracksByNums(ranked.map(([num]) => num));
    const out: VibeMatch[] = [];
    for (const [num, cos] of ranked) {
      const row = rows.get(num);
      if (!row) continue; // deleted since the index was refreshed
      const stored = this.embeddings.get(num, this.modelId);
      const similarity = Math.min(1, Math.max(0, (1 + cos) / 2));
      out.push({
        track: toTrackSummary(row),
        similarity,
        embeddingModel: this.modelId,
        explanation: stored ? explainMatch(this.embedder.manifest, queryVector, stored.vector, similarity) : null,
      });
    }
    return out;
  }
}
