// Posting lists in the LMDB `postings` sub-db, split into chunks of at most CHUNK_MAX_PAIRS pairs so no value
// outgrows an inline LMDB node (no overflow pages) and a write rewrites only the chunks it changes.
// Synchronous; write functions must run inside the caller's write transaction.
//
// Key: 8 bytes [hash u32 BE][firstTrack u32 BE] (memcmp order = (hash, firstTrack)). A hash's first chunk always
// has firstTrack 0; chunk i holds the postings of tracks in [its firstTrack, the next chunk's firstTrack), so every
// track's postings of one hash sit in exactly one chunk. Value: [trackNum u32, frame u32]* little-endian, sorted by
// (trackNum, frame); when a hash has more than one chunk, its first chunk ends with a u32 chunk count (so its
// length is 4 mod 8). A lookup of a single-chunk hash (nearly all of them until a library is large) is one get.
import type { Database } from 'lmdb';
import { EMPTY_POSTINGS, IS_LITTLE_ENDIAN, mergePostings, removeTrackPairs } from './postings.js';

/** 240 pairs = 1920 bytes (+4 trailer): under LMDB's ~2 KB inline-node limit on 4 KB pages. */
export const CHUNK_MAX_PAIRS = 240;

export type ChunkDb = Database<Uint8Array, Uint8Array>;

const MAX_U32 = 0xffff_ffff;

function chunkKey(hash: number, firstTrack: number): Buffer {
  const key = Buffer.allocUnsafe(8);
  key.writeUInt32BE(hash, 0);
  key.writeUInt32BE(firstTrack, 4);
  return key;
}

/** The bytes of a u32 array as stored (little-endian). No copy on little-endian machines. */
export function u32ToStored(values: Uint32Array): Uint8Array {
  if (IS_LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bytes = new Uint8Array(values.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setUint32(4 * i, values[i], true);
  return bytes;
}

/** A fresh Uint32Array from the first `byteLength` stored (little-endian) bytes. */
export function storedToU32(bytes: Uint8Array, byteLength: number): Uint32Array {
  const out = new Uint32Array(byteLength >>> 2);
  if (IS_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(0, byteLength));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getUint32(4 * i, true);
  }
  return out;
}

/** Reused for the hot-path get (lmdb-js copies the key before returning); firstTrack stays 0. */
const lookupKey = Buffer.alloc(8);

/** All postings of `hash`, sorted by (trackNum, frame); EMPTY_POSTINGS (shared, zero-length) when none. */
export function readPostings(db: ChunkDb, hash: number): Uint32Array {
  lookupKey.writeUInt32BE(hash, 0);
  const first = db.getBinaryFast(lookupKey);
  if (first === undefined) return EMPTY_POSTINGS;
  // getBinaryFast returns a reused buffer whose own `length` is this value's size: copy out before the next read.
  const byteLength = first.length;
  if ((byteLength & 7) === 0) return storedToU32(first, byteLength);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const { value } of db.getRange({ start: chunkKey(hash, 0), end: chunkKey(hash, MAX_U32), inclusiveEnd: true })) {
    const pairBytes = value.length & ~7; // drops the first chunk's trailer
    parts.push(value.subarray(0, pairBytes));
    total += pairBytes;
  }
  const out = new Uint32Array(total >>> 2);
  const outBytes = new Uint8Array(out.buffer);
  let offset = 0;
  for (const part of parts) {
    if (IS_LITTLE_ENDIAN) outBytes.set(part, offset);
    else out.set(storedToU32(part, part.length), offset >>> 2);
    offset += part.length;
  }
  return out;
}

/** First-track keys of all chunks of `hash`, ascending (keys only: no values are copied). */
function readChunkStarts(db: ChunkDb, hash: number): number[] {
  const starts: number[] = [];
  for (const key of db.getKeys({ start: chunkKey(hash, 0), end: chunkKey(hash, MAX_U32), inclusiveEnd: true })) {
    starts.push(Buffer.from(key.buffer, key.byteOffset, key.byteLength).readUInt32BE(4));
  }
  return starts;
}

/** Index of the first pair whose trackNum is >= track (pairs sorted by trackNum). */
function firstPairAtOrAfter(pairs: Uint32Array, track: number): number {
  let lo = 0;
  let hi = pairs.length >>> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pairs[2 * mid] < track) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the ascending `sorted` holds a value in [lo, hi). */
function hasValueIn(sorted: Uint32Array, lo: number, hi: number): boolean {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (sorted[mid] < lo) a = mid + 1;
    else b = mid;
  }
  return a < sorted.length && sorted[a] < hi;
}

interface Chunk {
  readonly firstTrack: number;
  readonly pairs: Uint32Array;
}

/**
 * Cuts a sorted list into chunks of at most CHUNK_MAX_PAIRS pairs, only between tracks (one track's postings never
 * span two chunks, so a single track with more postings of one hash makes one oversized chunk). The first chunk
 * keeps `firstTrack`; the others start at their first pair's track. Always returns at least one chunk.
 */
export function splitIntoChunks(pairs: Uint32Array, firstTrack: number): Chunk[] {
  const count = pairs.length >>> 1;
  if (count <= CHUNK_MAX_PAIRS) return [{ firstTrack, pairs }];
  const chunks: Chunk[] = [];
  let start = 0;
  let startTrack = firstTrack;
  let i = 0;
  while (i < count) {
    const track = pairs[2 * i];
    let end = i + 1;
    while (end < count && pairs[2 * end] === track) end++;
    if (end - start > CHUNK_MAX_PAIRS && i > start) {
      chunks.push({ firstTrack: startTrack, pairs: pairs.subarray(2 * start, 2 * i) });
      start = i;
      startTrack = track;
    }
    i = end;
  }
  chunks.push({ firstTrack: startTrack, pairs: pairs.subarray(2 * start) });
  return chunks;
}

/**
 * Sets the list of `hash` to (stored list without the postings of `removeTracks`) merged with `add`.
 * `add`: pairs sorted by (trackNum, frame). `removeTracks`/`removeSet`: the same track numbers, ascending array
 * and set; a superset is fine (tracks with no postings here cost a read, no write). Touches only the chunks whose
 * track ranges meet `add` or `removeTracks`.
 */
export function rewritePostings(
  db: ChunkDb,
  hash: number,
  add: Uint32Array,
  removeTracks: Uint32Array,
  removeSet: ReadonlySet<number>,
): void {
  const firstBytes = db.getBinaryFast(chunkKey(hash, 0));
  if (firstBytes === undefined && add.length === 0) return;
  let firstPairs = EMPTY_POSTINGS;
  let starts = [0];
  if (firstBytes !== undefined) {
    const byteLength = firstBytes.length;
    firstPairs = storedToU32(firstBytes, byteLength & ~7);
    if ((byteLength & 7) !== 0) starts = readChunkStarts(db, hash);
  }
  const storedCount = firstBytes === undefined ? 0 : starts.length;
  let chunkCount = starts.length;
  let firstChanged = false;

  for (let i = 0; i < starts.length; i++) {
    const lo = starts[i];
    const hi = i + 1 < starts.length ? starts[i + 1] : MAX_U32 + 1;
    const addPart = add.subarray(2 * firstPairAtOrAfter(add, lo), 2 * firstPairAtOrAfter(add, hi));
    const mayRemove = removeTracks.length > 0 && hasValueIn(removeTracks, lo, hi);
    if (addPart.length === 0 && !mayRemove) continue;

    let current: Uint32Array;
    if (i === 0) current = firstPairs;
    else {
      const bytes = db.getBinaryFast(chunkKey(hash, lo));
      current = bytes === undefined ? EMPTY_POSTINGS : storedToU32(bytes, bytes.length);
    }
    // `current` is a private copy (or the shared empty array, which removeTrackPairs leaves alone).
    const kept = mayRemove ? current.subarray(0, 2 * removeTrackPairs(current, current.length >>> 1, removeSet)) : current;
    if (kept.length === current.length && addPart.length === 0) continue;
    const pieces = splitIntoChunks(addPart.length === 0 ? kept : mergePostings(kept, addPart), lo);

    if (i === 0) {
      firstPairs = pieces[0].pairs;
      firstChanged = true;
    } else if (pieces[0].pairs.length === 0) {
      db.removeSync(chunkKey(hash, lo));
      chunkCount--;
    } else {
      db.putSync(chunkKey(hash, lo), u32ToStored(pieces[0].pairs));
    }
    for (let p = 1; p < pieces.length; p++) {
      db.putSync(chunkKey(hash, pieces[p].firstTrack), u32ToStored(pieces[p].pairs));
      chunkCount++;
    }
  }

  if (!firstChanged && chunkCount === storedCount) return;
  if (chunkCount === 1 && firstPairs.length === 0) {
    db.removeSync(chunkKey(hash, 0));
    return;
  }
  db.putSync(chunkKey(hash, 0), withTrailer(firstPairs, chunkCount));
}

/** The first chunk's stored bytes: its pairs, then the chunk count when there is more than one chunk. */
function withTrailer(pairs: Uint32Array, chunkCount: number): Uint8Array {
  if (chunkCount <= 1) return u32ToStored(pairs);
  const out = new Uint32Array(pairs.length + 1);
  out.set(pairs, 0);
  out[pairs.length] = chunkCount;
  return u32ToStored(out);
}
