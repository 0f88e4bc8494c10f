// Stage 4: peaks -> landmark hashes. A landmark pairs an anchor peak with a later peak in its target zone and
// hashes (anchor pitch, pitch difference, frame difference) into 22 bits. Pitches are on a semitone (log) scale,
// so a pitch shift moves only the anchor pitch and a tempo change scales only the frame difference: a query made
// under a (time, pitch) hypothesis looks up every key within a tolerance of its transformed values. Pure.
import type { FingerprintConfig } from './config.js';
import type { Peak } from './peaks.js';

const PITCH_BITS = 8;
const DELTA_BITS = 8;
const DT_BITS = 6;
const DELTA_OFFSET = 1 << (DELTA_BITS - 1);
const PITCH_MAX = (1 << PITCH_BITS) - 1;
const DELTA_MAX = (1 << DELTA_BITS) - 1;

/** Packs quantised (anchor pitch, pitch delta, frame delta) into one 22-bit hash. */
export function packHash(pitchIndex: number, deltaIndex: number, frameDelta: number): number {
  return ((pitchIndex << (DELTA_BITS + DT_BITS)) | (deltaIndex << DT_BITS) | frameDelta) >>> 0;
}

export function unpackHash(hash: number): { pitchIndex: number; deltaIndex: number; frameDelta: number } {
  return {
    pitchIndex: hash >>> (DELTA_BITS + DT_BITS),
    deltaIndex: (hash >>> DT_BITS) & DELTA_MAX,
    frameDelta: hash & ((1 << DT_BITS) - 1),
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

export function pitchIndexOf(pitch: number, config: FingerprintConfig): number {
  return clamp(Math.floor(pitch / config.pitchQuantumSemitones), 0, PITCH_MAX);
}

export function deltaIndexOf(delta: number, config: FingerprintConfig): number {
  return clamp(Math.floor(delta / config.deltaQuantumSemitones) + DELTA_OFFSET, 0, DELTA_MAX);
}

/**
 * Calls `visit(anchor, target)` for each landmark pair: for every anchor, the first `fanOut` later peaks
 * (in time order) whose frame distance (scaled by `timeFactor`) lies in [pairMinFrames, pairMaxFrames]
 * and whose pitch difference is within pairMaxSemitones. Peaks must be sorted by frame.
 */
export function forEachPair(
  peaks: readonly Peak[],
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
      if (Math.abs(peaks[j].pitch - a.pitch) > config.pairMaxSemitones) continue;
      visit(i, j);
      made++;
    }
  }
}

/** A library track's landmarks: interleaved [hash, anchorFrame, ...]. */
export function makeTrackLandmarks(peaks: readonly Peak[], config: FingerprintConfig): Uint32Array {
  const out: number[] = [];
  forEachPair(peaks, config, config.trackFanOut, 1, (i, j) => {
    const a = peaks[i];
    const b = peaks[j];
    out.push(packHash(pitchIndexOf(a.pitch, config), deltaIndexOf(b.pitch - a.pitch, config), b.frame - a.frame), a.frame);
  });
  return Uint32Array.from(out);
}

/** How a query relates to the track: track seconds per clip second, and clip frequency / track frequency. */
export interface Hypothesis {
  readonly timeFactor: number;
  readonly pitchFactor: number;
}

export interface KeyTolerance {
  /** Half-widths of the lookup window around the transformed values. */
  readonly pitchSemitones: number;
  readonly deltaSemitones: number;
  /** Integer frame differences within +-frames of the rounded (scaled) difference are looked up. */
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
  const pitchShift = 12 * Math.log2(hypothesis.pitchFactor);
  const s = hypothesis.timeFactor;
  let hashes = new Uint32Array(4096);
  let frames = new Float64Array(4096);
  let ids = new Uint32Array(4096);
  let count = 0;
  let landmarkCount = 0;
  const qp = config.pitchQuantumSemitones;
  const qd = config.deltaQuantumSemitones;
  forEachPair(peaks, config, fanOut, s, (i, j) => {
    const a = peaks[i];
    const b = peaks[j];
    const pitch = a.pitch - pitchShift;
    const delta = b.pitch - a.pitch;
    const dt = (b.frame - a.frame) * s;
    const p0 = clamp(Math.floor((pitch - tolerance.pitchSemitones) / qp), 0, PITCH_MAX);
    const p1 = clamp(Math.floor((pitch + tolerance.pitchSemitones) / qp), 0, PITCH_MAX);
    const d0 = deltaIndexOf(delta - tolerance.deltaSemitones, config);
    const d1 = deltaIndexOf(delta + tolerance.deltaSemitones, config);
    // Stored frame differences are integers: look up those within the tolerance of the nearest one.
    const t0 = Math.max(config.pairMinFrames, Math.round(dt - tolerance.frames));
    const t1 = Math.min(config.pairMaxFrames, Math.round(dt + tolerance.frames));
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
          hashes[count] = packHash(p, d, t);
          frames[count] = anchorFrame;
          ids[count] = id;
          count++;
        }
      }
    }
  });
  return { hashes: hashes.subarray(0, count), frames: frames.subarray(0, count), landmarkIds: ids.subarray(0, count), count, landmarkCount };
}
