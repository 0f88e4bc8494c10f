// The embedders the app knows: the built-in one (shipped in resources/models) and downloadable ones (CLAP), each
// pinned by URL, revision, SHA-256 and size. Installs a downloadable model into <dataDir>/models/<id>/ (the model
// file plus its manifest, written last so a manifest on disk always names a verified file) and reports its state.
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import { BUILTIN_MODEL_ID, builtinManifestPath, readManifest, validateManifest, type EmbedderManifest } from './embedderManifest.js';
import { downloadModelFile, sha256OfFile, type DownloadProgress } from './modelDownload.js';

export type ModelState = 'installed' | 'partial' | 'missing' | 'corrupt';

/** A downloadable model's manifest: url, revision, sha256 and sizeBytes are required. */
export type DownloadableManifest = EmbedderManifest & { readonly kind: 'download'; readonly url: string; readonly revision: string };

const CLAP_REVISION = '7fe18129b081a8cd2a0aba45e858b5b114c03a6b';

/**
 * LAION CLAP audio tower, fp32 (Xenova/clap-htsat-unfused, onnx/audio_model.onnx, 117.5 MB), pinned to a commit of
 * that repository. huggingface.co cannot be reached from the machines this was written on, so the revision, byte
 * size and SHA-256 were taken from two independent public projects that pin the same file; the download verifies
 * both before the model is used, so a wrong pin fails safely (`model-missing`, nothing installed). The int8 export
 * (34 MB) would be smaller, but its hash could not be read here: pin it the same way once someone can.
 */
export const CLAP_FP32: DownloadableManifest = {
  id: 'clap-htsat-unfused',
  version: 1,
  kind: 'download',
  description: 'LAION CLAP (HTSAT, unfused) audio tower, from the Transformers.js ONNX export',
  license: 'Apache-2.0 (laion/clap-htsat-unfused)',
  file: 'audio_model.onnx',
  url: `https://huggingface.co/Xenova/clap-htsat-unfused/resolve/${CLAP_REVISION}/onnx/audio_model.onnx`,
  revision: CLAP_REVISION,
  sha256: 'a1c2b43c44f71e0fa841a4b86700886c199bf87699ea45632c4d831bc6c88957',
  sizeBytes: 117_528_416,
  sampleRateHz: 48_000,
  windowSeconds: 10,
  windowSamples: 480_000,
  hopSamples: 240_000,
  frontEnd: 'clap-mel',
  input: { name: 'input_features', shape: ['batch', 1, 1001, 64], type: 'float32' },
  output: { name: 'audio_embeds', shape: ['batch', 512], type: 'float32' },
  dim: 512,
  preprocessing: '48 kHz mono, 10 s windows (repeatpad), STFT n_fft 1024 hop 480 periodic Hann, 64 Slaney mel 50-14000 Hz, power to dB',
};

export const DOWNLOADABLE_MODELS: readonly DownloadableManifest[] = [CLAP_FP32];

export function isPinned(m: DownloadableManifest): boolean {
  return /^[0-9a-f]{64}$/.test(m.sha256) && !/^0+$/.test(m.sha256) && m.sizeBytes > 0;
}

export function modelDir(dataDir: string, id: string): string {
  return path.join(dataDir, 'models', id);
}

export function installedManifestPath(dataDir: string, id: string): string {
  return id === BUILTIN_MODEL_ID ? builtinManifestPath() : path.join(modelDir(dataDir, id), 'manifest.json');
}

/** Where a downloadable model stands in the data folder; `verify` re-hashes an installed file. */
export async function modelState(dataDir: string, m: DownloadableManifest, verify = false): Promise<ModelState> {
  const dir = modelDir(dataDir, m.id);
  const file = path.join(dir, m.file);
  if (!existsSync(path.join(dir, 'manifest.json')) || !existsSync(file)) return existsSync(`${file}.part`) ? 'partial' : 'missing';
  const size = (await fsp.stat(file)).size;
  if (size !== m.sizeBytes) return 'corrupt';
  if (verify && (await sha256OfFile(file)) !== m.sha256) return 'corrupt';
  return 'installed';
}

/** Downloads (resuming a partial file), verifies and installs `m`; returns its manifest path for OnnxEmbedder.load. */
export async function installModel(
  dataDir: string,
  m: DownloadableManifest,
  options: { signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void } = {},
): Promise<string> {
  if (!isPinned(m)) throw new AppError('model-missing', `${m.id} has no pinned SHA-256 and size; refusing to download an unverifiable model`);
  const dir = modelDir(dataDir, m.id);
  const manifestPath = path.join(dir, 'manifest.json');
  if ((await modelState(dataDir, m, true)) === 'installed') return manifestPath;
  await fsp.rm(manifestPath, { force: true });
  await downloadModelFile({ url: m.url, sha256: m.sha256, sizeBytes: m.sizeBytes, destPath: path.join(dir, m.file), ...options });
  const tmp = `${manifestPath}.tmp`;
  await fsp.writeFile(tmp, JSON.stringify(m, null, 2));
  await fsp.rename(tmp, manifestPath);
  readManifest(manifestPath);
  return manifestPath;
}

/**
 * Reads a registry of downloadable models from a JSON file (an array of manifests with url, revision, sha256 and
 * sizeBytes). Test-only in the app: AUDIO_IDENT_MODEL_REGISTRY points the browser host at a local server's model.
 * A bad file is AppError('invalid-argument') naming the entry.
 */
export function readModelRegistry(registryPath: string): DownloadableManifest[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(registryPath, 'utf8'));
  } catch (err) {
    throw new AppError('invalid-argument', `cannot read the model registry ${registryPath}`, { cause: err });
  }
  if (!Array.isArray(parsed)) throw new AppError('invalid-argument', `${registryPath} must hold a JSON array of model manifests`);
  return parsed.map((entry: unknown, i) => {
    const where = `${registryPath} entry ${i}`;
    let m: EmbedderManifest;
    try {
      m = validateManifest(entry, where);
    } catch (err) {
      throw new AppError('invalid-argument', `${where} is not a valid embedder manifest`, { cause: err });
    }
    if (m.id === BUILTIN_MODEL_ID || typeof m.url !== 'string' || !/^https?:\/\//.test(m.url) || typeof m.revision !== 'string') {
      throw new AppError('invalid-argument', `${where} needs an http(s) url and a revision, and an id other than the built-in model's`);
    }
    return { ...m, kind: 'download', url: m.url, revision: m.revision };
  });
}
