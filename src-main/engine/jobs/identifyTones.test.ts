// Issue 15: tones, silence and DC must never be named as a library track. A library of three synthesised songs (one
// of which holds notes long enough for a pure tone to line up with them: a 3 s 440 Hz tone was named "song 3" with
// confidence 0.89 before the fix); every stationary or empty signal returns no exact match, while real excerpts of
// the songs, clean or degraded, still do. Nor is another song whose drums merely fall on a library song's beats.
import { mkdtempSync, promises as fsp, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessRunners, LibraryEngine } from '../libraryEngine.js';
import { addNoise, bandLimit, cutClip, synthSong, writeWav } from '../testing/synthAudio.js';

const RATE = 8000;
const SECONDS = 3;
const songs = [synthSong(1, 40, RATE), synthSong(2, 40, RATE), synthSong(3, 40, RATE, { percussion: false })];
let dir: string;
let library: LibraryEngine;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'identify-tones-'));
  const music = path.join(dir, 'music');
  await fsp.mkdir(music);
  for (let i = 0; i < songs.length; i++) await writeWav(path.join(music, `song ${i + 1}.wav`), songs[i], RATE);
  library = await LibraryEngine.open(path.join(dir, 'data'), inProcessRunners(1), undefined, { embedderManifest: null });
  await library.scan([music]);
}, 120_000);

afterAll(async () => {
  await library?.close();
  rmSync(dir, { recursive: true, force: true });
});

const signal = (f: (t: number) => number): Float32Array => Float32Array.from({ length: SECONDS * RATE }, (_, i) => f(i / RATE));
const tone = (hz: number, level = 0.5): Float32Array => signal((t) => level * Math.sin(2 * Math.PI * hz * t));

/** The strongest frequency (Hz, 200..3800) over a stretch of a song, by a Goertzel scan: a note the song really holds. */
function strongestFrequency(pcm: Float32Array): number {
  let best = 0;
  let bestHz = 0;
  for (let hz = 200; hz <= 3800; hz += 2) {
    const w = (2 * Math.PI * hz) / RATE;
    const c = 2 * Math.cos(w);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < pcm.length; i++) {
      const s0 = pcm[i] + c * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const power = s1 * s1 + s2 * s2 - c * s1 * s2;
    if (power > best) {
      best = power;
      bestHz = hz;
    }
  }
  return bestHz;
}

describe('identify: stationary and empty signals never match', () => {
  const cases: [string, () => Float32Array][] = [
    ...[110, 220, 261.63, 440, 523.25, 1000, 2000, 3000].map((hz): [string, () => Float32Array] => [`a ${hz} Hz tone`, () => tone(hz)]),
    ['a tone at the strongest frequency of song 3', () => tone(strongestFrequency(cutClip(songs[2], RATE, 10, 5)))],
    ['a tone at the strongest frequency of song 1', () => tone(strongestFrequency(cutClip(songs[0], RATE, 10, 5)))],
    ['two tones (a fifth)', () => signal((t) => 0.3 * Math.sin(2 * Math.PI * 440 * t) + 0.3 * Math.sin(2 * Math.PI * 660 * t))],
    ['a 440 Hz tone with vibrato', () => signal((t) => 0.5 * Math.sin(2 * Math.PI * 440 * t + 3 * Math.sin(2 * Math.PI * 5 * t)))],
    ['silence', () => new Float32Array(SECONDS * RATE)],
    ['DC', () => new Float32Array(SECONDS * RATE).fill(0.5)],
    ['a sweep 200..3200 Hz', () => signal((t) => 0.5 * Math.sin(2 * Math.PI * (200 * t + 500 * t * t)))],
    ['a 440 Hz square wave', () => signal((t) => (Math.sin(2 * Math.PI * 440 * t) >= 0 ? 0.4 : -0.4))],
    [
      'a band-limited 220 Hz square wave',
      () => signal((t) => [1, 3, 5, 7, 9, 11, 13, 15, 17].reduce((sum, k) => sum + (0.4 / k) * Math.sin(2 * Math.PI * 220 * k * t), 0)),
    ],
    ['a 440 Hz tone in quiet noise', () => addNoise(tone(440), 30, 5)],
  ];
  for (const [name, make] of cases) {
    it(`${name}: no exact match`, async () => {
      const result = await library.identify(make(), { mode: 'exact' });
      expect(result.exact.map((m) => `${m.track.title} ${m.confidence}`)).toEqual([]);
    });
  }
});

describe('identify: another song on the same beat is not named', () => {
  // Songs outside the library whose tempo lies within the speed grid of song 1's (95 BPM) or song 2's (106 BPM): under
  // the matching speed their drums fall on the library song's beats. Every drum is a noise burst, each song's its own
  // noise, so the peaks at those instants coincide only by chance. Before the shifted-decoy bar 42 of 101 such 3 s
  // clips (seeds 600-700) passed the vote bars and 20 of them survived the audio check too, these 8 among them (6-18
  // votes against 2-3), as the zoo's 3 s WAVs of seed 601 were named "Zoo Library One".
  for (const seed of [607, 608, 612, 625, 633, 641, 646, 653]) {
    it(`3 s of song ${seed}: no exact match`, async () => {
      const result = await library.identify(synthSong(seed, SECONDS, RATE), { mode: 'exact' });
      expect(result.exact.map((m) => `${m.track.title} ${m.confidence}`)).toEqual([]);
    });
  }
});

describe('identify: the songs themselves still match', () => {
  for (let i = 0; i < songs.length; i++) {
    it(`3 s of song ${i + 1}, clean and at 5 dB SNR over a phone band`, async () => {
      const clean = await library.identify(cutClip(songs[i], RATE, 12, SECONDS), { mode: 'exact' });
      expect(clean.exact[0]?.track.title).toBe(`song ${i + 1}`);
      const phone = await library.identify(bandLimit(addNoise(cutClip(songs[i], RATE, 30, SECONDS), 5, i), RATE, 300, 3400), { mode: 'exact' });
      expect(phone.exact[0]?.track.title).toBe(`song ${i + 1}`);
    });
  }
});
