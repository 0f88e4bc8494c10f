// Keep listening over a library holding one recording twice (an album track, and the same recording on a compilation
// without its first 8 s, quieter and with some hiss): the room hears one song, so the log has one entry naming one
// file, the other beside it; it is announced once (one notification, one History entry) and "now playing" names that
// one file throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListenLogEntry, ListenState } from '../../../src-preload/contract/api.js';
import type { LibraryEngine } from '../libraryEngine.js';
import { openSongLibrary, type SongLibrary } from '../testing/songLibrary.js';
import { addNoise, concatPcm, cutClip, synthSong } from '../testing/synthAudio.js';
import { ListenSession } from './listenSession.js';

const RATE = 8000;
let library: LibraryEngine;
let songLibrary: SongLibrary | undefined;
const alpha = synthSong(81, 70, RATE);
const songs = new Map<string, Float32Array>([
  ['Alpha', alpha],
  [
    'Alpha (compilation)',
    addNoise(
      alpha.slice(8 * RATE).map((v) => 0.8 * v),
      30,
      5,
    ),
  ],
  ['Beta', synthSong(82, 70, RATE)],
]);

/** Alpha 0:12-0:52 (both files hold it), then Beta 0:05-0:35. */
const room = addNoise(concatPcm([cutClip(alpha, RATE, 12, 40), cutClip(songs.get('Beta')!, RATE, 5, 30)]), 20, 4);

beforeAll(async () => {
  songLibrary = await openSongLibrary('listen-same-', songs, RATE);
  library = songLibrary.library;
}, 120_000);

afterAll(async () => {
  await songLibrary?.close();
});

const titles = (log: readonly ListenLogEntry[]): (string | null)[] => log.map((e) => e.track?.title ?? null);
const others = (log: readonly ListenLogEntry[]): string[][] => log.map((e) => (e.sameRecording ?? []).map((t) => t.title));

describe('a listening session over a recording held twice', () => {
  it('logs it once, the other file beside it; announces it once; now playing names one file', async () => {
    const announced: ListenLogEntry[] = [];
    const session = new ListenSession(library.identifyDeps(), (entry) => announced.push(entry));
    const nowPlaying = new Set<string>();
    let last: Omit<ListenState, 'sessionId'> | null = null;
    for (let at = 0; at < room.length; at += RATE) {
      last = await session.push(room.slice(at, at + RATE));
      if (last.playing) nowPlaying.add(last.playing.track.title);
      // Never two entries of the recording, not even for a push.
      expect(titles(last.log).filter((t) => t?.startsWith('Alpha')).length).toBeLessThanOrEqual(1);
    }
    const final = await session.stop();
    expect(titles(final.log).map((t) => t?.startsWith('Alpha'))).toEqual([true, false]);
    const [one, beta] = final.log;
    expect([one.track!.title, ...others(final.log)[0]].sort()).toEqual(['Alpha', 'Alpha (compilation)']);
    expect(others(final.log)[1]).toEqual([]);
    expect(beta.track!.title).toBe('Beta');
    expect(nowPlaying).toEqual(new Set([one.track!.title, 'Beta']));
    expect(one.startSeconds).toBeLessThan(2);
    expect(Math.abs(one.endSeconds - 40)).toBeLessThan(2);
    // Where in the named file: the compilation's copy is 8 s behind the album's.
    expect(Math.abs(one.offsetSeconds! - one.startSeconds - (one.track!.title === 'Alpha' ? 12 : 4))).toBeLessThan(0.3);
    expect(Math.abs(beta.startSeconds - 40)).toBeLessThan(2);
    expect(final.log.every((e) => !e.ongoing)).toBe(true);
    expect(announced.map((e) => e.track?.title)).toEqual([one.track!.title, 'Beta']);
    expect(announced.map((e) => e.id)).toEqual([one.id, beta.id]);
  }, 120_000);
});
