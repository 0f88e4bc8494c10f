// Test helper: the exact lane's postings of some tracks held in memory (track number -> PCM at the config's rate), as
// the landmark store would hold them, and each track's peaks. For tests only.
import type { FingerprintConfig } from '../fingerprint/config.js';
import { extractSignalPeaks } from '../fingerprint/fingerprintAudio.js';
import type { Peak } from '../fingerprint/peaks.js';
import { peakPostings } from './peakScatter.js';

export interface MemoryPostings {
  /** A hash's postings: (track number, track frame) pairs. */
  readonly lookup: (hash: number) => Uint32Array;
  readonly peaksOf: (trackNum: number) => Peak[];
}

export function memoryPostings(tracks: ReadonlyMap<number, Float32Array>, config: FingerprintConfig): MemoryPostings {
  const peaksByTrack = new Map<number, Peak[]>();
  for (const [trackNum, pcm] of tracks) peaksByTrack.set(trackNum, extractSignalPeaks(pcm, config, 'track'));
  return peakPostings(peaksByTrack, config);
}
