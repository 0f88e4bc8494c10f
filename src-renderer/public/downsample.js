// Streaming downsampler for the capture worklet (and its unit test): mono Float32 at the AudioContext's rate (44.1,
// 48, 96 kHz...) -> the fingerprint rate (8 kHz), so the page sends a sixth of the samples and only new audio.
// A windowed-sinc low-pass (Blackman window, 64 output periods long: -6 dB at 3.7 kHz, flat to ~3.3 kHz, what lies
// above 4 kHz, which would fold back into the band, removed; the fingerprint reads 0.2-3.8 kHz) evaluated at each
// output sample's exact (fractional) input position, so any rate ratio works; the kernel is tabulated once and read
// with linear interpolation. State (the last input samples, the fractional position) carries across chunks, so the
// output of a stream cut into chunks of any size is the same as of the whole. Plain JS (an ES module): the worklet
// imports it as it is, no bundler.

/** Taps on each side of the output position, in units of the output rate's sample period. */
const HALF_WIDTH_OUT = 32;
/** Kernel table resolution: points per input sample. */
const TABLE_STEPS = 256;

export class Downsampler {
  /**
   * @param {number} inRateHz the input rate (> outRateHz)
   * @param {number} outRateHz the output rate
   * @param {number} [cutoffHz] the low-pass edge, -6 dB (default 0.925 of the output Nyquist)
   */
  constructor(inRateHz, outRateHz, cutoffHz = 0.4625 * outRateHz) {
    if (!(inRateHz > 0 && outRateHz > 0)) throw new RangeError('rates must be positive');
    if (outRateHz > inRateHz) throw new RangeError('Downsampler only lowers the rate');
    this.inRateHz = inRateHz;
    this.outRateHz = outRateHz;
    /** Input samples per output sample. */
    this.step = inRateHz / outRateHz;
    /** The cutoff as a fraction of the input rate (cycles per input sample). */
    const fc = Math.min(cutoffHz, 0.5 * outRateHz) / inRateHz;
    /** Half the kernel's length, in input samples. */
    this.half = Math.ceil(HALF_WIDTH_OUT * this.step);
    const points = this.half * TABLE_STEPS + 2;
    this.table = new Float32Array(points);
    for (let i = 0; i < points; i++) {
      const d = i / TABLE_STEPS; // distance from the centre, input samples
      this.table[i] = d >= this.half ? 0 : kernel(d, fc, this.half);
    }
    // Unity gain at DC: the sum over integer taps (both sides).
    let gain = this.table[0];
    for (let k = 1; k < this.half; k++) gain += 2 * this.table[k * TABLE_STEPS];
    for (let i = 0; i < points; i++) this.table[i] /= gain;
    /** Absolute input index of buffer[0]: the input still read by the next output's taps (and what came after). */
    this.bufferStart = -this.half;
    /** Absolute input samples received. */
    this.received = 0;
    /** Output samples made, and the absolute (fractional) input position of the next one. */
    this.outputCount = 0;
    this.nextPosition = 0;
    // Leading zeros before the first sample (the filter's left half reads them).
    this.buffer = new Float32Array(this.half);
  }

  /**
   * Feeds input; returns the output samples that input completes (an output needs `half` input samples after it).
   * @param {Float32Array} input
   * @returns {Float32Array}
   */
  push(input) {
    const kept = this.buffer;
    const joined = new Float32Array(kept.length + input.length);
    joined.set(kept, 0);
    joined.set(input, kept.length);
    this.buffer = joined;
    this.received += input.length;
    const lastReadable = this.received - 1; // absolute index of the last input sample held
    const outputs = [];
    while (Math.floor(this.nextPosition) + this.half <= lastReadable) {
      outputs.push(this.sampleAt(this.nextPosition));
      // From the output count, so rounding does not drift over hours.
      this.outputCount++;
      this.nextPosition = this.outputCount * this.step;
    }
    // Keep what the next output's left half reads.
    const keepFrom = Math.floor(this.nextPosition) - this.half + 1;
    const drop = Math.max(0, keepFrom - this.bufferStart);
    if (drop > 0) {
      this.buffer = this.buffer.slice(Math.min(drop, this.buffer.length));
      this.bufferStart += drop;
    }
    return Float32Array.from(outputs);
  }

  /** Output samples for absolute input position `t` (fractional). */
  sampleAt(t) {
    const base = Math.floor(t);
    const frac = t - base;
    let sum = 0;
    const buf = this.buffer;
    const start = this.bufferStart;
    for (let k = -this.half + 1; k <= this.half; k++) {
      const idx = base + k - start;
      if (idx < 0 || idx >= buf.length) continue;
      const d = Math.abs(k - frac) * TABLE_STEPS;
      const i = Math.floor(d);
      const w = d - i;
      const h = this.table[i] + (this.table[i + 1] - this.table[i]) * w;
      sum += buf[idx] * h;
    }
    return sum;
  }
}

/** Windowed sinc: ideal low-pass at fc (cycles/sample) times a Blackman window of half-width `half` samples. */
function kernel(d, fc, half) {
  const sinc = d === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * d) / (Math.PI * d);
  const x = d / half; // 0..1
  const window = 0.42 + 0.5 * Math.cos(Math.PI * x) + 0.08 * Math.cos(2 * Math.PI * x);
  return sinc * window;
}
