import { describe, expect, it } from 'vitest';
import { createRng } from '../src-main/engine/testing/synthAudio.js';
import { bestBlockCorrelation, bestLagCorrelation } from './verbatimCopy.js';

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

describe('bestBlockCorrelation', () => {
  it('finds a copy inside a stretch that begins and ends on other audio, where the match puts it', () => {
    const track = noise(40000, 4);
    // 2000 samples of other audio, 12000 of the track from its sample 20000, 2000 more of other audio.
    const stretch = Float32Array.from([...noise(2000, 5), ...track.slice(20000, 32000), ...noise(2000, 6)]);
    // Whole, it reads well under the bar; its best block is the copy.
    expect(bestLagCorrelation(stretch, track, 18500, 17500).r).toBeLessThan(0.9);
    expect(bestBlockCorrelation(stretch, track, 18000, 1, 6000, 1000, 500)).toBeCloseTo(1, 6);
    // Where the match does not put it (2000 samples off, searched +-500), nothing.
    expect(bestBlockCorrelation(stretch, track, 20000, 1, 6000, 1000, 500)).toBeLessThan(0.1);
    // The track played 1 % fast is another rendering: the as-recorded comparison reads little.
    const fast = Float32Array.from({ length: 12000 }, (_, i) => track[20000 + Math.floor(i * 1.01)]);
    expect(bestBlockCorrelation(fast, track, 20000, 1.01, 6000, 1000, 500)).toBeLessThan(0.3);
  });
});
