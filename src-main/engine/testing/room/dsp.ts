// Signal blocks for the room simulation (tests and bench:room-set): RBJ biquads, FFT convolution, levels.
import FFT from 'fft.js';

export interface Biquad {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

export type BiquadKind = 'lowpass' | 'highpass' | 'bandpass' | 'peaking';

/** RBJ Audio EQ Cookbook coefficients. `gainDb` is used by 'peaking' only; bandpass has 0 dB peak gain. */
export function biquad(kind: BiquadKind, freqHz: number, sampleRateHz: number, q = Math.SQRT1_2, gainDb = 0): Biquad {
  const w0 = (2 * Math.PI * Math.min(freqHz, sampleRateHz * 0.49)) / sampleRateHz;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  let b0: number, b1: number, b2: number, a0: number, a1: number, a2: number;
  if (kind === 'lowpass') {
    b0 = (1 - cos) / 2;
    b1 = 1 - cos;
    b2 = b0;
    a0 = 1 + alpha;
    a1 = -2 * cos;
    a2 = 1 - alpha;
  } else if (kind === 'highpass') {
    b0 = (1 + cos) / 2;
    b1 = -(1 + cos);
    b2 = b0;
    a0 = 1 + alpha;
    a1 = -2 * cos;
    a2 = 1 - alpha;
  } else if (kind === 'bandpass') {
    b0 = alpha;
    b1 = 0;
    b2 = -alpha;
    a0 = 1 + alpha;
    a1 = -2 * cos;
    a2 = 1 - alpha;
  } else {
    const A = Math.pow(10, gainDb / 40);
    b0 = 1 + alpha * A;
    b1 = -2 * cos;
    b2 = 1 - alpha * A;
    a0 = 1 + alpha / A;
    a1 = -2 * cos;
    a2 = 1 - alpha / A;
  }
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0 };
}

/** Runs the signal through the biquads in series (direct form I, double precision state). */
export function filter(input: Float32Array, ...stages: readonly Biquad[]): Float32Array {
  let x = input;
  for (const c of stages) {
    const out = new Float32Array(x.length);
    let x1 = 0,
      x2 = 0,
      y1 = 0,
      y2 = 0;
    for (let i = 0; i < x.length; i++) {
      const x0 = x[i];
      const y0 = c.b0 * x0 + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2;
      out[i] = y0;
      x2 = x1;
      x1 = x0;
      y2 = y1;
      y1 = y0;
    }
    x = out;
  }
  return x === input ? Float32Array.from(input) : x;
}

/** |H(f)| of biquads in series, in dB (for tests and for documenting the chain). */
export function responseDb(stages: readonly Biquad[], freqHz: number, sampleRateHz: number): number {
  const w = (2 * Math.PI * freqHz) / sampleRateHz;
  let db = 0;
  for (const c of stages) {
    // H(e^jw) = (b0 + b1 e^-jw + b2 e^-2jw) / (1 + a1 e^-jw + a2 e^-2jw)
    const nr = c.b0 + c.b1 * Math.cos(w) + c.b2 * Math.cos(2 * w);
    const ni = -c.b1 * Math.sin(w) - c.b2 * Math.sin(2 * w);
    const dr = 1 + c.a1 * Math.cos(w) + c.a2 * Math.cos(2 * w);
    const di = -c.a1 * Math.sin(w) - c.a2 * Math.sin(2 * w);
    db += 10 * Math.log10((nr * nr + ni * ni) / (dr * dr + di * di));
  }
  return db;
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

/** Largest FFT one convolution takes: a longer signal (a whole mix played through a room) is cut into blocks. */
const MAX_FFT = 1 << 20;

/**
 * Linear convolution by FFT: of the full length in one transform when it fits MAX_FFT (clips are seconds long), else
 * block by block with the tails added (overlap-add: the same sum, a bench:mix recording of 10 minutes in a few MB).
 * `maxFft` is for tests.
 */
export function convolve(signal: Float32Array, kernel: Float32Array, maxFft = MAX_FFT): Float32Array {
  const outLen = signal.length + kernel.length - 1;
  if (nextPow2(outLen) <= maxFft || nextPow2(2 * kernel.length) > maxFft) return convolveBlock(signal, kernel, nextPow2(outLen));
  const n = maxFft;
  const block = n - kernel.length + 1;
  const y = new Float32Array(outLen);
  for (let at = 0; at < signal.length; at += block) {
    const part = convolveBlock(signal.subarray(at, Math.min(signal.length, at + block)), kernel, n);
    for (let i = 0; i < part.length; i++) y[at + i] += part[i];
  }
  return y;
}

function convolveBlock(signal: Float32Array, kernel: Float32Array, n: number): Float32Array {
  const outLen = signal.length + kernel.length - 1;
  const fft = new FFT(n);
  const a = fft.createComplexArray() as number[];
  const b = fft.createComplexArray() as number[];
  const ra = new Array<number>(n).fill(0);
  const rb = new Array<number>(n).fill(0);
  for (let i = 0; i < signal.length; i++) ra[i] = signal[i];
  for (let i = 0; i < kernel.length; i++) rb[i] = kernel[i];
  fft.realTransform(a, ra);
  fft.completeSpectrum(a);
  fft.realTransform(b, rb);
  fft.completeSpectrum(b);
  for (let k = 0; k < n; k++) {
    const re = a[2 * k] * b[2 * k] - a[2 * k + 1] * b[2 * k + 1];
    const im = a[2 * k] * b[2 * k + 1] + a[2 * k + 1] * b[2 * k];
    a[2 * k] = re;
    a[2 * k + 1] = im;
  }
  const out = fft.createComplexArray() as number[];
  fft.inverseTransform(out, a);
  const y = new Float32Array(outLen);
  for (let i = 0; i < outLen; i++) y[i] = out[2 * i];
  return y;
}

export function energy(x: Float32Array, from = 0, to = x.length): number {
  let e = 0;
  for (let i = from; i < to; i++) e += x[i] * x[i];
  return e;
}

export function rmsDb(x: Float32Array): number {
  return 10 * Math.log10(energy(x) / Math.max(1, x.length) + 1e-20);
}

export function scale(x: Float32Array, gain: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i] * gain;
  return y;
}

/** Gaussian noise (Box-Muller) from a uniform generator. */
export function gaussian(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** A uniform draw in [lo, hi) from `rng`. */
export function uniformIn(rng: () => number): (lo: number, hi: number) => number {
  return (lo, hi) => lo + (hi - lo) * rng();
}
