// Micro-benchmark (not a test): the library search on a 100k-track catalog, the old LIKE query (title, artist,
// album substring) against the FTS5 index of migration 0050 (Catalog.listTracks), alternating per round so both see
// the same cache and CPU state. Reports p50/p95 in ms of one page (items + total, as listTracks answers) per query.
// Run: npx tsx bench/catalogSearchBench.ts
// Knobs (env): TRACKS=100000 ROUNDS=40 PER_PAGE=50 PAGE=1, DB=file to keep the seeded catalog in (reused when it exists)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Statement } from 'better-sqlite3';
import { escapeLike } from '../src-main/engine/catalog/catalog.js';
import { openCatalog } from '../src-main/engine/catalog/openCatalog.js';

const TRACKS = Number(process.env.TRACKS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 40);
const PER_PAGE = Number(process.env.PER_PAGE ?? 50);
const PAGE = Number(process.env.PAGE ?? 1);
const QUERIES = ['beat', 'love', 'the', 'a', 'flac', 'beyonce', 'night 12', 'zzzz', 'Hey_Jude', '東京', '🎵'];

// Deterministic data: a few thousand artists and albums, titles from a small vocabulary, four formats.
let seed = 42;
const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const WORDS = [
  'love',
  'night',
  'day',
  'heart',
  'fire',
  'rain',
  'dream',
  'blue',
  'dance',
  'road',
  'home',
  'light',
  'the',
  'a',
  'of',
  'in',
  'my',
  'your',
  'beat',
  'street',
  'river',
  'moon',
  'sun',
  'gold',
  'summer',
  'winter',
  'city',
  'angel',
  'ghost',
  'shadow',
  'électrique',
  'corazón',
  'mädchen',
  'señorita',
  'hey',
  'jude',
  '東京',
  '夜',
  '🎵',
];
const ARTIST_NAMES = ['The Beatles', 'Beyoncé', 'Daft Punk', 'Björk', 'Sigur Rós', 'Radiohead', 'Nina Simone'];
const FORMATS = ['mp3', 'flac', 'm4a', 'ogg'];
const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-search-bench-'));
const dbFile = process.env.DB ?? path.join(dir, 'catalog.sqlite');
try {
  const reuse = fs.existsSync(dbFile);
  const catalog = openCatalog(dbFile);
  let started = performance.now();
  if (!reuse)
    catalog.transaction(() => {
      for (let i = 0; i < TRACKS; i++) {
        const artist = i % 50 === 0 ? pick(ARTIST_NAMES) : `${capital(words(1))} ${capital(words(1))} ${i % 2000}`;
        const album = `${capital(words(2))} ${i % 700}`;
        const title = capital(words(1 + Math.floor(random() * 3))) + (i % 97 === 0 ? ` ${i % 30}` : '');
        const format = pick(FORMATS);
        catalog.insertTrack({
          title,
          artist,
          album,
          format,
          durationSeconds: 200,
          fileHashSha256: i.toString(16).padStart(64, '0'),
          fileSizeBytes: 5_000_000,
          filePath: `/music/${artist}/${album}/${String((i % 20) + 1).padStart(2, '0')} ${title.replaceAll(' ', i % 3 ? ' ' : '_')}.${format}`,
          fileMtimeMs: 1_700_000_000_000,
        });
      }
    });
  const seedMs = performance.now() - started;
  catalog.db.pragma('optimize');
  const sizeMb = fs.statSync(dbFile).size / 1e6;

  // The query listTracks ran before migration 0050 (title/artist/album LIKE '%text%'), same columns and snapshot.
  const columns = `
    num, id, title, artist, album,
    duration_seconds AS durationSeconds, sample_rate AS sampleRateHz, channels AS channelCount, bitrate, format,
    file_hash_sha256 AS fileHashSha256, file_size_bytes AS fileSizeBytes, file_path AS filePath,
    file_mtime_ms AS fileMtimeMs, fingerprint_status AS fingerprintStatus, fingerprint_version AS fingerprintVersion,
    landmark_count AS landmarkCount, embedding_model AS embeddingModel, embedding_dim AS embeddingDim,
    embedding_status AS embeddingStatus, ingested_at AS ingestedAt, updated_at AS updatedAt`;
  const order = `ORDER BY artist COLLATE NOCASE, title COLLATE NOCASE, num`;
  const likeWhere = `WHERE title LIKE @pattern ESCAPE '\\' OR artist LIKE @pattern ESCAPE '\\' OR album LIKE @pattern ESCAPE '\\'`;
  const oldItems: Statement<{ pattern: string; limit: number; offset: number }> = catalog.db.prepare(
    `SELECT ${columns} FROM tracks ${likeWhere} ${order} LIMIT @limit OFFSET @offset`,
  );
  const oldCount: Statement<{ pattern: string }, number> = catalog.db.prepare<{ pattern: string }, number>(`SELECT COUNT(*) FROM tracks ${likeWhere}`).pluck();
  const runOld = (text: string): number => {
    const pattern = `%${escapeLike(text)}%`;
    return catalog.db
      .transaction(() => {
        oldItems.all({ pattern, limit: PER_PAGE, offset: (PAGE - 1) * PER_PAGE });
        return oldCount.get({ pattern })!;
      })
      .deferred();
  };
  const runNew = (text: string): number => catalog.listTracks({ search: text, page: PAGE, perPage: PER_PAGE }).total;

  const loadBefore = os.loadavg()[0].toFixed(1);
  const timings = new Map<string, { old: number[]; fts: number[]; oldTotal: number; ftsTotal: number }>();
  for (const q of QUERIES) timings.set(q, { old: [], fts: [], oldTotal: runOld(q), ftsTotal: runNew(q) }); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of QUERIES) {
      const t = timings.get(q)!;
      const order: Array<'old' | 'fts'> = round % 2 === 0 ? ['old', 'fts'] : ['fts', 'old'];
      for (const which of order) {
        started = performance.now();
        if (which === 'old') runOld(q);
        else runNew(q);
        t[which].push(performance.now() - started);
      }
    }
  }
  // The unfiltered list, for reference (not changed by migration 0050).
  const list: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    started = performance.now();
    catalog.listTracks({ page: PAGE, perPage: PER_PAGE });
    list.push(performance.now() - started);
  }
  const trackCount = catalog.countTracks();
  catalog.close();

  const pct = (values: number[], p: number): string => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1);
  };
  console.log(
    reuse
      ? `${trackCount} tracks reused from ${dbFile}; file ${sizeMb.toFixed(0)} MB`
      : `${TRACKS} tracks, seeded through Catalog.insertTrack (FTS triggers on) in ${(seedMs / 1000).toFixed(1)} s; file ${sizeMb.toFixed(0)} MB`,
  );
  const load = os.loadavg()[0].toFixed(1);
  console.log(
    `page ${PAGE} of ${PER_PAGE} + total, ${ROUNDS} rounds, ms p50 / p95 (node ${process.version}, ${os.cpus().length} CPUs, load ${loadBefore} -> ${load}):`,
  );
  console.log(`${'query'.padEnd(12)} ${'LIKE (old)'.padStart(14)} ${'hits'.padStart(7)}   ${'FTS5 (new)'.padStart(14)} ${'hits'.padStart(7)}`);
  for (const [q, t] of timings) {
    console.log(
      `${JSON.stringify(q).padEnd(12)} ${`${pct(t.old, 50)} / ${pct(t.old, 95)}`.padStart(14)} ${String(t.oldTotal).padStart(7)}   ${`${pct(t.fts, 50)} / ${pct(t.fts, 95)}`.padStart(14)} ${String(t.ftsTotal).padStart(7)}`,
    );
  }
  console.log(
    `${'(no search)'.padEnd(12)} ${''.padStart(14)} ${''.padStart(7)}   ${`${pct(list, 50)} / ${pct(list, 95)}`.padStart(14)} ${String(trackCount).padStart(7)}`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
