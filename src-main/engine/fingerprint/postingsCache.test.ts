import { describe, expect, it } from 'vitest';
import { PostingsCache } from './postingsCache.js';

/** A store whose postings name their hash, counting its reads. */
function countingStore() {
  const reads = new Map<number, number>();
  const lookup = (hash: number): Uint32Array => {
    reads.set(hash, (reads.get(hash) ?? 0) + 1);
    return Uint32Array.of(hash, hash + 1);
  };
  return { reads, lookup };
}

describe('PostingsCache with no budget: two windows', () => {
  it("answers the store's postings, reading each hash once while this window or the one before used it", () => {
    const { reads, lookup } = countingStore();
    const cache = new PostingsCache(lookup, 8, 0);
    expect([...cache.get(5)]).toEqual([5, 6]);
    expect(cache.get(5)).toBe(cache.get(5));
    cache.nextWindow();
    expect([...cache.get(5)]).toEqual([5, 6]); // used by the window before: kept
    cache.nextWindow();
    cache.nextWindow(); // used neither in this window nor in the one before: let go
    expect([...cache.get(5)]).toEqual([5, 6]);
    expect(reads.get(5)).toBe(2);
    expect(cache.lookups).toBe(2);
    expect(cache.hits).toBe(3);
  });

  it('keeps what each window uses for one more window only, as it goes on', () => {
    const { reads, lookup } = countingStore();
    const cache = new PostingsCache(lookup, 8, 0);
    // Window w uses hashes w and w + 1: each hash is used by two windows in a row, so it is read once.
    for (let w = 0; w < 50; w++) {
      cache.get(w);
      cache.get(w + 1);
      expect(cache.size).toBeLessThanOrEqual(4);
      cache.nextWindow();
    }
    for (let h = 0; h <= 50; h++) expect(reads.get(h)).toBe(1);
    // A window's hashes are kept through the next window only: a hash used every other window is read each time.
    for (let w = 0; w < 12; w++) {
      if (w % 2 === 0) cache.get(200);
      cache.nextWindow();
    }
    expect(reads.get(200)).toBe(6);
  });

  it('serves hashes beyond its slots the same way', () => {
    const { reads, lookup } = countingStore();
    const cache = new PostingsCache(lookup, 4, 0); // slots 0..15
    expect([...cache.get(1000)]).toEqual([1000, 1001]);
    cache.nextWindow();
    cache.get(1000);
    cache.nextWindow();
    cache.nextWindow();
    expect(cache.size).toBe(0);
    cache.get(1000);
    expect(reads.get(1000)).toBe(2);
  });
});

describe('PostingsCache with a budget', () => {
  /** Hash h's postings hold h pairs. */
  function sizedStore() {
    const reads = new Map<number, number>();
    const lookup = (hash: number): Uint32Array => {
      reads.set(hash, (reads.get(hash) ?? 0) + 1);
      return new Uint32Array(2 * hash);
    };
    return { reads, lookup };
  }

  it('keeps older windows while it holds at most the budget, letting go of the least recently used first', () => {
    const { reads, lookup } = sizedStore();
    const cache = new PostingsCache(lookup, 8, 100);
    for (const h of [10, 20, 30]) {
      cache.get(h);
      cache.nextWindow();
    }
    expect(cache.pairs).toBe(60); // under the budget: all kept
    cache.get(10); // used again: now the most recent of the three
    cache.nextWindow();
    cache.get(50); // 110 pairs: over the budget
    cache.nextWindow();
    // Let go, oldest window first, until within the budget: 20 (window 1) only; 10 was used again in window 3.
    expect(cache.pairs).toBe(90);
    for (const h of [10, 20, 30, 50]) cache.get(h);
    expect([10, 20, 30, 50].map((h) => reads.get(h))).toEqual([1, 2, 1, 1]);
  });

  it('always keeps what this window and the one before used, even beyond the budget', () => {
    const { reads, lookup } = sizedStore();
    const cache = new PostingsCache(lookup, 8, 10);
    cache.get(100);
    cache.nextWindow();
    cache.get(200);
    cache.nextWindow();
    expect(cache.pairs).toBe(200); // window 0's 100 pairs let go; window 1's kept
    cache.get(200);
    expect(reads.get(200)).toBe(1);
  });

  it('keeps at most maxWindows windows, whatever the budget', () => {
    const { lookup } = sizedStore();
    const cache = new PostingsCache(lookup, 8, 1e9, 3);
    for (let w = 1; w <= 10; w++) {
      cache.get(w);
      cache.nextWindow();
    }
    expect(cache.size).toBeLessThanOrEqual(4);
  });
});
