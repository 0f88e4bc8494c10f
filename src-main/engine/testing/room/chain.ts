// The stages a song passes through between a small speaker and a phone's recording (tests and bench:room-set), one function each.
import { type Biquad, biquad, energy, filter, uniformIn } from './dsp.js';

export interface SpeakerSpec {
  /** Closed-box resonance: a resonant 2nd-order high-pass. */
  readonly boxHz: number;
  readonly boxQ: number;
  /** Cone break-up: a peak in the upper mids. */
  readonly breakupHz: number;
  readonly breakupDb: number;
  readonly lowpassHz: number;
  /** Soft clipping drive: how far above the clip knee the loudest 1 % of samples are pushed, in dB. */
  readonly driveDb: number;
}

export function drawSpeaker(rng: () => number): SpeakerSpec {
  const u = uniformIn(rng);
  return { boxHz: u(150, 300), boxQ: u(1.0, 1.8), breakupHz: u(2000, 6000), breakupDb: u(3, 9), lowpassHz: u(8000, 14000), driveDb: u(0, 6) };
}

export function speakerFilters(s: SpeakerSpec, sampleRateHz: number): Biquad[] {
  return [
    biquad('highpass', s.boxHz, sampleRateHz, s.boxQ),
    biquad('highpass', s.boxHz * 0.7, sampleRateHz, Math.SQRT1_2), // the box's 2nd-order roll-off below resonance: 24 dB/oct in all
    biquad('peaking', s.breakupHz, sampleRateHz, 2.5, s.breakupDb),
    biquad('lowpass', s.lowpassHz, sampleRateHz, Math.SQRT1_2),
    biquad('lowpass', s.lowpassHz, sampleRateHz, Math.SQRT1_2),
  ];
}

function percentileAbs(x: Float32Array, p: number): number {
  const step = Math.max(1, Math.floor(x.length / 20000));
  const s: number[] = [];
  for (let i = 0; i < x.length; i += step) s.push(Math.abs(x[i]));
  s.sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
}

/** A small speaker played loud: its response, then tanh soft clipping with the knee set below the loudest moments. */
export function playThroughSpeaker(x: Float32Array, s: SpeakerSpec, sampleRateHz: number): Float32Array {
  const y = filter(x, ...speakerFilters(s, sampleRateHz));
  const knee = percentileAbs(y, 0.99) / Math.pow(10, s.driveDb / 20);
  if (knee <= 0) return y;
  for (let i = 0; i < y.length; i++) y[i] = knee * Math.tanh(y[i] / knee);
  return y;
}

export interface PhoneSpec {
  readonly highpassHz: number;
  readonly lowpassHz: number;
  readonly presenceHz: number;
  readonly presenceDb: number;
  /** AGC target level, dBFS RMS. */
  readonly agcTargetDb: number;
}

export function drawPhone(rng: () => number): PhoneSpec {
  const u = uniformIn(rng);
  return { highpassHz: u(90, 200), lowpassHz: u(6000, 7500), presenceHz: u(2000, 4000), presenceDb: u(2, 6), agcTargetDb: u(-24, -16) };
}

export function phoneFilters(p: PhoneSpec, sampleRateHz: number): Biquad[] {
  return [
    biquad('highpass', p.highpassHz, sampleRateHz, Math.SQRT1_2),
    biquad('peaking', p.presenceHz, sampleRateHz, 1.2, p.presenceDb),
    biquad('lowpass', p.lowpassHz, sampleRateHz, 0.54), // two sections of a 4th-order Butterworth
    biquad('lowpass', p.lowpassHz, sampleRateHz, 1.31),
  ];
}

/**
 * A phone's automatic gain control: the level in 20 ms blocks, a gain that moves toward the target quickly when the
 * signal is too loud (50 ms) and slowly when too quiet (1 s), at most +30 dB, then a hard limit at full scale.
 */
export function agc(x: Float32Array, targetDb: number, sampleRateHz: number): Float32Array {
  const block = Math.round(0.02 * sampleRateHz);
  const y = new Float32Array(x.length);
  const target = Math.pow(10, targetDb / 20);
  const attack = 1 - Math.exp(-0.02 / 0.05);
  const release = 1 - Math.exp(-0.02 / 1.0);
  // Start from the gain the first 0.5 s asks for, as a phone that was already listening would have.
  const lead = Math.min(x.length, Math.round(0.5 * sampleRateHz));
  let gainDb = Math.min(30, 20 * Math.log10(target / Math.sqrt(energy(x, 0, lead) / Math.max(1, lead) + 1e-12)));
  let prev = gainDb;
  for (let start = 0; start < x.length; start += block) {
    const end = Math.min(x.length, start + block);
    const level = Math.sqrt(energy(x, start, end) / (end - start) + 1e-12);
    const want = Math.min(30, 20 * Math.log10(target / level));
    gainDb += (want < gainDb ? attack : release) * (want - gainDb);
    for (let i = start; i < end; i++) {
      const g = Math.pow(10, (prev + ((gainDb - prev) * (i - start)) / (end - start)) / 20);
      y[i] = Math.max(-1, Math.min(1, x[i] * g));
    }
    prev = gainDb;
  }
  return y;
}

/** Mixes `noise` into `signal` so that signal power / noise power = snrDb over the whole clip. */
export function mixAtSnr(signal: Float32Array, noise: Float32Array, snrDb: number): Float32Array {
  const ps = energy(signal) / signal.length;
  const pn = energy(noise, 0, signal.length) / signal.length;
  const g = pn > 0 ? Math.sqrt(ps / pn / Math.pow(10, snrDb / 10)) : 0;
  const y = new Float32Array(signal.length);
  for (let i = 0; i < signal.length; i++) y[i] = signal[i] + g * noise[i];
  return y;
}

/** Digital silence from `startSeconds` for `seconds` (a dropped stretch of a recording or a network stream). */
export function dropout(x: Float32Array, startSeconds: number, seconds: number, sampleRateHz: number): Float32Array {
  const y = Float32Array.from(x);
  const from = Math.max(0, Math.round(startSeconds * sampleRateHz));
  const to = Math.min(y.length, Math.round((startSeconds + seconds) * sampleRateHz));
  y.fill(0, from, to);
  return y;
}
