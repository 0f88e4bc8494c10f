// bench:scale (issue 11 §2, not a test): the corpus library grown F times with the distractors of bench:scale-set,
// indexed through the engine the CLI uses, and what a user of that library would see.
//   npm run bench:scale -- --corpus DIR --distractors DIR --factor 1|4|16|40 --queries QDIR [--queries QDIR2]
//       [--data DIR] [--out DIR] [--max-clips N] [--check-index DIR1X] [--self-check 60] [--exact-only]
//       [--compare-subset 60 --compare-rounds 3 [--compare-only]] [--limit N]   with OLAF_BIN=/path/to/olaf_core for Olaf beside ours
// --compare-only stops after the alternating ingest on the subset (the size's own index is neither built nor read).
// Size F = CORPUS/library + DISTRACTORS/r00..r(F-2). The data folder (default DISTRACTORS/../data-Fx) is reused: a
// complete one (ingest.json written) skips the ingest, an interrupted one is resumed by the next scan.
// Reports: ingest wall / x realtime / CPU s per audio hour / core utilisation / peak RSS (and Olaf's, same files, same
// run, before ours), LMDB bytes per audio hour, rescan of the unchanged library, start-up to ready in a fresh process
// (and idle RSS), identify p50/p95 and for negatives, top-1 and false positives per query set (exactScoring.ts, as
// bench:exact), HNSW query time ("more like this"), tracks page and search. And the distractor check: 10 s clips of
// distractors identified against the 1x index must never be answered with their source (or their mix partner).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeClipFile } from '../src-main/engine/audio/decodeClip.js';
import { resolveFfmpeg } from '../src-main/engine/audio/ffmpegPath.js';
import { identifyClipAsOneSong } from '../src-main/engine/jobs/identifyClip.js';
import { LibraryEngine } from '../src-main/engine/libraryEngine.js';
import { workerRunners } from '../src-main/host/openLibrary.js';
import { identifyQuerySets, pct, summarizeSet } from './exactScoring.js';
import { olafIngest } from './olafIngest.js';
import { type Distractor, roundDir } from './scalePlan.js';
import { measure, percentile, timeIt, type PhaseFigures } from './scaleMeasure.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    distractors: { type: 'string' },
    factor: { type: 'string', default: '1' },
    queries: { type: 'string', multiple: true, default: [] },
    data: { type: 'string' },
    out: { type: 'string' },
    'max-clips': { type: 'string' },
    'check-index': { type: 'string' },
    'self-check': { type: 'string', default: '60' },
    'exact-only': { type: 'boolean', default: false },
    'compare-subset': { type: 'string', default: '0' },
    'compare-rounds': { type: 'string', default: '3' },
    'compare-only': { type: 'boolean', default: false },
    'olaf-jobs': { type: 'string', default: '2' },
    limit: { type: 'string' },
  },
});
if (!values.corpus || !values.distractors) {
  console.error('usage: npm run bench:scale -- --corpus DIR --distractors DIR --factor F --queries QDIR [...] (see bench/benchScale.ts)');
  process.exit(2);
}
const corpus = path.resolve(values.corpus);
const distractorRoot = path.resolve(values.distractors);
const scaleRoot = path.dirname(distractorRoot);
const factor = Number(values.factor);
const limit = values.limit ? Number(values.limit) : undefined;
const tag = `${factor}x${limit ? `-limit${limit}` : ''}`;
const dataDir = path.resolve(values.data ?? path.join(scaleRoot, `data-${tag}`));
const outDir = path.resolve(values.out ?? path.join(scaleRoot, 'results'));
const ffmpeg = resolveFfmpeg().path;
const olafBin = process.env.OLAF_BIN;
mkdirSync(outDir, { recursive: true });

interface LibraryLine {
  path: string;
  duration: number;
}
const readJsonl = <T>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as T);

// The files of this size. With --limit, a view of the first N library files and N per round (symlinks, same relative
// paths, so the truths' `expected` paths still resolve) for trying the bench out quickly.
const library = readJsonl<LibraryLine>(path.join(corpus, 'manifest-library.jsonl'));
const rounds = Math.max(0, factor - 1);
const distractors = rounds > 0 ? readJsonl<Distractor>(path.join(distractorRoot, 'manifest.jsonl')).filter((d) => d.round < rounds) : [];
if (distractors.length < rounds * library.length && !limit) {
  console.error(`only ${distractors.length} of ${rounds * library.length} distractors are built: run bench:scale-set --factor ${factor} first`);
  process.exit(1);
}
let libraryDir = path.join(corpus, 'library');
let distractorDir = distractorRoot;
let libraryFiles = library;
let distractorFiles = distractors;
if (limit) {
  const view = path.join(scaleRoot, `view-${tag}`);
  rmSync(view, { recursive: true, force: true });
  libraryFiles = library.slice(0, limit);
  distractorFiles = [...Array(rounds).keys()].flatMap((r) => distractors.filter((d) => d.round === r).slice(0, limit));
  const link = (from: string, rel: string, toRoot: string): void => {
    mkdirSync(path.dirname(path.join(toRoot, rel)), { recursive: true });
    symlinkSync(path.join(from, rel), path.join(toRoot, rel));
  };
  for (const t of libraryFiles) link(libraryDir, t.path, path.join(view, 'library'));
  for (const d of distractorFiles) link(distractorDir, d.path, path.join(view, 'distractors'));
  libraryDir = path.join(view, 'library');
  distractorDir = path.join(view, 'distractors');
}
const folders = [libraryDir, ...[...Array(rounds).keys()].map((r) => path.join(distractorDir, roundDir(r)))].filter((f) => existsSync(f));
const allFiles = [...libraryFiles.map((t) => path.join(libraryDir, t.path)), ...distractorFiles.map((d) => path.join(distractorDir, d.path))];
const audioHours = (libraryFiles.reduce((s, t) => s + t.duration, 0) + distractorFiles.reduce((s, d) => s + d.duration, 0)) / 3600;

const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  factor,
  limit: limit ?? null,
  files: allFiles.length,
  audioHours,
  dataDir,
  host: `${os.availableParallelism()} cores, ${os.cpus()[0]?.model}, load ${os.loadavg()[0].toFixed(1)} at start`,
  lanes: values['exact-only'] ? 'exact' : 'exact + vibe (built-in model)',
};
const table: [string, string][] = [];
const row = (k: string, v: string): void => {
  table.push([k, v]);
  console.log(`${k}: ${v}`);
};
const ingestRow = (who: string, f: PhaseFigures, hours: number): string =>
  `${f.wallSeconds.toFixed(1)} s wall, ${((hours * 3600) / f.wallSeconds).toFixed(0)}x realtime, ${(f.cpuSeconds / hours).toFixed(1)} CPU s per audio hour, cores ${(100 * f.coreUtilisation).toFixed(0)}% busy, peak RSS ${f.peakRssMb.toFixed(0)} MB${f.peakAnonMb === undefined ? '' : ` (anonymous ${f.peakAnonMb.toFixed(0)} MB; the rest is mapped files: LMDB's pages, code)`}${who}`;

/** Opens the library as `audio-ident index` does (writer, integrity check; the built-in vibe model unless exact-only). */
function openWriter(dir: string): Promise<LibraryEngine> {
  return LibraryEngine.open(dir, workerRunners(2), undefined, {
    embedderManifest: values['exact-only'] ? null : undefined,
    lockAs: 'index',
    verifyIntegrity: true,
  });
}

async function oursIngest(
  dir: string,
  scanFolders: readonly string[],
): Promise<{ figures: PhaseFigures; audioSeconds: number; added: number; failed: number }> {
  const { result, figures } = await measure(async () => {
    const lib = await openWriter(dir);
    try {
      let last = 0;
      return await lib.scan(scanFolders, {
        onProgress: (p) => {
          if (performance.now() - last > 30_000 || p.phase === 'done') {
            last = performance.now();
            console.error(`  [ours] ${p.phase} ${p.filesDone}/${p.filesTotal} ${p.audioSecondsPerSecond.toFixed(0)}x`);
          }
        },
        onError: (f, e) => console.error(`  failed: ${f}: ${e.code} ${e.detail ?? ''}`),
      });
    } finally {
      await lib.close();
    }
  });
  return { figures, audioSeconds: result.audioSeconds, added: result.added, failed: result.failed };
}

async function runOlaf(files: readonly string[], home: string, hours: number): Promise<PhaseFigures & { dbBytes: number; failed: number }> {
  const { result, figures: f } = await measure(() => olafIngest(olafBin!, ffmpeg, files, home, Number(values['olaf-jobs'])));
  // Olaf runs in child processes: its peak RSS is the largest olaf_core's, not this process's.
  const figures = { ...f, peakRssMb: result.peakRssMb, peakAnonMb: undefined };
  console.error(`  [olaf] ${ingestRow('', figures, hours)}, failed ${result.failed}`);
  return { ...figures, dbBytes: result.dbBytes, failed: result.failed };
}

async function main(): Promise<void> {
  console.error(`${tag}: ${allFiles.length} files, ${audioHours.toFixed(2)} h, data ${dataDir}${olafBin ? `, Olaf ${olafBin}` : ', no OLAF_BIN'}`);
  row('size', `${allFiles.length} files, ${audioHours.toFixed(1)} h (library ${libraryFiles.length} + ${distractorFiles.length} distractors)`);

  // 1. Alternating ingest on a subset (Olaf, ours, Olaf, ours...), each into a fresh folder.
  const subset = Number(values['compare-subset']);
  if (subset > 0) {
    const files = allFiles.filter((_, i) => i % Math.max(1, Math.floor(allFiles.length / subset)) === 0).slice(0, subset);
    const subsetDir = path.join(scaleRoot, `subset-${tag}`);
    rmSync(subsetDir, { recursive: true, force: true });
    for (const [i, f] of files.entries()) {
      mkdirSync(subsetDir, { recursive: true });
      symlinkSync(f, path.join(subsetDir, `${String(i).padStart(4, '0')}${path.extname(f)}`));
    }
    const probeHours = files.length > 0 ? await subsetHours(files) : 0;
    const rs: { olaf?: PhaseFigures; ours: PhaseFigures }[] = [];
    for (let r = 0; r < Number(values['compare-rounds']); r++) {
      const olaf = olafBin ? await runOlaf(files, path.join(scaleRoot, 'olaf-home-subset'), probeHours) : undefined;
      rmSync(path.join(scaleRoot, 'data-subset'), { recursive: true, force: true }); // every round indexes afresh
      const ours = await oursIngest(path.join(scaleRoot, 'data-subset'), [subsetDir]);
      console.error(`  [ours] ${ingestRow('', ours.figures, probeHours)}`);
      rs.push({ olaf, ours: ours.figures });
    }
    report.compare = { files: files.length, hours: probeHours, rounds: rs };
    const med = (xs: number[]): number => percentile(xs, 50);
    const oursWall = rs.map((r) => r.ours.wallSeconds);
    const olafWall = rs.flatMap((r) => (r.olaf ? [r.olaf.wallSeconds] : []));
    row(
      `ingest, ${files.length} files (${probeHours.toFixed(2)} h) x ${rs.length} alternating rounds`,
      `ours ${oursWall.map((w) => w.toFixed(0)).join('/')} s (median ${med(oursWall).toFixed(0)} s)` +
        (olafWall.length ? `; Olaf JOBS=2 ${olafWall.map((w) => w.toFixed(0)).join('/')} s (median ${med(olafWall).toFixed(0)} s)` : ''),
    );
    rmSync(path.join(scaleRoot, 'data-subset'), { recursive: true, force: true });
    rmSync(path.join(scaleRoot, 'olaf-home-subset'), { recursive: true, force: true });
  }
  if (values['compare-only']) {
    saveReport(report, table, []);
    return;
  }

  // 2. The whole size: Olaf then ours (when ours is indexed in this run), then a rescan of the unchanged library.
  const ingestFile = path.join(dataDir, 'ingest.json');
  if (existsSync(ingestFile)) {
    report.ingest = { ...(JSON.parse(readFileSync(ingestFile, 'utf8')) as object), reused: true };
    row('ingest (ours)', `reused ${dataDir} (figures of the run that built it: ${ingestFile})`);
  } else {
    const resumed = existsSync(path.join(dataDir, 'catalog.sqlite'));
    if (olafBin && !resumed) {
      const olaf = await runOlaf(allFiles, path.join(scaleRoot, `olaf-home-${tag}`), audioHours);
      report.olaf = { ...olaf, dbBytesPerHour: olaf.dbBytes / audioHours };
      row('ingest, Olaf JOBS=2 (C core, 16 kHz), same files', `${ingestRow('', olaf, audioHours)}; LMDB ${(olaf.dbBytes / 1e6 / audioHours).toFixed(2)} MB/h`);
    }
    const ours = await oursIngest(dataDir, folders);
    const hours = ours.audioSeconds / 3600;
    const saved = { ...ours, hours, resumed, at: new Date().toISOString(), lanes: report.lanes };
    report.ingest = saved;
    if (!ours.failed) writeFileSync(ingestFile, JSON.stringify(saved, null, 1));
    row(
      `ingest (ours, ${report.lanes as string}, 2 workers)${resumed ? ' RESUMED: partial' : ''}`,
      `${ours.added} files, ${ingestRow('', ours.figures, hours)}`,
    );
  }
  const rescan = await measure(async () => {
    const lib = await openWriter(dataDir);
    try {
      return await lib.scan(folders);
    } finally {
      await lib.close();
    }
  });
  report.rescan = { ...rescan.figures, summary: rescan.result };
  row(
    'rescan of the unchanged library (open + scan + close)',
    `${rescan.figures.wallSeconds.toFixed(2)} s (${rescan.result.unchanged} unchanged, ${rescan.result.added} added)`,
  );

  // 3. Start-up to ready in a fresh process (as the CLI opens it), idle RSS.
  const probe = spawnSync(process.execPath, [path.join(import.meta.dirname, 'scaleOpenProbe.js'), dataDir], { encoding: 'utf8' });
  const opened = JSON.parse(probe.stdout.trim().split('\n').pop() ?? '{}') as { readyMs?: number; openMs?: number; idleRssMb?: number; vibe?: boolean };
  report.startup = opened;
  row(
    'library start-up to ready (fresh process: load, open + checks, first tracks page)',
    `${opened.readyMs?.toFixed(0)} ms (open ${opened.openMs?.toFixed(0)} ms); idle RSS ${opened.idleRssMb?.toFixed(0)} MB, vibe lane ${opened.vibe ? 'on' : 'off'}`,
  );

  // 4. Store size, catalog, HNSW.
  const reader = await LibraryEngine.open(dataDir, workerRunners(1), undefined, { embedderManifest: values['exact-only'] ? null : undefined, lockAs: null });
  const stats = reader.store.stats();
  const total = reader.catalog.listTracks({ page: 1, perPage: 1 }).total;
  let indexedSeconds = 0;
  for (let p = 1; ; p++) {
    const page = reader.catalog.listTracks({ page: p, perPage: 500 });
    indexedSeconds += page.items.reduce((s, t) => s + t.durationSeconds, 0);
    if (page.items.length < 500) break;
  }
  const indexedHours = indexedSeconds / 3600;
  report.store = { ...stats, tracks: total, hours: indexedHours, bytesPerHour: stats.bytesOnDisk / indexedHours };
  row(
    'LMDB',
    `${(stats.bytesOnDisk / 1e6).toFixed(0)} MB for ${indexedHours.toFixed(1)} h = ${(stats.bytesOnDisk / 1e6 / indexedHours).toFixed(2)} MB per audio hour (${total} tracks)`,
  );
  const pageTime = await timeIt(40, (i) => reader.catalog.listTracks({ page: 1 + (i % Math.max(1, Math.floor(total / 50))), perPage: 50 }));
  const words = ['the', 'battle', 'distractor', 'flac', 'speed', 'theme', 'wesnoth', 'zzzz'];
  const searchTime = await timeIt(words.length * 5, (i) => reader.catalog.listTracks({ search: words[i % words.length], page: 1, perPage: 50 }));
  report.catalog = { page: pageTime, search: searchTime };
  row(
    'tracks page (50) / search (FTS5), p50 / p95',
    `${pageTime.p50.toFixed(1)} / ${pageTime.p95.toFixed(1)} ms; ${searchTime.p50.toFixed(1)} / ${searchTime.p95.toFixed(1)} ms`,
  );
  if (reader.vibe) {
    const ids = reader.catalog.listTracks({ page: 1, perPage: 200 }).items.map((t) => t.id);
    const hnsw = await timeIt(ids.length, (i) => reader.similarTracks(ids[i], 10));
    report.hnsw = hnsw;
    row('HNSW query ("more like this", 10 answers), p50 / p95', `${hnsw.p50.toFixed(2)} / ${hnsw.p95.toFixed(2)} ms (${hnsw.n} queries)`);
  }
  await reader.close();

  // 5. Identify, exact lane, as bench:exact.
  const lib = await LibraryEngine.open(dataDir, workerRunners(1), undefined, { embedderManifest: null, lockAs: null });
  const maxClips = values['max-clips'] ? Number(values['max-clips']) : undefined;
  const rows = await identifyQuerySets(lib, libraryDir, values.queries, { maxClips });
  await lib.close();
  const appendix: string[] = [];
  report.identify = {};
  for (const set of [...new Set(rows.map((r) => r.set))]) {
    const rs = rows.filter((r) => r.set === set);
    const pos = rs.filter((r) => !r.negative);
    const neg = rs.filter((r) => r.negative);
    const fp = neg.filter((r) => r.answered).length;
    const latency = rs.map((r) => r.latencyMs);
    const negLatency = neg.map((r) => r.latencyMs);
    const lat = (xs: number[]): string => `${percentile(xs, 50).toFixed(0)} / ${percentile(xs, 95).toFixed(0)} ms`;
    (report.identify as Record<string, unknown>)[set] = {
      clips: rs.length,
      top1: pos.filter((r) => r.correct).length / pos.length,
      wrong: pos.filter((r) => r.wrong).length,
      falsePositives: fp,
      negatives: neg.length,
      p50: percentile(latency, 50),
      p95: percentile(latency, 95),
      negP50: percentile(negLatency, 50),
      negP95: percentile(negLatency, 95),
    };
    row(
      `identify ${set} (${rs.length} clips)`,
      `top-1 ${pct(pos.filter((r) => r.correct).length, pos.length)}, wrong ${pos.filter((r) => r.wrong).length}, false positives ${fp} of ${neg.length}; p50 / p95 ${lat(latency)}, negatives ${lat(negLatency)}`,
    );
    appendix.push(...summarizeSet(set, rows));
  }
  report.rows = rows;

  // 6. The distractors against the 1x index: none may be answered with its source (or its mix partner).
  const checkIndex = values['check-index'] ? path.resolve(values['check-index']) : path.join(scaleRoot, 'data-1x');
  const checkCount = Number(values['self-check']);
  if (distractorFiles.length > 0 && checkCount > 0 && existsSync(path.join(checkIndex, 'catalog.sqlite'))) {
    report.selfCheck = await selfCheck(checkIndex, checkCount);
  }

  saveReport(report, table, appendix);
}

function saveReport(report: Record<string, unknown>, table: readonly [string, string][], appendix: readonly string[]): void {
  report.peakRssMbWholeRun = process.resourceUsage().maxRSS / 1024;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = path.join(outDir, `scale-${tag}-${stamp}`);
  const md = [
    `# bench:scale ${tag} (${report.date as string})`,
    '',
    `${report.host as string}; lanes: ${report.lanes as string}`,
    '',
    '| measure | value |',
    '|---|---|',
    ...table.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    ...appendix,
  ];
  writeFileSync(`${base}.json`, JSON.stringify(report, null, 1));
  writeFileSync(`${base}.md`, md.join('\n') + '\n');
  console.log(`\nsaved ${base}.json and .md`);
}

/** Audio hours of some files (ffprobe-free: the manifests' durations). */
async function subsetHours(files: readonly string[]): Promise<number> {
  const byPath = new Map<string, number>([
    ...libraryFiles.map((t) => [path.join(libraryDir, t.path), t.duration] as const),
    ...distractorFiles.map((d) => [path.join(distractorDir, d.path), d.duration] as const),
  ]);
  return files.reduce((s, f) => s + (byPath.get(f) ?? 0), 0) / 3600;
}

async function selfCheck(checkIndex: string, count: number): Promise<Record<string, unknown>> {
  const lib = await LibraryEngine.open(checkIndex, workerRunners(1), undefined, { embedderManifest: null, lockAs: null });
  const step = Math.max(1, Math.floor(distractorFiles.length / count));
  const picked = distractorFiles.filter((_, i) => i % step === 0).slice(0, count);
  const tmp = path.join(os.tmpdir(), `scale-selfcheck-${process.pid}.wav`);
  const byKind: Record<string, { clips: number; answeredSource: number; answeredOther: number }> = {};
  const hits: string[] = [];
  for (const d of picked) {
    const at = Math.max(0, d.duration * 0.4);
    execFileSync(ffmpeg, [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-ss',
      at.toFixed(3),
      '-t',
      '10',
      '-i',
      path.join(distractorDir, d.path),
      '-ac',
      '1',
      tmp,
    ]);
    const pcm = await decodeClipFile(tmp, { sampleRateHz: lib.config.sampleRateHz });
    const { result } = await identifyClipAsOneSong({ ...lib.identifyDeps() }, pcm, 5, performance.now());
    const k = (byKind[d.kind] ??= { clips: 0, answeredSource: 0, answeredOther: 0 });
    k.clips++;
    const top = result.exact[0];
    if (top) {
      // By path inside the library, so a check index built from the corpus itself or from a --limit view both work.
      const sources = [d.source, d.partner?.source].filter((s): s is string => s !== undefined);
      if (sources.some((s) => top.track.filePath.endsWith(`/${s}`))) {
        k.answeredSource++;
        hits.push(`${d.path} -> its source ${top.track.filePath}`);
      } else {
        k.answeredOther++;
        hits.push(`${d.path} -> another track ${top.track.filePath}`);
      }
    }
  }
  rmSync(tmp, { force: true });
  await lib.close();
  const source = Object.values(byKind).reduce((s, k) => s + k.answeredSource, 0);
  const other = Object.values(byKind).reduce((s, k) => s + k.answeredOther, 0);
  row(
    `distractor check: 10 s clips of ${picked.length} distractors identified against the 1x index`,
    `${source} answered with their source, ${other} with another track (${Object.entries(byKind)
      .map(([k, v]) => `${k} ${v.answeredSource}/${v.clips}`)
      .join(', ')})`,
  );
  return { index: checkIndex, clips: picked.length, answeredSource: source, answeredOther: other, byKind, hits };
}

await main();
