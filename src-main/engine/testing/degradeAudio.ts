// Test helper: what happens to a recording before it is identified: cut into a clip, played back to back, under
// noise, sped up or slowed down (a turntable), through a phone's band. Pure; for tests and benchmarks only.
import { biquad, filter, type Biquad } from './room/dsp.js';
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
  const stages: Biquad[] = [];
  if (lowHz > 0) stages.push(biquad('highpass', lowHz, sampleRateHz), biquad('highpass', lowHz, sampleRateHz));
  if (highHz < sampleRateHz / 2) stages.push(biquad('lowpass', highHz, sampleRateHz), biquad('lowpass', highHz, sampleRateHz));
  return filter(pcm, ...stages);
}
