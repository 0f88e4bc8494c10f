// The vibe lane's scores: the group space turns the weighted mean of group cosines into a plain cosine (what the
// HNSW indexes compute), and "more like this" lifts tracks with nearly the same harmony (another rendition).
import { describe, expect, it } from 'vitest';
import { cosine } from './audioWindows.js';
import { groupCosine, SAME_MUSIC_BONUS, SAME_MUSIC_HARMONY, toGroupSpace, windowsToGroupSpace } from './groupSpace.js';
import { rankSimilar } from './vibeLane.js';
import type { VectorIndex } from './vectorIndex.js';

const groups = [
  { name: 'timbre', offset: 0, length: 2, weight: 0.5 },
  { name: 'harmony', offset: 2, length: 2, weight: 0.5 },
];

describe('toGroupSpace', () => {
  it("makes the plain cosine equal the weighted mean of the group cosines, whatever the groups' scales", () => {
    const a = Float32Array.from([1, 0, 10, 0]);
    const b = Float32Array.from([1, 0, 0, 30]); // timbre identical (cos 1), harmony orthogonal (cos 0)
    const even = cosine(toGroupSpace(a, groups, { timbre: 1, harmony: 1 }), toGroupSpace(b, groups, { timbre: 1, harmony: 1 }));
    expect(even).toBeCloseTo(0.5, 6);
    const harmonyHeavy = cosine(toGroupSpace(a, groups, { timbre: 0.5, harmony: 1.5 }), toGroupSpace(b, groups, { timbre: 0.5, harmony: 1.5 }));
    expect(harmonyHeavy).toBeCloseTo(0.25, 6); // (0.5 * 1 + 1.5 * 0) / 2
    // Without the mapping the big harmony values would dominate: the raw cosine is ~0.
    expect(cosine(a, b)).toBeLessThan(0.01);
    // Unit length, so an index in cosine space sees exactly that score.
    expect(Math.hypot(...toGroupSpace(a, groups, { timbre: 0.5, harmony: 1.5 }))).toBeCloseTo(1, 6);
  });

  it('drops unweighted groups, maps every window of a block, and L2-normalises models without groups', () => {
    const v = Float32Array.from([3, 4, 5, 6]);
    expect(Array.from(toGroupSpace(v, groups, { timbre: 1 }))).toEqual([0.6000000238418579, 0.800000011920929, 0, 0]);
    const block = windowsToGroupSpace(Float32Array.from([3, 4, 0, 0, 0, 0, 0, 2]), 4, groups, { timbre: 1, harmony: 1 });
    expect(Array.from(block).map((x) => Number(x.toFixed(4)))).toEqual([0.4243, 0.5657, 0, 0, 0, 0, 0, 0.7071]);
    expect(Math.hypot(...toGroupSpace(v, undefined, {}))).toBeCloseTo(1, 6);
    expect(groupCosine(v, v, groups, 'harmony')).toBeCloseTo(1, 6);
    expect(groupCosine(v, v, undefined, 'harmony')).toBeNull();
  });
});

describe('rankSimilar', () => {
  it('adds the same-music bonus above the harmony threshold, so a rendition outranks a closer-sounding stranger', () => {
    const seed = Float32Array.from([1, 0, 1, 0]);
    const vectors = new Map<number, Float32Array>([
      [2, Float32Array.from([1, 0.1, 0, 1])], // same timbre, other harmony
      [3, Float32Array.from([0, 1, 1, 0.3])], // other instruments, nearly the same notes
    ]);
    // A stand-in index: answers with the group-space cosine of every stored track (what HNSW approximates).
    const index = {
      search: (q: Float32Array, k: number, filter: (label: number) => boolean) =>
        [...vectors]
          .filter(([label]) => filter(label))
          .map(([label, v]) => ({ label, cosine: cosine(q, toGroupSpace(v, groups, { timbre: 1, harmony: 1 })) }))
          .sort((x, y) => y.cosine - x.cosine)
          .slice(0, k),
    } as unknown as VectorIndex;
    const plain = index.search(toGroupSpace(seed, groups, { timbre: 1, harmony: 1 }), 2, () => true);
    expect(plain.map((h) => h.label)).toEqual([2, 3]); // without the bonus the stranger wins
    const ranked = rankSimilar(index, seed, 1, 2, groups, (n) => vectors.get(n));
    expect(ranked.map(([n]) => n)).toEqual([3, 2]);
    const harmony3 = groupCosine(seed, vectors.get(3)!, groups, 'harmony')!;
    expect(harmony3).toBeGreaterThan(SAME_MUSIC_HARMONY);
    expect(ranked[0][1]).toBeCloseTo(plain.find((h) => h.label === 3)!.cosine + SAME_MUSIC_BONUS * (harmony3 - SAME_MUSIC_HARMONY), 5);
  });
});
