// Test helper: the exact lane's postings of some tracks held in memory (track number -> PCM at the config's rate), as
// the landmark store would hold them, and each track's peaks. For tests only.
import type { FingerprintConfig } from '../fingerprint/config.js';
import { extractSignalPeaks } from '../fingerprint/fingerprintAudio.js';
import { makeTrackLandmarks } from '../fingerprint/landmarks.js';
import type { Peak } from '../fingerprint/peaks.js';

export interface MemoryPostings {
  /** A hash's postings: (track number, track frame) pairs. */
  readonly lookup: (hash: number) => Uint32Array;
  readonly peaksOf: (trackNum: number) => Peak[];
}

export function memoryPostings(tracks: ReadonlyMap<number, Float32Array>, config: FingerprintConfig): MemoryPostings {
  const postings = new Map<number, number[]>();
  const peaksByTrack = new Map<number, Peak[]>();
  for (const [trackNum, pcm] of tracks) {
    const peaks = extractSignalPeaks(pcm, config, 'track');
    peaksByTrack.set(trackNum, peaks);
    const lm = makeTrackLandmarks(peaks, config);
    for (let i = 0; i < lm.length; i += 2) {
      let list = postings.get(lm[i]);
      if (!list) postings.set(lm[i], (list = []));
      list.push(trackNum, lm[i + 1]);
    }
  }
  const stored = new Map<number, Uint32Array>([...postings].map(([hash, list]) => [hash, Uint32Array.from(list)]));
  const none = new Uint32Array(0);
  return { lookup: (hash) => stored.get(hash) ?? none, peaksOf: (trackNum) => peaksByTrack.get(trackNum) ?? [] };
}
