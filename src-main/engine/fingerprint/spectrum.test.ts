import { describe, expect, it } from 'vitest';
import { FINGERPRINT_CONFIG as C } from './config.js';
import { computeSpectrogram, createSpectrumScratch, fastPowerDb } from './spectrum.js';

describe('fastPowerDb', () => {
  it('is within 0.05 dB of 10*log10 and monotonic over 20 decades', () => {
    let prev = -Infinity;
    for (let e = -10; e <= 10; e += 0.001) {
      const x = 10 ** e;
      const db = fastPowerDb(x);
      expect(Math.abs(db - 10 * Math.log10(x))).toBeLessThan(0.05);
      expect(db).toBeGreaterThanOrEqual(prev);
      prev = db;
    }
  });
});

describe('computeSpectrogram', () => {
  it('puts a 1 kHz tone in the 1 kHz bin and reads zeros outside the signal', () => {
    const pcm = Float32Array.from({ length: C.sampleRateHz }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / C.sampleRateHz));
    const scratch = createSpectrumScratch(C);
    const spec = computeSpectrogram(pcm, 0, 10, 5, C, scratch);
    const row = spec.data.subarray(0, spec.binCount);
    const peakCol = row.indexOf(Math.max(...row));
    expect(spec.firstBin + peakCol).toBe(Math.round((1000 * C.fftSize) / C.sampleRateHz));
    const silent = computeSpectrogram(pcm, 0, 1000, 1, C, scratch); // far past the end: zeros
    expect(Math.max(...silent.data)).toBeLessThan(-95);
  });
});
