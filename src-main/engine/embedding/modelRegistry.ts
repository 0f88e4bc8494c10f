// The embedders the app knows: the built-in one (shipped in resources/models) and downloadable ones (CLAP), each
// pinned by URL, revision, SHA-256 and size. Installs a downloadable model into <dataDir>/models/<id>/ (the model
// file plus its manifest, written last so a manifest on disk always names a verified file) and reports its state.
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import { BUILTIN_MODEL_ID, builtinManifestPath, readManifest, type EmbedderManifest } from './embedderManifest.js';
import { downloadModelFile, sha256OfFile, type DownloadProgress } from './modelDownload.js';

export type ModelState = 'installed' | 'partial' | 'missing' | 'corrupt';

/** A downloadable model's manifest: url, revision, sha256 and sizeBytes are required. */
export type DownloadableManifest = EmbedderManifest & { readonly kind: 'download'; readonly url: string; readonly revision: string };

const CLAP_REVISION = '7fe18129b081a8cd2a0aba45e858b5b114c03a6b';

/**
 * LAION CLAP audio tower, int8 (Xenova/clap-htsat-unfused, onnx/audio_model_quantized.onnx, about 34 MB).
 * Pinned to a commit of the repository. Its SHA-256 and exact byte size could not be read on the machines this was
 * written on (no access to huggingface.co): `sha256` holds zeros until someone reads them from the file's LFS
 * pointer; `installModel` refuses an entry whose hash is not pinned.
 */
export const CLAP_INT8: DownloadableManifest = {
  id: 'clap-htsat-unfused-int8',
  version: 1,
  kind: 'download',
  description: 'LAION CLAP (HTSAT, unfused) audio tower, int8, from the Transformers.js ONNX export',
  license: 'Apache-2.0 (laion/clap-htsat-unfused)',
  file: 'audio_model_quantized.onnx',
  url: `https://huggingface.co/Xenova/clap-htsat-unfused/resolve/${CLAP_REVISION}/onnx/audio_model_quantized.onnx`,
  revision: CLAP_REVISION,
  sha256: '0'.repeat(64),
  sizeBytes: 0,
  sampleRateHz: 48_000,
  windowSeconds: 10,
  windowSamples: 480_000,
  frontEnd: 'clap-mel',
  input: { name: 'input_features', shape: ['batch', 1, 1001, 64], type: 'float32' },
  output: { name: 'audio_embeds', shape: ['batch', 512], type: 'float32' },
  dim: 512,
  preprocessing: '48 kHz mono, 10 s windows (repeatpad), STFT n_fft 1024 hop 480 periodic Hann, 64 Slaney mel 50-14000 Hz, power to dB',
};

export const DOWNLOADABLE_MODELS: readonly DownloadableManifest[] = [CLAP_INT8];

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
