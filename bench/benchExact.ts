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
import { decodeClipFile } from '../src-main/engine/audio/decodeClip.js';
import { identifyClipAsOneSong } from '../src-main/engine/jobs/identifyClip.js';
import { LibraryEngine } from '../src-main/engine/libraryEngine.js';
import { workerRunners } from '../src-main/host/openLibrary.js';

interface Truth {
  query: string;
  expected: string | null;
  negative: boolean;
  offset: number | null;
  speed: number | null;
  duration: number;
  degradation: string;
  condition: string;
}

interface ClipRow {
  set: string;
  query: string;
  degradation: string;
  condition: string;
  duration: number;
  negative: boolean;
  correct: boolean;
  wrong: boolean;
  answered: boolean;
  latencyMs: number;
  aligned: number | null;
  confidence: number | null;
  offsetErrorSeconds: number | null;
  bestAligned?: number;
  background?: number;
  bestIsExpected?: boolean;
  hypotheses?: number;
  lookups?: number;
  verifyScore?: number | null;
  matchedPeaks?: number | null;
  consideredPeaks?: number | null;
  decoyMax?: number | null;
  verified?: number[][];
  sameRecording?: number;
  /** The best candidate's audio check: [judged peaks, shortfall, shift frames, contrast]. */
  bestCheck?: number[] | null;
  dropped?: number;
  rescued?: boolean;
  /** The top answer was accepted only on corroboration (the rule before it would not have given it). */
  corroborated?: boolean;
  error?: string;
}

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

/** The clip's own fields of a result row. */
function clipOf(set: string, t: Truth): Pick<ClipRow, 'set' | 'query' | 'degradation' | 'condition' | 'duration' | 'negative'> {
  return { set, query: t.query, degradation: t.degradation, condition: t.condition, duration: t.duration, negative: t.negative };
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);

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

  const rows: ClipRow[] = [];
  for (const qdir of values.queries ?? []) {
    const set = path.basename(path.resolve(qdir));
    const truths = readFileSync(path.join(qdir, 'truth.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Truth);
    let done = 0;
    let lastNote = performance.now();
    for (const t of truths) {
      if (performance.now() - lastNote > 15_000) {
        lastNote = performance.now();
        console.error(`  [${set}] ${done}/${truths.length} clips`);
      }
      done++;
      const clipPath = path.join(qdir, t.query);
      const started = performance.now();
      try {
        const pcm = await decodeClipFile(clipPath, { sampleRateHz: lib.config.sampleRateHz });
        const {
          result: r,
          outcome,
          audit,
          bestCheck,
        } = await identifyClipAsOneSong({ ...lib.identifyDeps(), checkBestAlways: values['check-best'] }, pcm, 5, started);
        const latencyMs = performance.now() - started;
        const bestRow = outcome.best ? lib.catalog.getTrackByNum(outcome.best.trackNum) : undefined;
        const top = r.exact[0];
        const expectedAbs = t.expected ? path.join(libraryDir, t.expected) : null;
        const correct = !t.negative && top !== undefined && top.track.filePath === expectedAbs;
        rows.push({
          ...clipOf(set, t),
          correct,
          wrong: top !== undefined && !correct,
          answered: top !== undefined,
          latencyMs,
          aligned: top?.alignedHashes ?? null,
          confidence: top?.confidence ?? null,
          bestAligned: outcome.best?.alignedCount ?? 0,
          background: outcome.backgroundAligned,
          bestIsExpected: bestRow !== undefined && bestRow.filePath === (t.expected ? path.join(libraryDir, t.expected) : null),
          hypotheses: outcome.hypothesesTried,
          lookups: outcome.lookups,
          verifyScore: outcome.best?.verification?.score ?? null,
          matchedPeaks: outcome.best?.verification?.matchedPeaks ?? null,
          consideredPeaks: outcome.best?.verification?.consideredPeaks ?? null,
          decoyMax: outcome.best?.verification?.decoyMax ?? null,
          sameRecording: outcome.sameRecording.length,
          verified: outcome.verified.map((v) => [
            v.alignedCount,
            Math.round(v.verification.score * 10) / 10,
            v.verification.matchedPeaks,
            v.verification.consideredPeaks,
          ]),
          offsetErrorSeconds: correct && t.offset !== null ? Math.abs(top.offsetSeconds - t.offset) : null,
          bestCheck: bestCheck
            ? [bestCheck.judged, Math.round(bestCheck.shortfall * 1000) / 1000, bestCheck.shiftFrames, Math.round(bestCheck.contrast * 1000) / 1000]
            : null,
          dropped: audit.dropped.length,
          rescued: audit.rescued !== null,
          corroborated: audit.matches.length > 0 && audit.corroborated.includes(audit.matches[0].trackNum),
        });
      } catch (err) {
        rows.push({
          ...clipOf(set, t),
          correct: false,
          wrong: false,
          answered: false,
          latencyMs: performance.now() - started,
          aligned: null,
          confidence: null,
          offsetErrorSeconds: null,
          error: String(err),
        });
      }
    }
  }
  await lib.close();

  for (const set of [...new Set(rows.map((r) => r.set))]) {
    const rs = rows.filter((r) => r.set === set);
    const pos = rs.filter((r) => !r.negative);
    const neg = rs.filter((r) => r.negative);
    say(`\n## ${set}: ${pos.length} positives, ${neg.length} negatives`);
    say(`| measure | value |\n|---|---|`);
    say(`| top-1 accuracy, all positives | ${pct(pos.filter((r) => r.correct).length, pos.length)} |`);
    say(`| wrong answers on positives | ${pct(pos.filter((r) => r.wrong).length, pos.length)} |`);
    say(`| false positives on negatives | ${pct(neg.filter((r) => r.answered).length, neg.length)} (${neg.filter((r) => r.answered).length}/${neg.length}) |`);
    // The rule's corroboration path only adds answers (decide is pure and nothing else differs), so the rule without it
    // is this run's answers less the corroborated ones: the previous code, same clips, same run.
    const plain = (r: ClipRow): boolean => !r.corroborated;
    say(`| top-1 without corroboration (the rule before it, same run) | ${pct(pos.filter((r) => r.correct && plain(r)).length, pos.length)} |`);
    say(`| false positives without corroboration | ${neg.filter((r) => r.answered && plain(r)).length}/${neg.length} |`);
    say(
      `| answers only corroboration gave: right / wrong / false positives | ${pos.filter((r) => r.correct && !plain(r)).length} / ${pos.filter((r) => r.wrong && !plain(r)).length} / ${neg.filter((r) => r.answered && !plain(r)).length} |`,
    );
    const byDeg = [...new Set(pos.map((r) => r.degradation))].sort();
    for (const d of byDeg) {
      const g = pos.filter((r) => r.degradation === d);
      say(`| ${d} | ${pct(g.filter((r) => r.correct).length, g.length)} (${g.filter((r) => r.correct).length}/${g.length}) |`);
    }
    // Sub-conditions where a degradation has several (the room set: ambience SNR bands).
    const conditions = [...new Set(pos.filter((r) => r.condition !== r.degradation).map((r) => r.condition))].sort();
    if (conditions.length > 1 && conditions.length <= 12) {
      for (const c of conditions) {
        const g = pos.filter((r) => r.condition === c);
        say(`| ${c} | ${pct(g.filter((r) => r.correct).length, g.length)} (${g.filter((r) => r.correct).length}/${g.length}) |`);
      }
    }
    for (const dur of [...new Set(pos.map((r) => r.duration))].sort((a, b) => a - b)) {
      const g = pos.filter((r) => r.duration === dur);
      say(`| ${dur} s clips | ${pct(g.filter((r) => r.correct).length, g.length)} (${g.filter((r) => r.correct).length}/${g.length}) |`);
    }
    const lat = rs.map((r) => r.latencyMs);
    const lat10 = rs.filter((r) => r.duration === 10).map((r) => r.latencyMs);
    say(`| identify latency p50 / p95, decode included (all clips) | ${percentile(lat, 50).toFixed(0)} / ${percentile(lat, 95).toFixed(0)} ms |`);
    say(`| identify latency p50 / p95, 10 s clips | ${percentile(lat10, 50).toFixed(0)} / ${percentile(lat10, 95).toFixed(0)} ms |`);
    const offErr = pos.map((r) => r.offsetErrorSeconds).filter((x): x is number => x !== null);
    say(`| offset error of correct answers, median / p95 | ${(percentile(offErr, 50) * 1000).toFixed(0)} / ${(percentile(offErr, 95) * 1000).toFixed(0)} ms |`);
    const negAligned = neg.map((r) => r.aligned ?? 0);
    say(`| negatives: highest aligned count answered | ${Math.max(0, ...negAligned)} |`);
  }
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
