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
 *
 * Linear in the postings touched (the clip search and the stream matcher's windows touch hundreds of thousands per
 * vote on a large library, where sorting them all cost more than the lookups): votes are bucketed by track with a
 * counting sort, then each track's offsets are counted in a dense histogram. A track's score is the best window
 * ending at an occupied offset (ties: the lowest offset), its offset the vote-weighted mean over that window: the
 * same answer as sliding a window over the sorted votes.
 */
export function voteOffsets(keys: QueryKeys, lookup: LookupFn, toleranceFrames: number, minAligned = 2): TrackVote[] {
  let tracks = new Int32Array(16384);
  let bins = new Int32Array(16384);
  let entryCount = 0;
  let scratch = new Float64Array(256);
  let spare = new Float64Array(256);
  let runEnds = new Int32Array(16);
  let maxTrack = 0;
  let minBin = Infinity;
  let maxBin = 0;
  let k = 0;
  while (k < keys.count) {
    // All keys of one landmark are contiguous: gather its (track, offset) votes and drop repeats among them.
    const id = keys.landmarkIds[k];
    let n = 0;
    let runCount = 0;
    for (; k < keys.count && keys.landmarkIds[k] === id; k++) {
      const postings = lookup(keys.hashes[k]);
      if (postings.length === 0) continue;
      const clipFrame = keys.frames[k];
      if (n + postings.length / 2 > scratch.length) {
        const grown = new Float64Array(Math.max(scratch.length * 2, n + postings.length));
        grown.set(scratch.subarray(0, n));
        scratch = grown;
        spare = new Float64Array(grown.length);
      }
      for (let p = 0; p < postings.length; p += 2) {
        const bin = Math.round(postings[p + 1] - clipFrame);
        if (bin < -BIN_BIAS || bin >= BIN_BIAS) continue;
        scratch[n++] = postings[p] * TRACK_SCALE + (bin + BIN_BIAS);
      }
      if (runCount === runEnds.length) {
        const r2 = new Int32Array(runCount * 2);
        r2.set(runEnds);
        runEnds = r2;
      }
      runEnds[runCount++] = n;
    }
    if (n === 0) continue;
    if (n > 1 && sortRuns(scratch, spare, n, runEnds, runCount)) [scratch, spare] = [spare, scratch];
    if (entryCount + n > tracks.length) {
      const size = Math.max(tracks.length * 2, entryCount + n);
      const t2 = new Int32Array(size);
      t2.set(tracks.subarray(0, entryCount));
      tracks = t2;
      const b2 = new Int32Array(size);
      b2.set(bins.subarray(0, entryCount));
      bins = b2;
    }
    for (let i = 0; i < n; i++) {
      const v = scratch[i];
      if (i > 0 && v === scratch[i - 1]) continue;
      const track = Math.floor(v / TRACK_SCALE);
      const bin = v - track * TRACK_SCALE;
      tracks[entryCount] = track;
      bins[entryCount] = bin;
      entryCount++;
      if (track > maxTrack) maxTrack = track;
      if (bin > maxBin) maxBin = bin;
      if (bin < minBin) minBin = bin;
    }
  }
  if (entryCount === 0) return [];

  // Counting sort of the votes by track.
  const starts = new Int32Array(maxTrack + 2);
  for (let i = 0; i < entryCount; i++) starts[tracks[i] + 1]++;
  for (let t = 0; t <= maxTrack; t++) starts[t + 1] += starts[t];
  const byTrack = new Int32Array(entryCount);
  const fill = starts.slice(0, maxTrack + 1);
  // Offsets as histogram indexes: the histogram spans only the offsets seen (bins are biased by 2^22).
  for (let i = 0; i < entryCount; i++) byTrack[fill[tracks[i]]++] = bins[i] - minBin;

  // Per track: the window [hi - 2*tol, hi] with the most votes, over occupied offsets hi.
  const histogram = histogramOf(maxBin - minBin + 1);
  const width = 2 * toleranceFrames;
  const votes: TrackVote[] = [];
  for (let t = 0; t <= maxTrack; t++) {
    const from = starts[t];
    const to = starts[t + 1];
    if (to - from < minAligned) continue;
    for (let i = from; i < to; i++) histogram[byTrack[i]]++;
    let best = 0;
    let bestHi = 0;
    for (let i = from; i < to; i++) {
      const hi = byTrack[i];
      let sum = 0;
      for (let d = 0; d <= width && hi - d >= 0; d++) sum += histogram[hi - d];
      if (sum > best || (sum === best && hi < bestHi)) {
        best = sum;
        bestHi = hi;
      }
    }
    if (best >= minAligned) {
      let weighted = 0;
      for (let d = 0; d <= width && bestHi - d >= 0; d++) weighted += histogram[bestHi - d] * (bestHi - d + minBin - BIN_BIAS);
      votes.push({ trackNum: t, offsetFrames: weighted / best, alignedCount: best, hitCount: to - from });
    }
    for (let i = from; i < to; i++) histogram[byTrack[i]] = 0;
  }
  votes.sort((a, b) => b.alignedCount - a.alignedCount || a.trackNum - b.trackNum);
  return votes;
}

const INSERTION_SORT_MAX = 32;

/**
 * Sorts a landmark's votes, values[0, n) ascending, given as runs ending at runEnds[0, runCount) (one per key). Each
 * key's postings come sorted by track and frame, so each run is sorted: the runs are merged, pairwise, through
 * `spare` (same capacity). A run that is not sorted (a lookup that does not keep the store's order) sorts the whole.
 * Returns true when the sorted votes are in `spare`, false when in `values`. The typed array's own sort of every
 * landmark's votes was half of a vote's time.
 */
export function sortRuns(values: Float64Array, spare: Float64Array, n: number, runEnds: Int32Array, runCount: number): boolean {
  let from = 0;
  let sortedRuns = true;
  for (let r = 0; r < runCount && sortedRuns; r++) {
    const end = runEnds[r];
    for (let i = from + 1; i < end; i++) {
      if (values[i - 1] > values[i]) {
        sortedRuns = false;
        break;
      }
    }
    from = end;
  }
  if (!sortedRuns) {
    if (n <= INSERTION_SORT_MAX) insertionSort(values, n);
    else values.subarray(0, n).sort();
    return false;
  }
  let src = values;
  let dst = spare;
  let count = runCount;
  let inSpare = false;
  while (count > 1) {
    let out = 0;
    let start = 0;
    let merged = 0;
    for (let r = 0; r < count; r += 2) {
      const mid = runEnds[r];
      const end = r + 1 < count ? runEnds[r + 1] : mid;
      let a = start;
      let b = mid;
      while (a < mid && b < end) dst[out++] = src[a] <= src[b] ? src[a++] : src[b++];
      while (a < mid) dst[out++] = src[a++];
      while (b < end) dst[out++] = src[b++];
      runEnds[merged++] = end;
      start = end;
    }
    count = merged;
    [src, dst] = [dst, src];
    inSpare = !inSpare;
  }
  return inSpare;
}

function insertionSort(values: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
}

/** One zeroed histogram reused by every vote (cleared after each track), grown to the largest offset seen. */
let sharedHistogram = new Int32Array(0);
function histogramOf(size: number): Int32Array {
  if (sharedHistogram.length < size) sharedHistogram = new Int32Array(Math.max(size, sharedHistogram.length * 2, 1 << 16));
  return sharedHistogram;
}
