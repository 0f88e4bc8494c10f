import { describe, expect, it } from 'vitest';
import { FINGERPRINT_CONFIG } from './config.js';
import { deltaIndexOf, forEachPair, makeQueryKeys, makeTrackLandmarks, packHash, pitchIndexOf, unpackHash } from './landmarks.js';
import type { Peak } from './peaks.js';

const C = FINGERPRINT_CONFIG;
const peak = (frame: number, pitch: number): Peak => ({ frame, pitch, prominenceDb: 10 });

describe('landmark hashes', () => {
  it('packs and unpacks the three fields', () => {
    const h = packHash(200, 130, 17);
    expect(unpackHash(h)).toEqual({ pitchIndex: 200, deltaIndex: 130, frameDelta: 17 });
    expect(h).toBeLessThan(2 ** 22);
  });

  it('pairs each anchor with its first fan-out peaks inside the target zone', () => {
    const peaks = [peak(0, 20), peak(1, 30), peak(5, 25), peak(10, 40), peak(100, 22)];
    const pairs: [number, number][] = [];
    forEachPair(peaks, C, 2, 1, (i, j) => pairs.push([i, j]));
    // (0,1): dt 1 < pairMinFrames; (0,3): |40-20| = 20 > 18 semitones; (x,4): dt > 63 frames.
    expect(pairs).toEqual([[0, 2], [1, 2], [1, 3], [2, 3]]);
  });

  it('hashes track landmarks with the anchor frame', () => {
    const peaks = [peak(10, 24.3), peak(14, 26.1)];
    const lm = makeTrackLandmarks(peaks, C);
    expect(Array.from(lm)).toEqual([packHash(pitchIndexOf(24.3, C), deltaIndexOf(1.8, C), 4), 10]);
  });

  it('query keys include the track hash even when the clip is pitch-shifted and sped up, under the right hypothesis', () => {
    const track = [peak(100, 24.3), peak(120, 27.9)];
    const [trackHash] = makeTrackLandmarks(track, C);
    // The clip plays 4% faster (turntable): frames shrink by 1.04, pitches rise by 12*log2(1.04).
    const shift = 12 * Math.log2(1.04);
    const clip = track.map((p) => peak(p.frame / 1.04, p.pitch + shift));
    const wrong = makeQueryKeys(clip, C, { timeFactor: 1, pitchFactor: 1 }, { pitchSemitones: 0.15, deltaSemitones: 0.15, frames: 1 });
    expect(Array.from(wrong.hashes)).not.toContain(trackHash);
    const right = makeQueryKeys(clip, C, { timeFactor: 1.04, pitchFactor: 1.04 }, { pitchSemitones: 0.15, deltaSemitones: 0.15, frames: 1 });
    expect(Array.from(right.hashes)).toContain(trackHash);
    // Every key of one landmark carries the same (scaled) anchor frame and landmark id.
    expect(new Set(right.landmarkIds).size).toBe(1);
    expect(right.frames[0]).toBeCloseTo(100, 6);
  });

  it('a tolerance of zero gives exactly one key per landmark for integer inputs', () => {
    const peaks = [peak(0, 20.2), peak(8, 21.2), peak(16, 22.2)];
    const keys = makeQueryKeys(peaks, { ...C, queryFanOut: 1 }, { timeFactor: 1, pitchFactor: 1 }, { pitchSemitones: 0, deltaSemitones: 0, frames: 0 });
    expect(keys.landmarkCount).toBe(2);
    expect(keys.count).toBe(2);
  });
});
