// The stream matcher's postings cache: windows overlap, and music repeats itself (a chorus, a loop, the same chord
// under another melody), so a stream asks for the same hashes again and again.
import type { LookupFn } from './matcher.js';

/**
 * Postings kept across windows by default: 16 M pairs, 128 MB at most. A 10-minute mix on the corpus library (375
 * tracks) reads 4.8-6.5 M pairs of distinct hashes in all (a room mix's every window is a full search, 40 hypotheses'
 * keys): with 4 M, what a full search read was let go before the music came back to it, and the store was read
 * 1.3 M times instead of 0.7 M (session 27: 10-20 % of a room mix's time). The answers do not depend on it.
 */
export const DEFAULT_CACHE_PAIRS = 16 * 1024 * 1024;

/**
 * Caches postings across windows. What this window and the one before used is always kept; older entries are kept
 * too while the cache holds at most `budgetPairs` pairs, and let go least recently used first (a window at a time)
 * beyond it. A 9-minute mix asks the store about 1 M times for 0.5 M distinct hashes (17 M pairs read for 5 M
 * distinct): keeping only two windows' worth read each hash about twice.
 *
 * Slots are indexed by the hash itself (the hash space is small: 2^21 keys for fingerprint v3), with the window that
 * last used each slot beside it, so that a hit is two array reads. A full search asks the cache for every key of
 * 40-odd hypotheses, and a Map keyed by hash cost a tenth of a tracklist's time. Hashes outside the slots (none with
 * the configured layout) go to a Map that keeps two windows' worth.
 */
export class PostingsCache {
  private readonly slots: (Uint32Array | undefined)[];
  /** The window that last used each slot (-1: never). */
  private readonly usedIn: Int32Array;
  /** The hashes whose last use moved to this window, and those of earlier windows still held, oldest first. */
  private usedNow: number[] = [];
  private readonly history: { window: number; hashes: number[] }[] = [];
  private window = 0;
  private cachedPairs = 0;
  private cachedEntries = 0;
  private readonly outside = new Map<number, { postings: Uint32Array; window: number }>();
  lookups = 0;
  hits = 0;

  constructor(
    private readonly lookup: LookupFn,
    hashBits = 21,
    private readonly budgetPairs = DEFAULT_CACHE_PAIRS,
    /** Windows of history kept at most, whatever the budget (a loop heard for hours lists its hashes every window). */
    private readonly maxWindows = 240,
  ) {
    const size = 2 ** Math.min(hashBits, 24);
    this.slots = new Array<Uint32Array | undefined>(size).fill(undefined);
    this.usedIn = new Int32Array(size).fill(-1);
  }

  readonly get: LookupFn = (hash) => {
    if (hash >= 0 && hash < this.slots.length) {
      const cached = this.slots[hash];
      if (this.usedIn[hash] !== this.window) {
        this.usedIn[hash] = this.window;
        this.usedNow.push(hash);
      }
      if (cached !== undefined) {
        this.hits++;
        return cached;
      }
      this.lookups++;
      const postings = this.lookup(hash);
      this.slots[hash] = postings;
      this.cachedPairs += postings.length >>> 1;
      this.cachedEntries++;
      return postings;
    }
    const entry = this.outside.get(hash);
    if (entry) {
      this.hits++;
      entry.window = this.window;
      return entry.postings;
    }
    this.lookups++;
    const postings = this.lookup(hash);
    this.outside.set(hash, { postings, window: this.window });
    return postings;
  };

  /** Postings lists held now. */
  get size(): number {
    return this.cachedEntries + this.outside.size;
  }

  /** Pairs held now (in the slots). */
  get pairs(): number {
    return this.cachedPairs;
  }

  /**
   * Starts the next window, letting go (oldest first) of what this window and the one before did not use, while the
   * cache holds more than its budget or more than maxWindows windows.
   */
  nextWindow(): void {
    this.history.push({ window: this.window, hashes: this.usedNow });
    this.usedNow = [];
    this.window++;
    while (
      this.history.length > 0 &&
      this.history[0].window < this.window - 1 &&
      (this.cachedPairs > this.budgetPairs || this.history.length > this.maxWindows)
    ) {
      const oldest = this.history.shift()!;
      for (const h of oldest.hashes) {
        const postings = this.slots[h];
        if (this.usedIn[h] !== oldest.window || postings === undefined) continue; // used since (listed again later)
        this.slots[h] = undefined;
        this.cachedPairs -= postings.length >>> 1;
        this.cachedEntries--;
      }
    }
    for (const [h, entry] of this.outside) if (entry.window < this.window - 1) this.outside.delete(h);
  }
}
