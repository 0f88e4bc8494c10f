import { describe, expect, it } from 'vitest';
import { FINGERPRINT_CONFIG } from './config.js';
import { binIndexOf, deltaIndexOf, forEachPair, makeQueryKeys, makeTrackLandmarks, packHash, pitchToBin, unpackHash } from './landmarks.js';
import type { Peak } from './peaks.js';

const C = FINGERPRINT_CONFIG;
const L = C.hashLayout;
/** A peak at a given FFT bin (converted to the semitone pitch peaks carry). */
const peakAtBin = (frame: number, bin: number): Peak => ({
  frame,
  pitch: 12 * Math.log2((bin * C.sampleRateHz) / C.fftSize / C.pitchReferenceHz),
  prominenceDb: 10,
});
const binsOf = (peaks: Peak[]) => Float64Array.from(peaks.map((p) => pitchToBin(p.pitch, C)));

describe('landmark hashes', () => {
  it('packs the three fields, high bits first, into 8 + 7 + 6 = 21 bits (worked by hand)', () => {
    expect(L).toEqual({ binBits: 8, deltaBits: 7, frameDeltaBits: 6 });
    expect(packHash(L, 0, 0, 0)).toBe(0);
    // Each field's lowest bit: frame delta at bit 0, delta at bit 6, anchor bin at bit 13.
    expect(packHash(L, 0, 0, 1)).toBe(1);
    expect(packHash(L, 0, 1, 0)).toBe(64);
    expect(packHash(L, 1, 0, 0)).toBe(8192);
    // Each field full, alone: 63; 127 * 64 = 8128; 255 * 8192 = 2088960. All three: 2^21 - 1.
    expect(packHash(L, 0, 0, 63)).toBe(63);
    expect(packHash(L, 0, 127, 0)).toBe(8128);
    expect(packHash(L, 255, 0, 0)).toBe(2088960);
    expect(packHash(L, 255, 127, 63)).toBe(2 ** 21 - 1);
    // 200 * 8192 + 100 * 64 + 17 = 1638400 + 6400 + 17.
    expect(packHash(L, 200, 100, 17)).toBe(1644817);
  });

  it('unpacks every field at its edges back to what was packed', () => {
    for (const binIndex of [0, 1, 254, 255]) {
      for (const deltaIndex of [0, 1, 64, 126, 127]) {
        for (const frameDelta of [0, 1, C.pairMinFrames, 62, C.pairMaxFrames]) {
          expect(unpackHash(L, packHash(L, binIndex, deltaIndex, frameDelta))).toEqual({ binIndex, deltaIndex, frameDelta });
        }
      }
    }
  });

  it('quantises frequencies into the fields at the edges of the target zone', () => {
    // Differences of -pairMaxBins..+pairMaxBins (64 bins, in 2-bin cells) centred on 64: 32..96, inside 0..127.
    expect(deltaIndexOf(-C.pairMaxBins, C)).toBe(32);
    expect(deltaIndexOf(C.pairMaxBins, C)).toBe(96);
    expect(deltaIndexOf(0, C)).toBe(64);
    expect(deltaIndexOf(-0.1, C)).toBe(63);
    // The top of the spectrum, 3800 Hz = bin 486.4 (7.8125 Hz bins), is cell 243 of 0..255.
    expect(binIndexOf((3800 * C.fftSize) / C.sampleRateHz, C)).toBe(243);
  });

  it('converts semitone pitch back to the FFT bin', () => {
    expect(pitchToBin(peakAtBin(0, 123.4).pitch, C)).toBeCloseTo(123.4, 9);
  });

  it('pairs each anchor with its first fan-out peaks inside the target zone', () => {
    const peaks = [peakAtBin(0, 100), peakAtBin(1, 120), peakAtBin(5, 110), peakAtBin(10, 170), peakAtBin(100, 105)];
    const pairs: [number, number][] = [];
    forEachPair(peaks, binsOf(peaks), C, 2, 1, (i, j) => pairs.push([i, j]));
    // (0,1): dt 1 < pairMinFrames; (0,3): 70 bins apart > 64; (x,4): dt > 63 frames.
    expect(pairs).toEqual([
      [0, 2],
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
  });

  it('hashes track landmarks (bin/2, delta/2, dt) with the anchor frame', () => {
    const lm = makeTrackLandmarks([peakAtBin(10, 101.3), peakAtBin(14, 96.9)], C);
    expect(binIndexOf(101.3, C)).toBe(50);
    expect(deltaIndexOf(-4.4, C)).toBe(64 - 3);
    expect(Array.from(lm)).toEqual([packHash(L, 50, 61, 4), 10]);
  });

  it('finds the track hash of a pitch-shifted, sped-up clip only under the right hypothesis', () => {
    const track = [peakAtBin(100, 201), peakAtBin(120, 233)];
    const [trackHash] = makeTrackLandmarks(track, C);
    // The clip plays 4% faster (turntable): frames shrink by 1.04, frequencies rise by 4%.
    const clip = track.map((p) => ({ ...p, frame: p.frame / 1.04, pitch: p.pitch + 12 * Math.log2(1.04) }));
    const tol = { bins: 0.3, relative: 0.005, frames: 0 };
    expect(Array.from(makeQueryKeys(clip, C, { timeFactor: 1, pitchFactor: 1 }, tol).hashes)).not.toContain(trackHash);
    const right = makeQueryKeys(clip, C, { timeFactor: 1.04, pitchFactor: 1.04 }, tol);
    expect(Array.from(right.hashes)).toContain(trackHash);
    expect(new Set(right.landmarkIds).size).toBe(1);
    expect(right.frames[0]).toBeCloseTo(100, 6);
    // Off by half a grid step (1.035 instead of 1.04) still hits, thanks to the relative tolerance.
    expect(Array.from(makeQueryKeys(clip, C, { timeFactor: 1.035, pitchFactor: 1.035 }, tol).hashes)).toContain(trackHash);
  });

  it('gives one key per landmark away from cell edges with zero tolerance', () => {
    const peaks = [peakAtBin(0, 101), peakAtBin(8, 111), peakAtBin(16, 121)];
    const keys = makeQueryKeys(peaks, { ...C, queryFanOut: 1 }, { timeFactor: 1, pitchFactor: 1 }, { bins: 0, relative: 0, frames: 0 });
    expect(keys.landmarkCount).toBe(2);
    expect(keys.count).toBe(2);
  });
});
