// Stage 1: mono PCM -> log-power spectrogram (dB) over the fingerprint band, frame-major.
// Pure: the caller owns the scratch (FFT plan, window, buffers) and passes it in; frames outside the PCM read zeros.
import type { FingerprintConfig } from './config.js';
import { createFftPlan, powerSpectrum, type FftPlan } from './fft.js';

export interface Spectrogram {
  /** Absolute index of row 0 (frame f starts at sample f * hop). */
  readonly firstFrame: number;
  readonly frameCount: number;
  /** FFT bin of column 0. */
  readonly firstBin: number;
  readonly binCount: number;
  /** dB values, data[row * binCount + col]. */
  readonly data: Float32Array;
}

export interface SpectrumScratch {
  readonly plan: FftPlan;
  readonly window: Float64Array;
  readonly frame: Float64Array;
  readonly power: Float64Array;
  readonly firstBin: number;
  readonly binCount: number;
}

export function createSpectrumScratch(config: FingerprintConfig): SpectrumScratch {
  const n = config.fftSize;
  const window = new Float64Array(n);
  for (let i = 0; i < n; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  const binHz = config.sampleRateHz / n;
  const firstBin = Math.max(1, Math.floor(config.minFrequencyHz / binHz));
  const lastBin = Math.min(n / 2 - 1, Math.ceil(config.maxFrequencyHz / binHz));
  return {
    plan: createFftPlan(n),
    window,
    frame: new Float64Array(n),
    power: new Float64Array(n / 2 + 1),
    firstBin,
    binCount: lastBin - firstBin + 1,
  };
}

/** Power floor: -100 dB relative to a full-scale sine's bin power keeps silence finite. */
const POWER_FLOOR = 1e-10;
const DB_PER_OCTAVE = 10 * Math.log10(2);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * 10*log10(x) for x > 0 from the float's exponent and a cubic in its mantissa (exact at octave edges, monotonic,
 * max error 0.04 dB): 3x cheaper than Math.log, which was a quarter of the fingerprinting time.
 */
export function fastPowerDb(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  const exponent = (bits >>> 23) - 127;
  const m = (bits & 0x7fffff) * (1 / 8388608);
  return DB_PER_OCTAVE * (exponent + m * (1.4425449 + m * (-0.7181452 + m * 0.2756003)));
}

/**
 * Spectrogram rows for frames [firstFrame, firstFrame + frameCount) of a signal of which `pcm` holds the samples
 * starting at absolute sample `pcmStartSample`. Samples outside `pcm` are zero.
 */
export function computeSpectrogram(
  pcm: Float32Array,
  pcmStartSample: number,
  firstFrame: number,
  frameCount: number,
  config: FingerprintConfig,
  scratch: SpectrumScratch,
): Spectrogram {
  const { plan, window, frame, power, firstBin, binCount } = scratch;
  const n = config.fftSize;
  const data = new Float32Array(Math.max(0, frameCount) * binCount);
  for (let row = 0; row < frameCount; row++) {
    const start = (firstFrame + row) * config.hopSizeSamples - pcmStartSample;
    if (start >= 0 && start + n <= pcm.length) {
      for (let i = 0; i < n; i++) frame[i] = pcm[start + i] * window[i];
    } else {
      for (let i = 0; i < n; i++) {
        const s = start + i;
        frame[i] = s >= 0 && s < pcm.length ? pcm[s] * window[i] : 0;
      }
    }
    powerSpectrum(plan, frame, power);
    const base = row * binCount;
    for (let b = 0; b < binCount; b++) data[base + b] = fastPowerDb(power[firstBin + b] + POWER_FLOOR);
  }
  return { firstFrame, frameCount, firstBin, binCount, data };
}
