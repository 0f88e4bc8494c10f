// The landmark store interface: hash -> postings (track number, frame), plus each track's own landmark list
// so a track can be deleted without its file. Two implementations share one contract test:
// lmdbLandmarkStore.ts (on disk, the app's) and memoryLandmarkStore.ts (tests, benchmarks).
// Also the pure rule for when compact() is worth running (isWorthCompacting).

/** One track's fingerprint as the store keeps it. */
export interface TrackLandmarks {
  /** Catalog track number (tracks.num, never reused). 1..2^32-1. */
  readonly trackNum: number;
  /** Fingerprint config version these landmarks were made with. */
  readonly fingerprintVersion: number;
  /** Interleaved pairs [hash, frame, hash, frame, ...]; hash is 32-bit unsigned, frame a hop index (u32). */
  readonly landmarks: Uint32Array;
  /** Opaque per-track blob for match verification (packed spectral peaks); may be empty. */
  readonly peaks: Uint8Array;
}

export interface LandmarkStoreStats {
  readonly trackCount: number;
  readonly landmarkCount: number;
  /** Bytes on disk (0 for the memory store). */
  readonly bytesOnDisk: number;
  /**
   * Bytes the pages in use take (0 for the memory store): bytesOnDisk - liveBytes is freed space the store keeps
   * for reuse. compact() brings bytesOnDisk down to about this, usually below: it also refills part-empty pages.
   */
  readonly liveBytes: number;
}

/** Sizes of the store's file around one compact() call, in bytes (0 for the memory store). */
export interface CompactionResult {
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

export interface LandmarkStore {
  /**
   * Writes several tracks atomically (one transaction): after a crash either all of a batch is there or none.
   * A track already present is replaced (its old postings removed first), so a retry never duplicates.
   */
  putTracks(tracks: readonly TrackLandmarks[]): Promise<void>;
  /** Removes the tracks and all their postings; unknown numbers are ignored. Atomic. */
  deleteTracks(trackNums: readonly number[]): Promise<void>;
  /** Whether the track is stored (with any version). */
  hasTrack(trackNum: number): boolean;
  /** The version a stored track was fingerprinted with, or undefined. */
  trackVersion(trackNum: number): number | undefined;
  /** All stored track numbers (for consistency checks against the catalog). */
  trackNums(): number[];
  /**
   * Postings of one hash as interleaved pairs [trackNum, frame, ...], sorted by trackNum then frame.
   * Returns an empty array for an unknown hash. Synchronous: this is the query hot path.
   */
  lookup(hash: number): Uint32Array;
  /** The stored peaks blob of a track (empty if none / unknown). */
  getPeaks(trackNum: number): Uint8Array;
  stats(): LandmarkStoreStats;
  /**
   * Rewrites the store without its freed pages, so bytesOnDisk drops to about liveBytes. Crash-safe: a crash at any point
   * leaves the old or the new store, complete. Writes called meanwhile wait for it; lookups keep working (the
   * LMDB store refuses them only during its final swap, a few milliseconds with no macrotask in between).
   * The same object stays usable afterwards. LMDB: ~9 s per 100 MB of result on 2 loaded cores; memory: nothing.
   */
  compact(): Promise<CompactionResult>;
  close(): Promise<void>;
}

/**
 * compact() pays once the file is this many times its live size. LMDB reuses freed pages, so a store that only
 * grows settles near 2.5x; a batch that touches most pages needs a fresh copy of each, so a scan over a small or
 * middling library (tens of hours) can leave up to this ratio behind uncompacted.
 */
export const COMPACT_BLOAT_RATIO = 1.6;
/** ...and would free at least this many bytes (a small store is not worth rewriting after every scan). */
export const COMPACT_MIN_FREED_BYTES = 8 * 1024 * 1024;

/** Whether compact() is worth its cost (a full rewrite of the live data) for a store with these stats. */
export function isWorthCompacting(stats: LandmarkStoreStats): boolean {
  const freed = stats.bytesOnDisk - stats.liveBytes;
  return stats.bytesOnDisk > COMPACT_BLOAT_RATIO * stats.liveBytes && freed >= COMPACT_MIN_FREED_BYTES;
}
