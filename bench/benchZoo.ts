// The zoo (issue 15), not a test: hostile inputs, damaged stores and kill -9 thrown at the real CLI, each run under a
// time and a memory limit (the process group's resident memory, ffmpeg included, polled every 100 ms).
//   npm run bench:zoo -- [--work DIR] [--out DIR] [--only REGEX] [--skip-kills] [--skip-stores]
// Every input must end with a typed error or a right answer within the limits, and the library's own tracks must
// survive. Prints a Markdown table and saves it (with the raw rows as JSON) under --out (default bench-results/).
import { spawn } from 'node:child_process';
import { existsSync, promises as fsp, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng, cutClip, synthSong, writeSongFile, writeWav } from '../src-main/engine/testing/synthAudio.js';
import { ffmpegUsed, zooCases, type IdentifyExpectation, type IndexExpectation, type ZooCase } from './zooInputs.js';

const { values: opts } = parseArgs({
  options: {
    work: { type: 'string' },
    out: { type: 'string', default: 'bench-results' },
    only: { type: 'string' },
    'skip-kills': { type: 'boolean', default: false },
    'skip-stores': { type: 'boolean', default: false },
    'skip-inputs': { type: 'boolean', default: false },
    seed: { type: 'string', default: '15' },
  },
});

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'audio-ident.js');
const IDENTIFY_LIMIT_S = 60;
const INDEX_LIMIT_S = 240;
const MEMORY_LIMIT_MB = 1536;
const NOBODY = 65534;

interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  wallSeconds: number;
  peakRssMb: number;
  timedOut: boolean;
  overMemory: boolean;
}

/** Resident memory of every process in group `pgid` (node, its workers' threads and ffmpeg children), in MB. */
function groupRssMb(pgid: number): number {
  let pages = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) pages += Number(fields[21]);
    } catch {
      // the process ended between readdir and read
    }
  }
  return (pages * 4096) / (1024 * 1024);
}

/** Runs the CLI in its own process group; kills the whole group past the time or memory limit. */
function runCli(
  args: readonly string[],
  limits: { seconds: number; memoryMb?: number; cwd?: string; asNobody?: boolean; killAfter?: (elapsedMs: number) => boolean },
): Promise<RunResult> {
  const command = limits.asNobody ? 'setpriv' : process.execPath;
  const argv = limits.asNobody ? [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, BIN, ...args] : [BIN, ...args];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd: limits.cwd ?? ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout = (stdout + b.toString('utf8')).slice(-200_000);
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString('utf8')).slice(-20_000);
    });
    let peak = 0;
    let timedOut = false;
    let overMemory = false;
    const killGroup = (): void => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setInterval(() => {
      const elapsedMs = performance.now() - started;
      peak = Math.max(peak, groupRssMb(child.pid!));
      if (limits.killAfter?.(elapsedMs)) killGroup();
      else if (elapsedMs > limits.seconds * 1000) {
        timedOut = true;
        killGroup();
      } else if (peak > (limits.memoryMb ?? MEMORY_LIMIT_MB)) {
        overMemory = true;
        killGroup();
      }
    }, 100);
    child.on('close', (code) => {
      clearInterval(timer);
      killGroup(); // stray ffmpeg children of a killed CLI
      resolve({ exitCode: code, stdout, stderr, wallSeconds: (performance.now() - started) / 1000, peakRssMb: peak, timedOut, overMemory });
    });
  });
}

interface Outcome {
  /** 'error' with a typed code, 'match', 'no-match', or 'broken' (untyped error, crash, hang, memory). */
  kind: 'error' | 'match' | 'no-match' | 'indexed' | 'failed' | 'skipped' | 'broken';
  text: string;
}

function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return {};
      }
    });
}

function limitText(r: RunResult): string | null {
  if (r.timedOut) return `hung: killed after ${r.wallSeconds.toFixed(0)} s`;
  if (r.overMemory) return `ran away: killed at ${r.peakRssMb.toFixed(0)} MB`;
  return null;
}

function identifyOutcome(r: RunResult): Outcome {
  const over = limitText(r);
  if (over) return { kind: 'broken', text: over };
  const line = jsonLines(r.stdout).at(-1);
  if (!line) {
    // An error before any clip was read (the library could not be opened) is printed as `error: CODE: detail`.
    const typed = /^error: ([a-z-]+)/m.exec(r.stderr)?.[1];
    if (typed && typed !== 'internal') return { kind: 'error', text: typed };
    return { kind: 'broken', text: `no answer (exit ${r.exitCode}): ${r.stderr.trim().split('\n')[0]?.slice(0, 80) ?? ''}` };
  }
  const error = line.error as { code: string; detail?: string } | undefined;
  if (error) return error.code === 'internal' ? { kind: 'broken', text: `internal: ${error.detail?.slice(0, 80)}` } : { kind: 'error', text: error.code };
  // The CLI's JSON shape (apiJson.ts): exact_matches, each with its track nested.
  const exact = line.exact_matches as Array<{ track: { title: string | null; file_path: string } }> | undefined;
  if (!Array.isArray(exact)) return { kind: 'broken', text: `unreadable answer: ${JSON.stringify(line).slice(0, 80)}` };
  if (exact.length > 0) return { kind: 'match', text: `match: ${exact[0].track.title ?? path.basename(exact[0].track.file_path)}` };
  return { kind: 'no-match', text: 'no match' };
}

function indexOutcome(r: RunResult, libraryCount: number): Outcome {
  const over = limitText(r);
  if (over) return { kind: 'broken', text: over };
  const summary = jsonLines(r.stdout).at(-1) as Record<string, number> | undefined;
  if (!summary || summary.added === undefined) {
    const typed = /^error: ([a-z-]+)/m.exec(r.stderr)?.[1];
    if (typed && typed !== 'internal') return { kind: 'failed', text: `error: ${typed}` };
    return {
      kind: 'broken',
      text: `no summary (exit ${r.exitCode}): ${
        r.stderr
          .trim()
          .split('\n')
          .find((l) => /error/i.test(l))
          ?.slice(0, 100) ?? ''
      }`,
    };
  }
  const failedCodes = [...r.stderr.matchAll(/^failed: .*?: ([a-z-]+)(?::|$)/gm)].map((m) => m[1]);
  if (failedCodes.includes('internal')) return { kind: 'broken', text: 'listed as failed with an internal error' };
  const kept = summary.unchanged + (summary.updated ?? 0);
  if (kept < libraryCount) return { kind: 'broken', text: `library tracks lost: ${kept} of ${libraryCount} kept` };
  if (summary.failed > 0) return { kind: 'failed', text: `failed: ${[...new Set(failedCodes)].join(', ') || '?'}` };
  if (summary.added > 0) return { kind: 'indexed', text: `indexed (${summary.added})` };
  return { kind: 'skipped', text: 'skipped' };
}

function identifyMeets(expect: IdentifyExpectation, o: Outcome): boolean {
  if (o.kind === 'broken') return false;
  switch (expect) {
    case 'error':
      return o.kind === 'error';
    case 'no-match':
      return o.kind === 'no-match' || (o.kind === 'error' && o.text === 'clip-too-short');
    case 'error-or-no-match':
      return o.kind === 'error' || o.kind === 'no-match';
    case 'skip':
      return true;
  }
}

function indexMeets(expect: IndexExpectation, o: Outcome): boolean {
  if (o.kind === 'broken') return false;
  switch (expect) {
    case 'failed':
      return o.kind === 'failed';
    case 'indexed':
      return o.kind === 'indexed';
    case 'skipped':
      return o.kind === 'skipped';
    case 'failed-or-skipped':
      return o.kind === 'failed' || o.kind === 'skipped';
    case 'indexed-or-failed':
      return o.kind === 'indexed' || o.kind === 'failed';
    case 'any':
    case 'skip':
      return true;
  }
}

interface Row {
  section: string;
  name: string;
  identify: string;
  identifySeconds: number;
  identifyMb: number;
  index: string;
  indexSeconds: number;
  indexMb: number;
  ok: boolean;
  note?: string;
}

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'out', 'src-main', 'host', 'cli.js'))) throw new Error('build first: npx tsc -b');
  const work = opts.work ? path.resolve(opts.work) : await fsp.mkdtemp(path.join(os.tmpdir(), 'zoo-'));
  await fsp.mkdir(work, { recursive: true });
  await fsp.chmod(work, 0o755);
  const rows: Row[] = [];
  const log = (s: string): void => {
    process.stderr.write(s + '\n');
  };
  log(`zoo: work folder ${work}; ffmpeg ${ffmpegUsed()}; limits ${IDENTIFY_LIMIT_S} s per identify, ${INDEX_LIMIT_S} s per index, ${MEMORY_LIMIT_MB} MB`);

  // The library every case must leave intact, and a clip of it that must stay named.
  const libraryDir = path.join(work, 'library');
  await fsp.mkdir(libraryDir, { recursive: true });
  const libraryTitles = ['Zoo Library One', 'Zoo Library Two', 'Zoo Library Three'];
  const songs = await Promise.all(
    ['mp3', 'flac', 'ogg'].map((ext, i) =>
      writeSongFile(path.join(libraryDir, `song${i + 1}.${ext}`), i + 1, 40, { title: libraryTitles[i], artist: 'Zoo Band' }),
    ),
  );
  const clipPath = path.join(work, 'clip-of-song1.wav');
  await writeWav(clipPath, cutClip(songs[0], 22050, 12, 8), 22050);
  const dataDir = path.join(work, 'data');
  // A fresh library every run: with a reused --work, the last run's cases would still be indexed beside it.
  await fsp.rm(dataDir, { recursive: true, force: true });
  const first = await runCli(['index', '--data', dataDir, libraryDir], { seconds: INDEX_LIMIT_S });
  const firstOutcome = indexOutcome(first, 0);
  if (firstOutcome.kind !== 'indexed') throw new Error(`zoo: could not index the library: ${firstOutcome.text}\n${first.stderr}`);
  const nobodyData = path.join(work, 'nobody-data');
  await fsp.rm(nobodyData, { recursive: true, force: true });
  await fsp.mkdir(nobodyData, { recursive: true });
  await fsp.chown(nobodyData, NOBODY, NOBODY);

  const only = opts.only ? new RegExp(opts.only, 'i') : null;
  if (!opts['skip-inputs']) {
    const cases = zooCases().filter((c) => !only || only.test(c.name));
    // Two passes: every identify first, against the library alone (so no case can match another case's file that an
    // earlier index added), then every index, each of its own folder beside the library.
    const made: Array<{ c: ZooCase; input: string; caseDir: string; identify: Outcome; identifyRun: RunResult }> = [];
    for (const [n, c] of cases.entries()) {
      const caseDir = path.join(work, 'cases', `${String(n + 1).padStart(2, '0')}-${slug(c.name)}`);
      await fsp.rm(caseDir, { recursive: true, force: true });
      await fsp.mkdir(caseDir, { recursive: true });
      if (c.asNobody) await fsp.chmod(caseDir, 0o755);
      let input: string;
      try {
        input = await c.make(caseDir);
      } catch (err) {
        rows.push({
          section: c.group,
          name: c.name,
          identify: `could not make: ${(err as Error).message.slice(0, 60)}`,
          identifySeconds: 0,
          identifyMb: 0,
          index: '',
          indexSeconds: 0,
          indexMb: 0,
          ok: false,
        });
        continue;
      }
      const rel = c.relativeArgs?.(input);
      const identifyRun = await runCli(['identify', '--json', '--mode', 'both', '--data', c.asNobody ? nobodyData : dataDir, ...(rel ? rel.args : [input])], {
        seconds: IDENTIFY_LIMIT_S,
        cwd: rel?.cwd,
        asNobody: c.asNobody,
      });
      const identify = identifyOutcome(identifyRun);
      log(`[identify ${n + 1}/${cases.length}] ${c.name}: ${identify.text} (${identifyRun.wallSeconds.toFixed(1)} s, ${identifyRun.peakRssMb.toFixed(0)} MB)`);
      made.push({ c, input, caseDir, identify, identifyRun });
    }
    for (const [n, m] of made.entries()) {
      const folders = m.c.asNobody ? [m.caseDir] : [libraryDir, m.caseDir];
      const during = m.c.duringIndex?.(m.input);
      const idx = await runCli(['index', '--data', m.c.asNobody ? nobodyData : dataDir, ...folders], {
        seconds: m.c.indexTimeLimitSeconds ?? INDEX_LIMIT_S,
        asNobody: m.c.asNobody,
      });
      await during;
      const index = indexOutcome(idx, m.c.asNobody ? 0 : libraryTitles.length);
      const ok = identifyMeets(m.c.identify, m.identify) && indexMeets(m.c.index, index);
      rows.push({
        section: m.c.group,
        name: m.c.name,
        identify: m.identify.text,
        identifySeconds: m.identifyRun.wallSeconds,
        identifyMb: m.identifyRun.peakRssMb,
        index: index.text,
        indexSeconds: idx.wallSeconds,
        indexMb: idx.peakRssMb,
        ok,
        note: ok ? undefined : `expected identify ${m.c.identify}, index ${m.c.index}`,
      });
      log(
        `[index ${n + 1}/${made.length}] ${m.c.name}: ${index.text} (${idx.wallSeconds.toFixed(1)} s, ${idx.peakRssMb.toFixed(0)} MB)${ok ? '' : '  <-- NOT OK'}`,
      );
    }
    // After the whole zoo: every library track still listed, the clip still named.
    rows.push(await checkLibrary('after the zoo', dataDir, clipPath, libraryTitles));
  }

  if (!opts['skip-stores']) {
    for (const row of await damageStores(work, libraryDir, clipPath, libraryTitles)) rows.push(row);
  }
  if (!opts['skip-kills']) {
    for (const row of await killDuringIngest(work, Number(opts.seed))) rows.push(row);
  }

  const report = renderReport(rows);
  process.stdout.write(report);
  await fsp.mkdir(opts.out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await fsp.writeFile(path.join(opts.out, `zoo-${stamp}.md`), report);
  await fsp.writeFile(path.join(opts.out, `zoo-${stamp}.json`), JSON.stringify(rows, null, 1));
  const bad = rows.filter((r) => !r.ok).length;
  log(`zoo: ${rows.length - bad} of ${rows.length} rows ok; report in ${opts.out}/zoo-${stamp}.md`);
  process.exitCode = bad === 0 ? 0 : 1;
}

async function checkLibrary(name: string, dataDir: string, clipPath: string, titles: readonly string[]): Promise<Row> {
  const list = await runCli(['tracks', '--json', '--per-page', '500', '--data', dataDir], { seconds: IDENTIFY_LIMIT_S });
  const page = jsonLines(list.stdout).at(-1) as { items?: Array<{ title: string }> } | undefined;
  const present = new Set((page?.items ?? []).map((t) => t.title));
  const missing = titles.filter((t) => !present.has(t));
  const ident = await runCli(['identify', '--json', '--mode', 'exact', '--data', dataDir, clipPath], { seconds: IDENTIFY_LIMIT_S });
  const outcome = identifyOutcome(ident);
  const ok = missing.length === 0 && outcome.text === `match: ${titles[0]}`;
  return {
    section: 'library',
    name,
    identify: outcome.text,
    identifySeconds: ident.wallSeconds,
    identifyMb: ident.peakRssMb,
    index: missing.length === 0 ? `all ${titles.length} library tracks listed` : `missing: ${missing.join(', ')}`,
    indexSeconds: list.wallSeconds,
    indexMb: list.peakRssMb,
    ok,
  };
}

/** Store damage: each store deleted, truncated and scribbled over, on a copy of a freshly indexed library. */
async function damageStores(work: string, libraryDir: string, clipPath: string, titles: readonly string[]): Promise<Row[]> {
  const base = path.join(work, 'store-base');
  await fsp.rm(base, { recursive: true, force: true });
  const made = await runCli(['index', '--data', base, libraryDir], { seconds: INDEX_LIMIT_S });
  if (indexOutcome(made, 0).kind !== 'indexed') throw new Error(`zoo: store base: ${made.stderr}`);
  const rng = createRng(1515);
  const scribble = async (file: string, fromFraction: number): Promise<void> => {
    const bytes = await fsp.readFile(file);
    const start = Math.floor(bytes.length * fromFraction);
    for (let i = start; i < bytes.length; i += 1024) for (let j = 0; j < 512 && i + j < bytes.length; j++) bytes[i + j] = Math.floor(rng() * 256);
    await fsp.writeFile(file, bytes);
  };
  const truncate = async (file: string, fraction: number): Promise<void> => {
    const { size } = await fsp.stat(file);
    await fsp.truncate(file, Math.floor(size * fraction));
  };
  const filesUnder = async (dir: string): Promise<string[]> =>
    (await fsp.readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  const damages: Array<[string, (d: string) => Promise<void>, 'repaired' | 'typed-error']> = [
    [
      'catalog.sqlite deleted',
      async (d) => {
        for (const f of ['catalog.sqlite', 'catalog.sqlite-wal', 'catalog.sqlite-shm']) await fsp.rm(path.join(d, f), { force: true });
      },
      'repaired',
    ],
    ['catalog.sqlite truncated to 0 bytes', (d) => truncate(path.join(d, 'catalog.sqlite'), 0), 'repaired'],
    ['catalog.sqlite truncated to half', (d) => truncate(path.join(d, 'catalog.sqlite'), 0.5), 'typed-error'],
    ['catalog.sqlite scribbled over', (d) => scribble(path.join(d, 'catalog.sqlite'), 0.3), 'typed-error'],
    ['landmarks/ deleted', (d) => fsp.rm(path.join(d, 'landmarks'), { recursive: true, force: true }), 'repaired'],
    ['landmarks/data.mdb truncated to half', (d) => truncate(path.join(d, 'landmarks', 'data.mdb'), 0.5), 'repaired'],
    ['landmarks/data.mdb scribbled over', (d) => scribble(path.join(d, 'landmarks', 'data.mdb'), 0.25), 'repaired'],
    ['vectors/ deleted', (d) => fsp.rm(path.join(d, 'vectors'), { recursive: true, force: true }), 'repaired'],
    [
      'vectors/ files truncated to half',
      async (d) => {
        for (const f of await filesUnder(path.join(d, 'vectors'))) await truncate(f, 0.5);
      },
      'repaired',
    ],
    [
      'vectors/ files scribbled over',
      async (d) => {
        for (const f of await filesUnder(path.join(d, 'vectors'))) await scribble(f, 0.1);
      },
      'repaired',
    ],
    ['vibe-model.json scribbled over', (d) => fsp.writeFile(path.join(d, 'vibe-model.json'), '{"modelId": 12, garbage'), 'repaired'],
  ];
  const rows: Row[] = [];
  for (const [name, damage, expect] of damages) {
    const d = path.join(work, 'stores', slug(name));
    await fsp.rm(d, { recursive: true, force: true });
    await fsp.cp(base, d, { recursive: true });
    await damage(d);
    const catalogBefore = existsSync(path.join(d, 'catalog.sqlite')) ? (await fsp.stat(path.join(d, 'catalog.sqlite'))).size : -1;
    const before = await runCli(['identify', '--json', '--mode', 'both', '--data', d, clipPath], { seconds: IDENTIFY_LIMIT_S });
    const idx = await runCli(['index', '--data', d, libraryDir], { seconds: INDEX_LIMIT_S });
    const after = await runCli(['identify', '--json', '--mode', 'both', '--data', d, clipPath], { seconds: IDENTIFY_LIMIT_S });
    const b = identifyOutcome(before);
    const a = identifyOutcome(after);
    const i = indexOutcome(idx, 0);
    const summary = jsonLines(idx.stdout).at(-1) as Record<string, number> | undefined;
    const idxText =
      summary?.added !== undefined
        ? Object.entries(summary)
            .filter(([k, v]) => typeof v === 'number' && v > 0 && !/seconds/i.test(k))
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || 'nothing to do'
        : i.text;
    const noInternal = ![a, b, i].some((o) => o.kind === 'broken');
    let ok: boolean;
    let note: string | undefined;
    if (expect === 'repaired') {
      ok = noInternal && a.text === `match: ${titles[0]}`;
      note = ok ? undefined : 'expected: repaired by index, clip named again';
    } else {
      const catalogAfter = existsSync(path.join(d, 'catalog.sqlite')) ? (await fsp.stat(path.join(d, 'catalog.sqlite'))).size : -1;
      ok = noInternal && (a.text === `match: ${titles[0]}` || a.text === 'catalog-corrupt') && catalogAfter === catalogBefore;
      note = ok ? undefined : 'expected: a typed catalog-corrupt (or a repair), the damaged catalog kept as it was';
    }
    rows.push({
      section: 'store damage',
      name,
      identify: `${b.text} -> ${a.text}`,
      identifySeconds: before.wallSeconds + after.wallSeconds,
      identifyMb: Math.max(before.peakRssMb, after.peakRssMb),
      index: idxText,
      indexSeconds: idx.wallSeconds,
      indexMb: idx.peakRssMb,
      ok,
      note,
    });
    process.stderr.write(`store: ${name}: identify ${b.text} -> index ${idxText} -> identify ${a.text}${ok ? '' : '  <-- NOT OK'}\n`);
  }
  return rows;
}

/** kill -9 at random moments of an ingest (and once during the compaction that follows it), then resume. */
async function killDuringIngest(work: string, seed: number): Promise<Row[]> {
  const libraryDir = path.join(work, 'kill-library');
  const dataDir = path.join(work, 'kill-data');
  await fsp.rm(dataDir, { recursive: true, force: true });
  await fsp.mkdir(libraryDir, { recursive: true });
  // ~72 min of audio: enough that the first full scan leaves the LMDB file bloated past the compaction bar.
  const songCount = 18;
  const titles: string[] = [];
  for (let i = 0; i < songCount; i++) {
    titles.push(`Kill Song ${i + 1}`);
    const file = path.join(libraryDir, `kill${String(i + 1).padStart(2, '0')}.${i % 3 === 0 ? 'mp3' : 'wav'}`);
    if (!existsSync(file)) await writeSongFile(file, 300 + i, 240, i % 3 === 0 ? { title: titles[i], artist: 'Kill' } : undefined, { sampleRateHz: 11025 });
  }
  const rng = createRng(seed);
  const rows: Row[] = [];
  const kills: string[] = [];
  for (let k = 0; k < 5; k++) {
    const at = 1500 + rng() * 6000;
    const r = await runCli(['index', '--data', dataDir, libraryDir], { seconds: INDEX_LIMIT_S, killAfter: (ms) => ms > at });
    kills.push(r.exitCode === null ? `${(at / 1000).toFixed(1)} s` : `finished first (${r.wallSeconds.toFixed(1)} s)`);
  }
  // Then remove two thirds of the songs: the store's file is left mostly free pages, so the scan that removes them
  // compacts it; kill that scan as soon as the compaction's new store appears. Then bring the songs back.
  const first = await runCli(['index', '--data', dataDir, libraryDir], { seconds: INDEX_LIMIT_S });
  const aside = path.join(work, 'kill-aside');
  await fsp.mkdir(aside, { recursive: true });
  const moved = (await fsp.readdir(libraryDir)).sort().slice(0, 12);
  for (const f of moved) await fsp.rename(path.join(libraryDir, f), path.join(aside, f));
  let sawCompaction = false;
  const compacting = (): boolean => {
    const found = readdirSync(dataDir).some((e) => e.endsWith('.compact-new'));
    if (found) sawCompaction = true;
    return found;
  };
  const c = await runCli(['index', '--data', dataDir, libraryDir], { seconds: INDEX_LIMIT_S, killAfter: () => existsSync(dataDir) && compacting() });
  for (const f of moved) await fsp.rename(path.join(aside, f), path.join(libraryDir, f));
  const compactionNote = `${indexOutcome(first, 0).kind === 'broken' ? 'a broken full index, ' : 'a full index, '}${sawCompaction ? 'a scan removing 12 songs killed during its compaction' : `no compaction seen (exit ${c.exitCode})`}`;
  const last = await runCli(['index', '--data', dataDir, libraryDir], { seconds: INDEX_LIMIT_S });
  const resumed = indexOutcome(last, 0);
  const list = await runCli(['tracks', '--json', '--per-page', '500', '--data', dataDir], { seconds: IDENTIFY_LIMIT_S });
  const page = jsonLines(list.stdout).at(-1) as { total?: number } | undefined;
  // Clips of three songs, from the synthesised originals.
  let named = 0;
  for (const i of [0, 7, 13]) {
    const clip = path.join(work, `kill-clip-${i}.wav`);
    await writeWav(clip, cutClip(synthSong(300 + i, 240, 11025), 11025, 60, 8), 11025);
    const r = identifyOutcome(await runCli(['identify', '--json', '--mode', 'exact', '--data', dataDir, clip], { seconds: IDENTIFY_LIMIT_S }));
    const wanted = i % 3 === 0 ? `match: ${titles[i]}` : `match: kill${String(i + 1).padStart(2, '0')}`;
    if (r.text === wanted) named++;
  }
  const ok = resumed.kind !== 'broken' && page?.total === songCount && named === 3 && sawCompaction;
  rows.push({
    section: 'kill -9',
    name: `5 kills during ingest (at ${kills.join(', ')}), then ${compactionNote}, then a full index`,
    identify: `${named} of 3 clips named`,
    identifySeconds: 0,
    identifyMb: 0,
    index: `${page?.total ?? '?'} of ${songCount} tracks, each once; last index: ${resumed.text}`,
    indexSeconds: last.wallSeconds,
    indexMb: last.peakRssMb,
    ok,
    note: ok ? undefined : 'expected every track once, every clip named, a compaction killed',
  });
  return rows;
}

function renderReport(rows: readonly Row[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `# The zoo: ${rows.filter((r) => r.ok).length} of ${rows.length} ok (limits: identify ${IDENTIFY_LIMIT_S} s, index ${INDEX_LIMIT_S} s, ${MEMORY_LIMIT_MB} MB resident for the whole process group)`,
    '',
    '| # | group | input | identify | s | MB | index | s | MB | ok |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  rows.forEach((r, i) => {
    lines.push(
      `| ${i + 1} | ${esc(r.section)} | ${esc(r.name)} | ${esc(r.identify)} | ${r.identifySeconds.toFixed(1)} | ${r.identifyMb.toFixed(0)} | ${esc(r.index)} | ${r.indexSeconds.toFixed(1)} | ${r.indexMb.toFixed(0)} | ${r.ok ? 'yes' : `**no**: ${esc(r.note ?? '')}`} |`,
    );
  });
  return lines.join('\n') + '\n';
}

main().catch((err: unknown) => {
  process.stderr.write(`zoo: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 2;
});
