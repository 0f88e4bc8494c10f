import { describe, expect, it } from 'vitest';
import { createFftPlan, naivePowerSpectrum, powerSpectrum } from './fft.js';

describe('powerSpectrum', () => {
  it('matches the naive DFT on random input', () => {
    for (const size of [8, 64, 1024]) {
      const plan = createFftPlan(size);
      const frame = new Float64Array(size);
      let seed = 7;
      for (let i = 0; i < size; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        frame[i] = seed / 2 ** 32 - 0.5;
      }
      const fast = new Float64Array(size / 2 + 1);
      const slow = new Float64Array(size / 2 + 1);
      powerSpectrum(plan, frame, fast);
      naivePowerSpectrum(frame, size, slow);
      for (let k = 0; k <= size / 2; k++) expect(fast[k]).toBeCloseTo(slow[k], 6);
    }
  });

  it('puts DC, Nyquist and a bin-2 cosine into the right bins', () => {
    const plan = createFftPlan(8);
    const out = new Float64Array(5);
    powerSpectrum(plan, [1, 1, 1, 1, 1, 1, 1, 1], out);
    expect(out[0]).toBeCloseTo(64); // |sum|^2 = 8^2
    for (let k = 1; k <= 4; k++) expect(out[k]).toBeCloseTo(0);
    powerSpectrum(plan, [1, -1, 1, -1, 1, -1, 1, -1], out); // Nyquist
    expect(out[4]).toBeCloseTo(64);
    expect(out[0]).toBeCloseTo(0);
    // cos(2 pi n 2 / 8): bin 2 holds (N/2)^2 = 16
    const c = Array.from({ length: 8 }, (_, n) => Math.cos((2 * Math.PI * 2 * n) / 8));
    powerSpectrum(plan, c, out);
    expect(out[2]).toBeCloseTo(16);
    expect(out[1]).toBeCloseTo(0);
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => createFftPlan(1000)).toThrow(RangeError);
  });
});
