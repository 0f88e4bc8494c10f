// What describes an embedder (an ONNX model plus how to feed it), and where the built-in one lives.
// Pure apart from reading the manifest file; no onnxruntime here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';

export interface ManifestGroup {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
  readonly weight: number;
}

export interface EmbedderManifest {
  /** Stable id; vectors of different ids never mix (one HNSW index per id). */
  readonly id: string;
  readonly version: number;
  readonly kind: 'builtin' | 'download';
  readonly description?: string;
  readonly license: string;
  /** Model file name, relative to the manifest's folder (builtin) or the models folder (download). */
  readonly file: string;
  /** SHA-256 of the model file, lowercase hex, and its size in bytes. */
  readonly sha256: string;
  readonly sizeBytes: number;
  /** Where a downloadable model comes from, pinned by revision. */
  readonly url?: string;
  readonly revision?: string;
  readonly sampleRateHz: number;
  readonly windowSeconds: number;
  readonly windowSamples: number;
  /** Distance between window starts (track windows and clip windows); default half a window. */
  readonly hopSamples?: number;
  readonly input: { readonly name: string; readonly shape: readonly (string | number)[]; readonly type: 'float32' };
  readonly output: { readonly name: string; readonly shape: readonly (string | number)[]; readonly type: 'float32' };
  /** Output vector length. */
  readonly dim: number;
  /** 'waveform': the model takes raw PCM windows; 'clap-mel': CLAP's log-mel [batch, 1, frames, 64] features. */
  readonly frontEnd?: 'waveform' | 'clap-mel';
  readonly preprocessing: string;
  /** Named slices of the vector (the built-in model's descriptor groups), used to explain matches. */
  readonly groups?: readonly ManifestGroup[];
  readonly shapeFeatures?: readonly string[];
}

export const BUILTIN_MODEL_ID = 'builtin-descriptors-v2';

/** The manifest's hop between windows, in samples (half a window unless it says otherwise). */
export function windowHopSamples(m: Pick<EmbedderManifest, 'windowSamples' | 'hopSamples'>): number {
  const hop = m.hopSamples ?? Math.floor(m.windowSamples / 2);
  return Math.max(1, Math.min(m.windowSamples, Math.floor(hop)));
}

export function readManifest(manifestPath: string): EmbedderManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    throw new AppError('model-missing', `cannot read the model manifest ${manifestPath}`, { cause: err });
  }
  return validateManifest(parsed, manifestPath);
}

export function validateManifest(value: unknown, where = 'manifest'): EmbedderManifest {
  const m = value as Partial<EmbedderManifest> | null;
  const ok =
    m !== null &&
    typeof m === 'object' &&
    typeof m.id === 'string' &&
    /^[a-z0-9][a-z0-9._-]*$/.test(m.id) &&
    typeof m.file === 'string' &&
    !m.file.includes('/') &&
    !m.file.includes('\\') &&
    typeof m.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(m.sha256) &&
    Number.isInteger(m.sizeBytes) &&
    Number.isInteger(m.sampleRateHz) &&
    Number.isInteger(m.windowSamples) &&
    Number.isInteger(m.dim) &&
    (m.dim ?? 0) > 0 &&
    typeof m.input?.name === 'string' &&
    typeof m.output?.name === 'string';
  if (!ok) throw new AppError('model-missing', `${where} is not a valid embedder manifest`);
  return m as EmbedderManifest;
}

/**
 * The folder holding the built-in model: AUDIO_IDENT_RESOURCES/models when set (the packaged app passes its
 * resources path), else the repository's resources/models found by walking up from this module (source or out/).
 */
export function builtinModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AUDIO_IDENT_RESOURCES) return path.join(path.resolve(env.AUDIO_IDENT_RESOURCES), 'models');
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'resources', 'models');
    if (existsSync(path.join(candidate, `${BUILTIN_MODEL_ID}.json`))) return candidate;
    dir = path.dirname(dir);
  }
  throw new AppError('model-missing', 'the built-in model (resources/models) was not found');
}

export function builtinManifestPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(builtinModelsDir(env), `${BUILTIN_MODEL_ID}.json`);
}
