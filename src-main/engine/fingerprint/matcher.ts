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

export type LookupFn = (hash: number) => Uint32Array;

/**
 * Votes for every key; returns the best window of each track that got at least `minAligned` votes,
 * best first (ties by track number).
 *
 * Linear in the postings touched (the clip search and the stream matcher's windows touch hundreds of thousands per
 * vote on a large library, where sorting them all cost more than the lookups): votes are bucketed by track with a
 * stable counting sort, then each track's offsets are counted in a dense histogram, where a landmark's second vote for
 * an offset it already voted for (two of its keys hitting one posting's neighbour) is dropped by a stamp per offset.
 * A track's score is the best window ending at an occupied offset (ties: the lowest offset), its offset the
 * vote-weighted mean over that window: the same answer as sliding a window over the sorted, deduplicated votes
 * (matcher.test.ts holds it to that reference).
 */
export function voteOffsets(keys: QueryKeys, lookup: LookupFn, toleranceFrames: number, minAligned = 2): TrackVote[] {
  let { tracks, bins, owners } = scratch;
  let entryCount = 0;
  let maxTrack = 0;
  let minBin = Infinity;
  let maxBin = 0;
  let landmark = 0;
  let k = 0;
  while (k < keys.count) {
    // All keys of one landmark are contiguous: its votes carry its number, so that it votes once per (track, offset).
    const id = keys.landmarkIds[k];
    for (; k < keys.count && keys.landmarkIds[k] === id; k++) {
      const postings = lookup(keys.hashes[k]);
      if (postings.length === 0) continue;
      const clipFrame = keys.frames[k];
      if (entryCount + postings.length / 2 > tracks.length) {
        const size = Math.max(tracks.length * 2, entryCount + postings.length);
        tracks = grownInt32(tracks, size, entryCount);
        bins = grownInt32(bins, size, entryCount);
        owners = grownInt32(owners, size, entryCount);
        scratch = { ...scratch, tracks, bins, owners };
      }
      for (let p = 0; p < postings.length; p += 2) {
        const bin = Math.round(postings[p + 1] - clipFrame) + BIN_BIAS;
        if (bin < 0 || bin >= 2 * BIN_BIAS) continue;
        const track = postings[p];
        tracks[entryCount] = track;
        bins[entryCount] = bin;
        owners[entryCount] = landmark;
        entryCount++;
        if (track > maxTrack) maxTrack = track;
        if (bin > maxBin) maxBin = bin;
        if (bin < minBin) minBin = bin;
      }
    }
    landmark++;
  }
  if (entryCount === 0) return [];

  // Stable counting sort of the votes by track (each landmark's votes stay together, in landmark order).
  const starts = new Int32Array(maxTrack + 2);
  for (let i = 0; i < entryCount; i++) starts[tracks[i] + 1]++;
  for (let t = 0; t <= maxTrack; t++) starts[t + 1] += starts[t];
  if (scratch.byTrack.length < entryCount) scratch = { ...scratch, byTrack: new Int32Array(tracks.length), ownerByTrack: new Int32Array(tracks.length) };
  const { byTrack, ownerByTrack } = scratch;
  const fill = starts.slice(0, maxTrack + 1);
  // Offsets as histogram indexes: the histogram spans only the offsets seen (bins are biased by 2^22).
  for (let i = 0; i < entryCount; i++) {
    const at = fill[tracks[i]]++;
    byTrack[at] = bins[i] - minBin;
    ownerByTrack[at] = owners[i];
  }

  // Per track: the window [hi - 2*tol, hi] with the most votes, over occupied offsets hi.
  const span = maxBin - minBin + 1;
  const histogram = histogramOf(span);
  const stamps = stampsOf(span);
  const width = 2 * toleranceFrames;
  const votes: TrackVote[] = [];
  for (let t = 0; t <= maxTrack; t++) {
    const from = starts[t];
    const to = starts[t + 1];
    if (to - from < minAligned) continue;
    let hits = 0;
    for (let i = from; i < to; i++) {
      const b = byTrack[i];
      const owner = ownerByTrack[i];
      if (stamps[b] === owner) continue; // this landmark already voted for this offset
      stamps[b] = owner;
      histogram[b]++;
      hits++;
    }
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
      votes.push({ trackNum: t, offsetFrames: weighted / best, alignedCount: best, hitCount: hits });
    }
    for (let i = from; i < to; i++) {
      histogram[byTrack[i]] = 0;
      stamps[byTrack[i]] = -1;
    }
  }
  votes.sort((a, b) => b.alignedCount - a.alignedCount || a.trackNum - b.trackNum);
  if (scratch.tracks.length > MAX_KEPT_VOTES) scratch = freshScratch();
  return votes;
}

/**
 * The vote's working arrays, kept between calls (a vote of a long clip on a large library holds millions of votes:
 * allocating and growing them afresh each time cost a tenth of the vote). voteOffsets is synchronous and does not
 * call itself, so one set serves every call on this thread.
 */
function freshScratch() {
  const size = 1 << 16;
  return {
    tracks: new Int32Array(size),
    bins: new Int32Array(size),
    owners: new Int32Array(size),
    byTrack: new Int32Array(size),
    ownerByTrack: new Int32Array(size),
  };
}
let scratch = freshScratch();
/** Larger working arrays (20 bytes a vote) are let go after the call rather than kept for the next. */
const MAX_KEPT_VOTES = 1 << 21;

function grownInt32(a: Int32Array<ArrayBuffer>, size: number, used: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(size);
  out.set(a.subarray(0, used));
  return out;
}

/** One stamp per offset (-1: none), reused like the histogram and reset after each track. */
let sharedStamps = new Int32Array(0);
function stampsOf(size: number): Int32Array {
  if (sharedStamps.length < size) sharedStamps = new Int32Array(Math.max(size, sharedStamps.length * 2, 1 << 16)).fill(-1);
  return sharedStamps;
}

/** One zeroed histogram reused by every vote (cleared after each track), grown to the largest offset seen. */
let sharedHistogram = new Int32Array(0);
function histogramOf(size: number): Int32Array {
  if (sharedHistogram.length < size) sharedHistogram = new Int32Array(Math.max(size, sharedHistogram.length * 2, 1 << 16));
  return sharedHistogram;
}
