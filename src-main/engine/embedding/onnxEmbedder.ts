// One embedder = one onnxruntime-node session over a model described by its manifest. Owns the session: create one
// per thread (a fingerprint worker, the library worker for queries). Verifies the model's SHA-256 before loading, so a
// missing or corrupt file is AppError('model-missing'), never a crash.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { AppError } from '../errors.js';
import { clipWindows, poolVectors, trackWindows } from './audioWindows.js';
import { clapFeatures } from './clapFeatures.js';
import { readManifest, windowHopSamples, type EmbedderManifest } from './embedderManifest.js';

export interface TrackEmbedding {
  readonly modelId: string;
  readonly dim: number;
  /** Pooled, L2-normalised. */
  readonly vector: Float32Array;
  /** windowCount x dim, each row L2-normalised. */
  readonly windowVectors: Float32Array;
  readonly windowCount: number;
}

/**
 * Track windows: half a window apart (10 s windows every 5 s), at most this many (spread evenly on longer tracks).
 * Overlap means a 10 s query clip, wherever it starts, shares at least 75% of its audio with one track window.
 */
export const MAX_TRACK_WINDOWS = 64;
const BATCH_SIZE = 8;

export class OnnxEmbedder {
  private constructor(
    readonly manifest: EmbedderManifest,
    private readonly session: ort.InferenceSession,
  ) {}

  /** Loads the model next to `manifestPath` (or `modelPath` when given), checking size and SHA-256 first. */
  static async load(manifestPath: string, modelPath?: string): Promise<OnnxEmbedder> {
    const manifest = readManifest(manifestPath);
    const file = modelPath ?? path.join(path.dirname(manifestPath), manifest.file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw new AppError('model-missing', `the model file ${file} is missing`, { cause: err });
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (bytes.length !== manifest.sizeBytes || sha256 !== manifest.sha256) {
      throw new AppError('model-missing', `the model file ${file} is damaged (size or SHA-256 differ from its manifest)`);
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
    } catch (err) {
      throw new AppError('model-missing', `the model ${manifest.id} could not be loaded`, { cause: err });
    }
    if (!session.inputNames.includes(manifest.input.name) || !session.outputNames.includes(manifest.output.name)) {
      await session.release();
      throw new AppError('model-missing', `the model ${manifest.id} does not have the inputs/outputs its manifest names`);
    }
    return new OnnxEmbedder(manifest, session);
  }

  get id(): string {
    return this.manifest.id;
  }

  /** One vector per window (each windowSamples long, at manifest.sampleRateHz), L2-normalised unless `raw`. */
  async embedWindows(windows: readonly Float32Array[], raw = false): Promise<Float32Array[]> {
    const { windowSamples, dim } = this.manifest;
    const out: Float32Array[] = [];
    for (let b = 0; b < windows.length; b += BATCH_SIZE) {
      const batch = windows.slice(b, b + BATCH_SIZE);
      const feeds = { [this.manifest.input.name]: this.toInput(batch, windowSamples) };
      const result = await this.session.run(feeds);
      const data = result[this.manifest.output.name].data as Float32Array;
      for (let i = 0; i < batch.length; i++) {
        const v = data.slice(i * dim, (i + 1) * dim);
        out.push(raw ? v : normaliseRow(v));
      }
    }
    return out;
  }

  /** A track: overlapping windows over it, pooled. */
  async embedTrack(pcm: Float32Array): Promise<TrackEmbedding> {
    const w = this.manifest.windowSamples;
    const windows = trackWindows(pcm, w, MAX_TRACK_WINDOWS, windowHopSamples(this.manifest));
    return this.pack(await this.embedWindows(windows));
  }

  /** A query clip: sliding windows (the manifest's hop apart), pooled. */
  async embedClip(pcm: Float32Array): Promise<TrackEmbedding> {
    const w = this.manifest.windowSamples;
    return this.pack(await this.embedWindows(clipWindows(pcm, w, windowHopSamples(this.manifest))));
  }

  release(): Promise<void> {
    return this.session.release();
  }

  private pack(vectors: Float32Array[]): TrackEmbedding {
    const { dim, id } = this.manifest;
    const windowVectors = new Float32Array(vectors.length * dim);
    vectors.forEach((v, i) => windowVectors.set(v, i * dim));
    return { modelId: id, dim, vector: poolVectors(vectors, dim), windowVectors, windowCount: vectors.length };
  }

  private toInput(batch: readonly Float32Array[], windowSamples: number): ort.Tensor {
    if (this.manifest.frontEnd === 'clap-mel') {
      const feats = batch.map((w) => clapFeatures(w));
      const frames = feats[0].frameCount;
      const data = new Float32Array(batch.length * frames * 64);
      feats.forEach((f, i) => data.set(f.data, i * frames * 64));
      return new ort.Tensor('float32', data, [batch.length, 1, frames, 64]);
    }
    const data = new Float32Array(batch.length * windowSamples);
    batch.forEach((w, i) => data.set(w.subarray(0, windowSamples), i * windowSamples));
    return new ort.Tensor('float32', data, [batch.length, windowSamples]);
  }
}

function normaliseRow(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  if (norm > 0 && Number.isFinite(norm)) for (let i = 0; i < v.length; i++) v[i] /= norm;
  else v.fill(0);
  return v;
}
