// Keep listening end to end on the engine side: a LibraryEngine indexes generated songs from files; a "room" playing two of
// them and then a song not in the library is pushed a second at a time. The session's log names both songs in order
// with where they played, then an unknown stretch; the change of song shows within ~5 s of audio; each song is
// announced once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListenLogEntry, ListenState } from '../../../src-preload/contract/api.js';
import type { LibraryEngine } from '../libraryEngine.js';
import { openSongLibrary, type SongLibrary } from '../testing/songLibrary.js';
import { addNoise, concatPcm, cutClip, synthSong } from '../testing/synthAudio.js';
import { ListenSession } from './listenSession.js';

const RATE = 8000;
let library: LibraryEngine;
let songLibrary: SongLibrary | undefined;
const songs = new Map<string, Float32Array>([
  ['Alpha', synthSong(71, 70, RATE)],
  ['Beta', synthSong(72, 70, RATE)],
  ['Gamma', synthSong(73, 70, RATE)],
]);

/** Alpha 0:10-0:45, Beta 0:05-0:40, then 25 s of a song not in the library. */
const room = addNoise(concatPcm([cutClip(songs.get('Alpha')!, RATE, 10, 35), cutClip(songs.get('Beta')!, RATE, 5, 35), synthSong(79, 25, RATE)]), 20, 3);

beforeAll(async () => {
  songLibrary = await openSongLibrary('listen-session-', songs, RATE);
  library = songLibrary.library;
}, 120_000);

afterAll(async () => {
  await songLibrary?.close();
});

const titles = (log: readonly ListenLogEntry[]): (string | null)[] => log.map((e) => e.track?.title ?? null);

describe('a listening session', () => {
  it('logs two songs in order with their times, then the unknown stretch; notices the change within ~5 s', async () => {
    const announced: ListenLogEntry[] = [];
    const session = new ListenSession(library.identifyDeps(), (entry) => announced.push(entry));
    let firstAlpha: number | null = null;
    let firstBeta: number | null = null;
    let alphaPositions: number[] = [];
    let last: Omit<ListenState, 'sessionId'> | null = null;
    for (let at = 0; at < room.length; at += RATE) {
      last = await session.push(room.slice(at, at + RATE));
      const t = last.heardSeconds;
      if (last.playing?.track.title === 'Alpha') {
        firstAlpha ??= t;
        alphaPositions.push(last.playing.positionSeconds - t);
      }
      if (firstBeta === null && last.playing?.track.title === 'Beta') firstBeta = t;
    }
    expect(last!.heardSeconds).toBeCloseTo(95, 1);
    // Heard live: Alpha soon after the start, Beta within ~5 s of audio of the change at 35 s (6 s windows every 2 s,
    // two agreeing, took 9 s for both).
    expect(firstAlpha).not.toBeNull();
    expect(firstAlpha!).toBeLessThanOrEqual(6);
    expect(firstBeta).not.toBeNull();
    expect(firstBeta!).toBeGreaterThan(35);
    expect(firstBeta! - 35).toBeLessThanOrEqual(6);
    // The position advances with the audio: Alpha's position minus the audio's time stays its start offset (10 s).
    alphaPositions = alphaPositions.map((p) => Math.round(p));
    expect(new Set(alphaPositions)).toEqual(new Set([10]));
    // Before stop, the log already ends with the stretch not in the library (searched so far).
    expect(titles(last!.log)).toEqual(['Alpha', 'Beta', null]);
    expect(last!.playing).toBeNull();

    const final = await session.stop();
    expect(titles(final.log)).toEqual(['Alpha', 'Beta', null]);
    const [alpha, beta, unknown] = final.log;
    expect(alpha.startSeconds).toBeLessThan(2);
    expect(Math.abs(alpha.endSeconds - 35)).toBeLessThan(2);
    expect(Math.abs(alpha.offsetSeconds! - (10 + alpha.startSeconds))).toBeLessThan(0.3);
    expect(Math.abs(beta.startSeconds - 35)).toBeLessThan(2);
    expect(Math.abs(beta.endSeconds - 70)).toBeLessThan(2);
    expect(Math.abs(beta.offsetSeconds! - (5 + beta.startSeconds - 35))).toBeLessThan(0.3);
    expect(beta.speedFactor).toBe(1);
    expect(beta.confidence).toBeGreaterThan(0.5);
    expect(unknown.track).toBeNull();
    expect(unknown.startSeconds).toBeGreaterThan(68);
    expect(unknown.endSeconds).toBeCloseTo(95, 0);
    expect(final.log.every((e) => !e.ongoing)).toBe(true);
    // Each song announced once, with stable ids that the log keeps.
    expect(announced.map((e) => e.track?.title)).toEqual(['Alpha', 'Beta']);
    expect(announced.map((e) => e.id)).toEqual([alpha.id, beta.id]);
  }, 120_000);

  it('hears nothing in music that is not in the library', async () => {
    const session = new ListenSession(library.identifyDeps());
    const other = addNoise(synthSong(80, 30, RATE), 20, 5);
    for (let at = 0; at < other.length; at += RATE) {
      const state = await session.push(other.slice(at, at + RATE));
      expect(state.playing).toBeNull();
    }
    const final = await session.stop();
    expect(titles(final.log)).toEqual([null]);
    expect(final.log[0].endSeconds).toBeCloseTo(30, 0);
  }, 60_000);
});
