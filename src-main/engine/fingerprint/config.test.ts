import { describe, expect, it } from 'vitest';
import { checkFingerprintConfig, FINGERPRINT_CONFIG as C, FingerprintConfigError, makeFingerprintConfig, type FingerprintConfig } from './config.js';
import { makeTrackLandmarks, unpackHash } from './landmarks.js';
import type { Peak } from './peaks.js';

/** The error makeFingerprintConfig throws for these values, or undefined when it accepts them. */
function refusal(values: Partial<FingerprintConfig>): FingerprintConfigError | undefined {
  try {
    makeFingerprintConfig({ ...C, ...values });
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(FingerprintConfigError);
    return err as FingerprintConfigError;
  }
}

describe('the fingerprint config and its hash layout', () => {
  it('accepts the shipped config, frozen, hash layout included', () => {
    expect(() => checkFingerprintConfig(C)).not.toThrow();
    expect(Object.isFrozen(C)).toBe(true);
    expect(Object.isFrozen(C.hashLayout)).toBe(true);
    expect(C.version).toBe(3);
  });

  it('refuses a frame difference past its field: pairMaxFrames 64 in 6 bits would spill into the next field', () => {
    expect(refusal({ pairMaxFrames: 64 })?.field).toBe('pairMaxFrames');
    expect(refusal({ pairMaxFrames: 63 })).toBeUndefined();
    // With a wider field, the same value fits.
    expect(refusal({ pairMaxFrames: 64, hashLayout: { ...C.hashLayout, frameDeltaBits: 7 } })).toBeUndefined();
    expect(refusal({ pairMinFrames: -1 })?.field).toBe('pairMinFrames');
  });

  it('refuses anchor frequencies past the bin field and frequency differences past the delta field', () => {
    // 1-bin cells: the top of the band (3800 Hz, bin 487) needs 9 bits.
    expect(refusal({ binQuantum: 1 })?.field).toBe('maxFrequencyHz');
    expect(refusal({ binQuantum: 1, hashLayout: { ...C.hashLayout, binBits: 9 }, pairMaxBins: 63 })).toBeUndefined();
    // +-130 bins in 2-bin cells around 64: -1..129, outside 0..127.
    expect(refusal({ pairMaxBins: 130 })?.field).toBe('pairMaxBins');
    expect(refusal({ pairMaxBins: 127 })).toBeUndefined();
  });

  it('refuses layouts that are not whole bits or do not fit 32 bits', () => {
    expect(refusal({ hashLayout: { binBits: 8, deltaBits: 0, frameDeltaBits: 6 } })?.field).toBe('hashLayout.deltaBits');
    expect(refusal({ hashLayout: { binBits: 8.5, deltaBits: 7, frameDeltaBits: 6 } })?.field).toBe('hashLayout.binBits');
    expect(refusal({ hashLayout: { binBits: 20, deltaBits: 7, frameDeltaBits: 6 } })?.message).toMatch(/33 bits/);
  });

  it('makes hashes that decode to the pair they were made from, at the edges of the target zone', () => {
    // Pairs at the nearest and farthest frame differences and the widest frequency differences.
    const peakAt = (frame: number, bin: number): Peak => ({
      frame,
      pitch: 12 * Math.log2((bin * C.sampleRateHz) / C.fftSize / C.pitchReferenceHz),
      prominenceDb: 10,
    });
    const cases: [Peak, Peak, { binIndex: number; deltaIndex: number; frameDelta: number }][] = [
      [peakAt(0, 100.5), peakAt(C.pairMinFrames, 100.5), { binIndex: 50, deltaIndex: 64, frameDelta: C.pairMinFrames }],
      [peakAt(0, 100.5), peakAt(C.pairMaxFrames, 100.5), { binIndex: 50, deltaIndex: 64, frameDelta: 63 }],
      [peakAt(0, 400.5), peakAt(10, 400.5 - 63.9), { binIndex: 200, deltaIndex: 32, frameDelta: 10 }],
      [peakAt(0, 20.5), peakAt(10, 20.5 + 63.9), { binIndex: 10, deltaIndex: 95, frameDelta: 10 }],
    ];
    for (const [a, b, fields] of cases) {
      const lm = makeTrackLandmarks([a, b], C);
      expect(lm.length).toBe(2);
      expect(unpackHash(C.hashLayout, lm[0])).toEqual(fields);
    }
  });
});
