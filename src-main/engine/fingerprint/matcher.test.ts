import { describe, expect, it } from 'vitest';
import type { QueryKeys } from './landmarks.js';
import { voteOffsets } from './matcher.js';

function keys(rows: [hash: number, frame: number, id: number][]): QueryKeys {
  return {
    hashes: Uint32Array.from(rows.map((r) => r[0])),
    frames: Float64Array.from(rows.map((r) => r[1])),
    landmarkIds: Uint32Array.from(rows.map((r) => r[2])),
    count: rows.length,
    landmarkCount: new Set(rows.map((r) => r[2])).size,
  };
}

describe('voteOffsets', () => {
  it('finds the offset most landmarks agree on, per track', () => {
    // Track 7 has hashes 1,2,3 at frames 110, 120, 131 -> clip frames 10, 20, 30 give offsets 100, 100, 101.
    // Track 9 has hash 2 at frame 500 (offset 480): one stray vote.
    const postings = new Map<number, number[]>([
      [1, [7, 110]],
      [2, [7, 120, 9, 500]],
      [3, [7, 131]],
    ]);
    const lookup = (h: number) => Uint32Array.from(postings.get(h) ?? []);
    const votes = voteOffsets(keys([[1, 10, 0], [2, 20, 1], [3, 30, 2]]), lookup, 1, 1);
    expect(votes[0].trackNum).toBe(7);
    expect(votes[0].alignedCount).toBe(3);
    expect(votes[0].offsetFrames).toBeCloseTo(100 + 1 / 3, 6);
    expect(votes[1]).toMatchObject({ trackNum: 9, alignedCount: 1, hitCount: 1 });
  });

  it('counts a landmark once per (track, offset) however many of its keys hit', () => {
    const lookup = (h: number) => Uint32Array.from(h === 1 || h === 2 ? [7, 50] : []);
    // Two keys of landmark 0 both hit track 7 at offset 40.
    const votes = voteOffsets(keys([[1, 10, 0], [2, 10, 0]]), lookup, 0, 1);
    expect(votes[0].alignedCount).toBe(1);
  });

  it('does not merge offsets further apart than the tolerance', () => {
    const postings = new Map<number, number[]>([[1, [3, 100]], [2, [3, 105]], [3, [3, 106]]]);
    const lookup = (h: number) => Uint32Array.from(postings.get(h) ?? []);
    const v = voteOffsets(keys([[1, 0, 0], [2, 0, 1], [3, 0, 2]]), lookup, 1, 1);
    expect(v[0].alignedCount).toBe(2); // 105 and 106 within +-1; 100 alone
    expect(v[0].offsetFrames).toBeCloseTo(105.5, 6);
  });
});
