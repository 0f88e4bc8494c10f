// Identify with a helper on the second core (a fingerprint worker taking the speed/pitch hypotheses it can: issue 11)
// beside identify on one thread, alternating clip by clip in one process on one index (bench only). Both go through
// identifyClipAsOneSong as bench:exact does (search, audio check, catalog), from PCM decoded once per clip, so the
// times differ only by the helper. The two must answer the same for every clip (matches, best vote, lookups,
// hypotheses tried); the report lists any that do not.
//   node out/bench/benchSearchHelp.js --data DIR --queries QDIR [--queries QDIR2] [--max-clips N] [--rounds R]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeClipFile } from '../src-main/engine/audio/decodeClip.js';
import { identifyClipAsOneSong, type IdentifyDeps } from '../src-main/engine/jobs/identifyClip.js';
import { inProcessRunners, LibraryEngine } from '../src-main/engine/libraryEngine.js';
import { workerRunners } from '../src-main/host/openLibrary.js';
import { percentile, readTruths } from './exactScoring.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    queries: { type: 'string', multiple: true },
    'max-clips': { type: 'string', default: '60' },
    rounds: { type: 'string', default: '3' },
  },
});
if (!values.data || !values.queries?.length) {
  console.error('usage: benchSearchHelp --data DIR --queries QDIR [--queries QDIR2] [--max-clips N] [--rounds R]');
  process.exit(2);
}
const dataDir = path.resolve(values.data);
const maxClips = Number(values['max-clips']);
const rounds = Number(values.rounds);

const open = (runners: Parameters<typeof LibraryEngine.open>[1]): Promise<LibraryEngine> =>
  LibraryEngine.open(dataDir, runners, undefined, { embedderManifest: null, lockAs: null });
const aloneLib = await open(inProcessRunners(1));
const helpedRunners = workerRunners(1);
const helpedLib = await open(helpedRunners);
helpedLib.keepSearchHelperWarm();
let helperScreens = 0;
let helperAnswers = 0;
const helpedDeps = (): IdentifyDeps => {
  const deps = helpedLib.identifyDeps();
  const helper = deps.searchHelper!;
  return {
    ...deps,
    searchHelper: (req, signal) =>
      helper(req, signal).then((r) => {
        helperScreens += r.screened;
        helperAnswers++;
        return r;
      }),
  };
};
const modes = [
  { label: 'one thread', deps: () => aloneLib.identifyDeps() },
  { label: 'with helper', deps: helpedDeps },
] as const;

interface Clip {
  set: string;
  query: string;
  negative: boolean;
  pcm: Float32Array;
}
const clips: Clip[] = [];
for (const q of values.queries) {
  const set = path.basename(path.resolve(q));
  for (const t of readTruths(q).slice(0, maxClips)) {
    clips.push({ set, query: t.query, negative: t.negative, pcm: await decodeClipFile(path.join(q, t.query), { sampleRateHz: aloneLib.config.sampleRateHz }) });
  }
}
console.error(`${clips.length} clips decoded`);

/** What must not differ between the two: the answers and the search's own account of itself. */
function fingerprintOf(r: Awaited<ReturnType<typeof identifyClipAsOneSong>>): string {
  const { outcome, result } = r;
  return JSON.stringify({
    exact: result.exact.map((m) => [m.track.id, m.confidence, m.offsetSeconds, m.alignedHashes, m.speedFactor, m.pitchFactor]),
    best: outcome.best,
    background: outcome.backgroundAligned,
    lookups: outcome.lookups,
    tried: outcome.hypothesesTried,
  });
}

// Warm both (the worker's start, LMDB's first pages), untimed.
for (const m of modes) for (const c of clips.slice(0, 3)) await identifyClipAsOneSong(m.deps(), c.pcm, 5);

const times = modes.map(() => clips.map(() => [] as number[]));
const cpu = modes.map(() => 0);
const differing = new Set<string>();
for (let round = 0; round < rounds; round++) {
  for (const [i, clip] of clips.entries()) {
    const order = (round + i) % 2 === 0 ? [0, 1] : [1, 0];
    const seen: string[] = [];
    for (const m of order) {
      const cpuBefore = process.cpuUsage();
      const t0 = performance.now();
      const r = await identifyClipAsOneSong(modes[m].deps(), clip.pcm, 5);
      times[m][i].push(performance.now() - t0);
      const used = process.cpuUsage(cpuBefore);
      cpu[m] += (used.user + used.system) / 1000;
      seen[m] = fingerprintOf(r);
    }
    if (seen[0] !== seen[1]) differing.add(`${clip.set}/${clip.query}`);
  }
  console.error(`round ${round + 1}/${rounds} done`);
}
// The helper's last job may still be returning: let it.
await new Promise((r) => setTimeout(r, 200));

const median = (xs: number[]): number => percentile(xs, 50);
console.log(`\n${clips.length} clips x ${rounds} rounds, alternating; per clip its median over the rounds (ms, decode excluded)`);
console.log('| set | clips | one thread p50 / p95 | with helper p50 / p95 | sum ratio (helper / one) |');
console.log('|---|---|---|---|---|');
const groups = new Map<string, number[]>();
for (const [i, c] of clips.entries()) {
  for (const key of [`${c.set} ${c.negative ? 'negatives' : 'positives'}`, 'all']) {
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  }
}
for (const [key, idx] of groups) {
  const per = modes.map((_, m) => idx.map((i) => median(times[m][i])));
  const sum = per.map((xs) => xs.reduce((a, b) => a + b, 0));
  console.log(
    `| ${key} | ${idx.length} | ${percentile(per[0], 50).toFixed(0)} / ${percentile(per[0], 95).toFixed(0)} | ${percentile(per[1], 50).toFixed(0)} / ${percentile(per[1], 95).toFixed(0)} | ${(sum[1] / sum[0]).toFixed(3)} |`,
  );
}
const runs = clips.length * rounds;
console.log(
  `\nprocess CPU per identify: one thread ${(cpu[0] / runs).toFixed(0)} ms, with helper ${(cpu[1] / runs).toFixed(0)} ms; the helper answered ${helperAnswers} of ${runs + 3} searches (the rest ended before it started), screening ${helperScreens} hypotheses`,
);
console.log(differing.size === 0 ? 'every clip answered the same both ways' : `DIFFERING (${differing.size}): ${[...differing].join(', ')}`);
await aloneLib.close();
await helpedLib.close();
await helpedRunners.close();
