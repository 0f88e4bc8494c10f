// Stage 3: spectrogram -> spectral peaks ("event points"): local maxima that stand above their local mean,
// thinned to the most prominent few per block of frames. Pure.
import type { FingerprintConfig } from './config.js';
import { maxAlongRows } from './maxFilter.js';
import type { Spectrogram } from './spectrum.js';

export interface Peak {
  /** Absolute frame index (time = frame * hop / sampleRate). */
  readonly frame: number;
  /** Interpolated pitch, semitones above config.pitchReferenceHz. */
  readonly pitch: number;
  /** dB above the local mean. */
  readonly prominenceDb: number;
}

/** Frequency (Hz) of a fractional FFT bin, as a pitch in semitones above the reference. */
export function binToPitch(bin: number, config: FingerprintConfig): number {
  const hz = (bin * config.sampleRateHz) / config.fftSize;
  return 12 * Math.log2(hz / config.pitchReferenceHz);
}

/**
 * Collects candidate peaks frame by frame and thins them per density block (blocks aligned to absolute frame 0):
 * each block keeps its `peaksPerBlock` most prominent, output sorted by frame, then pitch.
 */
class BlockThinner {
  readonly out: Peak[] = [];
  private block: Peak[] = [];
  private blockIndex: number;

  constructor(
    private readonly blockFrames: number,
    private readonly peaksPerBlock: number,
    firstFrame: number,
  ) {
    this.blockIndex = Math.floor(firstFrame / blockFrames);
  }

  /** Call before adding the peaks of `frame` (frames in increasing order). */
  enterFrame(frame: number): void {
    const b = Math.floor(frame / this.blockFrames);
    if (b !== this.blockIndex) {
      this.flush();
      this.blockIndex = b;
    }
  }

  add(peak: Peak): void {
    this.block.push(peak);
  }

  flush(): Peak[] {
    const block = this.block;
    if (block.length > this.peaksPerBlock) {
      block.sort((a, b) => b.prominenceDb - a.prominenceDb || a.frame - b.frame || a.pitch - b.pitch);
      block.length = this.peaksPerBlock;
    }
    block.sort((a, b) => a.frame - b.frame || a.pitch - b.pitch);
    for (const p of block) this.out.push(p);
    this.block = [];
    return this.out;
  }
}

/** A peak at data[i] (column col): quadratic interpolation of its bin from the two neighbours, in dB. */
function interpolatedPeak(data: Float32Array, i: number, firstBin: number, col: number, frame: number, prominenceDb: number, config: FingerprintConfig): Peak {
  const left = data[i - 1];
  const right = data[i + 1];
  const denom = left - 2 * data[i] + right;
  const delta = denom < 0 ? (0.5 * (left - right)) / denom : 0;
  return { frame, pitch: binToPitch(firstBin + col + delta, config), prominenceDb };
}

/**
 * Peaks of spectrogram rows whose absolute frames lie in [coreFirstFrame, coreEndFrame). `maxed` and `background`
 * are the max filter and local mean of `spec.data` (same shape). Blocks of config.densityBlockFrames frames
 * (aligned to absolute frame 0; the core must be block-aligned except at the signal's end) keep their
 * `peaksPerBlock` most prominent peaks. Output sorted by frame, then pitch.
 */
export function extractPeaks(
  spec: Spectrogram,
  maxed: Float32Array,
  background: Float32Array,
  config: FingerprintConfig,
  peaksPerBlock: number,
  coreFirstFrame: number,
  coreEndFrame: number,
): Peak[] {
  const { binCount, data } = spec;
  const thinner = new BlockThinner(config.densityBlockFrames, peaksPerBlock, coreFirstFrame);
  for (let frame = coreFirstFrame; frame < coreEndFrame; frame++) {
    const row = frame - spec.firstFrame;
    if (row < 0 || row >= spec.frameCount) continue;
    thinner.enterFrame(frame);
    const base = row * binCount;
    for (let col = 1; col < binCount - 1; col++) {
      const i = base + col;
      const v = data[i];
      if (v !== maxed[i]) continue;
      const prominence = v - background[i];
      if (prominence < config.minProminenceDb) continue;
      // Plateaus: keep only the first column of equal maxima in a row.
      if (data[i - 1] === v) continue;
      thinner.add(interpolatedPeak(data, i, spec.firstBin, col, frame, prominence, config));
    }
  }
  return thinner.flush();
}

/**
 * The same peaks as `extractPeaks(spec, maxFilter2d(...), localMean2d(...), ...)`, several times cheaper: the 2-D
 * maximum is checked only where a cell is already the maximum of its row neighbourhood (a few percent of cells), and
 * the background mean comes from a summed-area table at those cells only. Tested against the full-filter version.
 */
export function extractPeaksFast(
  spec: Spectrogram,
  config: FingerprintConfig,
  peaksPerBlock: number,
  coreFirstFrame: number,
  coreEndFrame: number,
  scratch: PeakScratch = createPeakScratch(),
): Peak[] {
  const { binCount: cols, frameCount: rows, data } = spec;
  const n = rows * cols;
  const rowMax = scratch.rowMax.length >= n ? scratch.rowMax : (scratch.rowMax = new Float32Array(n));
  maxAlongRows(data, rowMax, rows, cols, config.peakNeighbourhoodBins);
  // Summed-area table with a zero row and column in front: sat[(r+1)*(cols+1) + (c+1)] = sum of data[0..r][0..c].
  const satCols = cols + 1;
  const satSize = (rows + 1) * satCols;
  const sat = scratch.sat.length >= satSize ? scratch.sat : (scratch.sat = new Float64Array(satSize));
  sat.fill(0, 0, satCols);
  for (let r = 0; r < rows; r++) {
    let rowSum = 0;
    const base = r * cols;
    const up = r * satCols;
    const here = (r + 1) * satCols;
    sat[here] = 0;
    for (let c = 0; c < cols; c++) {
      rowSum += data[base + c];
      sat[here + c + 1] = sat[up + c + 1] + rowSum;
    }
  }
  const rr = config.peakNeighbourhoodFrames;
  const br = config.backgroundFrames;
  const bc = config.backgroundBins;
  const thinner = new BlockThinner(config.densityBlockFrames, peaksPerBlock, coreFirstFrame);
  for (let frame = coreFirstFrame; frame < coreEndFrame; frame++) {
    const row = frame - spec.firstFrame;
    if (row < 0 || row >= rows) continue;
    thinner.enterFrame(frame);
    const base = row * cols;
    const r0 = row - rr < 0 ? 0 : row - rr;
    const r1 = row + rr > rows - 1 ? rows - 1 : row + rr;
    const bgR0 = row - br < 0 ? 0 : row - br;
    const bgR1 = row + br > rows - 1 ? rows - 1 : row + br;
    for (let col = 1; col < cols - 1; col++) {
      const i = base + col;
      const v = data[i];
      if (v !== rowMax[i]) continue;
      if (data[i - 1] === v) continue;
      let isMax = true;
      for (let r = r0; r <= r1; r++) {
        if (rowMax[r * cols + col] > v) {
          isMax = false;
          break;
        }
      }
      if (!isMax) continue;
      const c0 = col - bc < 0 ? 0 : col - bc;
      const c1 = col + bc > cols - 1 ? cols - 1 : col + bc;
      const sum = sat[(bgR1 + 1) * satCols + c1 + 1] - sat[bgR0 * satCols + c1 + 1] - sat[(bgR1 + 1) * satCols + c0] + sat[bgR0 * satCols + c0];
      const prominence = v - sum / ((bgR1 - bgR0 + 1) * (c1 - c0 + 1));
      if (prominence < config.minProminenceDb) continue;
      thinner.add(interpolatedPeak(data, i, spec.firstBin, col, frame, prominence, config));
    }
  }
  return thinner.flush();
}

/** Reusable buffers for extractPeaksFast (one per stream). */
export interface PeakScratch {
  rowMax: Float32Array;
  sat: Float64Array;
}

export function createPeakScratch(): PeakScratch {
  return { rowMax: new Float32Array(0), sat: new Float64Array(0) };
}
