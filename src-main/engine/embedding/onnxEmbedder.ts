// One embedder = one onnxruntime-node session over a model described by its manifest. Owns the session, and is the
// one owner of it (ARCHITECTURE.md: one owner per ONNX session): the vibe lane creates it on the library's thread and
// runs it for queries and for tracks alike; fingerprint workers only prepare the rows (modelInput.ts). Verifies the
// model's SHA-256 before loading, so a missing or corrupt file is AppError('model-missing'), never a crash.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { AppError } from '../errors.js';
import { poolVectors } from './audioWindows.js';
import { readManifest, type EmbedderManifest } from './embedderManifest.js';
import { clipInput, rowSize, trackInput, windowsInput, type ModelInput } from './modelInput.js';

export { MAX_TRACK_WINDOWS } from './modelInput.js';

export interface TrackEmbedding {
  readonly modelId: string;
  readonly dim: number;
  /** Pooled, L2-normalised. */
  readonly vector: Float32Array;
  /** windowCount x dim, each row L2-normalised. */
  readonly windowVectors: Float32Array;
  readonly windowCount: number;
}

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
  embedWindows(windows: readonly Float32Array[], raw = false): Promise<Float32Array[]> {
    return this.run(windowsInput(this.manifest, windows), raw);
  }

  /** Runs the model on prepared rows (see modelInput.ts), BATCH_SIZE rows per session call. */
  private async run(input: ModelInput, raw: boolean): Promise<Float32Array[]> {
    const { dim, id } = this.manifest;
    if (input.modelId !== id) throw new AppError('internal', `rows prepared for ${input.modelId} were given to ${id}`);
    const size = rowSize(input);
    const out: Float32Array[] = [];
    for (let b = 0; b < input.count; b += BATCH_SIZE) {
      const n = Math.min(BATCH_SIZE, input.count - b);
      const tensor = new ort.Tensor('float32', input.data.slice(b * size, (b + n) * size), [n, ...input.rowShape]);
      const result = await this.session.run({ [this.manifest.input.name]: tensor });
      const data = result[this.manifest.output.name].data as Float32Array;
      for (let i = 0; i < n; i++) {
        const v = data.slice(i * dim, (i + 1) * dim);
        out.push(raw ? v : normaliseRow(v));
      }
    }
    return out;
  }

  /** Prepared rows (a track's, from a fingerprint worker), embedded and pooled. */
  async embedInput(input: ModelInput): Promise<TrackEmbedding> {
    return this.pack(await this.run(input, false));
  }

  /** A track: overlapping windows over it, pooled. */
  embedTrack(pcm: Float32Array): Promise<TrackEmbedding> {
    return this.embedInput(trackInput(this.manifest, pcm));
  }

  /** A query clip: sliding windows (the manifest's hop apart), pooled. */
  embedClip(pcm: Float32Array): Promise<TrackEmbedding> {
    return this.embedInput(clipInput(this.manifest, pcm));
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
}

function normaliseRow(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  if (norm > 0 && Number.isFinite(norm)) for (let i = 0; i < v.length; i++) v[i] /= norm;
  else v.fill(0);
  return v;
}
