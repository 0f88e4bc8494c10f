import { describe, expect, it } from 'vitest';
import { localMean2d, naiveLocalMean2d } from './localMean.js';
import { maxFilter2d, naiveMaxFilter2d } from './maxFilter.js';

function randomMatrix(rows: number, cols: number, seed: number): Float32Array {
  const m = new Float32Array(rows * cols);
  for (let i = 0; i < m.length; i++) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    m[i] = (seed / 2 ** 32) * 100 - 50;
  }
  return m;
}

describe('maxFilter2d', () => {
  it('matches a hand-worked 3x4 example', () => {
    // prettier-ignore
    const src = Float32Array.from([
      1, 5, 2, 0,
      3, 0, 0, 9,
      0, 2, 7, 1,
    ]);
    // radius 1 in both directions; edges clamp
    // prettier-ignore
    expect(Array.from(maxFilter2d(src, 3, 4, 1, 1))).toEqual([
      5, 5, 9, 9,
      5, 7, 9, 9,
      3, 7, 9, 9,
    ]);
  });

  it('equals the naive filter for many shapes and radii', () => {
    for (const [rows, cols, rr, rc] of [
      [1, 1, 0, 0],
      [7, 5, 2, 3],
      [40, 33, 6, 6],
      [13, 50, 9, 1],
      [5, 5, 10, 10],
      [64, 17, 3, 8],
    ]) {
      const src = randomMatrix(rows, cols, rows * 31 + cols);
      expect(Array.from(maxFilter2d(src, rows, cols, rr, rc))).toEqual(Array.from(naiveMaxFilter2d(src, rows, cols, rr, rc)));
    }
  });
});

describe('localMean2d', () => {
  it('averages a hand-worked 2x3 example with radius 1', () => {
    const src = Float32Array.from([0, 3, 6, 6, 3, 0]);
    // every window covers both rows; column windows: {0,1}, {0,1,2}, {1,2}
    const out = localMean2d(src, 2, 3, 1, 1);
    expect(out[0]).toBeCloseTo((0 + 3 + 6 + 3) / 4);
    expect(out[1]).toBeCloseTo(3);
    expect(out[2]).toBeCloseTo((3 + 6 + 3 + 0) / 4);
  });

  it('equals the naive mean for many shapes and radii', () => {
    for (const [rows, cols, rr, rc] of [
      [1, 1, 0, 0],
      [9, 4, 2, 1],
      [50, 40, 24, 24],
      [30, 7, 3, 9],
    ]) {
      const src = randomMatrix(rows, cols, rows + cols * 7);
      const fast = localMean2d(src, rows, cols, rr, rc);
      const slow = naiveLocalMean2d(src, rows, cols, rr, rc);
      for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(slow[i], 3);
    }
  });
});
