// Test helper: deterministic music-like songs, one per seed (a melody, chords and a drum on the instruments of
// synthInstruments.ts). For tests and benchmarks only; no audio is committed.
import { addTone, createRng, midiToHz } from './synthInstruments.js';

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

export interface SynthSongOptions {
  /** Add the noise-burst drum on every beat (default true). Every song shares this one drum sound. */
  readonly percussion?: boolean;
  /**
   * Played this much faster, at the same pitches (a DJ deck's key lock, a band playing it faster): every note starts
   * and lasts 1 / tempo of its time; `durationSeconds` is the score's (the audio lasts durationSeconds / tempo). The
   * same notes as at tempo 1 (default).
   */
  readonly tempo?: number;
}

/**
 * A deterministic, music-like mono signal, distinct per seed: a melody (notes of 120-500 ms drawn from a scale
 * between ~150 and ~2500 Hz, 3-5 decaying harmonics, attack/decay envelopes), chords struck every two beats, and a
 * noise burst on every beat at a per-seed tempo of 80-160 BPM. Peak-normalised to 0.8. Same seed, same samples.
 */
export function synthSong(seed: number, durationSeconds: number, sampleRateHz = 22050, options: SynthSongOptions = {}): Float32Array {
  const rng = createRng(seed);
  // Score seconds -> samples of the audio, at the tempo played.
  const tempo = options.tempo ?? 1;
  const at = (scoreSeconds: number): number => Math.round((scoreSeconds / tempo) * sampleRateHz);
  const sampleCount = Math.max(0, at(durationSeconds));
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
        startSample: at(timeSeconds),
        lengthSamples: at(noteSeconds),
        frequencyHz: midiToHz(scaleNotes[noteIndex]),
        amplitude: 0.5 + 0.5 * rng(),
        harmonicCount: 3 + Math.floor(rng() * 3),
        harmonicDecay,
        attackSeconds: 0.005 + rng() * 0.02,
        decaySeconds: (noteSeconds * (0.4 + 0.6 * rng())) / tempo,
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
          startSample: at(start),
          lengthSamples: at(chordSeconds),
          frequencyHz: midiToHz(midi),
          amplitude: 0.18,
          harmonicCount: 3,
          harmonicDecay: 0.5,
          attackSeconds: 0.03,
          decaySeconds: (chordSeconds * 0.7) / tempo,
        },
        rng,
      );
    }
  }

  // Percussion: a decaying noise burst on every beat, louder and longer on the off-beats (snare-like).
  const burstSamples = Math.round(0.12 * sampleRateHz);
  for (let beat = 0; options.percussion !== false && beat * beatSeconds < durationSeconds; beat++) {
    const start = at(beat * beatSeconds);
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
