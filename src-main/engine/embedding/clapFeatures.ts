// Pure: CLAP's audio front end (LAION CLAP / HF ClapFeatureExtractor, "unfused" path): 48 kHz mono, 10 s
// (480 000 samples; shorter clips "repeatpad": tiled a whole number of times, then zero-padded; longer ones cut),
// centred reflect-padded STFT (n_fft 1024, periodic Hann, hop 480) -> power -> 64 Slaney-scale, Slaney-normalised
// mel bands 50-14 000 Hz -> 10 log10(max(1e-10, mel)). Output [1001 frames x 64] row-major, as input_features[b, 0].
import { createFftPlan, powerSpectrum } from '../fingerprint/fft.js';

export const CLAP = Object.freeze({
  sampleRateHz: 48_000,
  maxSamples: 480_000,
  fftSize: 1024,
  hopSamples: 480,
  melBands: 64,
  minHz: 50,
  maxHz: 14_000,
  melFloor: 1e-10,
});

export interface ClapFeatures {
  readonly frameCount: number;
  /** frameCount x 64, dB. */
  readonly data: Float32Array;
}

/** HF's repeatpad for clips shorter than maxSamples; the start of longer clips (CLAP draws a random start instead). */
export function clapPad(pcm: Float32Array, maxSamples: number = CLAP.maxSamples): Float32Array {
  if (pcm.length >= maxSamples) return pcm.subarray(0, maxSamples);
  const out = new Float32Array(maxSamples);
  if (pcm.length === 0) return out;
  const repeats = Math.floor(maxSamples / pcm.length);
  for (let r = 0; r < repeats; r++) out.set(pcm, r * pcm.length);
  return out;
}

function slaneyHzToMel(hz: number): number {
  return hz >= 1000 ? 15 + Math.log(hz / 1000) * (27 / Math.log(6.4)) : (3 * hz) / 200;
}

function slaneyMelToHz(mel: number): number {
  return mel >= 15 ? 1000 * Math.exp((mel - 15) * (Math.log(6.4) / 27)) : (200 * mel) / 3;
}

/** [bins x bands] triangular filters on the Slaney mel scale with Slaney (area) normalisation, as HF builds them. */
export function slaneyMelFilters(binCount: number, bands: number, minHz: number, maxHz: number, sampleRateHz: number): Float64Array {
  const lo = slaneyHzToMel(minHz);
  const hi = slaneyHzToMel(maxHz);
  const edges = Array.from({ length: bands + 2 }, (_, i) => slaneyMelToHz(lo + ((hi - lo) * i) / (bands + 1)));
  const nyquist = Math.floor(sampleRateHz / 2);
  const w = new Float64Array(binCount * bands);
  for (let k = 0; k < binCount; k++) {
    const f = (nyquist * k) / (binCount - 1);
    for (let m = 0; m < bands; m++) {
      const down = (f - edges[m]) / (edges[m + 1] - edges[m]);
      const up = (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]);
      const v = Math.max(0, Math.min(down, up));
      w[k * bands + m] = v * (2 / (edges[m + 2] - edges[m]));
    }
  }
  return w;
}

let cachedFilters: Float64Array | undefined;

/** CLAP input features of one clip at 48 kHz. */
export function clapFeatures(pcm48k: Float32Array): ClapFeatures {
  const { fftSize, hopSamples, melBands, melFloor } = CLAP;
  const x = clapPad(pcm48k);
  const bins = fftSize / 2 + 1;
  const filters = (cachedFilters ??= slaneyMelFilters(bins, melBands, CLAP.minHz, CLAP.maxHz, CLAP.sampleRateHz));
  const half = fftSize / 2;
  const frameCount = 1 + Math.floor(x.length / hopSamples);
  const window = Float64Array.from({ length: fftSize }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / fftSize));
  const plan = createFftPlan(fftSize);
  const frame = new Float64Array(fftSize);
  const power = new Float64Array(bins);
  const data = new Float32Array(frameCount * melBands);
  const n = x.length;
  for (let t = 0; t < frameCount; t++) {
    const start = t * hopSamples - half; // centred frames over a reflect-padded signal
    for (let i = 0; i < fftSize; i++) {
      let j = start + i;
      if (j < 0) j = -j;
      else if (j >= n) j = 2 * (n - 1) - j;
      frame[i] = x[j] * window[i];
    }
    powerSpectrum(plan, frame, power);
    for (let m = 0; m < melBands; m++) {
      let e = 0;
      for (let k = 0; k < bins; k++) e += power[k] * filters[k * melBands + m];
      data[t * melBands + m] = 10 * Math.log10(Math.max(melFloor, e));
    }
  }
  return { frameCount, data };
}
