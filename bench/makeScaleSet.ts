// Builds the distractor folder of bench:scale (issue 11 §2) from the corpus library, without new music (not a test):
//   npm run bench:scale-set -- --corpus DIR --out DIR --factor 4|16|40 [--seed 11] [--jobs 2] [--limit N]
// OUT/rNN/... holds round NN (one re-made recording of every library track, see scalePlan.ts); size F = library + rounds
// 0..F-2. Incremental and resumable: a file that exists under its final name is complete (each is written to a
// temporary name, then renamed) and is skipped; the pitch method must stay the same across resumed runs; a later, larger --factor only adds rounds. ffmpeg is found as the app
// finds it (FFMPEG_PATH, ffmpeg-static, PATH) and runs `--jobs` at a time under nice. Writes OUT/manifest.jsonl (every
// built distractor of the plan, with its bytes) and OUT/plan.json (seed, factor, counts).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveFfmpeg } from '../src-main/engine/audio/ffmpegPath.js';
import { type Distractor, type LibraryTrack, ffmpegSteps, manifestLine, planDistractors, roundsFor } from './scalePlan.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    out: { type: 'string' },
    factor: { type: 'string', default: '4' },
    seed: { type: 'string', default: '11' },
    jobs: { type: 'string', default: '2' },
    nice: { type: 'string', default: '10' },
    limit: { type: 'string' },
    // Key-locked pitch: asetrate + atempo (WSOLA; ~4x faster here) or ffmpeg's rubberband filter.
    'pitch-method': { type: 'string', default: 'atempo' },
  },
});
if (!values.corpus || !values.out) {
  console.error('usage: npm run bench:scale-set -- --corpus DIR --out DIR --factor 4|16|40 [--seed 11] [--jobs 2] [--limit N]');
  process.exit(2);
}
const corpus = path.resolve(values.corpus);
const outDir = path.resolve(values.out);
const libraryDir = path.join(corpus, 'library');
const factor = Number(values.factor);
const seed = Number(values.seed);
const jobs = Math.max(1, Number(values.jobs));

function readLibrary(corpusDir: string): LibraryTrack[] {
  return readFileSync(path.join(corpusDir, 'manifest-library.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LibraryTrack);
}

const ffmpeg = resolveFfmpeg().path;
const pitchMethod = values['pitch-method'] === 'rubberband' ? 'rubberband' : 'atempo';

const library = readLibrary(corpus);
const plan = planDistractors(library, roundsFor(factor), seed);
const todo = plan.slice(0, values.limit ? Number(values.limit) : plan.length).filter((d) => !existsSync(path.join(outDir, d.path)));
console.error(`${plan.length} distractors for ${factor}x (${library.length} library tracks), ${todo.length} to build, ${jobs} jobs, pitch by ${pitchMethod}`);

/** One ffmpeg run; rejects with its exit code and the end of its stderr. */
function runFfmpeg(args: string[], seconds: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('nice', ['-n', String(values.nice), ffmpeg, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    // A hung ffmpeg (see scalePlan.ffmpegSteps) is killed so that it costs one file (reported, retried by the next
    // run), not one of the jobs for the rest of the run.
    const watchdog = setTimeout(() => child.kill('SIGKILL'), Math.max(180, seconds) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(watchdog);
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg ${code} for ${what}: ${err.slice(-500)}`));
    });
  });
}

async function build(d: Distractor): Promise<void> {
  const final = path.join(outDir, d.path);
  mkdirSync(path.dirname(final), { recursive: true });
  const temp = path.join(path.dirname(final), `.${path.basename(final)}.part`);
  const { runs, temps } = ffmpegSteps(d, libraryDir, temp, pitchMethod);
  try {
    for (const args of runs) await runFfmpeg(args, d.duration, d.path);
    renameSync(temp, final);
  } finally {
    for (const f of [temp, ...temps]) rmSync(f, { force: true });
  }
}

const started = performance.now();
let next = 0;
let done = 0;
let failed = 0;
let lastNote = 0;
async function worker(): Promise<void> {
  while (next < todo.length) {
    const d = todo[next++];
    try {
      await build(d);
    } catch (e) {
      failed++;
      console.error(String(e));
    }
    done++;
    if (performance.now() - lastNote > 30_000 || done === todo.length) {
      lastNote = performance.now();
      const s = (performance.now() - started) / 1000;
      console.error(`  ${done}/${todo.length} built in ${s.toFixed(0)} s (${((s / done) * (todo.length - done)).toFixed(0)} s left)`);
    }
  }
}
await Promise.all(Array.from({ length: jobs }, () => worker()));

// The manifest lists what exists of the plan (all of it once complete), in plan order.
const built = plan.filter((d) => existsSync(path.join(outDir, d.path)));
writeFileSync(path.join(outDir, 'manifest.jsonl'), built.map((d) => manifestLine(d, statSync(path.join(outDir, d.path)).size)).join('\n') + '\n');
const counts: Record<string, number> = {};
for (const d of built) counts[`${d.kind}/${d.format}`] = (counts[`${d.kind}/${d.format}`] ?? 0) + 1;
writeFileSync(
  path.join(outDir, 'plan.json'),
  JSON.stringify(
    { seed, factor, planned: plan.length, built: built.length, pitchMethod, hours: built.reduce((s, d) => s + d.duration, 0) / 3600, counts },
    null,
    1,
  ),
);
console.error(`manifest: ${built.length}/${plan.length} built, ${failed} failed this run`);
process.exit(failed > 0 ? 1 : 0);
