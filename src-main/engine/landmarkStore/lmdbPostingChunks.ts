// Posting lists in the LMDB `postings` sub-db, cut into chunks of at most CHUNK_MAX_PAIRS pairs so no value
// outgrows an inline LMDB node (no overflow pages) and a write rewrites only the chunks it changes.
// Synchronous; the write function must run inside the caller's write transaction.
//
// Values are [trackNum u32, frame u32]* little-endian, sorted by (trackNum, frame). Per hash, either:
//   - one chunk:  key [hash u32 BE] -> the pairs (length = 0 mod 8). Nearly every hash until a library is large;
//                 a lookup is then one get.
//   - n >= 2:     key [hash u32 BE] -> directory [n u32][firstTrack u32 x n](+ one zero u32 so length = 4 mod 8),
//                 key [hash BE][firstTrack BE] -> chunk. Chunk i holds the tracks in [firstTrack_i,
//                 firstTrack_i+1); the first chunk's firstTrack is 0. A lookup is 1 + n gets.
// A track's postings of one hash are never split between chunks, so replacing or deleting a track touches one chunk.
import type { Database } from 'lmdb';
import { EMPTY_POSTINGS, IS_LITTLE_ENDIAN, mergePostings, removeTrackPairs } from './postings.js';

/** 240 pairs = 1920 bytes: under LMDB's ~2 KB inline-node limit on 4 KB pages. */
export const CHUNK_MAX_PAIRS = 240;

export type ChunkDb = Database<Uint8Array, Uint8Array>;

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

/** lmdb-js copies a key before get/put/remove return, so write paths can reuse one buffer too. */
const writeHeadKey = Buffer.alloc(4);

function headKey(hash: number): Buffer {
  writeHeadKey.writeUInt32BE(hash, 0);
  return writeHeadKey;
}

function chunkKey(hash: number, firstTrack: number): Buffer {
  const key = Buffer.allocUnsafe(8);
  key.writeUInt32BE(hash, 0);
  key.writeUInt32BE(firstTrack, 4);
  return key;
}

/** Reused keys for the read hot path (lmdb-js copies a key before each get returns). */
const readHeadKey = Buffer.alloc(4);
const readChunkKey = Buffer.alloc(8);

/**
 * Reads a stored head value: the pairs of a single-chunk hash, or the chunk starts of a multi-chunk one.
 * `bytes` is lmdb-js's reused get buffer (its own `length` is the value's size): everything is copied out.
 */
function parseHead(bytes: Uint8Array): { pairs: Uint32Array } | { starts: Uint32Array } {
  const byteLength = bytes.length;
  const words = storedToU32(bytes, byteLength);
  if ((byteLength & 7) === 0) return { pairs: words };
  return { starts: words.subarray(1, 1 + words[0]) };
}

function encodeDirectory(starts: readonly number[]): Uint8Array {
  const words = new Uint32Array(1 + starts.length + (starts.length % 2 === 1 ? 1 : 0));
  words[0] = starts.length;
  for (let i = 0; i < starts.length; i++) words[1 + i] = starts[i];
  return u32ToStored(words);
}

/** All postings of `hash`, sorted by (trackNum, frame); EMPTY_POSTINGS (shared, zero-length) when none. */
export function readPostings(db: ChunkDb, hash: number): Uint32Array {
  readHeadKey.writeUInt32BE(hash, 0);
  const bytes = db.getBinaryFast(readHeadKey);
  if (bytes === undefined) return EMPTY_POSTINGS;
  const head = parseHead(bytes);
  if ('pairs' in head) return head.pairs;
  readChunkKey.writeUInt32BE(hash, 0);
  const parts: Uint32Array[] = [];
  let total = 0;
  for (const firstTrack of head.starts) {
    readChunkKey.writeUInt32BE(firstTrack, 4);
    const chunk = db.getBinaryFast(readChunkKey);
    if (chunk === undefined) continue;
    const part = storedToU32(chunk, chunk.length);
    parts.push(part);
    total += part.length;
  }
  const out = new Uint32Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
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

export interface Chunk {
  readonly firstTrack: number;
  readonly pairs: Uint32Array;
}

/**
 * Cuts a sorted list into chunks of at most CHUNK_MAX_PAIRS pairs, only between tracks (one track with more
 * postings of one hash than that gets an oversized chunk of its own). The first chunk keeps `firstTrack`; the
 * others start at their first pair's track. Always returns at least one (possibly empty) chunk.
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

/** One chunk while a hash is rewritten: `pairs` is known when read or changed; `changed` means it must be written. */
interface WorkingChunk {
  readonly firstTrack: number;
  pairs: Uint32Array | undefined;
  changed: boolean;
}

/**
 * Sets the list of `hash` to (stored list without the postings of `removeTracks`) merged with `add`.
 * `add`: pairs sorted by (trackNum, frame). `removeTracks`/`removeSet`: the same track numbers as an ascending
 * array and a set; a superset is fine (a chunk without them is read, not written). Only the chunks whose track
 * ranges meet `add` or `removeTracks` are read and rewritten.
 */
export function rewritePostings(db: ChunkDb, hash: number, add: Uint32Array, removeTracks: Uint32Array, removeSet: ReadonlySet<number>): void {
  const headBytes = db.getBinaryFast(headKey(hash));
  if (headBytes === undefined && add.length === 0) return;
  const head = headBytes === undefined ? { pairs: EMPTY_POSTINGS } : parseHead(headBytes);
  if ('pairs' in head) {
    // Fast path (nearly every hash of a small library): one inline list that stays within one chunk.
    const current = head.pairs;
    const kept = removeTracks.length > 0 ? current.subarray(0, 2 * removeTrackPairs(current, current.length >>> 1, removeSet)) : current;
    if (kept.length === current.length && add.length === 0) return;
    const merged = add.length === 0 ? kept : kept.length === 0 ? add : mergePostings(kept, add);
    if (merged.length === 0) {
      db.removeSync(headKey(hash));
    } else if (merged.length <= 2 * CHUNK_MAX_PAIRS) {
      db.putSync(headKey(hash), u32ToStored(merged));
    } else {
      const chunks = splitIntoChunks(merged, 0);
      for (const chunk of chunks) db.putSync(chunkKey(hash, chunk.firstTrack), u32ToStored(chunk.pairs));
      db.putSync(headKey(hash), encodeDirectory(chunks.map((c) => c.firstTrack)));
    }
    return;
  }
  // Several chunks: read and rewrite only those whose track ranges meet `add` or `removeTracks`.
  const stored: WorkingChunk[] = Array.from(head.starts, (firstTrack) => ({ firstTrack, pairs: undefined, changed: false }));

  const result: WorkingChunk[] = [];
  let anyChanged = false;
  for (let i = 0; i < stored.length; i++) {
    const chunk = stored[i];
    const lo = chunk.firstTrack;
    const hi = i + 1 < stored.length ? stored[i + 1].firstTrack : 0x1_0000_0000;
    const addPart = add.subarray(2 * firstPairAtOrAfter(add, lo), 2 * firstPairAtOrAfter(add, hi));
    const mayRemove = removeTracks.length > 0 && hasValueIn(removeTracks, lo, hi);
    if (addPart.length === 0 && !mayRemove) {
      result.push(chunk);
      continue;
    }
    const current = chunk.pairs ?? readChunk(db, hash, lo);
    // `current` is a private copy (or the shared empty array, which removeTrackPairs leaves alone).
    const kept = mayRemove ? current.subarray(0, 2 * removeTrackPairs(current, current.length >>> 1, removeSet)) : current;
    if (kept.length === current.length && addPart.length === 0) {
      result.push({ firstTrack: lo, pairs: current, changed: false });
      continue;
    }
    anyChanged = true;
    const merged = addPart.length === 0 ? kept : mergePostings(kept, addPart);
    if (merged.length === 0) {
      db.removeSync(chunkKey(hash, lo));
      continue;
    }
    for (const piece of splitIntoChunks(merged, lo)) result.push({ ...piece, changed: true });
  }
  if (!anyChanged) return;

  // The first chunk always starts at track 0 (tracks below a deleted first chunk now belong to the next one).
  if (result.length > 0 && result[0].firstTrack !== 0) {
    const first = result[0];
    // Its old key holds this chunk (unchanged) or its previous content (changed): drop it either way.
    const pairs = first.pairs ?? readChunk(db, hash, first.firstTrack);
    db.removeSync(chunkKey(hash, first.firstTrack));
    result[0] = { firstTrack: 0, pairs, changed: true };
  }

  if (result.length === 0) {
    db.removeSync(headKey(hash));
  } else if (result.length === 1) {
    // One chunk left: the list goes back inline under the head key.
    const only = result[0];
    const pairs = only.pairs ?? readChunk(db, hash, only.firstTrack);
    db.removeSync(chunkKey(hash, only.firstTrack));
    db.putSync(headKey(hash), u32ToStored(pairs));
  } else {
    for (const chunk of result) {
      if (chunk.changed) db.putSync(chunkKey(hash, chunk.firstTrack), u32ToStored(chunk.pairs!));
    }
    const starts = result.map((c) => c.firstTrack);
    const sameStarts = starts.length === stored.length && starts.every((t, i) => t === stored[i].firstTrack);
    if (!sameStarts) db.putSync(headKey(hash), encodeDirectory(starts));
  }
}

function readChunk(db: ChunkDb, hash: number, firstTrack: number): Uint32Array {
  const bytes = db.getBinaryFast(chunkKey(hash, firstTrack));
  return bytes === undefined ? EMPTY_POSTINGS : storedToU32(bytes, bytes.length);
}
