// Test helper: deterministic peak scatters standing in for tracks, and their postings held in memory as the landmark
// store would hold them (track number -> peaks). For tests only.
import type { FingerprintConfig } from '../fingerprint/config.js';
import { makeTrackLandmarks } from '../fingerprint/landmarks.js';
import type { Peak } from '../fingerprint/peaks.js';
import type { MemoryPostings } from './memoryPostings.js';

/** A deterministic scatter of peaks: one every 3 frames at pseudo-random pitches. */
export function scatterPeaks(seed: number, frames: number): Peak[] {
  const out: Peak[] = [];
  for (let f = 0; f < frames; f += 3) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out.push({ frame: f, pitch: 12 + (seed / 2 ** 32) * 50, prominenceDb: 10 });
  }
  return out;
}

/** The postings lookup and peak source over the given tracks' peaks. */
export function peakPostings(tracks: ReadonlyMap<number, readonly Peak[]>, config: FingerprintConfig): MemoryPostings {
  const postings = new Map<number, number[]>();
  for (const [num, peaks] of tracks) {
    const lm = makeTrackLandmarks(peaks, config);
    for (let i = 0; i < lm.length; i += 2) {
      let list = postings.get(lm[i]);
      if (!list) postings.set(lm[i], (list = []));
      list.push(num, lm[i + 1]);
    }
  }
  const stored = new Map<number, Uint32Array>([...postings].map(([hash, list]) => [hash, Uint32Array.from(list)]));
  const none = new Uint32Array(0);
  return { lookup: (hash) => stored.get(hash) ?? none, peaksOf: (num) => (tracks.get(num) ?? []) as Peak[] };
}
