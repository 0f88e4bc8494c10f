import { describe, expect, it } from 'vitest';
import { createRng } from '../src-main/engine/testing/synthAudio.js';
import { bestLagCorrelation } from './verbatimCopy.js';

const noise = (n: number, seed: number): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng() * 2 - 1);
};

describe('bestLagCorrelation', () => {
  it('finds a copy at its lag, through added noise, and nothing in unrelated audio', () => {
    const track = noise(12000, 1);
    const copy = track.slice(3000, 11000);
    expect(bestLagCorrelation(copy, track, 4000)).toEqual({ r: expect.closeTo(1, 6), lag: 3000 });
    // The same recording under noise as loud as itself still reads about 1 / sqrt(2).
    const other = noise(8000, 2);
    const noisy = copy.map((v, i) => v + other[i]);
    const heard = bestLagCorrelation(noisy, track, 4000);
    expect(heard.lag).toBe(3000);
    expect(heard.r).toBeGreaterThan(0.6);
    expect(heard.r).toBeLessThan(0.8);
    // Another recording: nowhere near the bar.
    expect(bestLagCorrelation(other, track, 4000).r).toBeLessThan(0.1);
  });

  it('reads silence as nothing', () => {
    expect(bestLagCorrelation(new Float32Array(100), noise(300, 3), 100)).toEqual({ r: 0, lag: 0 });
  });
});
