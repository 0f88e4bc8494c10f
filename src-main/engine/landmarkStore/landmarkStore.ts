// The landmark store interface: hash -> postings (track number, frame), plus each track's own landmark list
// so a track can be deleted without its file. Two implementations share one contract test:
// lmdbLandmarkStore.ts (on disk, the app's) and memoryLandmarkStore.ts (tests, benchmarks).

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
  close(): Promise<void>;
}
