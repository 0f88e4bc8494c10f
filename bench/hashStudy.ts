// Design study for the exact lane's hashes and peaks (issues 11 and 12; bench only, nothing in the product reads it):
// how well each landmark hash tells a clip's recording from chance, and what it costs. Every scheme is indexed in
// memory from the peaks a library index already stores (the tracks' own peaks, as the landmarks were made from), the
// clips are fingerprinted as identify does (query peaks), and each clip is voted as recorded only (no speed grid, no
// peak test, no audio check): the votes alone, which is what a hash changes. Per clip: the true track's aligned votes
// at its offset, the best other track's (chance), the postings read. Then, per scheme, the vote rule (aligned >= A,
// A >= R x the runner-up) that names the most positives with no negative named, on the same clips, and that rule at
// the clip rule's own bars (6 votes, 3x the runner-up). Schemes (SCHEMES below): the product's pairs, pairs looked up
// +-1 frame (`-j1`), 1-bin frequency cells (`fine`), frame differences in 2-frame steps (`-dt2`), each field its own
// step (`aA-dD-tT`), stop-words (`-capN`: lists over N x the mean list are not read), two-stage votes (`-2s-`), denser
// query peaks (`q30`, `f12`), triplets (`tri-`). `--peaks VARIANT` re-makes every peak, the tracks' from their audio
// (decoded once into --pcm-cache), on a spectrogram variant (PEAK_VARIANTS: late-reverberation subtraction, per-bin
// whitening, onset emphasis, another max-filter neighbourhood). `--candidates Q:N` reports what a two-stage search
// keeps of the full vote's answer.
//   node --max-old-space-size=12000 out/bench/hashStudy.js --data DATA_DIR --corpus DIR --queries QDIR [--queries ...]
//     [--scheme pairs --scheme fine-dt2-t0 ...] [--peaks base|derev|...] [--candidates 0.25:20] [--limit N]
//     [--out F.jsonl]
// Results of session 23: README, "The exact lane's hashes and peaks, measured".
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { decodeClipFile } from '../src-main/engine/audio/decodeClip.js';
import { FINGERPRINT_CONFIG as C, frameSeconds, makeFingerprintConfig, type FingerprintConfig } from '../src-main/engine/fingerprint/config.js';
import { extractSignalPeaks } from '../src-main/engine/fingerprint/fingerprintAudio.js';
import { forEachPair, makeQueryKeys, makeTrackLandmarks, pitchToBin, unpackHash, type QueryKeys } from '../src-main/engine/fingerprint/landmarks.js';
import { voteOffsets, type LookupFn, type TrackVote } from '../src-main/engine/fingerprint/matcher.js';
import { unpackPeaks } from '../src-main/engine/fingerprint/peakCodec.js';
import { extractPeaksFast, type Peak } from '../src-main/engine/fingerprint/peaks.js';
import { computeSpectrogram, createSpectrumScratch, type Spectrogram } from '../src-main/engine/fingerprint/spectrum.js';
import { openLmdbLandmarkStore } from '../src-main/engine/landmarkStore/lmdbLandmarkStore.js';
import { readTruths } from './exactScoring.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    corpus: { type: 'string' },
    queries: { type: 'string', multiple: true },
    scheme: { type: 'string', multiple: true },
    /** Two-stage search: the rare keys' quantile that ranks candidates, and how many candidates the full vote reads. */
    candidates: { type: 'string', multiple: true },
    limit: { type: 'string', default: '100000' },
    out: { type: 'string' },
    /** Make every peak (tracks' from their audio, cached as f32 in --pcm-cache; clips') on this spectrogram variant. */
    peaks: { type: 'string' },
    'pcm-cache': { type: 'string', default: '/tmp/hash-study-pcm' },
  },
});

type Transform = (spec: Spectrogram) => Spectrogram;
const mapSpec = (spec: Spectrogram, f: (data: Float32Array, out: Float32Array, rows: number, cols: number) => void): Spectrogram => {
  const out = new Float32Array(spec.data.length);
  f(spec.data, out, spec.frameCount, spec.binCount);
  return { ...spec, data: out };
};
/** Late-reverberation suppression (Lebart et al. 2001): subtract the decayed power of `delay` frames ago. */
const dereverb =
  (rt60: number, delay: number, floorDb: number): Transform =>
  (spec) =>
    mapSpec(spec, (d, out, rows, cols) => {
      const hop = frameSeconds(C);
      const decay = Math.exp((-2 * 3 * Math.LN10 * delay * hop) / rt60);
      const floor = 10 ** (floorDb / 10);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) {
          const i = r * cols + c;
          const p = 10 ** (d[i] / 10);
          const late = r >= delay ? decay * 10 ** (d[i - delay * cols] / 10) : 0;
          out[i] = 10 * Math.log10(p * Math.max(floor, 1 - late / p));
        }
    });
/** Each bin less its mean over +-half frames (the speaker's, room's and phone's fixed colouring taken out). */
const whiten =
  (half: number): Transform =>
  (spec) =>
    mapSpec(spec, (d, out, rows, cols) => {
      for (let c = 0; c < cols; c++) {
        let sum = 0;
        let lo = 0;
        let hi = -1;
        for (let r = 0; r < rows; r++) {
          const want = Math.min(rows - 1, r + half);
          while (hi < want) sum += d[++hi * cols + c];
          while (lo < r - half) sum -= d[lo++ * cols + c];
          out[r * cols + c] = d[r * cols + c] - sum / (hi - lo + 1);
        }
      }
    });
/** The level plus `weight` x how far it rose over the mean of the frames `from`..`to` before (onsets stand out). */
const onset =
  (weight: number, from: number, to: number): Transform =>
  (spec) =>
    mapSpec(spec, (d, out, rows, cols) => {
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) {
          let m = 0;
          let n = 0;
          for (let k = from; k <= to && r - k >= 0; k++) {
            m += d[(r - k) * cols + c];
            n++;
          }
          const rise = n ? d[r * cols + c] - m / n : 0;
          out[r * cols + c] = d[r * cols + c] + weight * Math.max(0, rise);
        }
    });
const PEAK_VARIANTS: Record<string, { transform?: Transform; config?: Partial<FingerprintConfig> }> = {
  base: {},
  derev: { transform: dereverb(0.5, 3, -10) },
  whiten: { transform: whiten(250) },
  'onset-0.5': { transform: onset(0.5, 2, 4) },
  'onset-1': { transform: onset(1, 2, 4) },
  'nbhd-3-8': { config: { peakNeighbourhoodFrames: 3, peakNeighbourhoodBins: 8 } },
  'whiten-derev': { transform: (s) => whiten(250)(dereverb(0.5, 3, -10)(s)) },
};
const variant = values.peaks ? PEAK_VARIANTS[values.peaks] : undefined;
if (values.peaks && !variant) throw new Error(`unknown peaks variant ${values.peaks}`);
const peakConfig = variant?.config ? makeFingerprintConfig({ ...C, ...variant.config }) : C;
function variantPeaks(pcm: Float32Array, perBlock: number): Peak[] {
  const frames = Math.ceil(pcm.length / C.hopSizeSamples);
  let spec = computeSpectrogram(pcm, 0, 0, frames, peakConfig, createSpectrumScratch(peakConfig));
  if (variant?.transform) spec = variant.transform(spec);
  return extractPeaksFast(spec, peakConfig, perBlock, 0, frames);
}

/** A growable list of u32 triples (hash, track, frame). */
class Entries {
  hashes = new Uint32Array(1 << 20);
  tracks = new Uint32Array(1 << 20);
  frames = new Uint32Array(1 << 20);
  count = 0;
  push(hash: number, track: number, frame: number): void {
    if (this.count === this.hashes.length) {
      const grow = (a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.hashes = grow(this.hashes);
      this.tracks = grow(this.tracks);
      this.frames = grow(this.frames);
    }
    this.hashes[this.count] = hash;
    this.tracks[this.count] = track;
    this.frames[this.count] = frame;
    this.count++;
  }
}

/** Postings by hash: sorted distinct hashes, where each one's postings start, postings as [track, frame, ...]. */
interface MemoryIndex {
  keys: Uint32Array;
  starts: Uint32Array;
  postings: Uint32Array;
}

/** Two-pass LSD radix sort of the entries by hash (16 bits a pass). */
function buildIndex(e: Entries): MemoryIndex {
  const n = e.count;
  let order = new Uint32Array(n);
  let next = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (const shift of [0, 16]) {
    const counts = new Uint32Array(65537);
    for (let i = 0; i < n; i++) counts[((e.hashes[order[i]] >>> shift) & 0xffff) + 1]++;
    for (let b = 0; b < 65536; b++) counts[b + 1] += counts[b];
    for (let i = 0; i < n; i++) next[counts[(e.hashes[order[i]] >>> shift) & 0xffff]++] = order[i];
    [order, next] = [next, order];
  }
  const keys: number[] = [];
  const starts: number[] = [];
  const postings = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const j = order[i];
    if (i === 0 || e.hashes[j] !== e.hashes[order[i - 1]]) {
      keys.push(e.hashes[j]);
      starts.push(i);
    }
    postings[2 * i] = e.tracks[j];
    postings[2 * i + 1] = e.frames[j];
  }
  starts.push(n);
  return { keys: Uint32Array.from(keys), starts: Uint32Array.from(starts), postings };
}

const EMPTY = new Uint32Array(0);
function lookupIn(index: MemoryIndex): LookupFn {
  return (hash) => {
    let lo = 0;
    let hi = index.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = index.keys[mid];
      if (k === hash) return index.postings.subarray(2 * index.starts[mid], 2 * index.starts[mid + 1]);
      if (k < hash) lo = mid + 1;
      else hi = mid - 1;
    }
    return EMPTY;
  };
}

/** Query keys gathered one at a time: (hash, anchor frame, landmark), each landmark's keys together. */
class KeyList {
  private readonly hashes: number[] = [];
  private readonly frames: number[] = [];
  private readonly ids: number[] = [];
  push(hash: number, frame: number, landmark: number): void {
    this.hashes.push(hash);
    this.frames.push(frame);
    this.ids.push(landmark);
  }
  keys(landmarkCount: number): QueryKeys {
    const { hashes, frames, ids } = this;
    return { hashes: Uint32Array.from(hashes), frames: Float64Array.from(frames), landmarkIds: Uint32Array.from(ids), count: hashes.length, landmarkCount };
  }
}

interface Scheme {
  name: string;
  track(peaks: readonly Peak[], trackNum: number, into: Entries): void;
  query(peaks: readonly Peak[]): QueryKeys;
  cap?: number;
  /** Query peaks made under this configuration (denser peaks or more pairs per anchor); default C. */
  queryConfig?: FingerprintConfig;
  /** Vote in two stages: rank tracks with the lists no longer than the clip's `quantile`, then vote every list for the best `count`. */
  twoStage?: { quantile: number; count: number };
}

/**
 * Pairs as the product makes them, under `config` (C, or C with finer frequency cells), looked up within `bins` of
 * each frequency and `frames` of each frame difference. `cap` > 0: lists longer than cap x the mean list (the mean
 * over distinct hashes, so the bar grows with the library) are not read (stop-words).
 */
function pairScheme(name: string, frames: number, config: FingerprintConfig = C, bins = 0.3, cap = 0, queryConfig?: FingerprintConfig): Scheme {
  return {
    name,
    queryConfig,
    track(peaks, trackNum, into) {
      const lm = makeTrackLandmarks(peaks, config);
      for (let i = 0; i < lm.length; i += 2) into.push(lm[i], trackNum, lm[i + 1]);
    },
    query: (peaks) =>
      makeQueryKeys(peaks, queryConfig ?? config, { timeFactor: 1, pitchFactor: 1 }, { bins, relative: 0, frames }, (queryConfig ?? config).queryFanOut),
    cap,
  };
}

/**
 * Pairs whose frame difference is kept at `dtQuantum` frames (a room moves peaks by a frame or two), looked up over
 * +-dtTol frames; frequencies as in `config` within +-0.3 bin.
 */
function coarseTimePairs(name: string, config: FingerprintConfig, dtQuantum: number, dtTol: number): Scheme {
  const pack = (a: number, d: number, t: number): number => (a * 256 + d) * 64 + t;
  return {
    name,
    track(peaks, trackNum, into) {
      const lm = makeTrackLandmarks(peaks, config);
      for (let i = 0; i < lm.length; i += 2) {
        const u = unpackHash(config.hashLayout, lm[i]);
        into.push(pack(u.binIndex, u.deltaIndex, Math.floor(u.frameDelta / dtQuantum)), trackNum, lm[i + 1]);
      }
    },
    query(peaks) {
      const keys = makeQueryKeys(peaks, config, { timeFactor: 1, pitchFactor: 1 }, { bins: 0.3, relative: 0, frames: 0 });
      const out = new KeyList();
      for (let k = 0; k < keys.count; k++) {
        const u = unpackHash(config.hashLayout, keys.hashes[k]);
        const lo = Math.floor(Math.max(config.pairMinFrames, u.frameDelta - dtTol) / dtQuantum);
        const hi = Math.floor(Math.min(config.pairMaxFrames, u.frameDelta + dtTol) / dtQuantum);
        for (let t = lo; t <= hi; t++) out.push(pack(u.binIndex, u.deltaIndex, t), keys.frames[k], keys.landmarkIds[k]);
      }
      return out.keys(keys.landmarkCount);
    },
  };
}

/**
 * Pairs with each field's own step: the anchor frequency in `aq` bins, the frequency difference in `dq` bins, the frame
 * difference in `tq` frames; looked up within 0.3 bin of each frequency and exactly in time. As recorded only.
 */
function stepPairs(name: string, aq: number, dq: number, tq: number): Scheme {
  const pack = (a: number, d: number, t: number): number => (a * 512 + d) * 64 + t;
  const binsOf = (peaks: readonly Peak[]): Float64Array => Float64Array.from(peaks, (p) => pitchToBin(p.pitch, C));
  const dIndex = (d: number): number => Math.floor(d / dq) + 256;
  return {
    name,
    track(peaks, trackNum, into) {
      const bins = binsOf(peaks);
      forEachPair(peaks, bins, C, C.trackFanOut, 1, (i, j) => {
        into.push(pack(Math.floor(bins[i] / aq), dIndex(bins[j] - bins[i]), Math.floor((peaks[j].frame - peaks[i].frame) / tq)), trackNum, peaks[i].frame);
      });
    },
    query(peaks) {
      const bins = binsOf(peaks);
      const out = new KeyList();
      let id = 0;
      forEachPair(peaks, bins, C, C.queryFanOut, 1, (i, j) => {
        const delta = bins[j] - bins[i];
        const t = Math.floor((peaks[j].frame - peaks[i].frame) / tq);
        for (let a = Math.floor((bins[i] - 0.3) / aq); a <= Math.floor((bins[i] + 0.3) / aq); a++) {
          for (let d = dIndex(delta - 0.3); d <= dIndex(delta + 0.3); d++) out.push(pack(a, d, t), peaks[i].frame, id);
        }
        id++;
      });
      return out.keys(id);
    },
  };
}

const FINE: FingerprintConfig = makeFingerprintConfig({ ...C, binQuantum: 1, hashLayout: { binBits: 9, deltaBits: 8, frameDeltaBits: 6 } });

/**
 * Triplets: an anchor and two of its first `fanOut` targets in the pair zone (C's limits). Hash, 32 bits: anchor bin /
 * 2 (8), each target's bin difference / dfQuantum + 16 (6 each), each frame difference (6 each).
 */
function tripletScheme(name: string, trackFanOut: number, queryFanOut: number, dtTol: number, dfQuantum = 4): Scheme {
  const half = 32 / 2;
  const pack = (a: number, d1: number, d2: number, t1: number, t2: number): number => ((((a * 64 + d1) * 64 + d2) * 64 + t1) * 64 + t2) >>> 0;
  const targetsOf = (peaks: readonly Peak[], bins: Float64Array, i: number, fanOut: number): number[] => {
    const out: number[] = [];
    for (let j = i + 1; j < peaks.length && out.length < fanOut; j++) {
      const dt = peaks[j].frame - peaks[i].frame;
      if (dt < C.pairMinFrames) continue;
      if (dt > C.pairMaxFrames) break;
      if (Math.abs(bins[j] - bins[i]) > C.pairMaxBins) continue;
      out.push(j);
    }
    return out;
  };
  const dq = (d: number): number => Math.max(0, Math.min(63, Math.floor(d / dfQuantum) + half));
  const binsOf = (peaks: readonly Peak[]): Float64Array => Float64Array.from(peaks, (p) => pitchToBin(p.pitch, C));
  return {
    name,
    track(peaks, trackNum, into) {
      const bins = binsOf(peaks);
      for (let i = 0; i < peaks.length; i++) {
        const ts = targetsOf(peaks, bins, i, trackFanOut);
        for (let x = 0; x < ts.length; x++) {
          for (let y = x + 1; y < ts.length; y++) {
            const b = ts[x];
            const c = ts[y];
            const h = pack(
              Math.min(255, Math.floor(bins[i] / 2)),
              dq(bins[b] - bins[i]),
              dq(bins[c] - bins[i]),
              peaks[b].frame - peaks[i].frame,
              peaks[c].frame - peaks[i].frame,
            );
            into.push(h, trackNum, peaks[i].frame);
          }
        }
      }
    },
    query(peaks) {
      const bins = binsOf(peaks);
      const out = new KeyList();
      let id = 0;
      const tol = 0.3;
      const range = (lo: number, hi: number): number[] => {
        const r: number[] = [];
        for (let v = lo; v <= hi; v++) r.push(v);
        return r;
      };
      for (let i = 0; i < peaks.length; i++) {
        const ts = targetsOf(peaks, bins, i, queryFanOut);
        const as = range(Math.min(255, Math.floor((bins[i] - tol) / 2)), Math.min(255, Math.floor((bins[i] + tol) / 2)));
        for (let x = 0; x < ts.length; x++) {
          for (let y = x + 1; y < ts.length; y++) {
            const b = ts[x];
            const c = ts[y];
            const db = bins[b] - bins[i];
            const dc = bins[c] - bins[i];
            const t1 = peaks[b].frame - peaks[i].frame;
            const t2 = peaks[c].frame - peaks[i].frame;
            const d1s = range(dq(db - tol), dq(db + tol));
            const d2s = range(dq(dc - tol), dq(dc + tol));
            const t1s = range(Math.max(C.pairMinFrames, t1 - dtTol), Math.min(63, t1 + dtTol));
            const t2s = range(Math.max(C.pairMinFrames, t2 - dtTol), Math.min(63, t2 + dtTol));
            for (const a of as)
              for (const d1 of d1s) for (const d2 of d2s) for (const u of t1s) for (const v of t2s) out.push(pack(a, d1, d2, u, v), peaks[i].frame, id);
            id++;
          }
        }
      }
      return out.keys(id);
    },
  };
}

const SCHEMES: Record<string, () => Scheme> = {
  pairs: () => pairScheme('pairs', 0),
  'pairs-j1': () => pairScheme('pairs-j1', 1),
  'pairs-cap8': () => pairScheme('pairs-cap8', 0, C, 0.3, 8),
  'pairs-cap4': () => pairScheme('pairs-cap4', 0, C, 0.3, 4),
  'pairs-cap2': () => pairScheme('pairs-cap2', 0, C, 0.3, 2),
  'pairs-j1-cap4': () => pairScheme('pairs-j1-cap4', 1, C, 0.3, 4),
  fine: () => pairScheme('fine', 0, FINE, 0.3),
  'fine-t15': () => pairScheme('fine-t15', 0, FINE, 0.15),
  'fine-cap4': () => pairScheme('fine-cap4', 0, FINE, 0.3, 4),
  'fine-j1-cap4': () => pairScheme('fine-j1-cap4', 1, FINE, 0.3, 4),
  'pairs-2s-25-20': () => ({ ...pairScheme('pairs-2s-25-20', 0), twoStage: { quantile: 0.25, count: 20 } }),
  'pairs-2s-25-40': () => ({ ...pairScheme('pairs-2s-25-40', 0), twoStage: { quantile: 0.25, count: 40 } }),
  'pairs-2s-50-40': () => ({ ...pairScheme('pairs-2s-50-40', 0), twoStage: { quantile: 0.5, count: 40 } }),
  q30: () => pairScheme('q30', 0, C, 0.3, 0, makeFingerprintConfig({ ...C, queryPeaksPerBlock: 30 })),
  q40: () => pairScheme('q40', 0, C, 0.3, 0, makeFingerprintConfig({ ...C, queryPeaksPerBlock: 40 })),
  f12: () => pairScheme('f12', 0, C, 0.3, 0, makeFingerprintConfig({ ...C, queryFanOut: 12 })),
  'q30-f12': () => pairScheme('q30-f12', 0, C, 0.3, 0, makeFingerprintConfig({ ...C, queryPeaksPerBlock: 30, queryFanOut: 12 })),
  'q40-f16': () => pairScheme('q40-f16', 0, C, 0.3, 0, makeFingerprintConfig({ ...C, queryPeaksPerBlock: 40, queryFanOut: 16 })),
  'q12-f5': () => pairScheme('q12-f5', 0, C, 0.3, 0, makeFingerprintConfig({ ...C, queryPeaksPerBlock: 12, queryFanOut: 5 })),
  'fine-j1': () => pairScheme('fine-j1', 1, FINE, 0.3),
  'fine-dt2': () => coarseTimePairs('fine-dt2', FINE, 2, 1),
  'pairs-dt2': () => coarseTimePairs('pairs-dt2', C, 2, 1),
  'fine-dt2-t0': () => coarseTimePairs('fine-dt2-t0', FINE, 2, 0),
  'pairs-dt2-t0': () => coarseTimePairs('pairs-dt2-t0', C, 2, 0),
  'a2-d1-t2': () => stepPairs('a2-d1-t2', 2, 1, 2),
  'a2-d2-t2': () => stepPairs('a2-d2-t2', 2, 2, 2),
  'a4-d1-t2': () => stepPairs('a4-d1-t2', 4, 1, 2),
  'a1-d1-t2': () => stepPairs('a1-d1-t2', 1, 1, 2),
  'tri-4-6': () => tripletScheme('tri-4-6', 4, 6, 0),
  'tri-4-8': () => tripletScheme('tri-4-8', 4, 8, 0),
  'tri-4-6-j1': () => tripletScheme('tri-4-6-j1', 4, 6, 1),
  'tri-5-8': () => tripletScheme('tri-5-8', 5, 8, 0),
  'tri-5-8-j1': () => tripletScheme('tri-5-8-j1', 5, 8, 1),
  'tri-3-6': () => tripletScheme('tri-3-6', 3, 6, 0),
};

interface Clip {
  set: string;
  query: string;
  negative: boolean;
  trackNum: number | null;
  offsetFrames: number;
  duration: number;
  condition: string;
  peaks: Peak[];
  pcm: Float32Array;
}

const dataDir = path.resolve(values.data!);
const corpus = path.resolve(values.corpus!);
const db = new Database(path.join(dataDir, 'catalog.sqlite'), { readonly: true });
const numByPath = new Map<string, number>();
for (const row of db.prepare('SELECT num, file_path FROM tracks').all() as { num: number; file_path: string }[]) numByPath.set(row.file_path, row.num);
db.close();

const clips: Clip[] = [];
for (const qdir of values.queries ?? []) {
  const truths = readTruths(qdir)
    .filter((t) => t.negative || (t.speed ?? 1) === 1)
    .slice(0, Number(values.limit));
  for (const t of truths) {
    const pcm = await decodeClipFile(path.join(qdir, t.query), { sampleRateHz: C.sampleRateHz });
    const trackNum = t.negative ? null : (numByPath.get(path.join(corpus, 'library', t.expected!)) ?? -1);
    if (trackNum === -1) throw new Error(`not in the index: ${t.expected}`);
    clips.push({
      set: path.basename(qdir),
      query: t.query,
      negative: t.negative,
      trackNum,
      offsetFrames: (t.offset ?? 0) / frameSeconds(C),
      duration: t.duration,
      condition: t.condition,
      peaks: variant ? variantPeaks(pcm, C.queryPeaksPerBlock) : extractSignalPeaks(pcm, C, 'query'),
      pcm,
    });
  }
}
console.error(`${clips.length} clips (${clips.filter((c) => c.negative).length} negatives)`);

const store = await openLmdbLandmarkStore(path.join(dataDir, 'landmarks'), { readOnly: true });
const trackNums = store.trackNums();
const trackPeaks = new Map<number, Peak[]>();
if (!variant) for (const num of trackNums) trackPeaks.set(num, unpackPeaks(store.getPeaks(num)));
await store.close();
if (variant) {
  // The tracks' peaks from their audio under the variant (decoded once, cached).
  mkdirSync(values['pcm-cache'], { recursive: true });
  const pathByNum = new Map([...numByPath].map(([p, n]) => [n, p]));
  for (const num of trackNums) {
    const cache = path.join(values['pcm-cache'], `${num}.f32`);
    let pcm: Float32Array;
    if (existsSync(cache)) {
      const b = readFileSync(cache);
      pcm = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    } else {
      pcm = await decodeClipFile(pathByNum.get(num)!, { sampleRateHz: C.sampleRateHz });
      writeFileSync(cache, pcm);
    }
    trackPeaks.set(num, variantPeaks(pcm, C.trackPeaksPerBlock));
  }
}
console.error(`${trackNums.length} tracks, ${[...trackPeaks.values()].reduce((s, p) => s + p.length, 0)} peaks`);

interface Row {
  scheme: string;
  set: string;
  query: string;
  negative: boolean;
  condition: string;
  duration: number;
  /** The true track's aligned votes when its best window is at the true offset (+-4 frames), else 0. */
  trueAligned: number;
  /** The best aligned votes of any other track. */
  background: number;
  top: number;
  second: number;
  topIsTrue: boolean;
  postings: number;
  keys: number;
  ms: number;
}
const rows: Row[] = [];

function twoStageVote(keys: QueryKeys, lookup: LookupFn, spec: { quantile: number; count: number }, read: (n: number) => void): TrackVote[] {
  const lengths: number[] = [];
  for (let k = 0; k < keys.count; k++) {
    const n = lookup(keys.hashes[k]).length / 2;
    if (n > 0) lengths.push(n);
  }
  lengths.sort((x, y) => x - y);
  const bar = lengths.length ? Math.max(16, lengths[Math.min(lengths.length - 1, Math.floor(spec.quantile * lengths.length))]) : 0;
  const first = voteOffsets(
    keys,
    (h) => {
      const p = lookup(h);
      if (p.length / 2 > bar) return EMPTY;
      read(p.length / 2);
      return p;
    },
    1,
  );
  const chosen = new Set(first.slice(0, spec.count).map((v) => v.trackNum));
  return voteOffsets(
    keys,
    (h) => {
      const p = lookup(h);
      const out: number[] = [];
      for (let i = 0; i < p.length; i += 2) if (chosen.has(p[i])) out.push(p[i], p[i + 1]);
      read(out.length / 2);
      return Uint32Array.from(out);
    },
    1,
  );
}
const candidateStats = new Map<string, Record<string, number>>();
for (const name of values.scheme?.length ? values.scheme : ['pairs', 'tri-4-6']) {
  const scheme = SCHEMES[name]();
  const t0 = performance.now();
  const entries = new Entries();
  for (const num of trackNums) scheme.track(trackPeaks.get(num)!, num, entries);
  const index = buildIndex(entries);
  const buildMs = performance.now() - t0;
  const meanList = entries.count / index.keys.length;
  const bar = scheme.cap ? scheme.cap * meanList : Number.POSITIVE_INFINITY;
  const full = lookupIn(index);
  const lookup: LookupFn = (h) => {
    const p = full(h);
    return p.length / 2 > bar ? EMPTY : p;
  };
  let sumSq = 0;
  for (let k = 0; k + 1 < index.starts.length; k++) sumSq += (index.starts[k + 1] - index.starts[k]) ** 2;
  console.error(
    `${name}: ${entries.count} entries, ${index.keys.length} keys, ${(entries.count / trackNums.length).toFixed(0)} per track, ` +
      `postings per lookup weighted by use ${(sumSq / entries.count).toFixed(1)}, built in ${(buildMs / 1000).toFixed(1)} s, mean list ${meanList.toFixed(1)}, cap ${bar}`,
  );
  for (const clip of clips) {
    const s = performance.now();
    const keys = scheme.query(scheme.queryConfig ? extractSignalPeaks(clip.pcm, scheme.queryConfig, 'query') : clip.peaks);
    let postings = 0;
    const votes = scheme.twoStage
      ? twoStageVote(keys, lookup, scheme.twoStage, (n) => (postings += n))
      : voteOffsets(
          keys,
          (h) => {
            const p = lookup(h);
            postings += p.length / 2;
            return p;
          },
          1,
        );
    const ms = performance.now() - s;
    const mine = clip.trackNum === null ? undefined : votes.find((v) => v.trackNum === clip.trackNum);
    const trueAligned = mine && Math.abs(mine.offsetFrames - clip.offsetFrames) <= 4 ? mine.alignedCount : 0;
    const background = votes.find((v) => v.trackNum !== clip.trackNum)?.alignedCount ?? 0;
    for (const spec of values.candidates ?? []) {
      // spec "QUANTILE:N": stage 1 votes with the lists no longer than the clip's QUANTILE quantile; stage 2 is the full
      // vote with every list filtered to stage 1's best N tracks.
      const [qs, ns] = spec.split(':');
      const lengths: number[] = [];
      for (let k = 0; k < keys.count; k++) {
        const n = lookup(keys.hashes[k]).length / 2;
        if (n > 0) lengths.push(n);
      }
      lengths.sort((x, y) => x - y);
      const bar = lengths.length ? Math.max(16, lengths[Math.min(lengths.length - 1, Math.floor(Number(qs) * lengths.length))]) : 0;
      let stage1 = 0;
      const first = voteOffsets(
        keys,
        (h) => {
          const p = lookup(h);
          if (p.length / 2 > bar) return EMPTY;
          stage1 += p.length / 2;
          return p;
        },
        1,
      );
      const chosen = new Set(first.slice(0, Number(ns)).map((v) => v.trackNum));
      let stage2 = 0;
      const second = voteOffsets(
        keys,
        (h) => {
          const p = lookup(h);
          const out: number[] = [];
          for (let i = 0; i < p.length; i += 2) if (chosen.has(p[i])) out.push(p[i], p[i + 1]);
          stage2 += out.length / 2;
          return Uint32Array.from(out);
        },
        1,
      );
      const same =
        (second[0]?.trackNum ?? -1) === (votes[0]?.trackNum ?? -1) &&
        (second[0]?.alignedCount ?? 0) === (votes[0]?.alignedCount ?? 0) &&
        (second[1]?.trackNum ?? -1) === (votes[1]?.trackNum ?? -1) &&
        (second[1]?.alignedCount ?? 0) === (votes[1]?.alignedCount ?? 0);
      const sameTop = (second[0]?.trackNum ?? -1) === (votes[0]?.trackNum ?? -1) && (second[0]?.alignedCount ?? 0) === (votes[0]?.alignedCount ?? 0);
      const trueIn = clip.trackNum !== null && chosen.has(clip.trackNum);
      const agg = candidateStats.get(spec) ?? {
        clips: 0,
        same: 0,
        sameTop: 0,
        trueIn: 0,
        positives: 0,
        namedTrueIn: 0,
        named: 0,
        stage1: 0,
        stage2: 0,
        full: 0,
        secondLower: 0,
      };
      candidateStats.set(spec, agg);
      agg.clips++;
      if (same) agg.same++;
      if (sameTop) agg.sameTop++;
      if ((second[1]?.alignedCount ?? 0) < (votes[1]?.alignedCount ?? 0)) agg.secondLower++;
      if (clip.trackNum !== null) {
        agg.positives++;
        if (trueIn) agg.trueIn++;
        if (
          trueAligned > 0 &&
          votes[0]?.trackNum === clip.trackNum &&
          votes[0].alignedCount >= 6 &&
          votes[0].alignedCount >= 3 * Math.max(1, votes[1]?.alignedCount ?? 0)
        ) {
          agg.named++;
          if (trueIn) agg.namedTrueIn++;
        }
      }
      agg.stage1 += stage1;
      agg.stage2 += stage2;
      agg.full += postings;
    }
    rows.push({
      scheme: name,
      set: clip.set,
      query: clip.query,
      negative: clip.negative,
      condition: clip.condition,
      duration: clip.duration,
      trueAligned,
      background,
      top: votes[0]?.alignedCount ?? 0,
      second: votes[1]?.alignedCount ?? 0,
      topIsTrue: trueAligned > 0 && votes[0]?.trackNum === clip.trackNum,
      postings,
      keys: keys.count,
      ms,
    });
  }
}
for (const [spec, a] of candidateStats) {
  console.log(
    `candidates ${spec}: full vote's top two unchanged in ${a.same}/${a.clips} clips (top one ${a.sameTop}; runner-up lower in ${a.secondLower}), ` +
      `true track among them ${a.trueIn}/${a.positives}, of those the plain rule names ${a.namedTrueIn}/${a.named}; ` +
      `postings read: stage 1 ${(a.stage1 / a.clips).toFixed(0)} + stage 2 ${(a.stage2 / a.clips).toFixed(0)} per clip against ${(a.full / a.clips).toFixed(0)}`,
  );
}
if (values.out) writeFileSync(values.out, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

/** Named by the vote rule (aligned >= a, aligned >= r x the runner-up). */
const named = (r: Row, a: number, ratio: number): boolean => r.top >= a && r.top >= ratio * Math.max(1, r.second);
for (const name of new Set(rows.map((r) => r.scheme))) {
  const mine = rows.filter((r) => r.scheme === name);
  const pos = mine.filter((r) => !r.negative);
  const neg = mine.filter((r) => r.negative);
  let best = { a: 0, ratio: 0, recall: -1 };
  for (const ratio of [1.5, 2, 2.5, 3, 4, 5]) {
    for (let a = 2; a <= 60; a++) {
      if (neg.some((r) => named(r, a, ratio))) continue;
      const recall = pos.filter((r) => r.topIsTrue && named(r, a, ratio)).length / pos.length;
      if (recall > best.recall) best = { a, ratio, recall };
      break; // the smallest clean a for this ratio is the best for it
    }
  }
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  console.log(
    `${name}: best clean rule aligned >= ${best.a}, >= ${best.ratio}x runner-up: ${(100 * best.recall).toFixed(1)} % of ${pos.length} positives ` +
      `(0 of ${neg.length} negatives); at >= 6, 3x: ${((100 * pos.filter((r) => r.topIsTrue && named(r, 6, 3)).length) / pos.length).toFixed(1)} % ` +
      `with ${neg.filter((r) => named(r, 6, 3)).length} negatives named; true top ${((100 * pos.filter((r) => r.topIsTrue).length) / pos.length).toFixed(1)} %`,
  );
  console.log(
    `  true aligned median ${median(pos.map((r) => r.trueAligned))}, background median ${median(pos.map((r) => r.background))}, ` +
      `negatives' top median ${median(neg.map((r) => r.top))} max ${Math.max(0, ...neg.map((r) => r.top))}; ` +
      `postings per clip mean ${mean(mine.map((r) => r.postings)).toFixed(0)}, keys ${mean(mine.map((r) => r.keys)).toFixed(0)}, vote ms mean ${mean(mine.map((r) => r.ms)).toFixed(1)}`,
  );
  const conds = new Map<string, Row[]>();
  for (const r of pos) {
    const key = `${r.set} ${r.condition.replace(/ snr.*/, '')} ${r.duration}s`;
    (conds.get(key) ?? conds.set(key, []).get(key)!).push(r);
  }
  for (const [key, rs] of [...conds].sort()) {
    console.log(
      `  ${key}: ${rs.filter((r) => r.topIsTrue && named(r, best.a, best.ratio)).length}/${rs.length} named, ` +
        `true aligned median ${median(rs.map((r) => r.trueAligned))}, background median ${median(rs.map((r) => r.background))}`,
    );
  }
}
