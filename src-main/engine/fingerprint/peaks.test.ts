import { describe, expect, it } from 'vitest';
import { FINGERPRINT_CONFIG, type FingerprintConfig } from './config.js';
import { localMean2d } from './localMean.js';
import { maxFilter2d } from './maxFilter.js';
import { binToPitch, extractPeaks } from './peaks.js';
import type { Spectrogram } from './spectrum.js';

const config: FingerprintConfig = {
  ...FINGERPRINT_CONFIG,
  peakNeighbourhoodFrames: 1,
  peakNeighbourhoodBins: 1,
  backgroundFrames: 2,
  backgroundBins: 2,
  minProminenceDb: 3,
  densityBlockFrames: 4,
};

function spec(rows: number[][]): Spectrogram {
  return { firstFrame: 0, frameCount: rows.length, firstBin: 100, binCount: rows[0].length, data: Float32Array.from(rows.flat()) };
}

function peaksOf(s: Spectrogram, perBlock: number) {
  const maxed = maxFilter2d(s.data, s.frameCount, s.binCount, config.peakNeighbourhoodFrames, config.peakNeighbourhoodBins);
  const bg = localMean2d(s.data, s.frameCount, s.binCount, config.backgroundFrames, config.backgroundBins);
  return extractPeaks(s, maxed, bg, config, perBlock, 0, s.frameCount);
}

describe('extractPeaks', () => {
  it('finds an isolated maximum, interpolates its bin, and ignores a flat field', () => {
    // One bump at frame 1, column 2, symmetric -> exactly bin 102.
    const rows = [
      [0, 0, 0, 0, 0],
      [0, 0, 20, 0, 0],
      [0, 0, 0, 0, 0],
    ];
    const peaks = peaksOf(spec(rows), 10);
    expect(peaks).toHaveLength(1);
    expect(peaks[0].frame).toBe(1);
    expect(peaks[0].pitch).toBeCloseTo(binToPitch(102, config), 6);
    expect(
      peaksOf(
        spec([
          [5, 5, 5, 5],
          [5, 5, 5, 5],
        ]),
        10,
      ),
    ).toHaveLength(0);
  });

  it('shifts the interpolated pitch toward the larger neighbour', () => {
    const rows = [
      [0, 0, 0, 0, 0],
      [0, 0, 20, 10, 0],
      [0, 0, 0, 0, 0],
    ];
    const [p] = peaksOf(spec(rows), 10);
    expect(p.pitch).toBeGreaterThan(binToPitch(102, config));
    expect(p.pitch).toBeLessThan(binToPitch(102.5, config));
  });

  it('keeps the most prominent peaks per block, sorted by frame then pitch', () => {
    // Block of 4 frames with three separated maxima of different heights; keep 2.
    const rows = [
      [0, 30, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 10, 0],
      [0, 0, 0, 20, 0, 0, 0],
    ];
    const peaks = peaksOf(spec(rows), 2);
    expect(peaks.map((p) => p.frame)).toEqual([0, 3]);
  });

  it('computes pitch in semitones above the reference', () => {
    // bin * sr / n = 200 Hz -> 12 semitones above 100 Hz
    expect(binToPitch((200 * config.fftSize) / config.sampleRateHz, config)).toBeCloseTo(12, 9);
  });
});

describe('extractPeaksFast', () => {
  it('finds exactly the peaks of the full-filter version on a real spectrogram', async () => {
    const { synthSong, addNoise } = await import('../testing/synthAudio.js');
    const { computeSpectrogram, createSpectrumScratch } = await import('./spectrum.js');
    const { extractPeaksFast } = await import('./peaks.js');
    const c = FINGERPRINT_CONFIG;
    const pcm = addNoise(synthSong(5, 12, c.sampleRateHz), 10, 3);
    const frames = Math.ceil(pcm.length / c.hopSizeSamples);
    const s = computeSpectrogram(pcm, 0, 0, frames, c, createSpectrumScratch(c));
    const maxed = maxFilter2d(s.data, frames, s.binCount, c.peakNeighbourhoodFrames, c.peakNeighbourhoodBins);
    const bg = localMean2d(s.data, frames, s.binCount, c.backgroundFrames, c.backgroundBins);
    const reference = extractPeaks(s, maxed, bg, c, c.queryPeaksPerBlock, 0, frames);
    const fast = extractPeaksFast(s, c, c.queryPeaksPerBlock, 0, frames);
    expect(reference.length).toBeGreaterThan(100);
    expect(fast.map((p) => [p.frame, p.pitch])).toEqual(reference.map((p) => [p.frame, p.pitch]));
    fast.forEach((p, i) => expect(p.prominenceDb).toBeCloseTo(reference[i].prominenceDb, 3));
  });
});

describe('extractPeaksFast on small and tied matrices', () => {
  it('finds exactly the reference peaks at the edges, on plateaus and with few rows, for the real and for tiny radii', async () => {
    const { extractPeaksFast } = await import('./peaks.js');
    // Values on a coarse grid make ties (plateaus, equal neighbours in other rows) common; shapes reach the clamped
    // edges of the neighbourhood box in both directions, including matrices smaller than the box.
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const configs = [
      FINGERPRINT_CONFIG,
      { ...FINGERPRINT_CONFIG, peakNeighbourhoodFrames: 2, peakNeighbourhoodBins: 3, backgroundFrames: 3, backgroundBins: 4, densityBlockFrames: 4 },
    ];
    let compared = 0;
    for (const c of configs) {
      for (const [rows, cols] of [
        [1, 3],
        [2, 5],
        [3, 8],
        [5, 14],
        [9, 20],
        [40, 30],
        [70, 61],
      ]) {
        for (let trial = 0; trial < 6; trial++) {
          const levels = trial % 2 === 0 ? 4 : 40;
          const grid = Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.floor(random() * levels) * 3));
          const s: Spectrogram = { firstFrame: 7, frameCount: rows, firstBin: 30, binCount: cols, data: Float32Array.from(grid.flat()) };
          const maxed = maxFilter2d(s.data, rows, cols, c.peakNeighbourhoodFrames, c.peakNeighbourhoodBins);
          const bg = localMean2d(s.data, rows, cols, c.backgroundFrames, c.backgroundBins);
          const reference = extractPeaks(s, maxed, bg, c, 1000, 7, 7 + rows);
          const fast = extractPeaksFast(s, c, 1000, 7, 7 + rows);
          expect(fast.map((p) => [p.frame, p.pitch])).toEqual(reference.map((p) => [p.frame, p.pitch]));
          fast.forEach((p, i) => expect(p.prominenceDb).toBeCloseTo(reference[i].prominenceDb, 3));
          compared += reference.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  });
});
