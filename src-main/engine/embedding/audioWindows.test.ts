import { describe, expect, it } from 'vitest';
import { clipWindows, cosine, poolVectors, repeatPad, trackWindowStarts } from './audioWindows.js';

describe('audio windows', () => {
  it('repeat-pads a short clip to the window length', () => {
    expect(Array.from(repeatPad(Float32Array.from([1, 2, 3]), 7))).toEqual([1, 2, 3, 1, 2, 3, 1]);
    expect(Array.from(repeatPad(new Float32Array(0), 3))).toEqual([0, 0, 0]);
  });

  it('lays track windows a hop apart, or spreads at most maxWindows evenly', () => {
    expect(trackWindowStarts(5, 10, 4)).toEqual([0]);
    expect(trackWindowStarts(30, 10, 8)).toEqual([0, 10, 20]);
    expect(trackWindowStarts(32, 10, 8, 5)).toEqual([1, 6, 11, 16, 21]);
    const spread = trackWindowStarts(1000, 10, 4);
    expect(spread).toHaveLength(4);
    expect(spread[0]).toBeGreaterThan(0);
    expect(spread[3] + 10).toBeLessThan(1000);
  });

  it('slides clip windows and ends the last one at the clip end', () => {
    const pcm = Float32Array.from({ length: 25 }, (_, i) => i);
    const w = clipWindows(pcm, 10, 5);
    expect(w.map((x) => x[0])).toEqual([0, 5, 10, 15]);
    expect(w[w.length - 1][9]).toBe(24);
  });

  it('pools by mean and L2-normalises', () => {
    const p = poolVectors([Float32Array.from([1, 0]), Float32Array.from([0, 1])], 2);
    expect(p[0]).toBeCloseTo(Math.SQRT1_2);
    expect(cosine(p, Float32Array.from([1, 1]))).toBeCloseTo(1);
  });
});
