// How the audio check (audioCheck.ts) measures a candidate, and its calibrated values: part of the decision rule
// (decisionRule.ts re-exports both; calibration: docs/decision-rule.md).

/** How the audio check (audioCheck.ts) measures a candidate against its track, and when it has a verdict at all. */
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

// Calibration: docs/decision-rule.md.
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
