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

/**
 * A hash's postings, [track, frame]* sorted by (track, frame). The array must not change while a vote runs (voteOffsets
 * reads each list twice): the stores return a fresh copy, the caches arrays they never write to.
 */
export type LookupFn = (hash: number) => Uint32Array;

/**
 * Votes for every key; returns the best window of each track that got at least `minAligned` votes,
 * best first (ties by track number).
 *
 * Linear in the postings touched (the clip search and the stream matcher's windows touch hundreds of thousands per
 * vote on a large library, where sorting them all cost more than the lookups): votes are bucketed by track with a
 * stable counting sort read straight from the postings (one pass counts, one places: no copy of the votes in between,
 * which cost a third of the vote), then each track's offsets are counted in a dense histogram, where a landmark's second vote for
 * an offset it already voted for (two of its keys hitting one posting's neighbour) is dropped by a stamp per offset.
 * A track's score is the best window ending at an occupied offset (ties: the lowest offset), its offset the
 * vote-weighted mean over that window: the same answer as sliding a window over the sorted, deduplicated votes
 * (matcher.test.ts holds it to that reference).
 */
export function voteOffsets(keys: QueryKeys, lookup: LookupFn, toleranceFrames: number, minAligned = 2): TrackVote[] {
  // 1. Each key's postings, looked up once, and how many votes each track gets (the counting sort's counts).
  if (scratch.lists.length < keys.count) scratch.lists = new Array<Uint32Array>(Math.max(keys.count, scratch.lists.length * 2));
  const lists = scratch.lists;
  let counts = scratch.counts;
  let entryCount = 0;
  let maxTrack = -1;
  let minBin = Infinity;
  let maxBin = 0;
  for (let k = 0; k < keys.count; k++) {
    let postings: Uint32Array;
    try {
      postings = lookup(keys.hashes[k]);
    } catch (err) {
      // Leave the scratch as the next call expects it: no counts, no lists held.
      counts.fill(0);
      lists.fill(EMPTY, 0, k);
      throw err;
    }
    lists[k] = postings;
    const clipFrame = keys.frames[k];
    for (let p = 0; p < postings.length; p += 2) {
      const bin = Math.round(postings[p + 1] - clipFrame) + BIN_BIAS;
      if (bin < 0 || bin >= 2 * BIN_BIAS) continue;
      const track = postings[p];
      if (track >= counts.length - 1) counts = scratch.counts = grownInt32(counts, Math.max(2 * counts.length, track + 2), counts.length);
      counts[track + 1]++;
      entryCount++;
      if (track > maxTrack) maxTrack = track;
      if (bin > maxBin) maxBin = bin;
      if (bin < minBin) minBin = bin;
    }
  }
  if (entryCount === 0) {
    lists.fill(EMPTY, 0, keys.count);
    return [];
  }

  // 2. Stable counting sort of the votes by track, straight from the postings (each landmark's votes stay together,
  // in landmark order): a vote is its offset (a histogram index: the histogram spans only the offsets seen) and the
  // number of the landmark that cast it, side by side.
  const starts = counts.subarray(0, maxTrack + 2);
  for (let t = 0; t <= maxTrack; t++) starts[t + 1] += starts[t];
  if (scratch.votes.length < 2 * entryCount) scratch.votes = new Int32Array(Math.max(2 * entryCount, 2 * scratch.votes.length));
  const placed = scratch.votes;
  const fill = scratch.fill.length > maxTrack ? scratch.fill : (scratch.fill = new Int32Array(Math.max(maxTrack + 1, 2 * scratch.fill.length)));
  fill.set(starts.subarray(0, maxTrack + 1));
  let landmark = 0;
  for (let k = 0; k < keys.count;) {
    // All keys of one landmark are contiguous: its votes carry its number, so that it votes once per (track, offset).
    const id = keys.landmarkIds[k];
    for (; k < keys.count && keys.landmarkIds[k] === id; k++) {
      const postings = lists[k];
      lists[k] = EMPTY;
      const clipFrame = keys.frames[k];
      for (let p = 0; p < postings.length; p += 2) {
        const bin = Math.round(postings[p + 1] - clipFrame) + BIN_BIAS;
        if (bin < 0 || bin >= 2 * BIN_BIAS) continue;
        const at = 2 * fill[postings[p]]++;
        placed[at] = bin - minBin;
        placed[at + 1] = landmark;
      }
    }
    landmark++;
  }

  // 3. Per track: the window [hi - 2*tol, hi] with the most votes, over occupied offsets hi.
  const span = maxBin - minBin + 1;
  // Each offset's count and the landmark that last voted for it, side by side: one cache line for both.
  const cells = cellsOf(span);
  const width = 2 * toleranceFrames;
  const votes: TrackVote[] = [];
  for (let t = 0; t <= maxTrack; t++) {
    const from = 2 * starts[t];
    const to = 2 * starts[t + 1];
    if (to - from < 2 * minAligned) continue;
    let hits = 0;
    for (let i = from; i < to; i += 2) {
      const b = placed[i];
      const owner = placed[i + 1];
      if (cells[2 * b + 1] === owner) continue; // this landmark already voted for this offset
      cells[2 * b + 1] = owner;
      cells[2 * b]++;
      hits++;
    }
    let best = 0;
    let bestHi = 0;
    for (let i = from; i < to; i += 2) {
      const hi = placed[i];
      let sum = 0;
      for (let d = 0; d <= width && hi - d >= 0; d++) sum += cells[2 * (hi - d)];
      if (sum > best || (sum === best && hi < bestHi)) {
        best = sum;
        bestHi = hi;
      }
    }
    if (best >= minAligned) {
      let weighted = 0;
      for (let d = 0; d <= width && bestHi - d >= 0; d++) weighted += cells[2 * (bestHi - d)] * (bestHi - d + minBin - BIN_BIAS);
      votes.push({ trackNum: t, offsetFrames: weighted / best, alignedCount: best, hitCount: hits });
    }
    for (let i = from; i < to; i += 2) {
      const b = placed[i];
      cells[2 * b] = 0;
      cells[2 * b + 1] = -1;
    }
  }
  counts.fill(0, 0, maxTrack + 2);
  votes.sort((a, b) => b.alignedCount - a.alignedCount || a.trackNum - b.trackNum);
  if (scratch.votes.length > 2 * MAX_KEPT_VOTES) scratch = freshScratch();
  return votes;
}

/**
 * One track's vote near an offset it is expected at: the same count as voteOffsets' (a landmark votes once per
 * offset; the best window of +-toleranceFrames, ties to the lowest offset; the offset its vote-weighted mean), over that
 * track's votes at offsets within `reach` frames of `centre` only; null when fewer than `minAligned`. Equal to
 * voteOffsets over postings holding only those votes (matcher.test.ts). A song followed in a stream knows its track
 * and about where it is: this reads each posting list's entries of that one track (found by bisection: a list is
 * sorted by track) instead of counting every track's votes, which costs as much as the whole vote.
 */
export function trackVote(
  keys: QueryKeys,
  lookup: LookupFn,
  trackNum: number,
  centre: number,
  reach: number,
  toleranceFrames: number,
  minAligned = 2,
): TrackVote | null {
  const low = Math.round(centre) - Math.ceil(reach);
  const size = 2 * Math.ceil(reach) + 1;
  const counts = new Int32Array(size);
  const owner = new Int32Array(size).fill(-1);
  let hits = 0;
  let landmark = 0;
  for (let k = 0; k < keys.count;) {
    const id = keys.landmarkIds[k];
    for (; k < keys.count && keys.landmarkIds[k] === id; k++) {
      const postings = lookup(keys.hashes[k]);
      const clipFrame = keys.frames[k];
      // The first entry of the track: bisection over the (track, frame) pairs.
      let lo = 0;
      let hi = postings.length >> 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (postings[2 * mid] < trackNum) lo = mid + 1;
        else hi = mid;
      }
      for (let p = 2 * lo; p < postings.length && postings[p] === trackNum; p += 2) {
        const b = Math.round(postings[p + 1] - clipFrame) - low;
        if (b < 0 || b >= size || owner[b] === landmark) continue;
        owner[b] = landmark;
        counts[b]++;
        hits++;
      }
    }
    landmark++;
  }
  const width = 2 * toleranceFrames;
  let best = 0;
  let bestHi = 0;
  for (let hi = 0; hi < size; hi++) {
    if (counts[hi] === 0) continue;
    let sum = 0;
    for (let d = 0; d <= width && hi - d >= 0; d++) sum += counts[hi - d];
    if (sum > best) {
      best = sum;
      bestHi = hi;
    }
  }
  if (best < minAligned || best === 0) return null;
  let weighted = 0;
  for (let d = 0; d <= width && bestHi - d >= 0; d++) weighted += counts[bestHi - d] * (bestHi - d + low);
  return { trackNum, offsetFrames: weighted / best, alignedCount: best, hitCount: hits };
}

const EMPTY = new Uint32Array(0);

/**
 * The vote's working arrays, kept between calls (a vote of a long clip on a large library holds millions of votes:
 * allocating and growing them afresh each time cost a tenth of the vote). voteOffsets is synchronous and does not
 * call itself, so one set serves every call on this thread.
 */
function freshScratch() {
  return {
    /** Each key's postings between the count and the placement (let go as they are placed). */
    lists: new Array<Uint32Array>(1 << 12),
    /** Votes per track, then where each track's votes start: zero between calls. */
    counts: new Int32Array(1 << 12),
    fill: new Int32Array(1 << 12),
    /** (offset, landmark) per vote, by track. */
    votes: new Int32Array(1 << 17),
  };
}
let scratch = freshScratch();
/** Larger working arrays (8 bytes a vote) are let go after the call rather than kept for the next. */
const MAX_KEPT_VOTES = 1 << 22;

function grownInt32(a: Int32Array<ArrayBuffer>, size: number, used: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(size);
  out.set(a.subarray(0, used));
  return out;
}

/**
 * Per offset, its vote count (zero) and the last landmark that voted for it (-1: none), interleaved; reused by every
 * vote (cleared after each track), grown to the largest span of offsets seen.
 */
let sharedCells = new Int32Array(0);
function cellsOf(span: number): Int32Array {
  if (sharedCells.length < 2 * span) {
    sharedCells = new Int32Array(Math.max(2 * span, sharedCells.length * 2, 1 << 17));
    for (let i = 1; i < sharedCells.length; i += 2) sharedCells[i] = -1;
  }
  return sharedCells;
}
