// Keep listening to a song built of one phrase repeated (a tracker module's pattern, a loop-based track): every repeat
// gives the same votes, so the matcher's best position in a window is whichever repeat wins the tie, and it jumps back
// a phrase at a time while the song plays on. The room hears one song: one log entry, announced once. The next song
// starts inside the window that confirms it: its audio check judges the part of the window it plays in (judged whole,
// with the loop's last seconds in it, it fell short and the song was never named).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListenLogEntry } from '../../../src-preload/contract/api.js';
import type { LibraryEngine } from '../libraryEngine.js';
import { openSongLibrary, type SongLibrary } from '../testing/songLibrary.js';
import { addNoise, concatPcm, cutClip, synthSong } from '../testing/synthAudio.js';
import { ListenSession } from './listenSession.js';

const RATE = 8000;
let library: LibraryEngine;
let songLibrary: SongLibrary | undefined;
const phrase = synthSong(75, 16, RATE);
const songs = new Map<string, Float32Array>([
  ['Loop', concatPcm([phrase, phrase, phrase, phrase, phrase])],
  ['Beta', synthSong(76, 60, RATE)],
]);

/** Loop from 0:00 to 0:60 (the phrase nearly four times), then 30 s of Beta. */
const room = addNoise(concatPcm([cutClip(songs.get('Loop')!, RATE, 0, 60), cutClip(songs.get('Beta')!, RATE, 10, 30)]), 20, 6);

beforeAll(async () => {
  songLibrary = await openSongLibrary('listen-loop-', songs, RATE);
  library = songLibrary.library;
}, 120_000);

afterAll(async () => {
  await songLibrary?.close();
});

describe('a listening session over a loop', () => {
  it('logs the loop once while it plays on, announces it once, and then the next song', async () => {
    const announced: ListenLogEntry[] = [];
    const session = new ListenSession(library.identifyDeps(), (entry) => announced.push(entry));
    for (let at = 0; at < room.length; at += RATE) {
      const state = await session.push(room.slice(at, at + RATE));
      expect(state.log.filter((e) => e.track?.title === 'Loop').length).toBeLessThanOrEqual(1);
    }
    const final = await session.stop();
    const named = final.log.filter((e) => e.track !== null);
    expect(named.map((e) => e.track!.title)).toEqual(['Loop', 'Beta']);
    // A loop's offsets are a comb, so it is reported after more windows (rule.ridgeMinWindows), and its start is placed
    // by the first piece the matcher kept following.
    expect(named[0].startSeconds).toBeLessThan(8);
    expect(Math.abs(named[0].endSeconds - 60)).toBeLessThan(3);
    expect(announced.map((e) => e.track?.title)).toEqual(['Loop', 'Beta']);
  }, 120_000);
});
