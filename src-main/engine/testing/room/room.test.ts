import { describe, expect, it } from 'vitest';
import { createRng } from '../synthAudio.js';
import { agc, dropout, mixAtSnr, phoneFilters, drawPhone, drawSpeaker, speakerFilters } from './chain.js';
import { convolve, energy, responseDb, rmsDb } from './dsp.js';
import { drawRoom, measureDrrDb, measureRt60, reverberantPart, roomImpulseResponse, type RoomSpec } from './rir.js';

const RATE = 16_000;

describe('room benchmark signal chain', () => {
  it('convolves like the direct sum', () => {
    const rng = createRng(1);
    const a = Float32Array.from({ length: 37 }, () => rng() - 0.5);
    const b = Float32Array.from({ length: 11 }, () => rng() - 0.5);
    const fast = convolve(a, b);
    expect(fast.length).toBe(47);
    for (let n = 0; n < 47; n++) {
      let s = 0;
      for (let k = 0; k < b.length; k++) if (n - k >= 0 && n - k < a.length) s += a[n - k] * b[k];
      expect(fast[n]).toBeCloseTo(s, 5);
    }
  });

  it('convolves a signal longer than its largest FFT block by block, as in one transform', () => {
    const rng = createRng(2);
    const a = Float32Array.from({ length: 300 }, () => rng() - 0.5);
    const b = Float32Array.from({ length: 40 }, () => rng() - 0.5);
    const whole = convolve(a, b);
    const blocks = convolve(a, b, 128); // blocks of 89 samples: four of them
    expect(blocks.length).toBe(whole.length);
    for (let n = 0; n < whole.length; n++) expect(blocks[n]).toBeCloseTo(whole[n], 5);
  });

  it('gives a room the reverberation time and direct-to-reverberant ratio it was drawn with, bass ringing longest', () => {
    const base = drawRoom(createRng(7));
    for (const [rt60, drrDb] of [
      [0.4, 6],
      [0.9, -4],
      [1.2, 0],
    ] as const) {
      const room: RoomSpec = { ...base, rt60, drrDb };
      const rir = roomImpulseResponse(room, RATE, createRng(3));
      expect(measureDrrDb(rir, RATE)).toBeCloseTo(drrDb, 1);
      const tail = reverberantPart(rir, RATE);
      const mid = measureRt60(tail, RATE, 1000);
      expect(Math.abs(mid - rt60) / rt60).toBeLessThan(0.2);
      expect(measureRt60(tail, RATE, 125)).toBeGreaterThan(measureRt60(tail, RATE, 4000));
    }
  });

  it('places the direct sound at the speaker-to-phone distance', () => {
    const room = drawRoom(createRng(11));
    const rir = roomImpulseResponse(room, RATE, createRng(2));
    const d = Math.hypot(room.speaker[0] - room.mic[0], room.speaker[1] - room.mic[1], room.speaker[2] - room.mic[2]);
    expect(rir.directIndex).toBe(Math.round((d / 343) * RATE));
    expect(d).toBeGreaterThanOrEqual(0.39);
    expect(d).toBeLessThanOrEqual(2.51);
  });

  it('a small speaker loses the bass and a phone mic the top', () => {
    const s = speakerFilters(drawSpeaker(createRng(5)), RATE);
    expect(responseDb(s, 60, RATE) - responseDb(s, 1000, RATE)).toBeLessThan(-15);
    const p = phoneFilters(drawPhone(createRng(5)), RATE);
    expect(responseDb(p, 40, RATE) - responseDb(p, 1000, RATE)).toBeLessThan(-10);
    expect(responseDb(p, 7950, RATE) - responseDb(p, 1000, RATE)).toBeLessThan(-6);
  });

  it('AGC brings a quiet recording to its target level', () => {
    const rng = createRng(9);
    const quiet = Float32Array.from({ length: RATE * 4 }, () => (rng() - 0.5) * 0.01);
    const out = agc(quiet, -20, RATE);
    expect(rmsDb(out.subarray(RATE * 2))).toBeGreaterThan(-22);
    expect(rmsDb(out.subarray(RATE * 2))).toBeLessThan(-18);
  });

  it('mixes ambience at the requested SNR and drops out exactly the stretch asked', () => {
    const rng = createRng(4);
    const sig = Float32Array.from({ length: 8000 }, () => rng() - 0.5);
    const noise = Float32Array.from({ length: 8000 }, () => (rng() - 0.5) * 3);
    const mixed = mixAtSnr(sig, noise, 6);
    const residual = mixed.map((v, i) => v - sig[i]);
    expect(10 * Math.log10(energy(sig) / energy(residual))).toBeCloseTo(6, 5);
    const d = dropout(sig, 0.1, 0.2, 8000);
    expect(energy(d, 800, 2400)).toBe(0);
    expect(d[799]).toBe(sig[799]);
    expect(d[2400]).toBe(sig[2400]);
  });
});
