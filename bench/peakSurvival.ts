// Diagnostic for the exact lane in rooms (bench only, no index needed): of the peaks a library track has where a clip
// was cut, how many does the clip's recording still show? Landmarks need both of their peaks, so this is what the
// search can hope to find. Compares peak-picking variants on the same clips. Then, for the peaks as they are: how far
// in time the found ones moved, and the share of the track's landmarks the clip's keys find at their offset (the true
// track's aligned votes), as recorded and with each landmark's frame difference also looked up one frame either side.
//   node out/bench/peakSurvival.js --corpus DIR --queries QDIR [--limit N] [--variant NAME ...]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeClipFile } from '../src-main/engine/audio/decodeClip.js';
import { FINGERPRINT_CONFIG as C } from '../src-main/engine/fingerprint/config.js';
import { makeQueryKeys, makeTrackLandmarks } from '../src-main/engine/fingerprint/landmarks.js';
import { extractPeaksFast, type Peak } from '../src-main/engine/fingerprint/peaks.js';
import { computeSpectrogram, createSpectrumScratch, type Spectrogram } from '../src-main/engine/fingerprint/spectrum.js';
import { readTruths } from './exactScoring.js';
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

const truths = readTruths(qdir)
  .filter((t) => !t.negative)
  .slice(0, Number(values.limit));
const names = values.variant?.length ? values.variant : Object.keys(VARIANTS);
const sums = new Map<string, Map<string, number[]>>();
/** Frame shift of each track peak found in the clip (+-3 frames, 0.35 semitone), and landmark shares, by condition. */
const shifts = new Map<string, Map<number, number>>();
const landmarkShares = new Map<string, { exact: number[]; jitter: number[] }>();

/** The nearest clip peak within +-3 frames and 0.35 semitone of each track peak (null: none). */
function nearest(track: readonly Peak[], query: readonly Peak[]): (Peak | null)[] {
  return track.map((p) => {
    let best: Peak | null = null;
    for (const q of query) {
      if (Math.abs(q.frame - p.frame) > 3 || Math.abs(q.pitch - p.pitch) >= 0.35) continue;
      if (!best || Math.abs(q.frame - p.frame) < Math.abs(best.frame - p.frame)) best = q;
    }
    return best;
  });
}

/** Share of the track's landmarks that some clip key finds at the same anchor frame (+-1: the vote's tolerance). */
function landmarkShare(track: readonly Peak[], query: readonly Peak[], frames: number): number {
  const landmarks = makeTrackLandmarks(track, C);
  const byHash = new Map<number, number[]>();
  for (let i = 0; i < landmarks.length; i += 2) (byHash.get(landmarks[i]) ?? byHash.set(landmarks[i], []).get(landmarks[i])!).push(landmarks[i + 1]);
  const keys = makeQueryKeys(query, C, { timeFactor: 1, pitchFactor: 1 }, { bins: 0.3, relative: 0, frames });
  const found = new Set<string>();
  for (let k = 0; k < keys.count; k++) {
    for (const f of byHash.get(keys.hashes[k]) ?? []) if (Math.abs(f - keys.frames[k]) <= 1) found.add(`${f}:${keys.hashes[k]}`);
  }
  return landmarks.length ? found.size / (landmarks.length / 2) : NaN;
}

for (const t of truths) {
  const clip = await decodeClipFile(path.join(qdir, t.query), { sampleRateHz: C.sampleRateHz });
  const start = Math.round((t.offset ?? 0) * C.sampleRateHz);
  const src = decodeMono(path.join(corpus, 'library', t.expected!), C.sampleRateHz, start, start + clip.length);
  for (const name of names) {
    const v = VARIANTS[name];
    const s = survival(peaksOf(src, C.trackPeaksPerBlock, v.track), peaksOf(clip, C.queryPeaksPerBlock, v.query));
    const byCond = sums.get(name) ?? new Map<string, number[]>();
    sums.set(name, byCond);
    for (const key of ['all', t.condition]) (byCond.get(key) ?? byCond.set(key, []).get(key)!).push(s);
  }
  const trackPeaks = peaksOf(src, C.trackPeaksPerBlock);
  const clipPeaks = peaksOf(clip, C.queryPeaksPerBlock);
  const hist = shifts.get(t.condition) ?? shifts.set(t.condition, new Map()).get(t.condition)!;
  nearest(trackPeaks, clipPeaks).forEach((q, i) => {
    if (q) hist.set(q.frame - trackPeaks[i].frame, (hist.get(q.frame - trackPeaks[i].frame) ?? 0) + 1);
  });
  const share = landmarkShares.get(t.condition) ?? landmarkShares.set(t.condition, { exact: [], jitter: [] }).get(t.condition)!;
  share.exact.push(landmarkShare(trackPeaks, clipPeaks, 0));
  share.jitter.push(landmarkShare(trackPeaks, clipPeaks, 1));
}
const conds = [...new Set(truths.map((t) => t.condition))].sort();
console.log(`| variant | all | ${conds.join(' | ')} |`);
for (const name of names) {
  const m = sums.get(name)!;
  const mean = (all: number[] = []): string => {
    const xs = all.filter((x) => !Number.isNaN(x)); // a silent stretch of track: no peaks to find
    return xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3) : '-';
  };
  console.log(`| ${name} | ${mean(m.get('all'))} | ${conds.map((c) => mean(m.get(c))).join(' | ')} |`);
}

console.log('\n| condition | found peaks moved by 0 / 1 / 2 / 3 frames | landmarks found as recorded | with +-1 frame differences |');
console.log('|---|---|---|---|');
for (const c of conds) {
  const h = shifts.get(c)!;
  const total = [...h.values()].reduce((a, b) => a + b, 0);
  const at = (d: number): string => (((h.get(d) ?? 0) + (d ? (h.get(-d) ?? 0) : 0)) / Math.max(1, total)).toFixed(2);
  const mean = (all: number[]): string => {
    const xs = all.filter((x) => !Number.isNaN(x));
    return (xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(3);
  };
  const sh = landmarkShares.get(c)!;
  console.log(`| ${c} | ${at(0)} / ${at(1)} / ${at(2)} / ${at(3)} | ${mean(sh.exact)} | ${mean(sh.jitter)} |`);
}
