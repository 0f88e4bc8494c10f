// What a Library needs to read music files, and the in-process way to provide it. The app and the CLI use a worker
// pool instead (workers/fingerprintRunners.ts); tests and tools run the same jobs on the calling thread.
import { embedFile, fingerprintFile, type FileEmbedding, type FileFingerprint } from './jobs/fingerprintFile.js';
import { probeFile, type FileProbe } from './jobs/probeFile.js';
import type { OnnxEmbedder } from './embedding/onnxEmbedder.js';

export interface LibraryRunners {
  probe(filePath: string, signal: AbortSignal): Promise<FileProbe>;
  /** embedderManifest: also embed the file with that model (the vibe lane), from the same decode; maxSeconds: the per-file cap. */
  fingerprint(filePath: string, signal: AbortSignal, embedderManifest?: string, maxSeconds?: number): Promise<FileFingerprint>;
  /** The embedding alone, for a track whose fingerprint is current (optional: without it such a track is fingerprinted again). */
  embed?(filePath: string, signal: AbortSignal, embedderManifest: string): Promise<FileEmbedding>;
  /** Files in flight at once during a scan. */
  readonly concurrency: number;
  close(): Promise<void>;
}

/** Runs probe/fingerprint on the calling thread (tests, tools); the app and CLI use a worker pool instead. */
export function inProcessRunners(concurrency = 2): LibraryRunners {
  const cache: Record<string, Promise<OnnxEmbedder>> = {};
  /** One embedder per manifest, loaded on first use. */
  const embedderOf = (manifest: string) => () => (cache[manifest] ??= import('./embedding/onnxEmbedder.js').then((m) => m.OnnxEmbedder.load(manifest)));
  return {
    probe: (p, signal) => probeFile(p, signal),
    fingerprint: (p, signal, manifest, maxSeconds) => fingerprintFile(p, { signal, embedder: manifest ? embedderOf(manifest) : undefined, maxSeconds }),
    embed: (p, signal, manifest) => embedFile(p, { signal, embedder: embedderOf(manifest) }),
    concurrency,
    close: async () => {},
  };
}
