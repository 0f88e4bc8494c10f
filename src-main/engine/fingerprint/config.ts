// The one fingerprint configuration shared by every stage (after Olaf's olaf_config.h), the landmark hash layout
// included. Frozen; `version` is stored with every track's landmarks: change any parameter, bump the version, reindex.
// makeFingerprintConfig refuses a configuration whose values do not fit the hash layout's bits.

/**
 * How a landmark hash packs its three quantised fields into one unsigned 32-bit key (landmarks.ts), high bits first:
 * anchor frequency (FFT bin / binQuantum), frequency difference (/ binQuantum, offset by half its range so that
 * negative differences fit), frame difference. 8 + 7 + 6 = 21 bits with the defaults.
 */
export interface HashLayout {
  readonly binBits: number;
  readonly deltaBits: number;
  readonly frameDeltaBits: number;
}

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
  /** Bit widths of the landmark hash's fields: checked against the values above by makeFingerprintConfig. */
  readonly hashLayout: HashLayout;
}

/** A fingerprint configuration whose values do not fit together (e.g. pairMaxFrames past its hash field's bits). */
export class FingerprintConfigError extends Error {
  constructor(
    /** The setting at fault. */
    readonly field: keyof FingerprintConfig | `hashLayout.${keyof HashLayout}`,
    message: string,
  ) {
    super(`fingerprint config: ${field}: ${message}`);
    this.name = 'FingerprintConfigError';
  }
}

/** The largest value each hash field holds, and the offset that centres the frequency difference. */
export function hashFieldLimits(layout: HashLayout): { binMax: number; deltaMax: number; deltaOffset: number; frameDeltaMax: number } {
  return {
    binMax: 2 ** layout.binBits - 1,
    deltaMax: 2 ** layout.deltaBits - 1,
    deltaOffset: 2 ** (layout.deltaBits - 1),
    frameDeltaMax: 2 ** layout.frameDeltaBits - 1,
  };
}

/**
 * Throws FingerprintConfigError unless every landmark a track can make fits its hash field: the highest anchor
 * frequency (maxFrequencyHz) in binBits, frequency differences of +-pairMaxBins in deltaBits, frame differences up
 * to pairMaxFrames in frameDeltaBits, and the three together in 32 bits. (Out of range, the frequency fields would be
 * clamped, merging distinct landmarks, and a frame difference would spill into the next field: silently wrong hashes.)
 */
export function checkFingerprintConfig(config: FingerprintConfig): void {
  const layout = config.hashLayout;
  for (const key of ['binBits', 'deltaBits', 'frameDeltaBits'] as const) {
    if (!Number.isInteger(layout[key]) || layout[key] < 1)
      throw new FingerprintConfigError(`hashLayout.${key}`, `${layout[key]} is not a positive whole number of bits`);
  }
  const totalBits = layout.binBits + layout.deltaBits + layout.frameDeltaBits;
  if (totalBits > 32) throw new FingerprintConfigError('hashLayout.binBits', `the fields take ${totalBits} bits; a hash has 32`);
  if (!(config.binQuantum > 0)) throw new FingerprintConfigError('binQuantum', `${config.binQuantum} must be above 0`);
  const limits = hashFieldLimits(layout);
  if (
    !Number.isInteger(config.pairMinFrames) ||
    !Number.isInteger(config.pairMaxFrames) ||
    config.pairMinFrames < 0 ||
    config.pairMinFrames > config.pairMaxFrames
  ) {
    throw new FingerprintConfigError('pairMinFrames', `pairs of ${config.pairMinFrames}..${config.pairMaxFrames} frames are not a range of whole frames`);
  }
  if (config.pairMaxFrames > limits.frameDeltaMax) {
    throw new FingerprintConfigError(
      'pairMaxFrames',
      `${config.pairMaxFrames} frames do not fit ${layout.frameDeltaBits} bits (at most ${limits.frameDeltaMax})`,
    );
  }
  // The spectrum's last column (spectrum.ts), plus half a bin of peak interpolation (peaks.ts).
  const lastColumn = Math.min(config.fftSize / 2 - 1, Math.ceil(config.maxFrequencyHz / (config.sampleRateHz / config.fftSize)));
  const topBin = Math.floor((lastColumn + 0.5) / config.binQuantum);
  if (topBin > limits.binMax) {
    throw new FingerprintConfigError(
      'maxFrequencyHz',
      `${config.maxFrequencyHz} Hz is anchor bin ${topBin}, past the ${layout.binBits} bits' ${limits.binMax}`,
    );
  }
  const lowest = Math.floor(-config.pairMaxBins / config.binQuantum) + limits.deltaOffset;
  const highest = Math.floor(config.pairMaxBins / config.binQuantum) + limits.deltaOffset;
  if (lowest < 0 || highest > limits.deltaMax) {
    throw new FingerprintConfigError('pairMaxBins', `differences of +-${config.pairMaxBins} bins do not fit ${layout.deltaBits} bits`);
  }
}

/** A frozen configuration from its values, checked (checkFingerprintConfig: throws FingerprintConfigError). */
export function makeFingerprintConfig(values: FingerprintConfig): FingerprintConfig {
  checkFingerprintConfig(values);
  return Object.freeze({ ...values, hashLayout: Object.freeze({ ...values.hashLayout }) });
}

export const FINGERPRINT_CONFIG: FingerprintConfig = makeFingerprintConfig({
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
  hashLayout: { binBits: 8, deltaBits: 7, frameDeltaBits: 6 },
});

/** Seconds per frame hop. */
export function frameSeconds(config: FingerprintConfig): number {
  return config.hopSizeSamples / config.sampleRateHz;
}
