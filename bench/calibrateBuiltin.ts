// Measures the built-in model's raw descriptor statistics (per-dimension mean and std over every 10 s window) on a
// folder of music, and writes scripts/builtin-model-stats.json, which scripts/generate-builtin-model.py bakes into
// the model's standardisation. Run it on held-out music, never on what the benchmark scores:
//   node out/bench/calibrateBuiltin.js --music CORPUS/heldout [--out scripts/builtin-model-stats.json]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeAudio } from '../src-main/engine/audio/decodeAudio.js';
import { trackWindows } from '../src-main/engine/embedding/audioWindows.js';
import { MAX_TRACK_WINDOWS, OnnxEmbedder } from '../src-main/engine/embedding/onnxEmbedder.js';
import { BUILTIN_MODEL_ID, windowHopSamples } from '../src-main/engine/embedding/embedderManifest.js';

const { values } = parseArgs({ options: { music: { type: 'string' }, out: { type: 'string', default: 'scripts/builtin-model-stats.json' } } });
if (!values.music) throw new Error('--music DIR is required');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.(mp3|flac|ogg|opus|m4a|wav)$/i.test(name) ? [p] : [];
  });
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'calibrate-'));
execFileSync('/usr/bin/python3', ['scripts/generate-builtin-model.py', '--raw', '--out', tmp], { stdio: 'inherit' });
const embedder = await OnnxEmbedder.load(path.join(tmp, `${BUILTIN_MODEL_ID}-raw.json`));
const dim = embedder.manifest.dim;
const sum = new Float64Array(dim);
const sumSq = new Float64Array(dim);
let count = 0;
const files = walk(path.resolve(values.music)).sort();
for (const file of files) {
  const pcm = await decodeAudio(file, { sampleRateHz: embedder.manifest.sampleRateHz, maxSeconds: 1800 });
  for (const v of await embedder.embedWindows(
    trackWindows(pcm, embedder.manifest.windowSamples, MAX_TRACK_WINDOWS, windowHopSamples(embedder.manifest)),
    true,
  )) {
    for (let i = 0; i < dim; i++) {
      sum[i] += v[i];
      sumSq[i] += v[i] * v[i];
    }
    count++;
  }
}
const mean = Array.from(sum, (s) => s / count);
const std = Array.from(sumSq, (s, i) => Math.sqrt(Math.max(0, s / count - mean[i] * mean[i])));
const round = (x: number): number => Number(x.toPrecision(6));
writeFileSync(
  values.out,
  JSON.stringify(
    { source: `${files.length} held-out corpus tracks, ${count} windows (bench/calibrateBuiltin.ts)`, mean: mean.map(round), std: std.map(round) },
    null,
    1,
  ) + '\n',
);
console.log(`${files.length} files, ${count} windows -> ${values.out}`);
