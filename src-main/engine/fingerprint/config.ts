// The one fingerprint configuration shared by every stage (after Olaf's olaf_config.h).
// Frozen; `version` is stored with every track's landmarks: change any parameter, bump the version, reindex.

export interface FingerprintConfig {
  /** Bump on any change below: stored landmarks of another version are re-made on the next scan. */
  readonly version: number;
  /** Decode rate. 8 kHz keeps all peaks inside what a phone speaker and a laptop mic reproduce. */
  readonly sampleRateHz: number;
  /** FFT length in samples (power of two). 1024 at 8 kHz = 128 ms window, 7.8 Hz bins. */
  readonly fftSize: number;
  /** Hop between frames in samples. 128 at 8 kHz = 16 ms. */
  readonly hopSizeSamples: number;
  /** Peaks are looked for only between these frequencies. */
  readonly minFrequencyHz: number;
  readonly maxFrequencyHz: number;
  /** Half-size of the max-filter neighbourhood: a peak is the largest value within +-these. */
  readonly peakNeighbourhoodFrames: number;
  readonly peakNeighbourhoodBins: number;
  /** Half-size of the box used for the local mean a peak must stand above (its prominence). */
  readonly backgroundFrames: number;
  readonly backgroundBins: number;
  /** Minimum prominence (dB above the local mean) for a peak. */
  readonly minProminenceDb: number;
  /** Peaks are thinned per block of this many frames, keeping the most prominent. */
  readonly densityBlockFrames: number;
  /** Peaks kept per block for library tracks and for query clips (queries keep more, to survive noise). */
  readonly trackPeaksPerBlock: number;
  readonly queryPeaksPerBlock: number;
  /** Landmark target zone: a peak pairs with later peaks dtMin..dtMax frames ahead and within +-pairMaxBins FFT bins. */
  readonly pairMinFrames: number;
  readonly pairMaxFrames: number;
  readonly pairMaxBins: number;
  /** Pairs made per anchor peak (the nearest in time first). */
  readonly trackFanOut: number;
  readonly queryFanOut: number;
  /** Hash quantisation step, in FFT bins, of the anchor frequency and of the frequency difference. */
  readonly binQuantum: number;
  /** Reference pitch: 0 semitones = this frequency (peaks carry pitch on a semitone scale). */
  readonly pitchReferenceHz: number;
}

export const FINGERPRINT_CONFIG: FingerprintConfig = Object.freeze({
  version: 3,
  sampleRateHz: 8000,
  fftSize: 1024,
  hopSizeSamples: 128,
  minFrequencyHz: 200,
  maxFrequencyHz: 3800,
  peakNeighbourhoodFrames: 6,
  peakNeighbourhoodBins: 6,
  backgroundFrames: 24,
  backgroundBins: 24,
  minProminenceDb: 3,
  densityBlockFrames: 32,
  trackPeaksPerBlock: 12,
  queryPeaksPerBlock: 20,
  pairMinFrames: 2,
  pairMaxFrames: 63,
  pairMaxBins: 64,
  trackFanOut: 5,
  queryFanOut: 8,
  binQuantum: 2,
  pitchReferenceHz: 100,
});

/** Seconds per frame hop. */
export function frameSeconds(config: FingerprintConfig): number {
  return config.hopSizeSamples / config.sampleRateHz;
}
