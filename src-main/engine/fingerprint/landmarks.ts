// Stage 4: peaks -> landmark hashes. A landmark pairs an anchor peak with a later peak in its target zone and
// hashes (anchor frequency, frequency difference, frame difference) into one key laid out by config.hashLayout
// (config.ts: 21 bits by default, checked against the config's values there), frequencies in FFT bins quantised to
// config.binQuantum. A query made under a (time, pitch) hypothesis maps its peaks into the track's time and
// frequency first, then looks up every cell within a tolerance of the mapped values. Pure.
//
// Why linear bins and not a semitone scale: the hypotheses already undo pitch and tempo changes, so the log scale
// bought no invariance, only coarser cells at high frequencies: measured on real music (bench corpus, seed-7 clips,
// as-recorded search), 2-bin linear cells gave 38 postings per lookup vs 77 for 0.5-semitone cells, at equal accuracy.
import { hashFieldLimits, type FingerprintConfig, type HashLayout } from './config.js';
import type { Peak } from './peaks.js';

/** Packs quantised (anchor bin, bin delta, frame delta), each within its field, into one hash. */
export function packHash(layout: HashLayout, binIndex: number, deltaIndex: number, frameDelta: number): number {
  return ((binIndex << (layout.deltaBits + layout.frameDeltaBits)) | (deltaIndex << layout.frameDeltaBits) | frameDelta) >>> 0;
}

export function unpackHash(layout: HashLayout, hash: number): { binIndex: number; deltaIndex: number; frameDelta: number } {
  return {
    binIndex: hash >>> (layout.deltaBits + layout.frameDeltaBits),
    deltaIndex: (hash >>> layout.frameDeltaBits) & (2 ** layout.deltaBits - 1),
    frameDelta: hash & (2 ** layout.frameDeltaBits - 1),
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** A peak's frequency as a fractional FFT bin. */
export function pitchToBin(pitch: number, config: FingerprintConfig): number {
  return (config.pitchReferenceHz * 2 ** (pitch / 12) * config.fftSize) / config.sampleRateHz;
}

export function binIndexOf(bin: number, config: FingerprintConfig): number {
  return clamp(Math.floor(bin / config.binQuantum), 0, 2 ** config.hashLayout.binBits - 1);
}

export function deltaIndexOf(deltaBins: number, config: FingerprintConfig): number {
  const bits = config.hashLayout.deltaBits;
  return clamp(Math.floor(deltaBins / config.binQuantum) + 2 ** (bits - 1), 0, 2 ** bits - 1);
}

/**
 * Calls `visit(anchor, target)` for each landmark pair: for every anchor, the first `fanOut` later peaks
 * (in time order) whose frame distance (scaled by `timeFactor`) lies in [pairMinFrames, pairMaxFrames]
 * and whose frequency lies within pairMaxBins of the anchor's. `bins` holds each peak's frequency in bins.
 * Peaks must be sorted by frame.
 */
export function forEachPair(
  peaks: readonly Peak[],
  bins: Float64Array,
  config: FingerprintConfig,
  fanOut: number,
  timeFactor: number,
  visit: (anchorIndex: number, targetIndex: number) => void,
): void {
  const n = peaks.length;
  for (let i = 0; i < n; i++) {
    const a = peaks[i];
    let made = 0;
    for (let j = i + 1; j < n && made < fanOut; j++) {
      const dt = (peaks[j].frame - a.frame) * timeFactor;
      if (dt < config.pairMinFrames - 0.5) continue;
      if (dt > config.pairMaxFrames + 0.5) break;
      if (Math.abs(bins[j] - bins[i]) > config.pairMaxBins) continue;
      visit(i, j);
      made++;
    }
  }
}

/** Each peak's frequency in FFT bins, divided by the hypothesis' pitch factor (clip -> track frequency). */
function peakBins(peaks: readonly Peak[], config: FingerprintConfig, pitchFactor = 1): Float64Array {
  const bins = new Float64Array(peaks.length);
  for (let i = 0; i < peaks.length; i++) bins[i] = pitchToBin(peaks[i].pitch, config) / pitchFactor;
  return bins;
}

/** A library track's landmarks: interleaved [hash, anchorFrame, ...]. */
export function makeTrackLandmarks(peaks: readonly Peak[], config: FingerprintConfig): Uint32Array {
  const bins = peakBins(peaks, config);
  const out: number[] = [];
  forEachPair(peaks, bins, config, config.trackFanOut, 1, (i, j) => {
    const hash = packHash(config.hashLayout, binIndexOf(bins[i], config), deltaIndexOf(bins[j] - bins[i], config), peaks[j].frame - peaks[i].frame);
    out.push(hash, peaks[i].frame);
  });
  return Uint32Array.from(out);
}

/** How a query relates to the track: track seconds per clip second, and clip frequency / track frequency. */
export interface Hypothesis {
  readonly timeFactor: number;
  readonly pitchFactor: number;
}

export interface KeyTolerance {
  /** Half-width of the lookup window around the mapped anchor frequency and frequency difference, in bins. */
  readonly bins: number;
  /** Added half-width as a fraction of the value: a hypothesis grid step's residual error (0.005 = 0.5 %). */
  readonly relative: number;
  /** Integer frame differences within +-frames (+ relative * difference) of the scaled difference are looked up. */
  readonly frames: number;
}

export interface QueryKeys {
  /** Hashes to look up. */
  readonly hashes: Uint32Array;
  /** For each hash: the anchor's frame in the clip, scaled into track time (clip frame * timeFactor). */
  readonly frames: Float64Array;
  /** For each hash: which query landmark (pair) produced it, so votes can count each landmark once. */
  readonly landmarkIds: Uint32Array;
  readonly count: number;
  readonly landmarkCount: number;
}

/**
 * The keys a query clip looks up under one hypothesis: every quantised (pitch, delta, dt) cell within the tolerance
 * of the pair's values mapped into the track's pitch and time.
 */
export function makeQueryKeys(
  peaks: readonly Peak[],
  config: FingerprintConfig,
  hypothesis: Hypothesis,
  tolerance: KeyTolerance,
  fanOut: number = config.queryFanOut,
): QueryKeys {
  const bins = peakBins(peaks, config, hypothesis.pitchFactor);
  const s = hypothesis.timeFactor;
  let hashes = new Uint32Array(4096);
  let frames = new Float64Array(4096);
  let ids = new Uint32Array(4096);
  let count = 0;
  let landmarkCount = 0;
  const q = config.binQuantum;
  const layout = config.hashLayout;
  const { binMax } = hashFieldLimits(layout);
  forEachPair(peaks, bins, config, fanOut, s, (i, j) => {
    const a = peaks[i];
    const bin = bins[i];
    const delta = bins[j] - bin;
    const dt = (peaks[j].frame - a.frame) * s;
    const binTol = tolerance.bins + tolerance.relative * bin;
    const deltaTol = tolerance.bins + tolerance.relative * Math.abs(delta);
    const p0 = clamp(Math.floor((bin - binTol) / q), 0, binMax);
    const p1 = clamp(Math.floor((bin + binTol) / q), 0, binMax);
    const d0 = deltaIndexOf(delta - deltaTol, config);
    const d1 = deltaIndexOf(delta + deltaTol, config);
    // Stored frame differences are integers: look up those within the tolerance of the nearest one.
    const frameTol = tolerance.frames + tolerance.relative * dt;
    const t0 = Math.max(config.pairMinFrames, Math.round(dt - frameTol));
    const t1 = Math.min(config.pairMaxFrames, Math.round(dt + frameTol));
    const anchorFrame = a.frame * s;
    const id = landmarkCount++;
    for (let p = p0; p <= p1; p++) {
      for (let d = d0; d <= d1; d++) {
        for (let t = t0; t <= t1; t++) {
          if (count === hashes.length) {
            const h2 = new Uint32Array(count * 2);
            h2.set(hashes);
            hashes = h2;
            const f2 = new Float64Array(count * 2);
            f2.set(frames);
            frames = f2;
            const i2 = new Uint32Array(count * 2);
            i2.set(ids);
            ids = i2;
          }
          hashes[count] = packHash(layout, p, d, t);
          frames[count] = anchorFrame;
          ids[count] = id;
          count++;
        }
      }
    }
  });
  return { hashes: hashes.subarray(0, count), frames: frames.subarray(0, count), landmarkIds: ids.subarray(0, count), count, landmarkCount };
}
