// Benchmark of the exact lane on the real-music corpus that ../shared/bench/corpus builds (not a test).
//   npm run bench:exact -- --corpus DIR --queries QDIR [--queries QDIR2 ...] [--data DIR] [--reuse-index]
//                          [--subset-files N] [--out DIR]
// Indexes CORPUS/library with 2 workers (and a subset with 1 and 2 workers for the scaling figure), then identifies
// every clip of each query set (truth.jsonl) through the same LibraryEngine the CLI uses, decode included. Prints and saves
// top-1 accuracy per degradation and per clip length, false positives on the negatives, latency p50/p95, ingest
// throughput, LMDB bytes per hour, peak memory; plus one row per clip for calibrating the decision rule.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LibraryEngine } from '../src-main/engine/libraryEngine.js';
import { workerRunners } from '../src-main/host/openLibrary.js';
import { identifyQuerySets, summarizeSet } from './exactScoring.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    queries: { type: 'string', multiple: true },
    data: { type: 'string' },
    'reuse-index': { type: 'boolean', default: false },
    'subset-files': { type: 'string', default: '40' },
    'skip-scaling': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results' },
    label: { type: 'string', default: '' },
    // Calibration: hear every clip's best candidate against its track (latency then includes that check).
    'check-best': { type: 'boolean', default: false },
  },
});
if (!values.corpus || !values.queries?.length) {
  console.error('usage: npm run bench:exact -- --corpus DIR --queries QDIR [--queries QDIR2] [--data DIR] [--reuse-index]');
  process.exit(2);
}
const corpus = path.resolve(values.corpus);
const libraryDir = path.join(corpus, 'library');
const dataDir = path.resolve(values.data ?? path.join(os.tmpdir(), 'audio-ident-bench-exact'));
const outDir = path.resolve(values.out);
mkdirSync(outDir, { recursive: true });

async function indexWith(workers: number, folder: string, dir: string): Promise<{ audioSeconds: number; wallSeconds: number; files: number }> {
  rmSync(dir, { recursive: true, force: true });
  // The exact lane alone (issue 2's ingest figure); bench:vibe measures what the vibe lane's embedding adds.
  const lib = await LibraryEngine.open(dir, workerRunners(workers), undefined, { embedderManifest: null });
  try {
    let last = 0;
    const summary = await lib.scan([folder], {
      onProgress: (p) => {
        if (performance.now() - last > 10_000 || p.phase === 'done') {
          last = performance.now();
          console.error(`  [${workers}w] ${p.phase} ${p.filesDone}/${p.filesTotal} ${p.audioSecondsPerSecond.toFixed(0)}x`);
        }
      },
      onError: (f, e) => console.error(`  failed: ${f}: ${e.code} ${e.detail ?? ''}`),
    });
    return { audioSeconds: summary.audioSeconds, wallSeconds: summary.wallSeconds, files: summary.added };
  } finally {
    await lib.close();
  }
}

async function main(): Promise<void> {
  const report: Record<string, unknown> = { date: new Date().toISOString(), corpus, host: `${os.cpus().length} cores, ${os.cpus()[0]?.model}` };
  const lines: string[] = [];
  const say = (s: string): void => {
    console.log(s);
    lines.push(s);
  };

  // Scaling: the same subset of files indexed with 1 and with 2 workers.
  if (!values['skip-scaling'] && !values['reuse-index']) {
    const subsetCount = Number(values['subset-files']);
    const subsetDir = path.join(os.tmpdir(), 'audio-ident-bench-subset');
    rmSync(subsetDir, { recursive: true, force: true });
    mkdirSync(subsetDir, { recursive: true });
    const manifest = readFileSync(path.join(corpus, 'manifest-library.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { path: string });
    for (const [i, m] of manifest.slice(0, subsetCount).entries()) {
      const { symlinkSync } = await import('node:fs');
      symlinkSync(path.join(libraryDir, m.path), path.join(subsetDir, `${String(i).padStart(4, '0')}${path.extname(m.path)}`));
    }
    const one = await indexWith(1, subsetDir, path.join(os.tmpdir(), 'audio-ident-bench-1w'));
    const two = await indexWith(2, subsetDir, path.join(os.tmpdir(), 'audio-ident-bench-2w'));
    report.scaling = { files: subsetCount, oneWorker: one, twoWorkers: two };
    say(
      `ingest subset (${subsetCount} files, ${(one.audioSeconds / 3600).toFixed(2)} h): 1 worker ${(one.audioSeconds / one.wallSeconds).toFixed(0)}x realtime, 2 workers ${(two.audioSeconds / two.wallSeconds).toFixed(0)}x realtime`,
    );
  }

  // Full library, 2 workers.
  if (!values['reuse-index'] || !existsSync(path.join(dataDir, 'catalog.sqlite'))) {
    const full = await indexWith(2, libraryDir, dataDir);
    report.ingest = full;
    say(
      `ingest library: ${full.files} files, ${(full.audioSeconds / 3600).toFixed(2)} h in ${full.wallSeconds.toFixed(1)} s wall = ${(full.audioSeconds / full.wallSeconds).toFixed(0)}x realtime (2 workers)`,
    );
  }

  const lib = await LibraryEngine.open(dataDir, workerRunners(1), undefined, { embedderManifest: null, lockAs: null }); // a reader: benches may share one index
  const stats = lib.store.stats();
  const hours = lib.catalog.listTracks({ page: 1, perPage: 1000 }).items.reduce((s, t) => s + t.durationSeconds, 0) / 3600;
  report.store = { ...stats, hours, bytesPerHour: stats.bytesOnDisk / hours, landmarksPerSecond: stats.landmarkCount / hours / 3600 };
  say(
    `store: ${stats.trackCount} tracks, ${hours.toFixed(2)} h, ${stats.landmarkCount} landmarks (${(stats.landmarkCount / hours / 3600).toFixed(0)}/s), LMDB ${(stats.bytesOnDisk / 1e6).toFixed(1)} MB = ${(stats.bytesOnDisk / 1e6 / hours).toFixed(2)} MB per hour`,
  );

  const rows = await identifyQuerySets(lib, libraryDir, values.queries ?? [], { checkBest: values['check-best'] });
  await lib.close();

  for (const set of [...new Set(rows.map((r) => r.set))]) for (const l of summarizeSet(set, rows)) say(l);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  say(`\npeak memory (max RSS of the benchmark process, workers included): ${rssMb.toFixed(0)} MB`);
  report.peakRssMb = rssMb;
  report.rows = rows;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = path.join(outDir, `exact-${values.label ? values.label + '-' : ''}${stamp}`);
  writeFileSync(`${base}.json`, JSON.stringify(report, null, 1));
  writeFileSync(`${base}.md`, lines.join('\n') + '\n');
  console.log(`\nsaved ${base}.json and .md`);
}

await main();
