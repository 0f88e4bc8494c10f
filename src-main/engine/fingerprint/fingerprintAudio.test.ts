import { describe, expect, it } from 'vitest';
import { addNoise, bandLimit, cutClip, resampleLinear, synthSong } from '../testing/synthAudio.js';
import { FINGERPRINT_CONFIG as C } from './config.js';
import { extractSignalPeaks, PeakStream } from './fingerprintAudio.js';
import { makeTrackLandmarks } from './landmarks.js';
import { packPeaks, unpackPeaks } from './peakCodec.js';
import { searchPeaks } from './searchClip.js';

const SR = C.sampleRateHz;

describe('PeakStream', () => {
  it('gives the same peaks whatever the chunking and window size', () => {
    const pcm = synthSong(3, 40, SR);
    const whole = extractSignalPeaks(pcm, C, 'track');
    expect(whole.length).toBeGreaterThan(200);
    const stream = new PeakStream(C, 'track', { windowFrames: 64 });
    for (let i = 0; i < pcm.length; i += 7777) stream.push(pcm.subarray(i, i + 7777));
    const streamed = stream.finish();
    // Same peaks; prominence may differ by float rounding (the summed-area table starts at each window).
    expect(streamed.map((p) => [p.frame, p.pitch])).toEqual(whole.map((p) => [p.frame, p.pitch]));
    streamed.forEach((p, i) => expect(Math.abs(p.prominenceDb - whole[i].prominenceDb)).toBeLessThan(1e-6));
  });

  it('finds nothing in silence', () => {
    expect(extractSignalPeaks(new Float32Array(SR * 3), C, 'track')).toHaveLength(0);
  });

  it('round-trips peaks through the codec (frame exact, pitch to 0.01 semitone)', () => {
    const peaks = extractSignalPeaks(synthSong(4, 5, SR), C, 'track');
    const back = unpackPeaks(packPeaks(peaks));
    expect(back.map((p) => p.frame)).toEqual(peaks.map((p) => p.frame));
    back.forEach((p, i) => expect(Math.abs(p.pitch - peaks[i].pitch)).toBeLessThanOrEqual(0.005 + 1e-9));
  });
});

describe('golden: synthetic library -> noisy, band-limited, sped-up clips', () => {
  const songs = [1, 2, 3, 4, 5, 6].map((seed) => synthSong(seed, 60, SR));
  const index = new Map<number, number[]>();
  songs.forEach((pcm, i) => {
    const lm = makeTrackLandmarks(extractSignalPeaks(pcm, C, 'track'), C);
    for (let k = 0; k < lm.length; k += 2) {
      let list = index.get(lm[k]);
      if (!list) index.set(lm[k], (list = []));
      list.push(i + 1, lm[k + 1]);
    }
  });
  const lookup = (h: number) => Uint32Array.from(index.get(h) ?? []);
  const search = (clip: Float32Array) => searchPeaks(extractSignalPeaks(clip, C, 'query'), C, lookup);

  it('names the song and the offset of a clean 5 s clip', () => {
    const res = search(cutClip(songs[2], SR, 21.5, 5));
    expect(res.matches[0]?.trackNum).toBe(3);
    expect(res.matches[0].offsetFrames * (C.hopSizeSamples / SR)).toBeCloseTo(21.5, 1);
  });

  it('survives white noise at 5 dB SNR plus a phone band-pass', () => {
    const clip = bandLimit(addNoise(cutClip(songs[4], SR, 30, 8), 5, 99), SR, 300, 3400);
    expect(search(clip).matches[0]?.trackNum).toBe(5);
  });

  it('survives a 4% turntable speed-up and reports the speed', () => {
    const clip = resampleLinear(cutClip(songs[0], SR, 10, 10.5), 1.04).subarray(0, SR * 10);
    const res = search(clip);
    expect(res.matches[0]?.trackNum).toBe(1);
    expect(res.matches[0].timeFactor).toBeCloseTo(1.04, 2);
    expect(res.matches[0].offsetFrames * (C.hopSizeSamples / SR)).toBeCloseTo(10, 0);
  });

  it('returns nothing for music that is not in the library', () => {
    // Melodic clips only: every synthetic song shares one noise-burst drum on a strict beat grid, and that very
    // sample at a tempo within the +-6 % hypotheses does align (as shared samples do in real tracker music).
    for (const seed of [101, 102, 103, 104, 105, 106]) {
      expect(search(synthSong(seed, 8, SR, { percussion: false })).matches).toHaveLength(0);
    }
  });
});
