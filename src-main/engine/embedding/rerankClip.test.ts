import { describe, expect, it } from 'vitest';
import { rerankClip } from './rerankClip.js';

const groups = [
  { name: 'timbre', offset: 0, length: 2, weight: 0.5 },
  { name: 'harmony', offset: 2, length: 2, weight: 0.5 },
];

describe('rerankClip', () => {
  it('scores each candidate by its best window under the group weights, best first', () => {
    const clip = Float32Array.from([1, 0, 1, 0]);
    // Track 1 matches the timbre only; track 2 matches the harmony in its second window.
    const t1 = { trackNum: 1, windowCount: 1, windowVectors: Float32Array.from([1, 0, 0, 1]) };
    const t2 = { trackNum: 2, windowCount: 2, windowVectors: Float32Array.from([0, 1, 0, 1, 0, 1, 1, 0]) };
    expect(rerankClip(clip, 1, 4, [t1, t2], groups, { timbre: 1, harmony: 1 })).toEqual([
      [1, 0.5],
      [2, 0.5],
    ]);
    const harmonyFirst = rerankClip(clip, 1, 4, [t1, t2], groups, { timbre: 0.5, harmony: 1.5 });
    expect(harmonyFirst.map(([n]) => n)).toEqual([2, 1]);
    expect(harmonyFirst[0][1]).toBeCloseTo(0.75);
  });
});
