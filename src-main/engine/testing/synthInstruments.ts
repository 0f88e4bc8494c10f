// Test helper: the instruments synthetic songs are played on (synthSong.ts): a seeded PRNG and a harmonic tone with
// an attack/decay envelope. Deterministic; for tests and benchmarks only.

/** A small seeded PRNG (mulberry32): returns a function yielding uniform floats in [0, 1). */
export function createRng(seed: number): () => number {
  let state = (Math.floor(seed) ^ 0x6d2b79f5) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function midiToHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

export interface ToneSpec {
  startSample: number;
  lengthSamples: number;
  frequencyHz: number;
  amplitude: number;
  harmonicCount: number;
  /** Amplitude ratio between successive harmonics, 0..1. */
  harmonicDecay: number;
  attackSeconds: number;
  /** Exponential decay time constant after the attack, seconds. */
  decaySeconds: number;
}

/**
 * Adds one harmonic tone with an attack/decay envelope and a 5 ms release (no clicks) into `out`.
 * Harmonics run as rotating phasors and the decay as a per-sample factor: no sin/exp per sample.
 */
export function addTone(out: Float32Array, sampleRateHz: number, tone: ToneSpec, phaseRng: () => number): void {
  const start = Math.max(0, tone.startSample);
  const end = Math.min(out.length, tone.startSample + tone.lengthSamples);
  if (end <= start) return;
  const releaseSamples = Math.max(1, Math.round(0.005 * sampleRateHz));
  const attackSamples = Math.max(1, Math.round(tone.attackSeconds * sampleRateHz));
  const nyquistGuardHz = 0.45 * sampleRateHz;
  const cosSteps: number[] = [];
  const sinSteps: number[] = [];
  const re: number[] = [];
  const im: number[] = [];
  const amplitudes: number[] = [];
  for (let h = 1; h <= tone.harmonicCount && tone.frequencyHz * h < nyquistGuardHz; h++) {
    const step = (2 * Math.PI * tone.frequencyHz * h) / sampleRateHz;
    const phase0 = 2 * Math.PI * phaseRng();
    cosSteps.push(Math.cos(step));
    sinSteps.push(Math.sin(step));
    re.push(Math.cos(phase0));
    im.push(Math.sin(phase0));
    amplitudes.push(tone.amplitude * tone.harmonicDecay ** (h - 1));
  }
  const harmonicCount = amplitudes.length;
  const decayPerSample = Math.exp(-1 / (tone.decaySeconds * sampleRateHz));
  let decay = 1;
  for (let i = start; i < end; i++) {
    const k = i - start;
    const attack = k < attackSamples ? k / attackSamples : 1;
    const release = Math.min(1, (end - i) / releaseSamples);
    let sum = 0;
    for (let h = 0; h < harmonicCount; h++) {
      sum += amplitudes[h] * im[h];
      const nextRe = re[h] * cosSteps[h] - im[h] * sinSteps[h];
      im[h] = re[h] * sinSteps[h] + im[h] * cosSteps[h];
      re[h] = nextRe;
    }
    out[i] += sum * attack * decay * release;
    decay *= decayPerSample;
  }
}
