// A room impulse response (tests and bench:room-set): a shoebox room, early reflections by image sources
// (Allen & Berkley 1979) up to `earlyMs`, then a diffuse tail of decaying noise per octave band whose RT60 depends on
// frequency (low frequencies ring longest), continued from the image sources' energy at the hand-over. The level of
// everything after the direct sound is finally set by the direct-to-reverberant ratio (DRR).
import { biquad, energy, filter, gaussian, uniformIn } from './dsp.js';

export interface RoomSpec {
  /** Room size in metres [x, y, z]. */
  readonly size: readonly [number, number, number];
  readonly speaker: readonly [number, number, number];
  readonly mic: readonly [number, number, number];
  /** Reverberation time at 500 Hz-1 kHz, seconds. */
  readonly rt60: number;
  /** RT60 of each octave band relative to `rt60` (bands 125 Hz .. 8 kHz). */
  readonly bandRt60Factors: readonly number[];
  /** Direct-to-reverberant energy ratio in dB. */
  readonly drrDb: number;
  readonly earlyMs: number;
}

export const OCTAVE_CENTRES_HZ: readonly number[] = [125, 250, 500, 1000, 2000, 4000, 8000];
const SPEED_OF_SOUND = 343;
const SINC_HALF = 8;
/** Half-width of the window counted as "direct sound" when measuring or setting the DRR (ISO 3382 uses ~2.5 ms). */
export const DIRECT_HALF_WINDOW_MS = 2.5;

/** Draws a room as the issue describes: 3-12 m shoebox, RT60 0.3-1.2 s, phone 0.4-2.5 m away, DRR -8..+9 dB. */
export function drawRoom(rng: () => number): RoomSpec {
  const u = uniformIn(rng);
  const lx = u(3, 12);
  const ly = u(3, Math.max(3.2, Math.min(12, lx * 1.2)));
  const lz = u(2.4, 3.6);
  const speaker: [number, number, number] = [u(0.5, lx - 0.5), u(0.5, ly - 0.5), u(0.6, 1.6)];
  const distance = u(0.4, 2.5);
  let mic: [number, number, number] = [speaker[0] + distance, speaker[1], speaker[2]];
  for (let tries = 0; tries < 100; tries++) {
    const az = u(0, 2 * Math.PI);
    const el = u(-0.4, 0.4);
    const m: [number, number, number] = [
      speaker[0] + distance * Math.cos(el) * Math.cos(az),
      speaker[1] + distance * Math.cos(el) * Math.sin(az),
      speaker[2] + distance * Math.sin(el),
    ];
    if (m[0] > 0.2 && m[0] < lx - 0.2 && m[1] > 0.2 && m[1] < ly - 0.2 && m[2] > 0.3 && m[2] < lz - 0.3) {
      mic = m;
      break;
    }
  }
  const rt60 = u(0.3, 1.2);
  // Typical furnished rooms: bass rings 1.3-1.8x longer than the mids, treble 0.5-0.8x (absorption by soft furnishing + air).
  const low = u(1.3, 1.8);
  const high = u(0.5, 0.8);
  const bandRt60Factors = [low, 1 + (low - 1) * 0.5, 1.05, 1, 1 - (1 - high) * 0.5, high, high * 0.85];
  return { size: [lx, ly, lz], speaker, mic, rt60, bandRt60Factors, drrDb: u(-8, 9), earlyMs: 60 };
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Adds a band-limited impulse of amplitude `amp` at fractional sample `t` (Hann-windowed sinc). */
function addImpulse(h: Float32Array, t: number, amp: number): void {
  const centre = Math.floor(t);
  for (let k = centre - SINC_HALF + 1; k <= centre + SINC_HALF; k++) {
    if (k < 0 || k >= h.length) continue;
    const x = k - t;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const w = 0.5 + 0.5 * Math.cos((Math.PI * x) / SINC_HALF);
    h[k] += amp * sinc * w;
  }
}

export interface Rir {
  readonly h: Float32Array;
  /** Sample index of the direct sound's peak. */
  readonly directIndex: number;
}

export function roomImpulseResponse(room: RoomSpec, sampleRateHz: number, rng: () => number): Rir {
  const [lx, ly, lz] = room.size;
  const volume = lx * ly * lz;
  const surface = 2 * (lx * ly + lx * lz + ly * lz);
  // Sabine: RT60 = 0.161 V / (S a)  =>  mean absorption; pressure reflection coefficient sqrt(1 - a).
  const alpha = Math.min(0.95, Math.max(0.02, (0.161 * volume) / (surface * room.rt60)));
  const beta = Math.sqrt(1 - alpha);
  const longest = Math.max(...room.bandRt60Factors) * room.rt60;
  const length = Math.ceil((longest * 1.1 + 0.05) * sampleRateHz);
  const h = new Float32Array(length);
  const direct = distance(room.speaker, room.mic);
  const earlyS = direct / SPEED_OF_SOUND + room.earlyMs / 1000;
  const maxPath = earlyS * SPEED_OF_SOUND;
  const nx = Math.ceil(maxPath / (2 * lx)) + 1;
  const ny = Math.ceil(maxPath / (2 * ly)) + 1;
  const nz = Math.ceil(maxPath / (2 * lz)) + 1;
  const [sx, sy, sz] = room.speaker;
  for (let ix = -nx; ix <= nx; ix++) {
    for (let iy = -ny; iy <= ny; iy++) {
      for (let iz = -nz; iz <= nz; iz++) {
        for (let q = 0; q < 8; q++) {
          const qx = q & 1,
            qy = (q >> 1) & 1,
            qz = (q >> 2) & 1;
          const img = [(1 - 2 * qx) * sx + 2 * ix * lx, (1 - 2 * qy) * sy + 2 * iy * ly, (1 - 2 * qz) * sz + 2 * iz * lz];
          const r = distance(img, room.mic);
          if (r > maxPath) continue;
          const reflections = Math.abs(ix - qx) + Math.abs(ix) + Math.abs(iy - qy) + Math.abs(iy) + Math.abs(iz - qz) + Math.abs(iz);
          addImpulse(h, (r / SPEED_OF_SOUND) * sampleRateHz, Math.pow(beta, reflections) / (4 * Math.PI * r));
        }
      }
    }
  }
  const directIndex = Math.round((direct / SPEED_OF_SOUND) * sampleRateHz);
  const handOver = Math.round(earlyS * sampleRateHz);
  // Energy per sample of the image sources just before the hand-over: the tail continues from there.
  const probe = Math.round(0.015 * sampleRateHz);
  const earlyDensity = energy(h, handOver - probe, handOver) / probe;
  const tail = new Float32Array(length);
  const tailLength = length - handOver;
  for (let b = 0; b < OCTAVE_CENTRES_HZ.length; b++) {
    const fc = OCTAVE_CENTRES_HZ[b];
    if (fc >= sampleRateHz / 2) continue;
    const noise = new Float32Array(tailLength);
    for (let i = 0; i < tailLength; i++) noise[i] = gaussian(rng);
    const band = filter(noise, biquad('bandpass', fc, sampleRateHz, Math.SQRT2), biquad('bandpass', fc, sampleRateHz, Math.SQRT2));
    const rt = room.rt60 * room.bandRt60Factors[b];
    const k = 6.9078 / (rt * sampleRateHz); // amplitude decays 60 dB (ln 1000) over rt
    for (let i = 0; i < tailLength; i++) tail[handOver + i] += band[i] * Math.exp(-k * i);
  }
  const fade = Math.round(0.01 * sampleRateHz);
  for (let i = 0; i < fade; i++) tail[handOver + i] *= i / fade;
  const tailDensity = energy(tail, handOver + fade, handOver + fade + probe) / probe;
  const tailGain = tailDensity > 0 ? Math.sqrt(earlyDensity / tailDensity) : 0;
  for (let i = handOver; i < length; i++) h[i] += tail[i] * tailGain;
  // Set the DRR: scale everything outside the direct window.
  const half = Math.round((DIRECT_HALF_WINDOW_MS / 1000) * sampleRateHz);
  const dFrom = Math.max(0, directIndex - half);
  const dTo = Math.min(length, directIndex + half + 1);
  const eDirect = energy(h, dFrom, dTo);
  const eReverb = energy(h) - eDirect;
  const g = Math.sqrt(eDirect / Math.pow(10, room.drrDb / 10) / Math.max(eReverb, 1e-30));
  const norm = 1 / Math.max(...Array.from(h.subarray(dFrom, dTo), Math.abs));
  for (let i = 0; i < length; i++) h[i] *= (i >= dFrom && i < dTo ? 1 : g) * norm;
  return { h, directIndex };
}

/** DRR of an impulse response in dB: energy within +-2.5 ms of the direct peak over the rest. */
export function measureDrrDb(rir: Rir, sampleRateHz: number): number {
  const half = Math.round((DIRECT_HALF_WINDOW_MS / 1000) * sampleRateHz);
  const from = Math.max(0, rir.directIndex - half);
  const to = Math.min(rir.h.length, rir.directIndex + half + 1);
  const d = energy(rir.h, from, to);
  return 10 * Math.log10(d / (energy(rir.h) - d));
}

/** The response after the direct sound (what the decay is measured on: a strong direct sound biases T20). */
export function reverberantPart(rir: Rir, sampleRateHz: number): Float32Array {
  return rir.h.subarray(rir.directIndex + Math.round((DIRECT_HALF_WINDOW_MS / 1000) * sampleRateHz) + 1);
}

/** RT60 by Schroeder backward integration and a T20 fit (-5..-25 dB), optionally in one octave band. */
export function measureRt60(h: Float32Array, sampleRateHz: number, octaveHz?: number): number {
  const x = octaveHz ? filter(h, biquad('bandpass', octaveHz, sampleRateHz, Math.SQRT2), biquad('bandpass', octaveHz, sampleRateHz, Math.SQRT2)) : h;
  const edc = new Float64Array(x.length);
  let acc = 0;
  for (let i = x.length - 1; i >= 0; i--) {
    acc += x[i] * x[i];
    edc[i] = acc;
  }
  const db = (i: number): number => 10 * Math.log10(edc[i] / edc[0]);
  let i5 = 0;
  while (i5 < x.length && db(i5) > -5) i5++;
  let i25 = i5;
  while (i25 < x.length && db(i25) > -25) i25++;
  // Least-squares slope of the decay curve between -5 and -25 dB.
  let sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0,
    n = 0;
  for (let i = i5; i <= i25 && i < x.length; i++) {
    const t = i / sampleRateHz;
    const y = db(i);
    sx += t;
    sy += y;
    sxx += t * t;
    sxy += t * y;
    n++;
  }
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx); // dB per second
  return -60 / slope;
}
