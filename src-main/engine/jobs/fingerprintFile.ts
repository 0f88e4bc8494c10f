// Job stage: one audio file -> its landmarks and packed peaks, decoding with ffmpeg as a stream (constant memory
// whatever the file's length). Runs inside a fingerprint worker; also callable directly in tests.
import { decodeAudioStream } from '../audio/decodeAudio.js';
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
}

export async function fingerprintFile(
  filePath: string,
  options: { signal?: AbortSignal; config?: FingerprintConfig } = {},
): Promise<FileFingerprint> {
  const config = options.config ?? FINGERPRINT_CONFIG;
  const stream = new PeakStream(config, 'track');
  let dspMs = 0;
  const summary = await decodeAudioStream(filePath, {
    sampleRateHz: config.sampleRateHz,
    signal: options.signal,
    onChunk: (pcm) => {
      const t = performance.now();
      stream.push(pcm);
      dspMs += performance.now() - t;
    },
  });
  const t = performance.now();
  const peaks = stream.finish();
  const landmarks = makeTrackLandmarks(peaks, config);
  dspMs += performance.now() - t;
  return {
    fingerprintVersion: config.version,
    durationSeconds: summary.durationSeconds,
    landmarks,
    peaks: packPeaks(peaks),
    dspMs,
  };
}
