// The capture worklet's downsampler (public/downsample.js, imported by the worklet as is): 48 kHz and 44.1 kHz to
// 8 kHz keeps what the fingerprint reads (up to 3.8 kHz) and removes what would fold back into it (above 4 kHz),
// gives the right number of samples, and the same output whatever the chunk sizes.
import { describe, expect, it } from 'vitest';
import { Downsampler } from '../../public/downsample.js';

function tone(freqHz: number, rateHz: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(rateHz * seconds));
  for (let i = 0; i < out.length; i++) out[i] = Math.sin((2 * Math.PI * freqHz * i) / rateHz);
  return out;
}

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, to - from));
}

/** Amplitude of `freqHz` in x (a single-bin DFT over the middle, away from the edges). */
function amplitudeAt(x: Float32Array, freqHz: number, rateHz: number): number {
  const from = Math.floor(x.length * 0.2);
  const to = Math.floor(x.length * 0.8);
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i++) {
    re += x[i] * Math.cos((2 * Math.PI * freqHz * i) / rateHz);
    im += x[i] * Math.sin((2 * Math.PI * freqHz * i) / rateHz);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

function run(input: Float32Array, inRate: number, chunk: number): Float32Array {
  const d = new Downsampler(inRate, 8000);
  const parts: Float32Array[] = [];
  for (let at = 0; at < input.length; at += chunk) parts.push(d.push(input.subarray(at, at + chunk)));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('Downsampler', () => {
  it.each([48_000, 44_100])('from %i Hz: about one output per rate ratio of input, passes 1 kHz and 3 kHz whole', (rate) => {
    const out = run(tone(1000, rate, 2), rate, 128);
    // All but the last few samples (the filter waits for the input after them).
    expect(out.length).toBeGreaterThan(16_000 - 40);
    expect(out.length).toBeLessThanOrEqual(16_000);
    expect(amplitudeAt(out, 1000, 8000)).toBeCloseTo(1, 2);
    expect(amplitudeAt(run(tone(3000, rate, 2), rate, 128), 3000, 8000)).toBeGreaterThan(0.97);
  });

  it.each([48_000, 44_100])('from %i Hz: a tone above 4 kHz does not fold back into the band (anti-alias)', (rate) => {
    // 5 kHz would alias to 3 kHz, 7 kHz to 1 kHz, 12 kHz to 4 kHz (48k) if decimated without a low-pass.
    for (const f of [5000, 7000, 12_000]) {
      const out = run(tone(f, rate, 2), rate, 128);
      expect(rms(out, 2000, out.length - 2000)).toBeLessThan(0.01);
    }
    // Plain decimation (every 6th sample at 48 kHz) would keep it at full strength: the test can tell.
    if (rate === 48_000) {
      const input = tone(7000, rate, 1);
      const naive = Float32Array.from({ length: input.length / 6 }, (_, i) => input[i * 6]);
      expect(rms(naive)).toBeGreaterThan(0.5);
    }
  });

  it('gives the same samples whatever the chunk sizes', () => {
    const input = new Float32Array(48_000);
    let seed = 7;
    for (let i = 0; i < input.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      input[i] = seed / 2 ** 32 - 0.5;
    }
    const whole = run(input, 48_000, input.length);
    const small = run(input, 48_000, 128);
    const odd = run(input, 48_000, 1000 + 7);
    expect(small.length).toBe(whole.length);
    expect(odd.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) {
      expect(small[i]).toBeCloseTo(whole[i], 5);
      expect(odd[i]).toBeCloseTo(whole[i], 5);
    }
  });

  it('refuses to raise the rate', () => {
    expect(() => new Downsampler(8000, 48_000)).toThrow(RangeError);
  });
});
