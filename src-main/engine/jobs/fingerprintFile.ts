// Job stage: one audio file -> its landmarks and packed peaks, decoding with ffmpeg as a stream (constant memory
// whatever the file's length), and, when an embedder manifest is given, the rows its model takes for the file
// (modelInput.ts), from the same decode when the rates agree (the PCM is kept while it streams, up to
// MAX_EMBED_SECONDS). The model itself runs at the one owner of its session (the vibe lane), never here. Runs inside
// a fingerprint worker; also callable directly in tests. A failure to prepare the rows is reported beside a good
// fingerprint, never instead of it. `embedInputOfFile` is the rows alone, for a track whose fingerprint is current
// (the vibe model changed).
import type { AppErrorInfo } from '../../../src-preload/contract/library.js';
import { decodeAudio, decodeAudioStream } from '../audio/decodeAudio.js';
import { readManifest } from '../embedding/embedderManifest.js';
import { trackInput, type ModelInput } from '../embedding/modelInput.js';
import { AppError, toErrorInfo } from '../errors.js';
import { FINGERPRINT_CONFIG, type FingerprintConfig } from '../fingerprint/config.js';
import { PeakStream } from '../fingerprint/fingerprintAudio.js';
import { makeTrackLandmarks } from '../fingerprint/landmarks.js';
import { packPeaks } from '../fingerprint/peakCodec.js';

export interface FileFingerprint {
  readonly fingerprintVersion: number;
  /** Decoded length, seconds. */
  readonly durationSeconds: number;
  /** Interleaved [hash, frame, ...]. */
  readonly landmarks: Uint32Array;
  /** packPeaks() of the track's peaks. */
  readonly peaks: Uint8Array;
  /** CPU-side cost split, ms: decode wait vs DSP (for benchmarks). */
  readonly dspMs: number;
  /** The rows the vibe lane's model takes for this file, when a manifest was asked for and they could be made. */
  readonly embedInput?: ModelInput;
  /** Why the rows are missing although a manifest was asked for (model-missing, decode-failed...). */
  readonly embeddingError?: AppErrorInfo;
  /** Time spent preparing the rows, ms (for benchmarks). */
  readonly embedMs?: number;
}

/** The vibe-lane model's rows for a file on its own (its fingerprint is current). */
export interface FileEmbedInput {
  readonly embedInput?: ModelInput;
  readonly embeddingError?: AppErrorInfo;
  readonly embedMs: number;
}

/** Audio kept for embedding: the first 30 minutes (a longer file's windows are spread over those). */
export const MAX_EMBED_SECONDS = 1800;

/**
 * maxSeconds: the per-file cap on decoded audio. The decode stops one second past it and the file is refused with
 * file-too-large, so a header claiming 1 Hz (days of audio from a few MB) costs the cap, never the claim.
 * embedWith: an embedder manifest's path; the result then carries its model's rows for the file (embedInput).
 */
export async function fingerprintFile(
  filePath: string,
  options: { signal?: AbortSignal; config?: FingerprintConfig; embedWith?: string; maxSeconds?: number } = {},
): Promise<FileFingerprint> {
  const config = options.config ?? FINGERPRINT_CONFIG;
  const stream = new PeakStream(config, 'track');
  let dspMs = 0;
  const embedder = options.embedWith === undefined ? undefined : readEmbedderManifest(options.embedWith);
  const shareDecode = embedder !== undefined && 'e' in embedder && embedder.e.sampleRateHz === config.sampleRateHz;
  const kept: Float32Array[] = [];
  let keptSamples = 0;
  const maxKept = MAX_EMBED_SECONDS * config.sampleRateHz;
  const cap = options.maxSeconds;
  const summary = await decodeAudioStream(filePath, {
    sampleRateHz: config.sampleRateHz,
    signal: options.signal,
    ...(cap === undefined ? {} : { maxSeconds: cap + 1 }),
    onChunk: (pcm) => {
      if (shareDecode && keptSamples < maxKept) {
        kept.push(pcm);
        keptSamples += pcm.length;
      }
      const t = performance.now();
      stream.push(pcm);
      dspMs += performance.now() - t;
    },
  });
  if (cap !== undefined && summary.durationSeconds > cap) {
    throw new AppError('file-too-large', `the audio is longer than ${formatHours(cap)} (the per-file cap); decoding stopped there`);
  }
  const t = performance.now();
  const peaks = stream.finish();
  const landmarks = makeTrackLandmarks(peaks, config);
  dspMs += performance.now() - t;
  const result: FileFingerprint = {
    fingerprintVersion: config.version,
    durationSeconds: summary.durationSeconds,
    landmarks,
    peaks: packPeaks(peaks),
    dspMs,
  };
  if (!embedder) return result;
  if ('error' in embedder) return { ...result, embeddingError: toErrorInfo(embedder.error) };
  const started = performance.now();
  try {
    const manifest = embedder.e;
    const pcm = shareDecode
      ? concat(kept, Math.min(keptSamples, maxKept))
      : await decodeAudio(filePath, { sampleRateHz: manifest.sampleRateHz, signal: options.signal, maxSeconds: MAX_EMBED_SECONDS });
    return { ...result, embedInput: trackInput(manifest, pcm), embedMs: performance.now() - started };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { ...result, embeddingError: toErrorInfo(error), embedMs: performance.now() - started };
  }
}

/** Decodes at the embedder's rate (the first MAX_EMBED_SECONDS) and prepares its model's rows; no landmarks. Failures are reported, not thrown. */
export async function embedInputOfFile(filePath: string, options: { signal?: AbortSignal; embedWith: string }): Promise<FileEmbedInput> {
  const started = performance.now();
  try {
    const manifest = readManifest(options.embedWith);
    const pcm = await decodeAudio(filePath, { sampleRateHz: manifest.sampleRateHz, signal: options.signal, maxSeconds: MAX_EMBED_SECONDS });
    return { embedInput: trackInput(manifest, pcm), embedMs: performance.now() - started };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { embeddingError: toErrorInfo(error), embedMs: performance.now() - started };
  }
}

/** The manifest, or why it could not be read (reported as the embedding's error, beside a good fingerprint). */
function readEmbedderManifest(manifestPath: string): { e: ReturnType<typeof readManifest> } | { error: unknown } {
  try {
    return { e: readManifest(manifestPath) };
  } catch (error) {
    return { error };
  }
}

function formatHours(seconds: number): string {
  return seconds >= 3600 ? `${Math.round(seconds / 360) / 10} h` : `${Math.round(seconds)} s`;
}

function concat(chunks: readonly Float32Array[], length: number): Float32Array {
  const out = new Float32Array(length);
  let at = 0;
  for (const c of chunks) {
    if (at >= length) break;
    const n = Math.min(c.length, length - at);
    out.set(c.subarray(0, n), at);
    at += n;
  }
  return out;
}
