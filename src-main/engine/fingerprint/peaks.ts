// Stage 3: spectrogram -> spectral peaks ("event points"): local maxima that stand above their local mean,
// thinned to the most prominent few per block of frames. Pure.
import type { FingerprintConfig } from './config.js';
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
 * The same peaks as `extractPeaks(spec, maxFilter2d(...), localMean2d(...), ...)`, several times cheaper: no filtered
 * matrix is built. A cell is a peak when nothing in its (clamped) neighbourhood box is larger and its left neighbour
 * is not equal (plateaus keep their first column). Each row's cells go through sieves of growing cost: its two row
 * neighbours, the rest of its row segment, the nearest cells of the two rows either side, and at last the whole box.
 * The first sieves are written without branches (survivors are appended with `n += test`), because on music a
 * cell-by-cell `if` is a coin toss the CPU mispredicts half the time. The background mean comes from a summed-area
 * table, read at the peaks only. Tested against the full-filter version.
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
  const rr = config.peakNeighbourhoodFrames;
  const rc = config.peakNeighbourhoodBins;
  const br = config.backgroundFrames;
  const bc = config.backgroundBins;
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
  // One row at a time, padded with -Infinity so the row sieves need no edge tests (the box is clamped to the matrix).
  if (scratch.row.length < cols + 2 * rc) scratch.row = new Float32Array(cols + 2 * rc);
  if (scratch.cand.length < cols) scratch.cand = new Int32Array(cols);
  const row = scratch.row.fill(-Infinity);
  const cand = scratch.cand;
  const thinner = new BlockThinner(config.densityBlockFrames, peaksPerBlock, coreFirstFrame);
  for (let frame = coreFirstFrame; frame < coreEndFrame; frame++) {
    const r = frame - spec.firstFrame;
    if (r < 0 || r >= rows) continue;
    thinner.enterFrame(frame);
    const base = r * cols;
    row.set(data.subarray(base, base + cols), rc);
    // Sieve 1: the left neighbour smaller, the right one not larger (columns 1 .. cols-2, as in extractPeaks).
    let n = 0;
    for (let col = 1; col < cols - 1; col++) {
      const k = col + rc;
      const v = row[k];
      cand[n] = col;
      n += +(row[k - 1] < v) & +(row[k + 1] <= v);
    }
    // Sieve 2: the rest of the row segment, +-rc.
    let m = 0;
    for (let t = 0; t < n; t++) {
      const col = cand[t];
      const k = col + rc;
      const v = row[k];
      let ok = 1;
      for (let d = 2; d <= rc; d++) ok &= +(row[k - d] <= v) & +(row[k + d] <= v);
      cand[m] = col;
      m += ok;
    }
    // Sieve 3: columns col-1..col+1 of the rows +-1 and +-2 (clamped), where a larger neighbour most often is.
    const up1 = r >= 1 ? -cols : 0;
    const dn1 = r + 1 < rows ? cols : 0;
    const up2 = r >= 2 ? -2 * cols : up1;
    const dn2 = r + 2 < rows ? 2 * cols : dn1;
    n = 0;
    for (let t = 0; t < m; t++) {
      const col = cand[t];
      const i = base + col;
      const v = data[i];
      const l = i - 1; // col >= 1 and col <= cols - 2, so both side columns exist
      const h = i + 1;
      cand[n] = col;
      n +=
        +(data[i + up1] <= v) &
        +(data[i + dn1] <= v) &
        +(data[l + up1] <= v) &
        +(data[l + dn1] <= v) &
        +(data[h + up1] <= v) &
        +(data[h + dn1] <= v) &
        +(data[i + up2] <= v) &
        +(data[i + dn2] <= v) &
        +(data[l + up2] <= v) &
        +(data[l + dn2] <= v) &
        +(data[h + up2] <= v) &
        +(data[h + dn2] <= v);
    }
    // Sieve 4: the whole box, nearest rows first, stopping at the first larger cell.
    const bgR0 = r - br < 0 ? 0 : r - br;
    const bgR1 = r + br > rows - 1 ? rows - 1 : r + br;
    candidates: for (let t = 0; t < n; t++) {
      const col = cand[t];
      const i = base + col;
      const v = data[i];
      const c0 = col - rc < 0 ? 0 : col - rc;
      const c1 = col + rc > cols - 1 ? cols - 1 : col + rc;
      for (let d = 1; d <= rr; d++) {
        if (r >= d) {
          const b = base - d * cols;
          for (let j = b + c0; j <= b + c1; j++) if (data[j] > v) continue candidates;
        }
        if (r + d < rows) {
          const b = base + d * cols;
          for (let j = b + c0; j <= b + c1; j++) if (data[j] > v) continue candidates;
        }
      }
      const b0 = col - bc < 0 ? 0 : col - bc;
      const b1 = col + bc > cols - 1 ? cols - 1 : col + bc;
      const sum = sat[(bgR1 + 1) * satCols + b1 + 1] - sat[bgR0 * satCols + b1 + 1] - sat[(bgR1 + 1) * satCols + b0] + sat[bgR0 * satCols + b0];
      const prominence = v - sum / ((bgR1 - bgR0 + 1) * (b1 - b0 + 1));
      if (prominence < config.minProminenceDb) continue;
      thinner.add(interpolatedPeak(data, i, spec.firstBin, col, frame, prominence, config));
    }
  }
  return thinner.flush();
}

/** Reusable buffers for extractPeaksFast (one per stream). */
export interface PeakScratch {
  sat: Float64Array;
  /** One spectrogram row with -Infinity on both sides. */
  row: Float32Array;
  /** Column indices surviving each sieve. */
  cand: Int32Array;
}

export function createPeakScratch(): PeakScratch {
  return { sat: new Float64Array(0), row: new Float32Array(0), cand: new Int32Array(0) };
}
