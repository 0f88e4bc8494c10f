// Band-limited resampling of mono Float32 PCM (Kaiser-windowed sinc from a precomputed table), for clips that arrive
// as PCM (WAV files, the microphone) and so skip ffmpeg's ~90 ms start-up. Pure. The cutoff sits at 0.95 x the
// lower Nyquist, close to ffmpeg's default resampler, so clips and ffmpeg-decoded library files see the same band.

import { AppError } from '../errors.js';

const TABLE_STEPS_PER_SAMPLE = 512;
/**
 * The largest ratio either way between the two rates. The kernel table grows with the downsampling ratio (768 kHz ->
 * 8 kHz is 96x: a 2 MB table) and the output with the upsampling one, so an absurd rate (a hostile header claiming
 * 4 GHz) must never reach the table: it would ask for gigabytes.
 */
export const MAX_RESAMPLE_RATIO = 256;
const MAX_CACHED_TABLES = 16;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-14 * sum) break;
  }
  return sum;
}

interface Kernel {
  readonly table: Float32Array;
  readonly radius: number;
}

const kernels = new Map<string, Kernel>();

function kernelFor(cutoff: number, halfTaps: number): Kernel {
  const key = `${cutoff}:${halfTaps}`;
  const cached = kernels.get(key);
  if (cached) return cached;
  const radius = halfTaps / cutoff; // input samples on each side
  const beta = 8; // Kaiser window: ~ -80 dB side lobes
  const i0Beta = besselI0(beta);
  const size = Math.ceil(radius * TABLE_STEPS_PER_SAMPLE) + 2;
  const table = new Float32Array(size);
  for (let j = 0; j < size; j++) {
    const x = j / TABLE_STEPS_PER_SAMPLE;
    const t = x / radius;
    const w = t >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - t * t)) / i0Beta;
    const arg = Math.PI * cutoff * x;
    table[j] = w * (arg === 0 ? 1 : Math.sin(arg) / arg);
  }
  const kernel = { table, radius };
  if (kernels.size >= MAX_CACHED_TABLES) kernels.clear();
  kernels.set(key, kernel);
  return kernel;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

interface Polyphase {
  /** Output n reads input from firstInput(n) = floor(n * down / up) + offset[phase], phase = (n * down) mod up. */
  readonly up: number;
  readonly down: number;
  readonly taps: number;
  readonly offsets: Int32Array;
  /** taps coefficients per phase, each phase normalised to unit DC gain. */
  readonly coefficients: Float32Array;
}

const polyphases = new Map<string, Polyphase>();

/** Per-phase coefficient tables for a rational ratio up/down (both integers, up small enough to tabulate). */
function polyphaseFor(up: number, down: number, cutoff: number, halfTaps: number): Polyphase {
  const key = `${up}/${down}:${cutoff}:${halfTaps}`;
  const cached = polyphases.get(key);
  if (cached) return cached;
  const { table, radius } = kernelFor(cutoff, halfTaps);
  const taps = 2 * Math.ceil(radius) + 1;
  const offsets = new Int32Array(up);
  const coefficients = new Float32Array(up * taps);
  for (let phase = 0; phase < up; phase++) {
    const frac = phase / up; // center = base + frac, base = floor(n * down / up)
    const first = Math.ceil(frac - radius);
    offsets[phase] = first;
    let sum = 0;
    for (let t = 0; t < taps; t++) {
      const pos = Math.abs(first + t - frac) * TABLE_STEPS_PER_SAMPLE;
      const j = pos | 0;
      const k = j + 1 < table.length ? table[j] + (table[j + 1] - table[j]) * (pos - j) : 0;
      coefficients[phase * taps + t] = k;
      sum += k;
    }
    for (let t = 0; t < taps; t++) coefficients[phase * taps + t] /= sum;
  }
  const poly = { up, down, taps, offsets, coefficients };
  // Clips come at a handful of rates; a stream of odd ones must not grow the cache without end.
  if (polyphases.size >= MAX_CACHED_TABLES) polyphases.clear();
  polyphases.set(key, poly);
  return poly;
}

/**
 * Resamples `pcm` from `fromHz` to `toHz`; output length = round(length * toHz / fromHz). `halfTaps` = sinc zero
 * crossings on each side (at the output rate when downsampling): wider = sharper cutoff, slower. Integer rates with
 * a small reduced ratio (44100 -> 8000 is 80/441) use precomputed per-phase coefficients.
 */
export function resamplePcm(pcm: Float32Array, fromHz: number, toHz: number, halfTaps = 10): Float32Array {
  if (!(fromHz > 0) || !(toHz > 0) || !Number.isFinite(fromHz) || !Number.isFinite(toHz)) {
    throw new AppError('unsupported-format', `cannot resample from ${fromHz} Hz to ${toHz} Hz`);
  }
  if (fromHz === toHz) return pcm.slice();
  const ratio = toHz / fromHz;
  if (ratio > MAX_RESAMPLE_RATIO || ratio < 1 / MAX_RESAMPLE_RATIO) {
    throw new AppError('unsupported-format', `cannot resample from ${fromHz} Hz to ${toHz} Hz (more than ${MAX_RESAMPLE_RATIO}x either way)`);
  }
  const cutoff = 0.95 * Math.min(1, ratio); // as a fraction of the input Nyquist
  const outLength = Math.round(pcm.length * ratio);
  const out = new Float32Array(outLength);
  if (Number.isInteger(fromHz) && Number.isInteger(toHz)) {
    const g = gcd(fromHz, toHz);
    const up = toHz / g;
    const down = fromHz / g;
    // The per-phase table holds up x taps coefficients: keep it to a few MB (taps grow with the downsampling ratio).
    const taps = 2 * Math.ceil(halfTaps / cutoff) + 1;
    if (up <= 4096 && up * taps <= 1 << 20) {
      const { offsets, coefficients } = polyphaseFor(up, down, cutoff, halfTaps);
      const last = pcm.length - 1;
      for (let n = 0; n < outLength; n++) {
        const prod = n * down;
        const base = Math.floor(prod / up);
        const phase = prod - base * up;
        const first = base + offsets[phase];
        const c = phase * taps;
        let acc = 0;
        if (first >= 0 && first + taps - 1 <= last) {
          for (let t = 0; t < taps; t++) acc += pcm[first + t] * coefficients[c + t];
        } else {
          let norm = 0;
          for (let t = 0; t < taps; t++) {
            const i = first + t;
            if (i < 0 || i > last) continue;
            acc += pcm[i] * coefficients[c + t];
            norm += coefficients[c + t];
          }
          acc = norm !== 0 ? acc / norm : 0;
        }
        out[n] = acc;
      }
      return out;
    }
  }
  const { table, radius } = kernelFor(cutoff, halfTaps);
  const step = 1 / ratio;
  for (let n = 0; n < outLength; n++) {
    const center = n * step;
    const lo = Math.max(0, Math.ceil(center - radius));
    const hi = Math.min(pcm.length - 1, Math.floor(center + radius));
    let acc = 0;
    let norm = 0;
    for (let i = lo; i <= hi; i++) {
      const pos = Math.abs(i - center) * TABLE_STEPS_PER_SAMPLE;
      const j = pos | 0;
      const k = table[j] + (table[j + 1] - table[j]) * (pos - j);
      acc += pcm[i] * k;
      norm += k;
    }
    // Normalising by the kernel sum keeps DC gain at 1 near the edges too.
    out[n] = norm !== 0 ? acc / norm : 0;
  }
  return out;
}
