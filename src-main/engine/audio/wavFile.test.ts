import { describe, expect, it } from 'vitest';
import { encodeWav } from '../testing/synthAudio.js';
import { resamplePcm } from './resample.js';
import { parseWav } from './wavFile.js';

function sine(hz: number, rate: number, seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));
}

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
}

describe('parseWav', () => {
  it('reads 16-bit and 32-bit float mono WAV written by encodeWav', () => {
    const pcm = sine(440, 22050, 0.5);
    for (const bits of [16, 32] as const) {
      const wav = parseWav(encodeWav(pcm, 22050, bits));
      expect(wav?.sampleRateHz).toBe(22050);
      expect(wav?.pcm.length).toBe(pcm.length);
      for (let i = 0; i < pcm.length; i += 101) expect(wav!.pcm[i]).toBeCloseTo(pcm[i], 3);
    }
  });

  it('returns null for non-WAV bytes and unsupported encodings', () => {
    expect(parseWav(new TextEncoder().encode('ID3 this is an mp3, honestly'))).toBeNull();
    const wav = encodeWav(sine(440, 8000, 0.1), 8000, 16);
    const view = new DataView(wav.buffer);
    view.setUint16(20, 2, true); // ADPCM
    expect(parseWav(wav)).toBeNull();
  });
});

describe('resamplePcm', () => {
  it('keeps a 1 kHz tone (level and frequency) going from 44.1 to 8 kHz', () => {
    const out = resamplePcm(sine(1000, 44100, 1), 44100, 8000);
    expect(out.length).toBe(8000);
    expect(rms(out, 100, 7900)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    let crossings = 0;
    for (let i = 101; i < 7900; i++) if (out[i - 1] < 0 && out[i] >= 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(975);
    expect(crossings).toBeLessThanOrEqual(980);
  });

  it('gives the same output through the polyphase tables and the general path', () => {
    const pcm = sine(1234, 44100, 0.2);
    const poly = resamplePcm(pcm, 44100, 8000);
    const general = resamplePcm(pcm, 44100.0000001, 8000); // not an integer: general path
    for (let i = 20; i < poly.length - 20; i++) expect(poly[i]).toBeCloseTo(general[i], 3);
  });

  it('removes a 6 kHz tone that would alias into the band', () => {
    const out = resamplePcm(sine(6000, 44100, 1), 44100, 8000);
    expect(rms(out, 100, 7900)).toBeLessThan(0.002);
  });
});
