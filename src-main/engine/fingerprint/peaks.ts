// Stage 3: spectrogram -> spectral peaks ("event points"): local maxima that stand above their local mean,
// thinned to the most prominent few per block of frames. Pure.
import type { FingerprintConfig } from './config.js';
import type { Spectrogram } from './spectrum.js';

export interface Peak {
  /** Absolute frame index (time = frame * hop / sampleRate). */
  readonly frame: number;
  /** Interpolated pitch, semitones above config.pitchReferenceHz. */
  readonly pitch: number;
  /** dB above the local mean. */
  readonly prominenceDb: number;
}

/** Frequency (Hz) of a fractional FFT bin, as a pitch in semitones above the reference. */
export function binToPitch(bin: number, config: FingerprintConfig): number {
  const hz = (bin * config.sampleRateHz) / config.fftSize;
  return 12 * Math.log2(hz / config.pitchReferenceHz);
}

/**
 * Peaks of spectrogram rows whose absolute frames lie in [coreFirstFrame, coreEndFrame). `maxed` and `background`
 * are the max filter and local mean of `spec.data` (same shape). Blocks of config.densityBlockFrames frames
 * (aligned to absolute frame 0; the core must be block-aligned except at the signal's end) keep their
 * `peaksPerBlock` most prominent peaks. Output sorted by frame, then pitch.
 */
export function extractPeaks(
  spec: Spectrogram,
  maxed: Float32Array,
  background: Float32Array,
  config: FingerprintConfig,
  peaksPerBlock: number,
  coreFirstFrame: number,
  coreEndFrame: number,
): Peak[] {
  const { binCount, data } = spec;
  const out: Peak[] = [];
  const blockFrames = config.densityBlockFrames;
  let block: Peak[] = [];
  let blockIndex = Math.floor(coreFirstFrame / blockFrames);
  const flush = (): void => {
    if (block.length > peaksPerBlock) {
      block.sort((a, b) => b.prominenceDb - a.prominenceDb || a.frame - b.frame || a.pitch - b.pitch);
      block.length = peaksPerBlock;
    }
    block.sort((a, b) => a.frame - b.frame || a.pitch - b.pitch);
    for (const p of block) out.push(p);
    block = [];
  };
  for (let frame = coreFirstFrame; frame < coreEndFrame; frame++) {
    const row = frame - spec.firstFrame;
    if (row < 0 || row >= spec.frameCount) continue;
    const b = Math.floor(frame / blockFrames);
    if (b !== blockIndex) {
      flush();
      blockIndex = b;
    }
    const base = row * binCount;
    for (let col = 1; col < binCount - 1; col++) {
      const i = base + col;
      const v = data[i];
      if (v !== maxed[i]) continue;
      const prominence = v - background[i];
      if (prominence < config.minProminenceDb) continue;
      // Plateaus: keep only the first column of equal maxima in a row.
      if (data[i - 1] === v) continue;
      const left = data[i - 1];
      const right = data[i + 1];
      const denom = left - 2 * v + right;
      const delta = denom < 0 ? (0.5 * (left - right)) / denom : 0;
      block.push({ frame, pitch: binToPitch(spec.firstBin + col + delta, config), prominenceDb: prominence });
    }
  }
  flush();
  return out;
}
