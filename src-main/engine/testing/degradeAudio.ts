// Test helper: what happens to a recording before it is identified: cut into a clip, played back to back, under
// noise, sped up or slowed down (a turntable), through a phone's band. Pure; for tests and benchmarks only.
import { createRng } from './synthInstruments.js';

/** The signals one after another (a recording of several songs back to back). */
export function concatPcm(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Adds white Gaussian noise so that signal power / noise power = snrDb (measured over the whole signal). */
export function addNoise(pcm: Float32Array, snrDb: number, seed: number): Float32Array {
  let power = 0;
  for (let i = 0; i < pcm.length; i++) power += pcm[i] * pcm[i];
  power /= Math.max(1, pcm.length);
  const noiseRms = Math.sqrt(power / 10 ** (snrDb / 10));
  const rng = createRng(seed ^ 0x2545f491);
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i += 2) {
    // Box-Muller: two independent standard normals per pair of uniforms.
    const u1 = Math.max(rng(), 1e-12);
    const u2 = rng();
    const radius = Math.sqrt(-2 * Math.log(u1));
    out[i] = pcm[i] + noiseRms * radius * Math.cos(2 * Math.PI * u2);
    if (i + 1 < pcm.length) out[i + 1] = pcm[i + 1] + noiseRms * radius * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/** A copy of `durationSeconds` of `pcm` starting at `startSeconds`, clamped to the signal. */
export function cutClip(pcm: Float32Array, sampleRateHz: number, startSeconds: number, durationSeconds: number): Float32Array {
  const start = Math.min(pcm.length, Math.max(0, Math.round(startSeconds * sampleRateHz)));
  const end = Math.min(pcm.length, start + Math.max(0, Math.round(durationSeconds * sampleRateHz)));
  return pcm.slice(start, end);
}

/**
 * Plays `pcm` `factor` times faster (pitch and tempo both change, like a turntable), by linear interpolation.
 * The result has about length / factor samples at the same sample rate.
 */
export function resampleLinear(pcm: Float32Array, factor: number): Float32Array {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new Error(`resampleLinear: factor must be > 0, got ${factor}`);
  if (pcm.length === 0) return new Float32Array(0);
  const outLength = Math.floor((pcm.length - 1) / factor) + 1;
  const out = new Float32Array(outLength);
  for (let i = 0; i < outLength; i++) {
    const position = i * factor;
    const left = Math.floor(position);
    const fraction = position - left;
    const right = Math.min(pcm.length - 1, left + 1);
    out[i] = pcm[left] * (1 - fraction) + pcm[right] * fraction;
  }
  return out;
}

/**
 * Band-pass like a phone speaker: a 2nd-order Butterworth high-pass at lowHz and low-pass at highHz (RBJ biquads),
 * each applied twice (about 24 dB/octave outside the band). lowHz <= 0 or highHz >= Nyquist skips that side.
 */
export function bandLimit(pcm: Float32Array, sampleRateHz: number, lowHz: number, highHz: number): Float32Array {
  let out: Float32Array = Float32Array.from(pcm);
  if (lowHz > 0) out = applyBiquad(applyBiquad(out, biquad('highpass', lowHz, sampleRateHz)), biquad('highpass', lowHz, sampleRateHz));
  if (highHz < sampleRateHz / 2) {
    out = applyBiquad(applyBiquad(out, biquad('lowpass', highHz, sampleRateHz)), biquad('lowpass', highHz, sampleRateHz));
  }
  return out;
}

interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

function biquad(kind: 'highpass' | 'lowpass', cornerHz: number, sampleRateHz: number): BiquadCoefficients {
  const w0 = (2 * Math.PI * cornerHz) / sampleRateHz;
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
  const cosW0 = Math.cos(w0);
  const a0 = 1 + alpha;
  const b0 = kind === 'lowpass' ? (1 - cosW0) / 2 : (1 + cosW0) / 2;
  const b1 = kind === 'lowpass' ? 1 - cosW0 : -(1 + cosW0);
  return { b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * cosW0) / a0, a2: (1 - alpha) / a0 };
}

function applyBiquad(input: Float32Array, c: BiquadCoefficients): Float32Array {
  const out = new Float32Array(input.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < input.length; i++) {
    const x0 = input[i];
    const y0 = c.b0 * x0 + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2;
    out[i] = y0;
    x2 = x1;
    x1 = x0;
    y2 = y1;
    y1 = y0;
  }
  return out;
}
