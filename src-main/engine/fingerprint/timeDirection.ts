// Which way a stretch of audio runs in time. Struck, plucked and sung notes rise fast and die away slowly, so the
// energy of a band jumps up in a frame or two and steps down over many; played backwards, it swells slowly and drops
// at once. timeAsymmetry weighs the band-energy rises against the falls: squared, so a few large rises outweigh many
// small falls. Time reversal negates it exactly (frames tiled the same way). A room only adds decays (reverberation
// tails), pushing it up; noise pulls it toward 0 from either side: neither makes forward music read as backwards.
// Pure.
import { createFftPlan, powerSpectrum, type FftPlan } from './fft.js';

/** Frame length and hop in samples at the fingerprint rate (8 kHz: 32 ms frames every 8 ms, to see an onset's edge). */
export const DIRECTION_FRAME = 256;
export const DIRECTION_HOP = 64;
/** Band edges in Hz: 12 bands spaced evenly on a log scale over what phones and small speakers reproduce. */
const BAND_COUNT = 12;
const LOW_HZ = 150;
const HIGH_HZ = 3800;
/**
 * A change counts only between two frames within this range of the band's loudest. Not the noise floor's flicker; nor
 * the music stopping (a cut into silence or quieter audio, the stream paused) or starting from silence: a stop is one
 * fall larger than any note's and read as backwards. Counted, it turned 36 of 318 true bench:mix pieces' last 8 s
 * (the piece cut off, then talk or the next piece) backwards against their tracks; left out, none (session 21).
 */
const LIVE_RANGE_DB = 40;

interface DirectionScratch {
  readonly plan: FftPlan;
  readonly window: Float64Array;
  readonly frame: Float64Array;
  readonly power: Float64Array;
  /** For each FFT bin, its band (or -1 outside them). */
  readonly bandOf: Int8Array;
}

const scratchByRate = new Map<number, DirectionScratch>();

function scratchFor(sampleRateHz: number): DirectionScratch {
  let s = scratchByRate.get(sampleRateHz);
  if (s) return s;
  const n = DIRECTION_FRAME;
  const window = new Float64Array(n);
  // Symmetric Hann: a frame read backwards is weighted as it was forwards.
  for (let i = 0; i < n; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
  const bandOf = new Int8Array(n / 2 + 1).fill(-1);
  for (let k = 0; k <= n / 2; k++) {
    const hz = (k * sampleRateHz) / n;
    if (hz < LOW_HZ || hz >= HIGH_HZ) continue;
    bandOf[k] = Math.min(BAND_COUNT - 1, Math.floor((BAND_COUNT * Math.log(hz / LOW_HZ)) / Math.log(HIGH_HZ / LOW_HZ)));
  }
  s = { plan: createFftPlan(n), window, frame: new Float64Array(n), power: new Float64Array(n / 2 + 1), bandOf };
  scratchByRate.set(sampleRateHz, s);
  return s;
}

/** Band energies in dB, frame-major (frames of DIRECTION_FRAME samples every DIRECTION_HOP), and the frame count. */
export function bandEnergies(pcm: Float32Array, sampleRateHz: number): { energies: Float64Array; frames: number } {
  const frames = pcm.length < DIRECTION_FRAME ? 0 : Math.floor((pcm.length - DIRECTION_FRAME) / DIRECTION_HOP) + 1;
  const energies = new Float64Array(frames * BAND_COUNT);
  const s = scratchFor(sampleRateHz);
  const sums = new Float64Array(BAND_COUNT);
  for (let f = 0; f < frames; f++) {
    const at = f * DIRECTION_HOP;
    for (let i = 0; i < DIRECTION_FRAME; i++) s.frame[i] = pcm[at + i] * s.window[i];
    powerSpectrum(s.plan, s.frame, s.power);
    sums.fill(0);
    for (let k = 0; k < s.power.length; k++) if (s.bandOf[k] >= 0) sums[s.bandOf[k]] += s.power[k];
    for (let b = 0; b < BAND_COUNT; b++) energies[f * BAND_COUNT + b] = 10 * Math.log10(sums[b] + 1e-10);
  }
  return { energies, frames };
}

/**
 * -1..1: above 0 the audio runs forwards (sharp rises, slow falls), below 0 backwards. The mean over the bands of
 * bandAsymmetries. 0 for audio too short for two frames.
 */
export function timeAsymmetry(pcm: Float32Array, sampleRateHz: number): number {
  return meanAsymmetry(bandAsymmetries(pcm, sampleRateHz));
}

/** The mean of bandAsymmetries' bands (timeAsymmetry); 0 for none. */
export function meanAsymmetry(bands: Float64Array): number {
  let total = 0;
  for (const r of bands) total += r;
  return bands.length === 0 ? 0 : total / bands.length;
}

/**
 * Per band, -1..1: (sum of squared rises - sum of squared falls) / (their total), counting only changes between frames
 * both within LIVE_RANGE_DB of the band's loudest; 0 for a band with none. Empty for audio too short for two frames.
 */
export function bandAsymmetries(pcm: Float32Array, sampleRateHz: number): Float64Array {
  const { energies, frames } = bandEnergies(pcm, sampleRateHz);
  if (frames < 2) return new Float64Array(0);
  const out = new Float64Array(BAND_COUNT);
  for (let b = 0; b < BAND_COUNT; b++) {
    let loudest = Number.NEGATIVE_INFINITY;
    for (let f = 0; f < frames; f++) loudest = Math.max(loudest, energies[f * BAND_COUNT + b]);
    const floor = loudest - LIVE_RANGE_DB;
    let rises = 0;
    let falls = 0;
    for (let f = 1; f < frames; f++) {
      const before = energies[(f - 1) * BAND_COUNT + b];
      const now = energies[f * BAND_COUNT + b];
      if (before <= floor || now <= floor) continue;
      const d = now - before;
      if (d > 0) rises += d * d;
      else falls += d * d;
    }
    out[b] = (rises - falls) / (rises + falls + 1e-9);
  }
  return out;
}

/** Fewest bands (read in both) for directionAgreement to say anything. */
const MIN_AGREEMENT_BANDS = 6;

/**
 * Whether a clip runs in time the way the track's audio under it does, band by band (bandAsymmetries of each): the
 * least-squares slope of the clip's on the track's through the origin, and its t (the slope over its standard error,
 * from the scatter about the line). A clip of the track reads as the track does, each band shrunk toward 0 by what
 * noise it carries and pushed up by a room's decays: the slope is positive, or near 0 under heavy noise, which also
 * widens the scatter, so its t stays near 0 or above. A clip of the track played backwards reads as the negative of
 * where it came from: its bands go against the track's, the slope is negative and, where the clip is clean enough to
 * tell, its t far below 0. Unlike the difference of the two means (timeAsymmetry), noise cannot push a true clip's t
 * far below 0, so a bar on t holds whatever the noise. (bench:mix seeds 6-9, session 22: 1,914 true 4 s windows, dry
 * and through the mixes' rooms, each also with pink noise added at 10, 5 and 0 dB: the lowest t of the 7,656 was
 * -3.2.) Null when fewer than MIN_AGREEMENT_BANDS bands were read in both, or the track's bands read no direction.
 */
export function directionAgreement(clip: ArrayLike<number>, track: ArrayLike<number>): { slope: number; t: number } | null {
  const n = Math.min(clip.length, track.length);
  let used = 0;
  let xy = 0;
  let xx = 0;
  for (let b = 0; b < n; b++) {
    if (clip[b] === 0 || track[b] === 0) continue; // a band with no change read on either side says nothing
    used++;
    xy += clip[b] * track[b];
    xx += track[b] * track[b];
  }
  if (used < MIN_AGREEMENT_BANDS || xx < 1e-6) return null;
  const slope = xy / xx;
  let scatter = 0;
  for (let b = 0; b < n; b++) {
    if (clip[b] === 0 || track[b] === 0) continue;
    const e = clip[b] - slope * track[b];
    scatter += e * e;
  }
  const se = Math.sqrt(scatter / (used - 1) / xx);
  return { slope, t: se > 1e-9 ? slope / se : slope === 0 ? 0 : slope * Number.POSITIVE_INFINITY };
}
