// The stream matcher's postings cache: windows overlap, so each hash is looked up about once per hypothesis tried.
import type { LookupFn } from './matcher.js';

/** Caches postings across overlapping windows: kept while used by this window or the one before. */
export class PostingsCache {
  private current = new Map<number, Uint32Array>();
  private previous = new Map<number, Uint32Array>();
  lookups = 0;
  hits = 0;
  constructor(private readonly lookup: LookupFn) {}
  readonly get: LookupFn = (hash) => {
    let p = this.current.get(hash);
    if (p) {
      this.hits++;
      return p;
    }
    p = this.previous.get(hash);
    if (p) this.hits++;
    else {
      p = this.lookup(hash);
      this.lookups++;
    }
    this.current.set(hash, p);
    return p;
  };
  nextWindow(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}
