import { describe, expect, it } from 'vitest';
import { addNoise, bandLimit, cutClip, resampleLinear, synthSong } from '../testing/synthAudio.js';
import { checkAudio, quantile, silenceMask, strongTrackPeaks } from './audioCheck.js';
import { DEFAULT_AUDIO_CHECK, isJudged } from './decisionRule.js';
import { FINGERPRINT_CONFIG as C, frameSeconds } from './config.js';
import { computeSpectrogram, createSpectrumScratch, type Spectrogram } from './spectrum.js';

const RATE = C.sampleRateHz;
const IDENTITY = { timeFactor: 1, pitchFactor: 1 };

function spectrogramOf(pcm: Float32Array): Spectrogram {
  const frames = Math.floor((pcm.length - C.fftSize) / C.hopSizeSamples) + 1;
  return computeSpectrogram(pcm, 0, 0, frames, C, createSpectrumScratch(C));
}

function mix(a: Float32Array, b: Float32Array, gainB = 1): Float32Array {
  const out = new Float32Array(Math.min(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = a[i] + gainB * b[i];
  return out;
}

/** A 2-layer track (two songs played together) and its spectrogram from `segmentStart` for 9 s, as the caller decodes it. */
const layerA = synthSong(11, 30, RATE, { percussion: false });
const layerB = synthSong(12, 30, RATE, { percussion: false });
const other = synthSong(13, 30, RATE, { percussion: false });
const track = mix(layerA, layerB);
const segmentStart = 9; // s: the caller decodes from 1 s before the candidate's offset of 10 s
const trackSpectrogram = spectrogramOf(cutClip(track, RATE, segmentStart, 9));
const clipStartRow = 1 / frameSeconds(C);

describe('quantile', () => {
  it('is the nearest-rank quantile of a copy', () => {
    const values = [5, 1, 4, 2, 3];
    expect(quantile(values, 0)).toBe(1);
    expect(quantile(values, 0.25)).toBe(2);
    expect(quantile(values, 0.5)).toBe(3);
    expect(quantile(values, 1)).toBe(5);
    expect(values).toEqual([5, 1, 4, 2, 3]);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('strongTrackPeaks', () => {
  it('keeps local maxima above the band quantile, inside the band, loudest first', () => {
    // A hand-made spectrogram: flat -60 dB with three bumps, one outside the 300..3000 Hz band (bin 20 = 156 Hz).
    const firstBin = 10;
    const binCount = 400;
    const frameCount = 40;
    const data = new Float32Array(frameCount * binCount).fill(-60);
    const put = (row: number, bin: number, db: number): void => void (data[row * binCount + bin - firstBin] = db);
    put(10, 100, -10);
    put(11, 101, -20); // inside the first bump's neighbourhood: not a peak
    put(30, 200, -5);
    put(20, 20, 0); // below 300 Hz
    const peaks = strongTrackPeaks({ firstFrame: 0, frameCount, firstBin, binCount, data }, C, DEFAULT_AUDIO_CHECK);
    expect(peaks.map((p) => [p.row, p.bin, p.db])).toEqual([
      [30, 200, -5],
      [10, 100, -10],
    ]);
    // Bands are a third of an octave from 300 Hz: bin 100 = 781 Hz is 1.38 octaves up, bin 200 one octave higher.
    expect(peaks[1].band).toBe(4);
    expect(peaks[0].band).toBe(7);
  });
});

describe('checkAudio', () => {
  const excerpt = cutClip(track, RATE, 10, 6);

  it('finds nothing missing in the track itself, nor under loud noise, nor through a phone band', () => {
    for (const clip of [excerpt, addNoise(excerpt, 0, 1), bandLimit(addNoise(excerpt, 5, 2), RATE, 350, 3000)]) {
      const check = checkAudio(spectrogramOf(clip), trackSpectrogram, clipStartRow, IDENTITY, C);
      expect(isJudged(check)).toBe(true);
      expect(check.shortfall).toBeLessThan(0.04);
    }
  });

  it('finds a tenth or more of the track missing from music that shares one of its two layers', () => {
    const remix = mix(cutClip(layerA, RATE, 10, 6), cutClip(other, RATE, 10, 6));
    const check = checkAudio(spectrogramOf(remix), trackSpectrogram, clipStartRow, IDENTITY, C);
    expect(isJudged(check)).toBe(true);
    expect(check.shortfall).toBeGreaterThan(0.15);
  });

  it('finds the track missing from unrelated music, and from the track at the wrong offset', () => {
    // The shortfall is measured below each band's lower quartile, so it cannot exceed 0.25; unrelated music nears that.
    const unrelated = checkAudio(spectrogramOf(cutClip(other, RATE, 10, 6)), trackSpectrogram, clipStartRow, IDENTITY, C);
    expect(unrelated.shortfall).toBeGreaterThan(0.12);
    expect(unrelated.shortfall).toBeLessThanOrEqual(DEFAULT_AUDIO_CHECK.gainQuantile);
    const late = checkAudio(spectrogramOf(cutClip(track, RATE, 10.5, 6)), trackSpectrogram, clipStartRow, IDENTITY, C);
    expect(late.shortfall).toBeGreaterThan(0.12);
  });

  it('absorbs a seek error of a frame or two', () => {
    const check = checkAudio(spectrogramOf(excerpt), trackSpectrogram, clipStartRow + 2, IDENTITY, C);
    expect(check.shortfall).toBeLessThan(0.04);
    expect(check.shiftFrames).toBe(-2);
  });

  it('follows a 3 % faster, higher clip under that hypothesis', () => {
    const faster = resampleLinear(excerpt, 1.03);
    const right = checkAudio(spectrogramOf(faster), trackSpectrogram, clipStartRow, { timeFactor: 1.03, pitchFactor: 1.03 }, C);
    const wrong = checkAudio(spectrogramOf(faster), trackSpectrogram, clipStartRow, IDENTITY, C);
    expect(right.shortfall).toBeLessThan(0.05);
    expect(wrong.shortfall).toBeGreaterThan(0.12);
  });

  it('sees the clip follow the track under noise, and not follow it when the clip is noise alone or other music', () => {
    const noisy = checkAudio(spectrogramOf(addNoise(excerpt, 0, 3)), trackSpectrogram, clipStartRow, IDENTITY, C);
    expect(noisy.contrast).toBeGreaterThan(0.15);
    // White noise hides every peak (little falls short) but does not rise and fall with the track.
    const noiseOnly = addNoise(new Float32Array(excerpt.length), 0, 4).map((v, i) => v + 1e-3 * Math.sin(i));
    const hidden = checkAudio(spectrogramOf(noiseOnly), trackSpectrogram, clipStartRow, IDENTITY, C);
    expect(hidden.shortfall).toBeLessThan(0.06);
    expect(Math.abs(hidden.contrast)).toBeLessThan(0.05);
    const unrelated = checkAudio(spectrogramOf(cutClip(other, RATE, 10, 6)), trackSpectrogram, clipStartRow, IDENTITY, C);
    expect(Math.abs(unrelated.contrast)).toBeLessThan(0.1);
  });

  it('leaves a dropout (digital silence inside the clip) out of the check instead of counting the track missing there', () => {
    const dropped = addNoise(excerpt, 15, 5);
    const from = Math.round(2.5 * RATE);
    dropped.fill(0, from, from + Math.round(0.8 * RATE));
    const spec = spectrogramOf(dropped);
    const mask = silenceMask(spec, C);
    // Masked: the frames whose window touches the silent stretch, and nothing far from it.
    const hop = C.hopSizeSamples;
    expect(mask[Math.round((from + 0.4 * RATE) / hop)]).toBe(1);
    expect(mask[Math.floor((from - C.fftSize) / hop) - 1]).toBe(0);
    expect(mask[Math.ceil((from + 0.8 * RATE) / hop) + 1]).toBe(0);
    const check = checkAudio(spec, trackSpectrogram, clipStartRow, IDENTITY, C);
    expect(isJudged(check)).toBe(true);
    expect(check.shortfall).toBeLessThan(0.04);
    expect(check.contrast).toBeGreaterThan(0.3);
    // The same dropout in unrelated music still leaves the track missing everywhere else.
    const other6 = cutClip(other, RATE, 10, 6);
    other6.fill(0, from, from + Math.round(0.8 * RATE));
    expect(checkAudio(spectrogramOf(other6), trackSpectrogram, clipStartRow, IDENTITY, C).shortfall).toBeGreaterThan(0.12);
  });

  it('gives no verdict when the clip and the track barely overlap', () => {
    const check = checkAudio(spectrogramOf(excerpt), trackSpectrogram, trackSpectrogram.frameCount - 5, IDENTITY, C);
    expect(isJudged(check)).toBe(false);
  });
});
