import { describe, expect, it } from 'vitest';
import { addTone, createRng, midiToHz } from '../testing/synthInstruments.js';
import { convolve } from '../testing/room/dsp.js';
import { drawRoom, roomImpulseResponse } from '../testing/room/rir.js';
import { naivePowerSpectrum } from './fft.js';
import { bandAsymmetries, bandEnergies, directionAgreement, DIRECTION_FRAME, DIRECTION_HOP, meanAsymmetry, timeAsymmetry } from './timeDirection.js';

const RATE = 8000;
/** Whole frames: a length of DIRECTION_FRAME + k * DIRECTION_HOP samples tiles the same frames read backwards. */
const tiled = (seconds: number): number => DIRECTION_FRAME + Math.floor((seconds * RATE - DIRECTION_FRAME) / DIRECTION_HOP) * DIRECTION_HOP;

/** Plucked notes: a 5 ms attack and a 0.3 s decay, a new one every 0.2-0.5 s. */
function plucks(seed: number, seconds: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(tiled(seconds));
  for (let at = 0; at < out.length; at += Math.round((0.2 + 0.3 * rng()) * RATE)) {
    addTone(
      out,
      RATE,
      {
        startSample: at,
        lengthSamples: RATE,
        frequencyHz: midiToHz(55 + Math.floor(24 * rng())),
        amplitude: 0.2,
        harmonicCount: 4,
        harmonicDecay: 0.5,
        attackSeconds: 0.005,
        decaySeconds: 0.3,
      },
      rng,
    );
  }
  return out;
}

describe('timeAsymmetry: which way audio runs in time', () => {
  it('reads plucked notes as forwards, and the same notes played backwards as exactly its negative', () => {
    const forward = plucks(3, 6);
    const a = timeAsymmetry(forward, RATE);
    expect(a).toBeGreaterThan(0.1);
    expect(timeAsymmetry(forward.slice().reverse(), RATE)).toBeCloseTo(-a, 10);
  });

  it('keeps plucked notes forwards through a reverberant room (a room only adds decays)', () => {
    const rng = createRng(7);
    const room = { ...drawRoom(rng), rt60: 1.0 };
    const wet = convolve(plucks(5, 6), roomImpulseResponse(room, RATE, rng).h);
    expect(timeAsymmetry(wet, RATE)).toBeGreaterThan(0.03);
    expect(timeAsymmetry(wet.slice().reverse(), RATE)).toBeLessThan(-0.03);
  });

  it('reads notes cut off by a stop (into silence, or into quiet noise) as forwards: a stop is not a note played backwards', () => {
    const notes = plucks(13, 4);
    const rng = createRng(17);
    const stopped = new Float32Array(notes.length + RATE);
    stopped.set(notes.subarray(0, Math.round(3.5 * RATE))); // cut mid-note, then silence
    expect(timeAsymmetry(notes, RATE)).toBeGreaterThan(0.05);
    expect(timeAsymmetry(stopped, RATE)).toBeGreaterThan(0.05);
    const hiss = stopped.map((v, i) => (i >= 3.5 * RATE ? 0.0005 * (rng() - 0.5) : v));
    expect(timeAsymmetry(hiss, RATE)).toBeGreaterThan(0.05);
  });

  it('reads steady noise as neither, and audio too short for two frames as 0', () => {
    const rng = createRng(11);
    const noise = Float32Array.from({ length: 6 * RATE }, () => rng() - 0.5);
    expect(Math.abs(timeAsymmetry(noise, RATE))).toBeLessThan(0.02);
    expect(timeAsymmetry(new Float32Array(DIRECTION_FRAME + DIRECTION_HOP - 1), RATE)).toBe(0);
  });

  it('sums each band from the FFT bins between its edges (12 bands, log-spaced 150-3800 Hz), as a plain DFT does', () => {
    const pcm = plucks(9, 0.3);
    const { energies, frames } = bandEnergies(pcm, RATE);
    expect(frames).toBe(Math.floor((pcm.length - DIRECTION_FRAME) / DIRECTION_HOP) + 1);
    const edges = Array.from({ length: 13 }, (_, i) => 150 * (3800 / 150) ** (i / 12));
    const power = new Float64Array(DIRECTION_FRAME / 2 + 1);
    for (const f of [0, 7, frames - 1]) {
      const frame = Array.from(
        { length: DIRECTION_FRAME },
        (_, i) => pcm[f * DIRECTION_HOP + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (DIRECTION_FRAME - 1))),
      );
      naivePowerSpectrum(frame, DIRECTION_FRAME, power);
      for (let b = 0; b < 12; b++) {
        let sum = 0;
        for (let k = 0; k < power.length; k++) {
          const hz = (k * RATE) / DIRECTION_FRAME;
          if (hz >= edges[b] && hz < edges[b + 1]) sum += power[k];
        }
        expect(energies[f * 12 + b]).toBeCloseTo(10 * Math.log10(sum + 1e-10), 6);
      }
    }
  });
});

describe('directionAgreement: whether a clip runs the way its track does, band by band', () => {
  it('works out the slope through the origin and its t by hand', () => {
    // clip = 0.5 * track exactly: slope 0.5, no scatter (t infinite).
    const track = [0.2, 0.1, -0.1, 0.3, 0.05, 0.15];
    expect(
      directionAgreement(
        track.map((v) => 0.5 * v),
        track,
      ),
    ).toEqual({ slope: 0.5, t: Number.POSITIVE_INFINITY });
    expect(
      directionAgreement(
        track.map((v) => -v),
        track,
      )!.t,
    ).toBe(Number.NEGATIVE_INFINITY);
    // Hand-worked: track (1, 1, 1, 1, 1, 1), clip (1, -1, 1, -1, 1, 1): slope 2/6, residuals 2/3 and -4/3,
    // scatter 4 * 4/9 + 2 * 16/9 = 48/9, se = sqrt(48/9 / 5 / 6) = sqrt(16/90), t = (1/3) / sqrt(16/90).
    const r = directionAgreement([1, -1, 1, -1, 1, 1], [1, 1, 1, 1, 1, 1])!;
    expect(r.slope).toBeCloseTo(1 / 3, 12);
    expect(r.t).toBeCloseTo(1 / 3 / Math.sqrt(16 / 90), 12);
  });

  it('says nothing with fewer than 6 bands read on both sides, or a track that reads no direction', () => {
    // Bands with no change read (exactly 0) on either side are left out.
    expect(directionAgreement([0.1, 0.2, 0, 0.1, 0.3, 0.2, 0], [0.1, 0.1, 0.2, 0, 0.2, 0.1, 0.3])).toBeNull();
    expect(directionAgreement(new Float64Array(12), new Float64Array(12))).toBeNull();
    expect(directionAgreement([0.1, 0.2, 0.1, 0.1, 0.3, 0.2], [1e-5, -1e-5, 1e-5, 1e-5, -1e-5, 1e-5])).toBeNull();
  });

  it('reads a clip of the track as agreeing, through a room and heavy noise, and the track played backwards as against it', () => {
    const track = plucks(23, 6);
    const trackBands = bandAsymmetries(track, RATE);
    const rng = createRng(29);
    const room = { ...drawRoom(rng), rt60: 0.9 };
    const wet = convolve(track, roomImpulseResponse(room, RATE, rng).h).subarray(0, track.length);
    const rms = Math.sqrt(wet.reduce((s, v) => s + v * v, 0) / wet.length);
    // White noise at 0 dB SNR: the clip's mean asymmetry shrinks toward 0, its agreement does not turn against it.
    const noisy = wet.map((v) => v + 2 * Math.sqrt(3) * rms * (rng() - 0.5));
    for (const clip of [track, wet, noisy]) expect(directionAgreement(bandAsymmetries(clip, RATE), trackBands)!.t).toBeGreaterThan(-1);
    expect(meanAsymmetry(bandAsymmetries(noisy, RATE))).toBeLessThan(meanAsymmetry(trackBands) / 2);
    const backwards = directionAgreement(bandAsymmetries(track.slice().reverse(), RATE), trackBands)!;
    expect(backwards.slope).toBeCloseTo(-1, 10);
    expect(backwards.t).toBeLessThan(-4);
    // Played backwards in the room: the room's decays pull it toward forwards, but its bands still go against the track.
    const backwardsInRoom = directionAgreement(bandAsymmetries(convolve(track.slice().reverse(), roomImpulseResponse(room, RATE, rng).h), RATE), trackBands)!;
    expect(backwardsInRoom.slope).toBeLessThan(0);
    expect(backwardsInRoom.t).toBeLessThan(-2);
  });
});
