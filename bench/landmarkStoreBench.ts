// Micro-benchmark (not a test): write N synthetic tracks into each landmark store design, then time random lookups.
// Reports postings/s written, lookups/s and bytes per posting. Run: npx tsx bench/landmarkStoreBench.ts
// Designs: memory (memoryLandmarkStore), chunked (lmdbLandmarkStore, the app's), and LMDB alternatives kept here only
// for comparison: packed1 (one value per hash), dupSort and dupFixed (one 8-byte duplicate per posting).
// 14-bit hashes stand in for a large library (~2000 h) with the fingerprinter's 22-bit hashes: hundreds per hash.
// Knobs (env): TRACKS=200 MINUTES=3 RATE=120 BATCH=20 LOOKUPS=20000 HASH_BITS=22,18,14 DESIGNS=memory,chunked,packed1,dupSort,dupFixed
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { TrackLandmarks } from '../src-main/engine/landmarkStore/landmarkStore.js';
import { openLmdbLandmarkStore } from '../src-main/engine/landmarkStore/lmdbLandmarkStore.js';
import { createMemoryLandmarkStore } from '../src-main/engine/landmarkStore/memoryLandmarkStore.js';
import { storedToU32, u32ToStored } from '../src-main/engine/landmarkStore/lmdbPostingChunks.js';
import { EMPTY_POSTINGS, groupPostingsByHash, mergePostings, normalizeBatch } from '../src-main/engine/landmarkStore/postings.js';

const TRACKS = Number(process.env.TRACKS ?? 200);
const MINUTES = Number(process.env.MINUTES ?? 3);
const RATE = Number(process.env.RATE ?? 120);
const BATCH = Number(process.env.BATCH ?? 20);
const LOOKUPS = Number(process.env.LOOKUPS ?? 20000);
const HASH_BITS = (process.env.HASH_BITS ?? '22,18,14').split(',').map(Number);
const DESIGNS = (process.env.DESIGNS ?? 'memory,chunked,packed1,dupSort,dupFixed').split(',');
const FRAMES_PER_SECOND = 125; // 16 kHz / 128-sample hop

/** The subset of a store the bench drives. */
interface BenchStore {
  putTracks(tracks: readonly TrackLandmarks[]): Promise<void>;
  lookup(hash: number): Uint32Array;
  close(): Promise<void>;
}

/** Alternative kept only here for comparison: a dupSort sub-db, one 8-byte big-endian [trackNum][frame] per posting. */
async function openDupSortStore(dir: string, dupFixed: boolean): Promise<BenchStore> {
  const env: RootDatabase = open(dir, { compression: false, encoding: 'binary' });
  const db: Database<Uint8Array, number> = env.openDB<Uint8Array, number>('postings', {
    dupSort: true,
    // Undocumented lmdb-js option mapping to MDB_DUPFIXED: fixed-size duplicates packed without node headers.
    ...(dupFixed ? ({ dupFixed: true } as object) : {}),
    keyEncoding: 'uint32',
    encoding: 'binary',
    compression: false,
  });
  return {
    async putTracks(tracks) {
      const groups = groupPostingsByHash(normalizeBatch(tracks));
      env.transactionSync(() => {
        for (let g = 0; g < groups.hashes.length; g++) {
          for (let p = groups.starts[g]; p < groups.starts[g + 1]; p++) {
            const value = Buffer.allocUnsafe(8);
            value.writeUInt32BE(groups.pairs[2 * p], 0);
            value.writeUInt32BE(groups.pairs[2 * p + 1], 4);
            db.putSync(groups.hashes[g], value);
          }
        }
      });
    },
    lookup(hash) {
      const out: number[] = [];
      for (const value of db.getValues(hash)) {
        out.push(value[0] * 0x100_0000 + ((value[1] << 16) | (value[2] << 8) | value[3]));
        out.push(value[4] * 0x100_0000 + ((value[5] << 16) | (value[6] << 8) | value[7]));
      }
      return Uint32Array.from(out);
    },
    close: () => env.close(),
  };
}

/**
 * Alternative kept only here for comparison: one value per hash holding its whole sorted list (read-modify-write on
 * insert). Fastest lookups while lists are short; long lists become overflow pages rewritten by every batch.
 */
async function openPackedSingleStore(dir: string): Promise<BenchStore> {
  const env: RootDatabase = open(dir, { compression: false, encoding: 'binary' });
  const db = env.openDB<Uint8Array, number>('postings', { keyEncoding: 'uint32', encoding: 'binary', compression: false });
  return {
    async putTracks(tracks) {
      const groups = groupPostingsByHash(normalizeBatch(tracks));
      env.transactionSync(() => {
        for (let g = 0; g < groups.hashes.length; g++) {
          const add = groups.pairs.subarray(2 * groups.starts[g], 2 * groups.starts[g + 1]);
          const bytes = db.getBinaryFast(groups.hashes[g]);
          const merged = bytes === undefined ? add : mergePostings(storedToU32(bytes, bytes.length), add);
          db.putSync(groups.hashes[g], u32ToStored(merged));
        }
      });
    },
    lookup(hash) {
      const bytes = db.getBinaryFast(hash);
      return bytes === undefined ? EMPTY_POSTINGS : storedToU32(bytes, bytes.length);
    },
    close: () => env.close(),
  };
}

function makeRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

function makeTracks(hashBits: number): TrackLandmarks[] {
  const random = makeRandom(12345);
  const mask = hashBits >= 32 ? 0xffff_ffff : (1 << hashBits) - 1;
  const perTrack = MINUTES * 60 * RATE;
  const tracks: TrackLandmarks[] = [];
  for (let t = 1; t <= TRACKS; t++) {
    const landmarks = new Uint32Array(perTrack * 2);
    for (let i = 0; i < perTrack; i++) {
      landmarks[2 * i] = (random() & mask) >>> 0;
      landmarks[2 * i + 1] = Math.floor((i * FRAMES_PER_SECOND) / RATE);
    }
    tracks.push({ trackNum: t, fingerprintVersion: 1, landmarks, peaks: new Uint8Array(0) });
  }
  return tracks;
}

async function compactedBytes(dir: string): Promise<number> {
  const copyDir = `${dir}-compact`;
  fs.mkdirSync(copyDir, { recursive: true });
  const env = open(dir, { compression: false });
  await env.backup(copyDir, true);
  await env.close();
  const bytes = fs.statSync(path.join(copyDir, 'data.mdb')).size;
  fs.rmSync(copyDir, { recursive: true, force: true });
  return bytes;
}

interface Row {
  design: string;
  writePerSecond: number;
  lookupPerSecond: number;
  postingsFound: number;
  fileBytesPerPosting: number;
  compactBytesPerPosting: number;
}

async function runDesign(design: string, tracks: TrackLandmarks[], queries: Uint32Array, workDir: string): Promise<Row> {
  const dir = path.join(workDir, design);
  const store: BenchStore =
    design === 'memory'
      ? createMemoryLandmarkStore()
      : design === 'chunked'
        ? await openLmdbLandmarkStore(dir)
        : design === 'packed1'
          ? await openPackedSingleStore(dir)
          : await openDupSortStore(dir, design === 'dupFixed');
  const total = tracks.reduce((sum, t) => sum + t.landmarks.length / 2, 0);

  let start = performance.now();
  for (let b = 0; b < tracks.length; b += BATCH) await store.putTracks(tracks.slice(b, b + BATCH));
  const writeSeconds = (performance.now() - start) / 1000;

  // Best of three rounds over the same queries (first round warms the page cache and the JIT).
  let bestSeconds = Infinity;
  let postingsFound = 0;
  for (let round = 0; round < 3; round++) {
    postingsFound = 0;
    start = performance.now();
    for (let q = 0; q < queries.length; q++) postingsFound += store.lookup(queries[q]).length >>> 1;
    bestSeconds = Math.min(bestSeconds, (performance.now() - start) / 1000);
  }
  await store.close();

  let fileBytes = 0;
  let compactBytes = 0;
  if (design !== 'memory') {
    fileBytes = fs.statSync(path.join(dir, 'data.mdb')).size;
    compactBytes = await compactedBytes(dir);
  }
  return {
    design,
    writePerSecond: total / writeSeconds,
    lookupPerSecond: queries.length / bestSeconds,
    postingsFound,
    fileBytesPerPosting: fileBytes / total,
    compactBytesPerPosting: compactBytes / total,
  };
}

async function main(): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'landmark-bench-'));
  try {
    for (const hashBits of HASH_BITS) {
      const tracks = makeTracks(hashBits);
      const total = tracks.reduce((sum, t) => sum + t.landmarks.length / 2, 0);
      const random = makeRandom(777);
      const mask = hashBits >= 32 ? 0xffff_ffff : (1 << hashBits) - 1;
      const queries = Uint32Array.from({ length: LOOKUPS }, () => (random() & mask) >>> 0);
      console.log(
        `\n${TRACKS} tracks x ${MINUTES} min x ${RATE} postings/s = ${total} postings, ${hashBits}-bit hashes ` +
          `(~${(total / 2 ** hashBits).toFixed(1)} postings/hash), batches of ${BATCH} tracks, ${LOOKUPS} random lookups`,
      );
      console.log('design     writes/s   lookups/s  postings/lookup  file B/posting  compacted B/posting');
      for (const design of DESIGNS) {
        const row = await runDesign(design, tracks, queries, path.join(workDir, String(hashBits)));
        console.log(
          `${row.design.padEnd(9)} ${Math.round(row.writePerSecond).toString().padStart(9)} ` +
            `${Math.round(row.lookupPerSecond).toString().padStart(11)} ${(row.postingsFound / LOOKUPS).toFixed(2).padStart(16)} ` +
            `${row.fileBytesPerPosting.toFixed(1).padStart(15)} ${row.compactBytesPerPosting.toFixed(1).padStart(20)}`,
        );
      }
      fs.rmSync(path.join(workDir, String(hashBits)), { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
