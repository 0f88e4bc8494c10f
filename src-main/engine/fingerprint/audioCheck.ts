// Stage 8: check a candidate against the track's own audio. Noise, babble, reverb, a phone's speaker and mic and a
// lossy codec ADD sound to a recording or shape it smoothly across frequency; none of them removes the track's loudest
// components. So at the candidate's alignment, every strong peak of the track's spectrogram must reappear in the clip
// at (at least) the level its frequency band gives the rest: a band's gain is read off its peaks, and the share of
// peaks that fall clearly short of it is the "shortfall". A true match, however noisy, has almost none; music that
// merely shares a loop or a sample with the track (a remix, another arrangement, a chance alignment) is missing much of
// the track and falls short on a tenth or more of its peaks. Pure: the caller decodes and supplies both spectrograms.
import type { FingerprintConfig } from './config.js';
import { DEFAULT_AUDIO_CHECK, type AudioCheckConfig } from './decisionRule.js';
import type { Hypothesis } from './landmarks.js';
import { maxFilter2d } from './maxFilter.js';
import type { Spectrogram } from './spectrum.js';

export interface AudioCheck {
  /** Track peaks judged (inside the clip, in gain bands with enough peaks). */
  readonly judged: number;
  /** Share of the judged peaks the clip holds shortfallDb or more below their band's gain (0..1). */
  readonly shortfall: number;
  /** The clip shift, in frames, that gave the smallest shortfall. */
  readonly shiftFrames: number;
  /**
   * At that alignment, the correlation (-1..1) of the clip's and the track's spectrograms in the band, each bin's mean
   * over time removed: does the clip rise and fall where the track does? Near 0 for unrelated audio, including a clip
   * so buried in noise that it hides nothing (which the shortfall alone would pass).
   */
  readonly contrast: number;
  /**
   * Which way the clip and the track's audio under it run in time (timeDirection.ts timeAsymmetry, -1..1, above 0
   * forwards), when the caller had their audio (checkCandidateAudio). A clip of the track played backwards reads as
   * the negative of the track.
   */
  readonly clipAsymmetry?: number;
  readonly trackAsymmetry?: number;
  /** Band by band, how the clip runs against the track's audio under it (timeDirection.ts directionAgreement's t). */
  readonly directionT?: number;
}

interface TrackPeak {
  readonly row: number;
  readonly bin: number;
  readonly db: number;
  readonly band: number;
}

/** The q-quantile (0..1) of values, by sorting a copy (nearest rank). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

/** The track's strong peaks in the check's band, loudest first. */
export function strongTrackPeaks(track: Spectrogram, fp: FingerprintConfig, config: AudioCheckConfig): TrackPeak[] {
  const binHz = fp.sampleRateHz / fp.fftSize;
  const loCol = Math.max(0, Math.ceil(config.minFrequencyHz / binHz) - track.firstBin);
  const hiCol = Math.min(track.binCount - 1, Math.floor(config.maxFrequencyHz / binHz) - track.firstBin);
  const { frameCount: rows, binCount: cols, data } = track;
  if (rows === 0 || hiCol < loCol) return [];
  // The level bar: a quantile of a strided sample of the band (exact enough, and cheap on a 20 s segment).
  const sample: number[] = [];
  const stride = 7;
  for (let i = 0; i < rows * cols; i += stride) {
    const col = i % cols;
    if (col >= loCol && col <= hiCol) sample.push(data[i]);
  }
  const bar = quantile(sample, config.peakQuantile);
  const max = maxFilter2d(data, rows, cols, config.peakHalfFrames, config.peakHalfBins);
  const peaks: TrackPeak[] = [];
  const firstBand = Math.log2(config.minFrequencyHz / binHz);
  for (let row = 0; row < rows; row++) {
    for (let col = loCol; col <= hiCol; col++) {
      const i = row * cols + col;
      const v = data[i];
      if (v > bar && v >= max[i]) {
        const bin = track.firstBin + col;
        peaks.push({ row, bin, db: v, band: Math.floor((Math.log2(bin) - firstBand) * config.bandsPerOctave) });
      }
    }
  }
  peaks.sort((a, b) => b.db - a.db);
  return peaks;
}

/** A frame at or below this level in every bin is digital silence (the spectrum's floor is -100 dB). */
const SILENT_FRAME_DB = -99.5;

/**
 * Clip frames that hold no evidence either way: frames of digital silence (a dropout in a recording or a stream, a
 * muted stretch) and every frame whose analysis window overlaps one. The track is not missing there; the recording is.
 * Without this mask a half-second dropout made every true match "fall short" of its track.
 */
export function silenceMask(clip: Spectrogram, fp: FingerprintConfig): Uint8Array {
  const { frameCount: rows, binCount: cols, data } = clip;
  const mask = new Uint8Array(rows);
  const reach = Math.ceil(fp.fftSize / fp.hopSizeSamples) - 1;
  for (let r = 0; r < rows; r++) {
    let silent = true;
    for (let c = 0, i = r * cols; c < cols && silent; c++, i++) silent = data[i] <= SILENT_FRAME_DB;
    if (!silent) continue;
    for (let k = Math.max(0, r - reach); k <= Math.min(rows - 1, r + reach); k++) mask[k] = 1;
  }
  return mask;
}

/** Relative steps tried around a match's time factor, then its pitch factor: the grid's residual (half its 1 % step). */
const REFINE_STEPS = [0, -0.0025, 0.0025, -0.005, 0.005];

interface Trial {
  readonly check: AudioCheck;
  readonly h: Hypothesis;
}

/**
 * Checks the clip against the track at an alignment: clip frame i lies at track-spectrogram row
 * `clipStartRow + i * timeFactor`, clip bin b at track bin b / pitchFactor (the hypothesis of the match). The vote
 * only pins the factors to the search's grid (1 % steps), which over a 20 s clip drifts by frames and bins; so,
 * keeping the clip's centre where the vote put it, the time factor and then the pitch factor are refined in quarter
 * percent steps, each with the seek shifts, and the smallest shortfall is kept. (The search tries the grid for every
 * candidate weak enough to be checked: see earlyStopAligned.)
 */
export function checkAudio(
  clip: Spectrogram,
  track: Spectrogram,
  clipStartRow: number,
  hypothesis: Hypothesis,
  fp: FingerprintConfig,
  config: AudioCheckConfig = DEFAULT_AUDIO_CHECK,
): AudioCheck {
  const peaks = strongTrackPeaks(track, fp, config);
  const masked = silenceMask(clip, fp);
  const clipCenter = clip.frameCount / 2;
  const centerRow = clipStartRow + clipCenter * hypothesis.timeFactor;
  // The clip's value at (frame, bin): the largest within +-1 frame and bin (a frame's and a bin's rounding).
  const clipLevel = (frame: number, bin: number): number | undefined => {
    const f = Math.round(frame);
    const c = Math.round(bin) - clip.firstBin;
    if (f < 1 || f + 1 >= clip.frameCount || c < 1 || c + 1 >= clip.binCount) return undefined;
    if (masked[f - 1] || masked[f] || masked[f + 1]) return undefined;
    let best = -Infinity;
    for (let r = f - 1; r <= f + 1; r++) {
      const base = r * clip.binCount;
      for (let k = c - 1; k <= c + 1; k++) if (clip.data[base + k] > best) best = clip.data[base + k];
    }
    return best;
  };
  const judge = (h: Hypothesis, shift: number): AudioCheck => {
    // Peaks inside the clip at this alignment, then the loudest fraction of them.
    const inside: { band: number; gap: number }[] = [];
    for (const p of peaks) {
      const level = clipLevel(clipCenter + (p.row - centerRow) / h.timeFactor + shift, p.bin * h.pitchFactor);
      if (level !== undefined) inside.push({ band: p.band, gap: level - p.db });
    }
    const kept = inside.slice(0, Math.floor(inside.length * config.loudestFraction));
    const byBand = new Map<number, number[]>();
    for (const k of kept) {
      let list = byBand.get(k.band);
      if (!list) byBand.set(k.band, (list = []));
      list.push(k.gap);
    }
    let judged = 0;
    let short = 0;
    for (const gaps of byBand.values()) {
      if (gaps.length < config.minBandPeaks) continue;
      const gain = quantile(gaps, config.gainQuantile);
      judged += gaps.length;
      for (const g of gaps) if (g < gain - config.shortfallDb) short++;
    }
    return { judged, shortfall: judged > 0 ? short / judged : 1, shiftFrames: shift, contrast: 0 };
  };
  const better = (a: AudioCheck, b: AudioCheck): boolean => {
    const aEnough = a.judged >= config.minJudgedPeaks;
    const bEnough = b.judged >= config.minJudgedPeaks;
    if (aEnough !== bEnough) return aEnough;
    return aEnough ? a.shortfall < b.shortfall : a.judged > b.judged;
  };
  let best: Trial = { check: { judged: 0, shortfall: 1, shiftFrames: 0, contrast: 0 }, h: hypothesis };
  const tryAll = (hs: Hypothesis[]): void => {
    for (const h of hs) {
      for (let shift = -config.alignFrames; shift <= config.alignFrames; shift++) {
        const check = judge(h, shift);
        if (better(check, best.check)) best = { check, h };
      }
    }
  };
  tryAll(REFINE_STEPS.map((d) => ({ timeFactor: hypothesis.timeFactor * (1 + d), pitchFactor: hypothesis.pitchFactor })));
  const t = best.h.timeFactor;
  tryAll(REFINE_STEPS.slice(1).map((d) => ({ timeFactor: t, pitchFactor: hypothesis.pitchFactor * (1 + d) })));
  const contrast = spectralContrast(clip, track, centerRow, clipCenter + best.check.shiftFrames, best.h, fp, config, masked);
  return { ...best.check, contrast };
}

/**
 * Correlation of the clip's spectrogram with the track's mapped onto it (nearest row and bin), over the check's band,
 * after removing each clip bin's mean over time from both. Clip frame i maps to track row centerRow + (i - pivot) * tf.
 */
export function spectralContrast(
  clip: Spectrogram,
  track: Spectrogram,
  centerRow: number,
  pivot: number,
  h: Hypothesis,
  fp: FingerprintConfig,
  config: AudioCheckConfig,
  /** Clip frames to leave out (silenceMask). */
  masked?: Uint8Array,
): number {
  const binHz = fp.sampleRateHz / fp.fftSize;
  const loCol = Math.max(0, Math.ceil(config.minFrequencyHz / binHz) - clip.firstBin);
  const hiCol = Math.min(clip.binCount - 1, Math.floor(config.maxFrequencyHz / binHz) - clip.firstBin);
  const cols = hiCol - loCol + 1;
  if (cols <= 0) return 0;
  const trackCol = new Int32Array(cols);
  for (let c = 0; c < cols; c++) trackCol[c] = Math.round((clip.firstBin + loCol + c) / h.pitchFactor) - track.firstBin;
  const rows: number[] = [];
  const trackRows: number[] = [];
  for (let i = 0; i < clip.frameCount; i++) {
    const r = Math.round(centerRow + (i - pivot) * h.timeFactor);
    if (r >= 0 && r < track.frameCount && !masked?.[i]) {
      rows.push(i);
      trackRows.push(r);
    }
  }
  if (rows.length < 2) return 0;
  // Per-bin means over the overlapping frames, then the correlation of what is left.
  const meanX = new Float64Array(cols);
  const meanY = new Float64Array(cols);
  const valid = new Uint8Array(cols);
  for (let c = 0; c < cols; c++) valid[c] = trackCol[c] >= 0 && trackCol[c] < track.binCount ? 1 : 0;
  for (let n = 0; n < rows.length; n++) {
    const xb = rows[n] * clip.binCount + loCol;
    const yb = trackRows[n] * track.binCount;
    for (let c = 0; c < cols; c++) {
      if (!valid[c]) continue;
      meanX[c] += clip.data[xb + c];
      meanY[c] += track.data[yb + trackCol[c]];
    }
  }
  for (let c = 0; c < cols; c++) {
    meanX[c] /= rows.length;
    meanY[c] /= rows.length;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let n = 0; n < rows.length; n++) {
    const xb = rows[n] * clip.binCount + loCol;
    const yb = trackRows[n] * track.binCount;
    for (let c = 0; c < cols; c++) {
      if (!valid[c]) continue;
      const x = clip.data[xb + c] - meanX[c];
      const y = track.data[yb + trackCol[c]] - meanY[c];
      sxy += x * y;
      sxx += x * x;
      syy += y * y;
    }
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}
