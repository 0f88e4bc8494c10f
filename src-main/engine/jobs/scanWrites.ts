// Scan step: what a scan writes per file. The vibe lane's one session embeds the rows a runner prepared; then
// fingerprints are written in batches, the store first and the catalog marked 'indexed' after, in one transaction,
// so a killed scan resumes (pending tracks are redone; the store replaces, never duplicates). Vectors go beside the
// landmarks. Runs on the scan's thread.
import type { AppErrorInfo } from '../../../src-preload/contract/library.js';
import type { Catalog } from '../catalog/catalog.js';
import type { ModelInput } from '../embedding/modelInput.js';
import type { TrackEmbedding } from '../embedding/onnxEmbedder.js';
import { toErrorInfo } from '../errors.js';
import type { LandmarkStore } from '../landmarkStore/landmarkStore.js';
import type { FileFingerprint } from './fingerprintFile.js';

/** The vibe lane's embedder, as a scan uses it. */
export interface ScanEmbedder {
  readonly id: string;
  /** Passed to the runners, which prepare this model's rows for each file (they never run the model). */
  readonly manifestPath: string;
  /** Runs the model on prepared rows: the one session of the model, wherever the rows were made. */
  readonly embed: (input: ModelInput) => Promise<TrackEmbedding>;
  readonly write: (trackNum: number, embedding: TrackEmbedding) => void;
}

/** A file's result: its fingerprint (absent when only its embedding was redone) and its embedding or why not. */
export interface PendingWrite {
  readonly trackNum: number;
  readonly fingerprint?: FileFingerprint;
  readonly embedding?: TrackEmbedding;
  readonly embeddingError?: AppErrorInfo;
}

/** The embedding of rows a runner prepared, or why there is none; a failure is the track's, never the scan's. */
export async function embedPrepared(
  embedder: ScanEmbedder | undefined,
  prepared: { readonly embedInput?: ModelInput; readonly embeddingError?: AppErrorInfo },
  signal: AbortSignal,
): Promise<Pick<PendingWrite, 'embedding' | 'embeddingError'>> {
  if (!embedder) return {};
  if (prepared.embeddingError) return { embeddingError: prepared.embeddingError };
  if (!prepared.embedInput) return {};
  try {
    return { embedding: await embedder.embed(prepared.embedInput) };
  } catch (error) {
    if (signal.aborted) throw error;
    return { embeddingError: toErrorInfo(error) };
  }
}

export class ScanWriter {
  private readonly writes: PendingWrite[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly catalog: Catalog,
    private readonly store: LandmarkStore,
    private readonly embedder: ScanEmbedder | undefined,
    /** Tracks written to the store per transaction. */
    private readonly batchSize: number,
  ) {}

  /** Queues a file's result; a full batch is written before this resolves. */
  async push(write: PendingWrite): Promise<void> {
    this.writes.push(write);
    if (this.writes.length >= this.batchSize) await this.flush();
  }

  /** Writes what is queued (after any batch already being written); resolves when all of it is written. */
  flush(): Promise<void> {
    const batch = this.writes.splice(0, this.writes.length);
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  private async write(batch: readonly PendingWrite[]): Promise<void> {
    const { catalog, embedder } = this;
    await this.store.putTracks(
      batch.flatMap((w) =>
        w.fingerprint
          ? [{ trackNum: w.trackNum, fingerprintVersion: w.fingerprint.fingerprintVersion, landmarks: w.fingerprint.landmarks, peaks: w.fingerprint.peaks }]
          : [],
      ),
    );
    catalog.transaction(() => {
      for (const w of batch) {
        if (!catalog.getTrackByNum(w.trackNum)) continue; // removed meanwhile
        if (w.fingerprint) {
          catalog.updateTrackMetadata(w.trackNum, { durationSeconds: w.fingerprint.durationSeconds });
          catalog.setFingerprintStatus(w.trackNum, 'indexed', w.fingerprint.fingerprintVersion, w.fingerprint.landmarks.length / 2);
        }
        if (embedder && w.embedding && w.embedding.modelId === embedder.id) {
          embedder.write(w.trackNum, w.embedding);
          catalog.setEmbeddingStatus(w.trackNum, 'indexed', w.embedding.modelId, w.embedding.dim);
        } else if (embedder && w.embeddingError && w.embeddingError.code !== 'model-missing') {
          // A missing model is the app's state, not the track's: the track stays 'none' and is embedded later.
          catalog.setEmbeddingStatus(w.trackNum, 'failed', embedder.id, null);
        }
      }
    });
  }
}
