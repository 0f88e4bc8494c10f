// Types of downsample.js (plain JS so the capture worklet can import it unbundled).
export declare class Downsampler {
  constructor(inRateHz: number, outRateHz: number, cutoffHz?: number);
  readonly inRateHz: number;
  readonly outRateHz: number;
  /** Feeds mono input; returns the output samples it completes. */
  push(input: Float32Array): Float32Array;
}
