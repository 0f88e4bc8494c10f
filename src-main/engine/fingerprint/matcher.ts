// Stage 5: vote by time offset. Each query key's postings vote for (track, offset = trackFrame - clipFrame*timeFactor);
// a landmark votes at most once per (track, offset). A track's score is the largest vote count in a window of
// +-toleranceFrames offsets. Pure: the store's lookup is passed in.
import type { QueryKeys } from './landmarks.js';

export interface TrackVote {
  readonly trackNum: number;
  /** Frames: where the clip's frame 0 falls in the track (vote-weighted mean over the best window). */
  readonly offsetFrames: number;
  /** Distinct landmark votes in the best offset window. */
  readonly alignedCount: number;
  /** All votes the track got, at any offset (its background). */
  readonly hitCount: number;
}

const BIN_BIAS = 2 ** 22; // offsets in frames are kept in [-2^22, 2^22): 18 hours at 16 ms
const TRACK_SCALE = 2 ** 23;

export type LookupFn = (hash: number) => Uint32Array;

/**
 * Votes for every key; returns the best window of each track that got at least `minAligned` votes,
 * best first (ties by track number).
 */
export function voteOffsets(keys: QueryKeys, lookup: LookupFn, toleranceFrames: number, minAligned = 2): TrackVote[] {
  let entries = new Float64Array(16384);
  let entryCount = 0;
  let k = 0;
  while (k < keys.count) {
    // All keys of one landmark are contiguous: append its (track, offset) votes, then drop repeats among them.
    const id = keys.landmarkIds[k];
    const landmarkStart = entryCount;
    for (; k < keys.count && keys.landmarkIds[k] === id; k++) {
      const postings = lookup(keys.hashes[k]);
      if (postings.length === 0) continue;
      const clipFrame = keys.frames[k];
      if (entryCount + postings.length / 2 > entries.length) {
        const grown = new Float64Array(Math.max(entries.length * 2, entryCount + postings.length));
        grown.set(entries.subarray(0, entryCount));
        entries = grown;
      }
      for (let p = 0; p < postings.length; p += 2) {
        const bin = Math.round(postings[p + 1] - clipFrame);
        if (bin < -BIN_BIAS || bin >= BIN_BIAS) continue;
        entries[entryCount++] = postings[p] * TRACK_SCALE + (bin + BIN_BIAS);
      }
    }
    const added = entryCount - landmarkStart;
    if (added > 1) {
      const own = entries.subarray(landmarkStart, entryCount).sort();
      let w = 1;
      for (let i = 1; i < added; i++) if (own[i] !== own[w - 1]) own[w++] = own[i];
      entryCount = landmarkStart + w;
    }
  }
  const sorted = entries.subarray(0, entryCount).sort();

  // Run-length encode into (track, bin, count).
  const runTrack: number[] = [];
  const runBin: number[] = [];
  const runCount: number[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const v = sorted[i];
    const track = Math.floor(v / TRACK_SCALE);
    runTrack.push(track);
    runBin.push(v - track * TRACK_SCALE - BIN_BIAS);
    runCount.push(j - i);
    i = j;
  }

  // Per track: the window [bin - tol, bin + tol] with the most votes.
  const votes: TrackVote[] = [];
  for (let start = 0; start < runTrack.length; ) {
    const track = runTrack[start];
    let end = start;
    let hits = 0;
    while (end < runTrack.length && runTrack[end] === track) hits += runCount[end++];
    let best = 0;
    let bestOffset = 0;
    let lo = start;
    let windowSum = 0;
    let weighted = 0;
    // Sliding window over runs: keep runs with bin within [bin_hi - 2*tol, bin_hi].
    for (let hi = start; hi < end; hi++) {
      windowSum += runCount[hi];
      weighted += runCount[hi] * runBin[hi];
      while (runBin[hi] - runBin[lo] > 2 * toleranceFrames) {
        windowSum -= runCount[lo];
        weighted -= runCount[lo] * runBin[lo];
        lo++;
      }
      if (windowSum > best) {
        best = windowSum;
        bestOffset = weighted / windowSum;
      }
    }
    if (best >= minAligned) votes.push({ trackNum: track, offsetFrames: bestOffset, alignedCount: best, hitCount: hits });
    start = end;
  }
  votes.sort((a, b) => b.alignedCount - a.alignedCount || a.trackNum - b.trackNum);
  return votes;
}
