// Pure helpers shared by both landmark stores: input checks, grouping a batch's landmarks by hash, and sorting,
// merging and filtering posting lists (interleaved [trackNum, frame] u32 pairs). No I/O, no module state.
import { AppError } from '../errors.js';
import type { TrackLandmarks } from './landmarkStore.js';

/** A shared zero-length result for unknown hashes. Zero-length typed arrays have nothing to mutate. */
export const EMPTY_POSTINGS: Uint32Array = new Uint32Array(0);

const MAX_U32 = 0xffff_ffff;

/** Whether this machine stores a u32 little-endian (x64, arm64: yes). Decides which u32 of a u64 is its high half. */
export const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const HI = IS_LITTLE_ENDIAN ? 1 : 0;
const LO = IS_LITTLE_ENDIAN ? 0 : 1;

/** A valid catalog track number: integer 1..2^32-1. */
export function isTrackNum(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_U32;
}

/**
 * Checks a putTracks batch and returns it with one entry per track number (the last one wins), sorted by trackNum.
 * Throws AppError('invalid-argument') on a malformed track.
 */
export function normalizeBatch(tracks: readonly TrackLandmarks[]): TrackLandmarks[] {
  const byNum = new Map<number, TrackLandmarks>();
  for (const track of tracks) {
    if (!isTrackNum(track.trackNum)) {
      throw new AppError('invalid-argument', `trackNum must be an integer in 1..2^32-1, got ${String(track.trackNum)}`);
    }
    const version = track.fingerprintVersion;
    if (!Number.isInteger(version) || version < 0 || version > MAX_U32) {
      throw new AppError('invalid-argument', `fingerprintVersion must be a u32, got ${String(version)}`);
    }
    if (!(track.landmarks instanceof Uint32Array) || track.landmarks.length % 2 !== 0) {
      throw new AppError('invalid-argument', `landmarks of track ${track.trackNum} must be a Uint32Array of [hash, frame] pairs`);
    }
    if (!(track.peaks instanceof Uint8Array)) {
      throw new AppError('invalid-argument', `peaks of track ${track.trackNum} must be a Uint8Array`);
    }
    byNum.set(track.trackNum, track);
  }
  return [...byNum.values()].sort((a, b) => a.trackNum - b.trackNum);
}

/**
 * Sorts `pairCount` interleaved u32 pairs in place by (first, second), e.g. [trackNum, frame] pairs.
 * Packs each pair into a u64 (first in the high half) and uses the native BigUint64Array sort: no comparator calls.
 */
export function sortPairs(pairs: Uint32Array, pairCount = pairs.length >>> 1): void {
  if (pairCount < 2) return;
  if (pairCount <= 16) {
    insertionSortPairs(pairs, pairCount);
    return;
  }
  const wide = new BigUint64Array(pairCount);
  const halves = new Uint32Array(wide.buffer);
  for (let i = 0; i < pairCount; i++) {
    halves[2 * i + HI] = pairs[2 * i];
    halves[2 * i + LO] = pairs[2 * i + 1];
  }
  wide.sort();
  for (let i = 0; i < pairCount; i++) {
    pairs[2 * i] = halves[2 * i + HI];
    pairs[2 * i + 1] = halves[2 * i + LO];
  }
}

function insertionSortPairs(pairs: Uint32Array, pairCount: number): void {
  for (let i = 1; i < pairCount; i++) {
    const a = pairs[2 * i];
    const b = pairs[2 * i + 1];
    let j = i - 1;
    while (j >= 0 && (pairs[2 * j] > a || (pairs[2 * j] === a && pairs[2 * j + 1] > b))) {
      pairs[2 * j + 2] = pairs[2 * j];
      pairs[2 * j + 3] = pairs[2 * j + 1];
      j--;
    }
    pairs[2 * j + 2] = a;
    pairs[2 * j + 3] = b;
  }
}

/** Whether the first `pairCount` pairs are in (first, second) order. */
export function arePairsSorted(pairs: Uint32Array, pairCount = pairs.length >>> 1): boolean {
  for (let i = 1; i < pairCount; i++) {
    const prev = pairs[2 * i - 2];
    const cur = pairs[2 * i];
    if (prev > cur || (prev === cur && pairs[2 * i - 1] > pairs[2 * i + 1])) return false;
  }
  return true;
}

/**
 * A batch's postings grouped by hash, compressed-row style: hash `hashes[i]` owns the pairs
 * `pairs[2*starts[i] .. 2*starts[i+1])`, each group sorted by (trackNum, frame). `hashes` is ascending and unique.
 */
export interface PostingGroups {
  readonly hashes: Uint32Array;
  /** hashes.length + 1 entries, in pairs. */
  readonly starts: Uint32Array;
  /** Interleaved [trackNum, frame] pairs. */
  readonly pairs: Uint32Array;
}

/** Groups the landmarks of `tracks` (sorted by trackNum, as normalizeBatch returns them) by hash. */
export function groupPostingsByHash(tracks: readonly TrackLandmarks[]): PostingGroups {
  let total = 0;
  for (const track of tracks) total += track.landmarks.length >>> 1;
  // One u64 per posting: hash in the high half, the posting's index in batch order in the low half. Batch order is
  // (trackNum, position in the track), so after the sort each hash's postings are in trackNum order already.
  const wide = new BigUint64Array(total);
  const halves = new Uint32Array(wide.buffer);
  const trackOf = new Uint32Array(total);
  const frameOf = new Uint32Array(total);
  let k = 0;
  for (const track of tracks) {
    const lm = track.landmarks;
    for (let i = 0; i < lm.length; i += 2, k++) {
      halves[2 * k + HI] = lm[i];
      halves[2 * k + LO] = k;
      trackOf[k] = track.trackNum;
      frameOf[k] = lm[i + 1];
    }
  }
  wide.sort();

  let groupCount = 0;
  for (let i = 0; i < total; i++) {
    if (i === 0 || halves[2 * i + HI] !== halves[2 * i - 2 + HI]) groupCount++;
  }
  const hashes = new Uint32Array(groupCount);
  const starts = new Uint32Array(groupCount + 1);
  const pairs = new Uint32Array(total * 2);
  let g = -1;
  for (let i = 0; i < total; i++) {
    const hash = halves[2 * i + HI];
    if (g < 0 || hashes[g] !== hash) {
      g++;
      hashes[g] = hash;
      starts[g] = i;
    }
    const index = halves[2 * i + LO];
    pairs[2 * i] = trackOf[index];
    pairs[2 * i + 1] = frameOf[index];
  }
  starts[groupCount] = total;
  // Frames within one track are usually ascending already; fix the groups where they are not.
  for (let i = 0; i < groupCount; i++) {
    const from = starts[i];
    const count = starts[i + 1] - from;
    const group = pairs.subarray(2 * from, 2 * (from + count));
    if (!arePairsSorted(group, count)) sortPairs(group, count);
  }
  return { hashes, starts, pairs };
}

/** The distinct hashes of a landmark list ([hash, frame] pairs), ascending. */
export function distinctHashes(landmarks: Uint32Array): Uint32Array {
  const count = landmarks.length >>> 1;
  const hashes = new Uint32Array(count);
  for (let i = 0; i < count; i++) hashes[i] = landmarks[2 * i];
  hashes.sort();
  return uniqueSorted(hashes);
}

/** Drops repeats from an ascending array (returns a trimmed view of the same buffer). */
export function uniqueSorted(sorted: Uint32Array): Uint32Array {
  if (sorted.length < 2) return sorted;
  let w = 1;
  for (let r = 1; r < sorted.length; r++) {
    if (sorted[r] !== sorted[w - 1]) sorted[w++] = sorted[r];
  }
  return sorted.subarray(0, w);
}

/** Merges two posting lists, each sorted by (trackNum, frame), into a new sorted list. */
export function mergePostings(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length === 0) return b.slice();
  if (b.length === 0) return a.slice();
  const out = new Uint32Array(a.length + b.length);
  // Common case: the new tracks have higher numbers than everything stored (plain append).
  const aLastT = a[a.length - 2];
  const bFirstT = b[0];
  if (aLastT < bFirstT || (aLastT === bFirstT && a[a.length - 1] <= b[1])) {
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j] || (a[i] === b[j] && a[i + 1] <= b[j + 1])) {
      out[o++] = a[i++];
      out[o++] = a[i++];
    } else {
      out[o++] = b[j++];
      out[o++] = b[j++];
    }
  }
  if (i < a.length) out.set(a.subarray(i), o);
  else if (j < b.length) out.set(b.subarray(j), o);
  return out;
}

/**
 * Removes every pair whose trackNum is in `trackNums` from the first `pairCount` pairs, in place, keeping order.
 * Returns the number of pairs left.
 */
export function removeTrackPairs(pairs: Uint32Array, pairCount: number, trackNums: ReadonlySet<number>): number {
  let w = 0;
  for (let r = 0; r < pairCount; r++) {
    const t = pairs[2 * r];
    if (trackNums.has(t)) continue;
    if (w !== r) {
      pairs[2 * w] = t;
      pairs[2 * w + 1] = pairs[2 * r + 1];
    }
    w++;
  }
  return w;
}
