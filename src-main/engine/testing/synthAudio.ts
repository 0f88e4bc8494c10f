// Test helper: deterministic music-like audio per seed, WAV writing, ffmpeg encoding to real formats with tags,
// and the degradations a clip suffers (noise, cutting, speed change, phone band-pass). For tests only; no audio is committed.
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveFfmpeg } from '../audio/ffmpegPath.js';

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

const SCALES: readonly (readonly number[])[] = [
  [0, 2, 4, 5, 7, 9, 11], // major
  [0, 2, 3, 5, 7, 8, 10], // natural minor
  [0, 2, 4, 7, 9], // major pentatonic
  [0, 3, 5, 7, 10], // minor pentatonic
  [0, 2, 3, 5, 7, 9, 10], // dorian
];
const MELODY_MIN_HZ = 150;
const MELODY_MAX_HZ = 2500;
const CHORD_MAX_HZ = 700;
const PEAK_LEVEL = 0.8;

function midiToHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

interface ToneSpec {
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
function addTone(out: Float32Array, sampleRateHz: number, tone: ToneSpec, phaseRng: () => number): void {
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

/**
 * A deterministic, music-like mono signal, distinct per seed: a melody (notes of 120-500 ms drawn from a scale
 * between ~150 and ~2500 Hz, 3-5 decaying harmonics, attack/decay envelopes), chords struck every two beats, and a
 * noise burst on every beat at a per-seed tempo of 80-160 BPM. Peak-normalised to 0.8. Same seed, same samples.
 */
export interface SynthSongOptions {
  /** Add the noise-burst drum on every beat (default true). Every song shares this one drum sound. */
  readonly percussion?: boolean;
}

export function synthSong(seed: number, durationSeconds: number, sampleRateHz = 22050, options: SynthSongOptions = {}): Float32Array {
  const rng = createRng(seed);
  const sampleCount = Math.max(0, Math.round(durationSeconds * sampleRateHz));
  const out = new Float32Array(sampleCount);
  if (sampleCount === 0) return out;

  const tempoBpm = 80 + rng() * 80;
  const beatSeconds = 60 / tempoBpm;
  const scale = SCALES[Math.floor(rng() * SCALES.length)];
  const rootMidi = 50 + Math.floor(rng() * 12);
  const scaleNotes: number[] = [];
  for (let midi = rootMidi - 12; midi <= 100; midi++) {
    const degree = (((midi - rootMidi) % 12) + 12) % 12;
    const hz = midiToHz(midi);
    if (scale.includes(degree) && hz >= MELODY_MIN_HZ && hz <= MELODY_MAX_HZ) scaleNotes.push(midi);
  }
  const harmonicDecay = 0.45 + rng() * 0.3;

  // Melody: a random walk over the scale with occasional leaps and rests.
  let noteIndex = Math.floor(scaleNotes.length * (0.3 + 0.4 * rng()));
  let timeSeconds = 0;
  while (timeSeconds < durationSeconds) {
    const noteSeconds = 0.12 + rng() * 0.38;
    if (rng() < 0.08) {
      timeSeconds += noteSeconds * 0.5; // a rest
      continue;
    }
    if (rng() < 0.15) noteIndex = Math.floor(rng() * scaleNotes.length);
    else noteIndex += Math.floor(rng() * 7) - 3;
    noteIndex = Math.min(scaleNotes.length - 1, Math.max(0, noteIndex));
    addTone(
      out,
      sampleRateHz,
      {
        startSample: Math.round(timeSeconds * sampleRateHz),
        lengthSamples: Math.round(noteSeconds * sampleRateHz),
        frequencyHz: midiToHz(scaleNotes[noteIndex]),
        amplitude: 0.5 + 0.5 * rng(),
        harmonicCount: 3 + Math.floor(rng() * 3),
        harmonicDecay,
        attackSeconds: 0.005 + rng() * 0.02,
        decaySeconds: noteSeconds * (0.4 + 0.6 * rng()),
      },
      rng,
    );
    timeSeconds += noteSeconds;
  }

  // Second voice: triads from the scale's lower notes, struck every two beats.
  const chordNotes = scaleNotes.filter((midi) => midiToHz(midi) <= CHORD_MAX_HZ);
  const chordSeconds = 2 * beatSeconds;
  for (let start = 0; start < durationSeconds; start += chordSeconds) {
    const base = Math.floor(rng() * Math.max(1, chordNotes.length - 4));
    for (const step of [0, 2, 4]) {
      const midi = chordNotes[Math.min(chordNotes.length - 1, base + step)];
      addTone(
        out,
        sampleRateHz,
        {
          startSample: Math.round(start * sampleRateHz),
          lengthSamples: Math.round(chordSeconds * sampleRateHz),
          frequencyHz: midiToHz(midi),
          amplitude: 0.18,
          harmonicCount: 3,
          harmonicDecay: 0.5,
          attackSeconds: 0.03,
          decaySeconds: chordSeconds * 0.7,
        },
        rng,
      );
    }
  }

  // Percussion: a decaying noise burst on every beat, louder and longer on the off-beats (snare-like).
  const burstSamples = Math.round(0.12 * sampleRateHz);
  for (let beat = 0; options.percussion !== false && beat * beatSeconds < durationSeconds; beat++) {
    const start = Math.round(beat * beatSeconds * sampleRateHz);
    const isBackbeat = beat % 2 === 1;
    const amplitude = isBackbeat ? 0.45 : 0.3;
    const decaySeconds = isBackbeat ? 0.045 : 0.02;
    const end = Math.min(sampleCount, start + burstSamples);
    for (let i = start; i < end; i++) {
      const t = (i - start) / sampleRateHz;
      out[i] += amplitude * Math.exp(-t / decaySeconds) * (2 * rng() - 1);
    }
  }

  let peak = 0;
  for (let i = 0; i < sampleCount; i++) peak = Math.max(peak, Math.abs(out[i]));
  if (peak > 0) {
    const gain = PEAK_LEVEL / peak;
    for (let i = 0; i < sampleCount; i++) out[i] *= gain;
  }
  return out;
}

/** A mono WAV file's bytes: 16-bit PCM (clipped to [-1, 1]) or 32-bit IEEE float. Pure. */
export function encodeWav(pcm: Float32Array, sampleRateHz: number, bits: 16 | 32 = 16): Uint8Array {
  const isFloat = bits === 32;
  const bytesPerSample = bits / 8;
  const dataBytes = pcm.length * bytesPerSample;
  const fmtBytes = isFloat ? 18 : 16;
  const factBytes = isFloat ? 12 : 0;
  const headerBytes = 12 + 8 + fmtBytes + factBytes + 8;
  const buffer = new ArrayBuffer(headerBytes + dataBytes);
  const view = new DataView(buffer);
  let offset = 0;
  const writeTag = (tag: string): void => {
    for (let i = 0; i < 4; i++) view.setUint8(offset + i, tag.charCodeAt(i));
    offset += 4;
  };
  const u32 = (value: number): void => {
    view.setUint32(offset, value, true);
    offset += 4;
  };
  const u16 = (value: number): void => {
    view.setUint16(offset, value, true);
    offset += 2;
  };
  writeTag('RIFF');
  u32(headerBytes - 8 + dataBytes);
  writeTag('WAVE');
  writeTag('fmt ');
  u32(fmtBytes);
  u16(isFloat ? 3 : 1);
  u16(1);
  u32(sampleRateHz);
  u32(sampleRateHz * bytesPerSample);
  u16(bytesPerSample);
  u16(bits);
  if (isFloat) {
    u16(0); // cbSize
    writeTag('fact');
    u32(4);
    u32(pcm.length);
  }
  writeTag('data');
  u32(dataBytes);
  for (let i = 0; i < pcm.length; i++) {
    if (isFloat) {
      view.setFloat32(offset, pcm[i], true);
      offset += 4;
    } else {
      const clipped = Math.max(-1, Math.min(1, pcm[i]));
      view.setInt16(offset, Math.round(clipped < 0 ? clipped * 32768 : clipped * 32767), true);
      offset += 2;
    }
  }
  return new Uint8Array(buffer);
}

/** Writes `pcm` as a mono WAV file (see encodeWav). */
export async function writeWav(filePath: string, pcm: Float32Array, sampleRateHz: number, bits: 16 | 32 = 16): Promise<void> {
  await fsp.writeFile(filePath, encodeWav(pcm, sampleRateHz, bits));
}

export interface EncodeAudioOptions {
  /** ffmpeg metadata keys: title, artist, album, album_artist, track, genre, date, ... */
  readonly tags?: Readonly<Record<string, string>>;
  /** A PNG or JPEG to embed as the front cover (mp3, flac, m4a only). */
  readonly coverPath?: string;
}

const CODEC_ARGS: Readonly<Record<string, readonly string[]>> = {
  mp3: ['-c:a', 'libmp3lame', '-q:a', '4'],
  flac: ['-c:a', 'flac'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '4'],
  oga: ['-c:a', 'libvorbis', '-q:a', '4'],
  opus: ['-c:a', 'libopus', '-b:a', '96k'],
  m4a: ['-c:a', 'aac', '-b:a', '128k'],
  wav: ['-c:a', 'pcm_s16le'],
};
const COVER_FORMATS = new Set(['mp3', 'flac', 'm4a']);

/** Encodes a WAV into the format named by outPath's extension (mp3, flac, ogg/oga, opus, m4a, wav), overwriting. */
export async function encodeAudio(wavPath: string, outPath: string, options: EncodeAudioOptions = {}): Promise<void> {
  const ext = path.extname(outPath).slice(1).toLowerCase();
  const codecArgs = CODEC_ARGS[ext];
  if (!codecArgs) throw new Error(`encodeAudio: cannot encode .${ext} (use ${Object.keys(CODEC_ARGS).join(', ')})`);
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', wavPath];
  if (options.coverPath !== undefined) {
    if (!COVER_FORMATS.has(ext)) throw new Error(`encodeAudio: cannot embed a cover in .${ext}`);
    args.push('-i', options.coverPath, '-map', '0:a:0', '-map', '1:v:0', '-c:v', 'copy');
    args.push(...(ext === 'mp3'
      ? ['-id3v2_version', '3', '-metadata:s:v', 'title=Album cover', '-metadata:s:v', 'comment=Cover (front)']
      : ['-disposition:v', 'attached_pic']));
  } else {
    args.push('-map', '0:a:0');
  }
  args.push(...codecArgs);
  for (const [key, value] of Object.entries(options.tags ?? {})) args.push('-metadata', `${key}=${value}`);
  args.push(outPath);
  await runFfmpegTool(args);
}

/**
 * Synthesises song `seed` (synthSong at sampleRateHz, default 22050) and writes it to filePath in the format its
 * extension names, with tags. Returns the synthesised samples (before any lossy encoding).
 */
export async function writeSongFile(
  filePath: string,
  seed: number,
  durationSeconds: number,
  tags?: Readonly<Record<string, string>>,
  options: { sampleRateHz?: number; coverPath?: string } = {},
): Promise<Float32Array> {
  const sampleRateHz = options.sampleRateHz ?? 22050;
  const pcm = synthSong(seed, durationSeconds, sampleRateHz);
  const isPlainWav = /\.wav$/i.test(filePath) && tags === undefined && options.coverPath === undefined;
  if (isPlainWav) {
    await writeWav(filePath, pcm, sampleRateHz);
    return pcm;
  }
  const tempDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'synth-song-'));
  try {
    const wavPath = path.join(tempDir, 'song.wav');
    await writeWav(wavPath, pcm, sampleRateHz);
    await encodeAudio(wavPath, filePath, { tags, coverPath: options.coverPath });
  } finally {
    await fsp.rm(tempDir, { recursive: true, force: true });
  }
  return pcm;
}

/** Runs ffmpeg with `args`; rejects with its stderr when it fails. */
export function runFfmpegTool(args: readonly string[]): Promise<void> {
  const ffmpeg = resolveFfmpeg();
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg.path, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

/** The signals one after another (a recording of several songs back to back). */
export function concatPcm(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Adds white Gaussian noise so that signal power / noise power = snrDb (measured over the whole signal). */
export function addNoise(pcm: Float32Array, snrDb: number, seed: number): Float32Array {
  let power = 0;
  for (let i = 0; i < pcm.length; i++) power += pcm[i] * pcm[i];
  power /= Math.max(1, pcm.length);
  const noiseRms = Math.sqrt(power / 10 ** (snrDb / 10));
  const rng = createRng(seed ^ 0x2545f491);
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i += 2) {
    // Box-Muller: two independent standard normals per pair of uniforms.
    const u1 = Math.max(rng(), 1e-12);
    const u2 = rng();
    const radius = Math.sqrt(-2 * Math.log(u1));
    out[i] = pcm[i] + noiseRms * radius * Math.cos(2 * Math.PI * u2);
    if (i + 1 < pcm.length) out[i + 1] = pcm[i + 1] + noiseRms * radius * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/** A copy of `durationSeconds` of `pcm` starting at `startSeconds`, clamped to the signal. */
export function cutClip(pcm: Float32Array, sampleRateHz: number, startSeconds: number, durationSeconds: number): Float32Array {
  const start = Math.min(pcm.length, Math.max(0, Math.round(startSeconds * sampleRateHz)));
  const end = Math.min(pcm.length, start + Math.max(0, Math.round(durationSeconds * sampleRateHz)));
  return pcm.slice(start, end);
}

/**
 * Plays `pcm` `factor` times faster (pitch and tempo both change, like a turntable), by linear interpolation.
 * The result has about length / factor samples at the same sample rate.
 */
export function resampleLinear(pcm: Float32Array, factor: number): Float32Array {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new Error(`resampleLinear: factor must be > 0, got ${factor}`);
  if (pcm.length === 0) return new Float32Array(0);
  const outLength = Math.floor((pcm.length - 1) / factor) + 1;
  const out = new Float32Array(outLength);
  for (let i = 0; i < outLength; i++) {
    const position = i * factor;
    const left = Math.floor(position);
    const fraction = position - left;
    const right = Math.min(pcm.length - 1, left + 1);
    out[i] = pcm[left] * (1 - fraction) + pcm[right] * fraction;
  }
  return out;
}

/**
 * Band-pass like a phone speaker: a 2nd-order Butterworth high-pass at lowHz and low-pass at highHz (RBJ biquads),
 * each applied twice (about 24 dB/octave outside the band). lowHz <= 0 or highHz >= Nyquist skips that side.
 */
export function bandLimit(pcm: Float32Array, sampleRateHz: number, lowHz: number, highHz: number): Float32Array {
  let out: Float32Array = Float32Array.from(pcm);
  if (lowHz > 0) out = applyBiquad(applyBiquad(out, biquad('highpass', lowHz, sampleRateHz)), biquad('highpass', lowHz, sampleRateHz));
  if (highHz < sampleRateHz / 2) {
    out = applyBiquad(applyBiquad(out, biquad('lowpass', highHz, sampleRateHz)), biquad('lowpass', highHz, sampleRateHz));
  }
  return out;
}

interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

function biquad(kind: 'highpass' | 'lowpass', cornerHz: number, sampleRateHz: number): BiquadCoefficients {
  const w0 = (2 * Math.PI * cornerHz) / sampleRateHz;
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
  const cosW0 = Math.cos(w0);
  const a0 = 1 + alpha;
  const b0 = kind === 'lowpass' ? (1 - cosW0) / 2 : (1 + cosW0) / 2;
  const b1 = kind === 'lowpass' ? 1 - cosW0 : -(1 + cosW0);
  return { b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * cosW0) / a0, a2: (1 - alpha) / a0 };
}

function applyBiquad(input: Float32Array, c: BiquadCoefficients): Float32Array {
  const out = new Float32Array(input.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < input.length; i++) {
    const x0 = input[i];
    const y0 = c.b0 * x0 + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2;
    out[i] = y0;
    x2 = x1;
    x1 = x0;
    y2 = y1;
    y1 = y0;
  }
  return out;
}
