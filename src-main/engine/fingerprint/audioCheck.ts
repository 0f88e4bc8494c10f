// Stage 8: check a candidate against the track's own audio. Noise, babble, reverb, a phone's speaker and mic and a
// lossy codec ADD sound to a recording or shape it smoothly across frequency; none of them removes the track's loudest
// components. So at the candidate's alignment, every strong peak of the track's spectrogram must reappear in the clip
// at (at least) the level its frequency band gives the rest: a band's gain is read off its peaks, and the share of
// peaks that fall clearly short of it is the "shortfall". A true match, however noisy, has almost none; music that
// merely shares a loop or a sample with the track (a remix, another arrangement, a chance alignment) is missing much of
// the track and falls short on a tenth or more of its peaks. Pure: the caller decodes and supplies both spectrograms.
import type { FingerprintConfig } from './config.js';
import type { Hypothesis } from './landmarks.js';
import { maxFilter2d } from './maxFilter.js';
import type { Spectrogram } from './spectrum.js';

export interface AudioCheckConfig {
  /** Only peaks between these frequencies count (inside what phone speakers and mics pass). */
  readonly minFrequencyHz: number;
  readonly maxFrequencyHz: number;
  /** A track peak is the largest value within +-these frames and bins... */
  readonly peakHalfFrames: number;
  readonly peakHalfBins: number;
  /** ...and above this quantile of the track segment's values in the band. */
  readonly peakQuantile: number;
  /** The loudest this-fraction of those peaks are judged (quiet ones may sit under the track's own noise floor). */
  readonly loudestFraction: number;
  /** Gain bands per octave, and the fewest peaks a band needs to be judged. */
  readonly bandsPerOctave: number;
  readonly minBandPeaks: number;
  /** A band's gain: this quantile of its peaks' clip-minus-track levels. */
  readonly gainQuantile: number;
  /** A peak falls short when the clip holds it this many dB below its band's gain. */
  readonly shortfallDb: number;
  /** Track audio is seeked with ffmpeg (~10 ms off for some codecs): clip shifts of +-this many frames are tried. */
  readonly alignFrames: number;
  /** Fewer judged peaks than this: no verdict (too little of the track in the clip's band). */
  readonly minJudgedPeaks: number;
}

export const DEFAULT_AUDIO_CHECK: AudioCheckConfig = Object.freeze({
  minFrequencyHz: 300,
  maxFrequencyHz: 3000,
  peakHalfFrames: 3,
  peakHalfBins: 3,
  peakQuantile: 0.9,
  loudestFraction: 0.5,
  bandsPerOctave: 3,
  minBandPeaks: 8,
  gainQuantile: 0.25,
  shortfallDb: 3,
  alignFrames: 2,
  minJudgedPeaks: 40,
});

export interface AudioCheck {
  /** Track peaks judged (inside the clip, in gain bands with enough peaks). */
  readonly judged: number;
  /** Share of the judged peaks the clip holds shortfallDb or more below their band's gain (0..1). */
  readonly shortfall: number;
  /** The clip shift, in frames, that gave the smallest shortfall. */
  readonly shiftFrames: number;
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

/**
 * Checks the clip against the track at an alignment: clip frame i lies at track-spectrogram row
 * `clipStartRow + i * timeFactor`, clip bin b at track bin b / pitchFactor (the hypothesis of the match).
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
  const { timeFactor: tf, pitchFactor: pf } = hypothesis;
  const identity = tf === 1 && pf === 1;
  const clipCenter = clip.frameCount / 2;
  // The clip's value at (frame, bin): the largest within +-1 frame and +-binReach bins (the grid step of a shifted
  // hypothesis leaves up to 0.5 % of frequency and of time unaccounted for).
  const clipLevel = (frame: number, bin: number): number | undefined => {
    const f = Math.round(frame);
    const c = Math.round(bin) - clip.firstBin;
    const binReach = identity ? 1 : 1 + Math.round(0.005 * bin);
    const frameReach = identity ? 1 : 1 + Math.round(0.005 * Math.abs(frame - clipCenter));
    if (f - frameReach < 0 || f + frameReach >= clip.frameCount || c - binReach < 0 || c + binReach >= clip.binCount) return undefined;
    let best = -Infinity;
    for (let r = f - frameReach; r <= f + frameReach; r++) {
      const base = r * clip.binCount;
      for (let k = c - binReach; k <= c + binReach; k++) if (clip.data[base + k] > best) best = clip.data[base + k];
    }
    return best;
  };

  let bestCheck: AudioCheck = { judged: 0, shortfall: 1, shiftFrames: 0 };
  for (let shift = -config.alignFrames; shift <= config.alignFrames; shift++) {
    // Peaks inside the clip at this shift, then the loudest fraction of them.
    const inside: { band: number; gap: number }[] = [];
    for (const p of peaks) {
      const level = clipLevel((p.row - clipStartRow) / tf + shift, p.bin * pf);
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
    const check: AudioCheck = { judged, shortfall: judged > 0 ? short / judged : 1, shiftFrames: shift };
    if (judged >= config.minJudgedPeaks && (bestCheck.judged < config.minJudgedPeaks || check.shortfall < bestCheck.shortfall)) bestCheck = check;
    else if (bestCheck.judged < config.minJudgedPeaks && judged > bestCheck.judged) bestCheck = check;
  }
  return bestCheck;
}

/** Whether a check has enough peaks to say anything. */
export function isJudged(check: AudioCheck, config: AudioCheckConfig = DEFAULT_AUDIO_CHECK): boolean {
  return check.judged >= config.minJudgedPeaks;
}
