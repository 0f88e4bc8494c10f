// The clip search's own CPU, this checkout beside another build, alternating in one process (bench only). Every clip
// of the query sets is decoded and peak-picked once, and every posting its searches read is read from the index once
// up front, so what is timed is searchPeaks alone (keys, votes, screens, verification): no decode, no LMDB, no audio
// check. The two builds must give the same outcome clip by clip (best track, its votes, the background, the matches,
// the hypotheses tried); the report says where they do not.
//   node out/bench/searchReplay.js --data DIR --queries QDIR [--queries QDIR2] [--against OTHER/out] [--max-clips N]
//     [--rounds R] [--negatives only|none|all]
// --against is the `out` folder of another checkout built with `npx tsc -b` (e.g. a worktree of the previous commit).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeClipFile } from '../src-main/engine/audio/decodeClip.js';
import { FINGERPRINT_CONFIG } from '../src-main/engine/fingerprint/config.js';
import { extractSignalPeaks } from '../src-main/engine/fingerprint/fingerprintAudio.js';
import { unpackPeaks } from '../src-main/engine/fingerprint/peakCodec.js';
import type { Peak } from '../src-main/engine/fingerprint/peaks.js';
import { searchPeaks, type SearchOutcome } from '../src-main/engine/fingerprint/searchClip.js';
import { openLmdbLandmarkStore } from '../src-main/engine/landmarkStore/lmdbLandmarkStore.js';
import { readTruths } from './exactScoring.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    queries: { type: 'string', multiple: true },
    against: { type: 'string' },
    'max-clips': { type: 'string', default: '40' },
    rounds: { type: 'string', default: '5' },
    negatives: { type: 'string', default: 'all' },
  },
});
if (!values.data || !values.queries?.length) {
  console.error(
    'usage: searchReplay --data DIR --queries QDIR [--queries QDIR2] [--against OTHER/out] [--max-clips N] [--rounds R] [--negatives only|none|all]',
  );
  process.exit(2);
}
const maxClips = Number(values['max-clips']);
const rounds = Number(values.rounds);

type Search = typeof searchPeaks;
interface Build {
  readonly label: string;
  readonly search: Search;
}
const builds: Build[] = [{ label: 'this checkout', search: searchPeaks }];
if (values.against) {
  const other = path.resolve(values.against, 'src-main/engine/fingerprint/searchClip.js');
  const mod = (await import(pathToFileURL(other).href)) as { searchPeaks: Search };
  builds.push({ label: path.resolve(values.against), search: mod.searchPeaks });
}

const store = await openLmdbLandmarkStore(path.join(path.resolve(values.data), 'landmarks'), { readOnly: true });
const postings = new Map<number, Uint32Array>();
const lookup = (hash: number): Uint32Array => {
  let p = postings.get(hash);
  if (p === undefined) postings.set(hash, (p = store.lookup(hash)));
  return p;
};
const trackPeaks = new Map<number, Peak[]>();
const peaksOf = (num: number): Peak[] => {
  let p = trackPeaks.get(num);
  if (p === undefined) trackPeaks.set(num, (p = unpackPeaks(store.getPeaks(num))));
  return p;
};

interface Clip {
  readonly set: string;
  readonly query: string;
  readonly peaks: Peak[];
}
const clips: Clip[] = [];
for (const qdir of values.queries.map((q) => path.resolve(q))) {
  const truths = readTruths(qdir)
    .filter((t) => values.negatives === 'all' || (values.negatives === 'only') === t.negative)
    .slice(0, maxClips);
  for (const t of truths) {
    const pcm = await decodeClipFile(path.join(qdir, t.query), { sampleRateHz: FINGERPRINT_CONFIG.sampleRateHz });
    clips.push({ set: path.basename(qdir), query: t.query, peaks: extractSignalPeaks(pcm, FINGERPRINT_CONFIG, 'query') });
  }
}

/** What the rule and the report depend on, for comparing builds. */
function outcomeKey(o: SearchOutcome): string {
  return JSON.stringify([
    o.best?.trackNum,
    o.best?.alignedCount,
    o.best?.offsetFrames,
    o.backgroundAligned,
    o.hypothesesTried,
    o.matches.map((m) => [m.trackNum, m.alignedCount, m.offsetFrames, m.confidence, m.timeFactor, m.pitchFactor]),
    o.verified.map((v) => [v.trackNum, v.alignedCount, v.verification.score]),
  ]);
}

// A first pass reads every posting (and counts those each search votes with), and compares the builds.
let voted = 0;
const counting = (hash: number): Uint32Array => {
  const p = lookup(hash);
  voted += p.length >>> 1;
  return p;
};
const keys = builds.map((b, i) => clips.map((c) => outcomeKey(b.search(c.peaks, FINGERPRINT_CONFIG, i === 0 ? counting : lookup, undefined, 5, peaksOf))));
const differing = builds.slice(1).map((_, i) => clips.filter((_c, k) => keys[i + 1][k] !== keys[0][k]));

const times = builds.map(() => [] as number[]);
for (let r = 0; r < rounds; r++) {
  // Alternate which build goes first, so that neither always runs on a warmer cache.
  const order = r % 2 === 0 ? builds.map((_, i) => i) : builds.map((_, i) => builds.length - 1 - i);
  for (const i of order) {
    const started = performance.now();
    for (const c of clips) builds[i].search(c.peaks, FINGERPRINT_CONFIG, lookup, undefined, 5, peaksOf);
    times[i].push((performance.now() - started) / clips.length);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const sets = [...new Set(clips.map((c) => c.set))].join(', ');
console.log(`searchReplay: ${clips.length} clips (${sets}; negatives: ${values.negatives}) on ${path.resolve(values.data)}, ${rounds} rounds`);
console.log(`postings voted per search: ${Math.round(voted / clips.length / 1000)} k`);
builds.forEach((b, i) => console.log(`${b.label}: ${median(times[i]).toFixed(1)} ms per clip (median; rounds ${times[i].map((t) => t.toFixed(1)).join(' ')})`));
if (builds.length > 1) {
  console.log(`ratio this / other: ${(median(times[0]) / median(times[1])).toFixed(3)}`);
  const d = differing[0];
  console.log(`outcomes differing: ${d.length} of ${clips.length}${d.length ? ': ' + d.map((c) => `${c.set}/${c.query}`).join(', ') : ''}`);
}
await store.close();
