// Job stage: one audio file -> its landmarks and packed peaks, decoding with ffmpeg as a stream (constant memory
// whatever the file's length), and, when an embedder is given, its vibe-lane embedding from the same decode (the
// PCM is kept while it streams, up to MAX_EMBED_SECONDS). Runs inside a fingerprint worker; also callable directly
// in tests. An embedding failure is reported beside a good fingerprint, never instead of it. `embedFile` is the
// embedding alone, for a track whose fingerprint is current (the vibe model changed).
import type { AppErrorInfo } from '../../../src-preload/contract/library.js';
import { decodeAudio, decodeAudioStream } from '../audio/decodeAudio.js';
import type { OnnxEmbedder, TrackEmbedding } from '../embedding/onnxEmbedder.js';
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
  /** The vibe-lane embedding, when an embedder was asked for and it worked. */
  readonly embedding?: TrackEmbedding;
  /** Why the embedding is missing although an embedder was asked for (model-missing, decode-failed...). */
  readonly embeddingError?: AppErrorInfo;
  /** Time spent embedding, ms (for benchmarks). */
  readonly embedMs?: number;
}

/** The vibe-lane embedding of a file on its own (its fingerprint is current). */
export interface FileEmbedding {
  readonly embedding?: TrackEmbedding;
  readonly embeddingError?: AppErrorInfo;
  readonly embedMs: number;
}

/** Audio kept for embedding: the first 30 minutes (a longer file's windows are spread over those). */
export const MAX_EMBED_SECONDS = 1800;

/**
 * maxSeconds: the per-file cap on decoded audio. The decode stops one second past it and the file is refused with
 * file-too-large, so a header claiming 1 Hz (days of audio from a few MB) costs the cap, never the claim.
 */
export async function fingerprintFile(
  filePath: string,
  options: { signal?: AbortSignal; config?: FingerprintConfig; embedder?: () => Promise<OnnxEmbedder>; maxSeconds?: number } = {},
): Promise<FileFingerprint> {
  const config = options.config ?? FINGERPRINT_CONFIG;
  const stream = new PeakStream(config, 'track');
  let dspMs = 0;
  const embedder = options.embedder ? await options.embedder().then((e) => ({ e }), (error: unknown) => ({ error })) : undefined;
  const shareDecode = embedder !== undefined && 'e' in embedder && embedder.e.manifest.sampleRateHz === config.sampleRateHz;
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
    const e = embedder.e;
    const pcm = shareDecode
      ? concat(kept, Math.min(keptSamples, maxKept))
      : await decodeAudio(filePath, { sampleRateHz: e.manifest.sampleRateHz, signal: options.signal, maxSeconds: MAX_EMBED_SECONDS });
    const embedding = await e.embedTrack(pcm);
    return { ...result, embedding, embedMs: performance.now() - started };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { ...result, embeddingError: toErrorInfo(error), embedMs: performance.now() - started };
  }
}

/** Decodes at the embedder's rate (the first MAX_EMBED_SECONDS) and embeds; no landmarks. Failures are reported, not thrown. */
export async function embedFile(filePath: string, options: { signal?: AbortSignal; embedder: () => Promise<OnnxEmbedder> }): Promise<FileEmbedding> {
  const started = performance.now();
  try {
    const e = await options.embedder();
    const pcm = await decodeAudio(filePath, { sampleRateHz: e.manifest.sampleRateHz, signal: options.signal, maxSeconds: MAX_EMBED_SECONDS });
    return { embedding: await e.embedTrack(pcm), embedMs: performance.now() - started };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { embeddingError: toErrorInfo(error), embedMs: performance.now() - started };
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
