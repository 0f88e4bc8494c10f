// Diagnostic for the exact lane in rooms (bench only, no index needed): of the peaks a library track has where a clip
// was cut, how many does the clip's recording still show? Landmarks need both of their peaks, so this is what the
// search can hope to find. Compares peak-picking variants on the same clips.
//   node out/bench/peakSurvival.js --corpus DIR --queries QDIR [--limit N] [--variant NAME ...]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeClipFile } from '../src-main/engine/audio/decodeClip.js';
import { FINGERPRINT_CONFIG as C } from '../src-main/engine/fingerprint/config.js';
import { extractPeaksFast, type Peak } from '../src-main/engine/fingerprint/peaks.js';
import { computeSpectrogram, createSpectrumScratch, type Spectrogram } from '../src-main/engine/fingerprint/spectrum.js';
import { decodeMono } from './roomAmbience.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    queries: { type: 'string' },
    limit: { type: 'string', default: '120' },
    variant: { type: 'string', multiple: true },
  },
});
const corpus = path.resolve(values.corpus!);
const qdir = path.resolve(values.queries!);

type Transform = (spec: Spectrogram) => Spectrogram;

/** Late-reverberation suppression (Lebart et al. 2001): subtract the decayed power of `delayFrames` ago. */
function dereverb(rt60: number, delayFrames: number, floorDb: number): Transform {
  return (spec) => {
    const { binCount: cols, frameCount: rows, data } = spec;
    const out = new Float32Array(data.length);
    const hopS = C.hopSizeSamples / C.sampleRateHz;
    const decay = Math.exp((-2 * 3 * Math.LN10 * delayFrames * hopS) / rt60); // power decay over the delay
    const floor = Math.pow(10, floorDb / 10);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const p = Math.pow(10, data[i] / 10);
        const late = r >= delayFrames ? decay * Math.pow(10, data[i - delayFrames * cols] / 10) : 0;
        const g = Math.max(floor, 1 - late / p);
        out[i] = 10 * Math.log10(p * g);
      }
    }
    return { ...spec, data: out };
  };
}

const VARIANTS: Record<string, { query?: Transform; track?: Transform }> = {
  base: {},
  'q-derev-0.5': { query: dereverb(0.5, 3, -10) },
  'q-derev-0.8': { query: dereverb(0.8, 3, -10) },
  'both-derev-0.5': { query: dereverb(0.5, 3, -10), track: dereverb(0.5, 3, -10) },
  'both-derev-0.8': { query: dereverb(0.8, 3, -10), track: dereverb(0.8, 3, -10) },
};

function peaksOf(pcm: Float32Array, perBlock: number, t?: Transform): Peak[] {
  const frames = Math.ceil(pcm.length / C.hopSizeSamples);
  let spec = computeSpectrogram(pcm, 0, 0, frames, C, createSpectrumScratch(C));
  if (t) spec = t(spec);
  return extractPeaksFast(spec, C, perBlock, 0, frames);
}

function survival(track: Peak[], query: Peak[]): number {
  if (track.length === 0) return NaN;
  let hit = 0;
  let j = 0;
  for (const p of track) {
    while (j < query.length && query[j].frame < p.frame - 1) j++;
    for (let k = j; k < query.length && query[k].frame <= p.frame + 1; k++) {
      if (Math.abs(query[k].pitch - p.pitch) < 0.35) {
        hit++;
        break;
      }
    }
  }
  return hit / track.length;
}

interface Truth {
  query: string;
  expected: string | null;
  negative: boolean;
  offset: number;
  duration: number;
  condition: string;
  degradation: string;
}
const truths = readFileSync(path.join(qdir, 'truth.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Truth)
  .filter((t) => !t.negative)
  .slice(0, Number(values.limit));
const names = values.variant?.length ? values.variant : Object.keys(VARIANTS);
const sums = new Map<string, Map<string, number[]>>();
for (const t of truths) {
  const clip = await decodeClipFile(path.join(qdir, t.query), { sampleRateHz: C.sampleRateHz });
  const start = Math.round(t.offset * C.sampleRateHz);
  const src = decodeMono(path.join(corpus, 'library', t.expected!), C.sampleRateHz, start, start + clip.length);
  for (const name of names) {
    const v = VARIANTS[name];
    const s = survival(peaksOf(src, C.trackPeaksPerBlock, v.track), peaksOf(clip, C.queryPeaksPerBlock, v.query));
    const byCond = sums.get(name) ?? new Map<string, number[]>();
    sums.set(name, byCond);
    for (const key of ['all', t.condition]) (byCond.get(key) ?? byCond.set(key, []).get(key)!).push(s);
  }
}
const conds = [...new Set(truths.map((t) => t.condition))].sort();
console.log(`| variant | all | ${conds.join(' | ')} |`);
for (const name of names) {
  const m = sums.get(name)!;
  const mean = (xs: number[] = []): string => (xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3) : '-');
  console.log(`| ${name} | ${mean(m.get('all'))} | ${conds.map((c) => mean(m.get(c))).join(' | ')} |`);
}
