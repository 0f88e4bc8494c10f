// Tests for the synthetic-audio helpers: determinism and distinctness of synthSong, WAV round trips through ffmpeg,
// encoding, and the degradations (noise at a measured SNR, cutting, speed change, band-pass).
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../audio/decodeAudio.js';
import { addNoise, bandLimit, createRng, cutClip, encodeAudio, encodeWav, resampleLinear, synthSong, writeSongFile, writeWav } from './synthAudio.js';

let dir = '';
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'synth-audio-'));
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

function sine(hz: number, seconds: number, sampleRateHz: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRateHz));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRateHz);
  return out;
}

function power(pcm: Float32Array, from = 0, to = pcm.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += pcm[i] * pcm[i];
  return sum / Math.max(1, to - from);
}

function zeroCrossingHz(pcm: Float32Array, sampleRateHz: number): number {
  let crossings = 0;
  for (let i = 1; i < pcm.length; i++) if (pcm[i - 1] < 0 && pcm[i] >= 0) crossings++;
  return crossings / (pcm.length / sampleRateHz);
}

/** Bit-for-bit equality (vitest's toEqual walks large typed arrays slowly). */
function sameSamples(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function correlation(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

describe('createRng', () => {
  it('is deterministic and uniform-ish in [0, 1)', () => {
    const a = createRng(42);
    const b = createRng(42);
    const values = Array.from({ length: 10_000 }, () => a());
    expect(values.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((s, v) => s + v, 0) / values.length).toBeCloseTo(0.5, 1);
  });
});

describe('synthSong', () => {
  const rate = 22050;

  it('is identical for the same seed and different across seeds', () => {
    const a = synthSong(1, 10);
    const again = synthSong(1, 10);
    const b = synthSong(2, 10);
    expect(sameSamples(again, a)).toBe(true);
    expect(sameSamples(b, a)).toBe(false);
    expect(Math.abs(correlation(a, b))).toBeLessThan(0.2);
  });

  it('has the requested length, no NaN, and a peak of 0.8', () => {
    for (const seed of [1, 2, 3, 99, 123456]) {
      const pcm = synthSong(seed, 7.5, 16000);
      expect(pcm.length).toBe(7.5 * 16000);
      let peak = 0;
      let nonFiniteCount = 0;
      for (const v of pcm) {
        if (!Number.isFinite(v)) nonFiniteCount++;
        peak = Math.max(peak, Math.abs(v));
      }
      expect(nonFiniteCount).toBe(0);
      expect(peak).toBeCloseTo(0.8, 5);
    }
    expect(synthSong(1, 0)).toHaveLength(0);
  });

  it('keeps most of its energy in the musical band and is never silent for long', () => {
    const pcm = synthSong(5, 20, rate);
    const inBand = bandLimit(pcm, rate, 120, 3000);
    expect(power(inBand) / power(pcm)).toBeGreaterThan(0.5);
    const windowSamples = Math.round(0.5 * rate);
    for (let from = 0; from + windowSamples <= pcm.length; from += windowSamples) {
      expect(power(pcm, from, from + windowSamples)).toBeGreaterThan(1e-4);
    }
  });
});

describe('WAV and encoding', () => {
  it('writes 16-bit and 32-bit float WAVs that ffmpeg reads back', async () => {
    const pcm = synthSong(3, 2, 8000);
    await writeWav(path.join(dir, 's16.wav'), pcm, 8000, 16);
    await writeWav(path.join(dir, 'f32.wav'), pcm, 8000, 32);
    const back16 = await decodeAudio(path.join(dir, 's16.wav'), { sampleRateHz: 8000 });
    const back32 = await decodeAudio(path.join(dir, 'f32.wav'), { sampleRateHz: 8000 });
    expect(sameSamples(back32, pcm)).toBe(true);
    expect(back16.length).toBe(pcm.length);
    let maxError = 0;
    for (let i = 0; i < pcm.length; i++) maxError = Math.max(maxError, Math.abs(back16[i] - pcm[i]));
    expect(maxError).toBeLessThan(1e-4);
  });

  it('encodeWav writes the canonical 44-byte PCM header', () => {
    const bytes = encodeWav(new Float32Array([0, 1, -1]), 16000);
    const view = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('RIFF');
    expect(bytes.length).toBe(44 + 6);
    expect(view.getUint32(24, true)).toBe(16000);
    expect(view.getInt16(46, true)).toBe(32767);
    expect(view.getInt16(48, true)).toBe(-32768);
  });

  it('encodes every supported format and refuses others', async () => {
    const wavPath = path.join(dir, 'src.wav');
    await writeWav(wavPath, synthSong(4, 3), 22050);
    for (const ext of ['mp3', 'flac', 'ogg', 'opus', 'm4a']) {
      const out = path.join(dir, `enc.${ext}`);
      await encodeAudio(wavPath, out, { tags: { title: `t-${ext}` } });
      const decoded = await decodeAudio(out, { sampleRateHz: 8000 });
      expect(Math.abs(decoded.length - 3 * 8000)).toBeLessThan(3 * 8000 * 0.02);
    }
    await expect(encodeAudio(wavPath, path.join(dir, 'x.ape'))).rejects.toThrow(/cannot encode/);
  });

  it('writeSongFile writes a decodable file that sounds like the synthesised song', async () => {
    const out = path.join(dir, 'song.flac');
    const pcm = await writeSongFile(out, 8, 4, { title: 'Eight' }, { sampleRateHz: 8000 });
    const decoded = await decodeAudio(out, { sampleRateHz: 8000 });
    expect(decoded.length).toBe(pcm.length);
    expect(correlation(decoded, pcm)).toBeGreaterThan(0.999);
    const plain = path.join(dir, 'plain.wav');
    await writeSongFile(plain, 8, 1);
    expect((await fsp.stat(plain)).size).toBe(44 + 2 * 22050);
  });
});

describe('degradations', () => {
  const rate = 16000;

  it('addNoise hits the requested SNR and is deterministic per seed', () => {
    const clean = synthSong(9, 5, rate);
    for (const snrDb of [0, 10, 20]) {
      const noisy = addNoise(clean, snrDb, 1);
      const noise = noisy.map((v, i) => v - clean[i]);
      expect(10 * Math.log10(power(clean) / power(noise))).toBeCloseTo(snrDb, 0);
    }
    expect(sameSamples(addNoise(clean, 10, 1), addNoise(clean, 10, 1))).toBe(true);
    expect(sameSamples(addNoise(clean, 10, 2), addNoise(clean, 10, 1))).toBe(false);
  });

  it('cutClip copies the asked span and clamps at the ends', () => {
    const pcm = Float32Array.from({ length: 100 }, (_, i) => i);
    expect(Array.from(cutClip(pcm, 10, 2, 1))).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    expect(cutClip(pcm, 10, 9.5, 5)).toHaveLength(5);
    expect(cutClip(pcm, 10, 20, 5)).toHaveLength(0);
    const clip = cutClip(pcm, 10, 0, 1);
    clip[0] = -1;
    expect(pcm[0]).toBe(0);
  });

  it('resampleLinear plays factor times faster', () => {
    const pcm = sine(1000, 2, rate);
    const faster = resampleLinear(pcm, 1.1);
    expect(Math.abs(faster.length - pcm.length / 1.1)).toBeLessThanOrEqual(1);
    expect(zeroCrossingHz(faster, rate)).toBeCloseTo(1100, -1);
    const slower = resampleLinear(pcm, 0.9);
    expect(zeroCrossingHz(slower, rate)).toBeCloseTo(900, -1);
    expect(sameSamples(resampleLinear(pcm, 1), pcm)).toBe(true);
    expect(() => resampleLinear(pcm, 0)).toThrow();
  });

  it('bandLimit passes the band and cuts outside it', () => {
    const gainDb = (hz: number): number => {
      const input = sine(hz, 2, rate);
      const output = bandLimit(input, rate, 300, 3400);
      const settle = Math.round(0.2 * rate);
      return 10 * Math.log10(power(output, settle) / power(input, settle));
    };
    expect(gainDb(1000)).toBeGreaterThan(-1);
    expect(gainDb(60)).toBeLessThan(-40);
    expect(gainDb(7000)).toBeLessThan(-20);
  });
});
