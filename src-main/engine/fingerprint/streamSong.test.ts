// A followed song's bookkeeping, by hand: where it continues (at the position the audio predicts, or at one of a
// loop's other teeth), what is left of it when its check as a loop fails (unloopSong), and where a loop that jumped
// between its repeats is placed in its track (songSegment).
import { describe, expect, it } from 'vitest';
import type { ExactCandidate } from './searchClip.js';
import { continuesSong, extendSong, hopToTooth, songSegment, startRow, startSong, unloopSong } from './streamSong.js';

const HOP = 62; // frames between windows
const WINDOW = 250;
const candidate = (offsetFrames: number): ExactCandidate => ({ trackNum: 7, offsetFrames, alignedCount: 120, confidence: 0.9, timeFactor: 1, pitchFactor: 1 });

describe('continuesSong: at the position the audio predicts, or at a tooth only when asked', () => {
  const song = startSong(candidate(1000), 0, WINDOW);
  extendSong(song, 0, WINDOW, candidate(1000), candidate(1000));
  song.teeth = [1600];

  it('continues at the advanced position, within the tolerance, not elsewhere', () => {
    expect(continuesSong(song, 7, 1000 + HOP, HOP, 2)).toBe(true);
    expect(continuesSong(song, 7, 1000 + HOP + 2, HOP, 2)).toBe(true);
    expect(continuesSong(song, 7, 1000 + HOP + 4, HOP, 2)).toBe(false);
    expect(continuesSong(song, 8, 1000 + HOP, HOP, 2)).toBe(false); // another track
  });

  it("continues at a loop's other tooth, advanced as much, only with atTeeth", () => {
    expect(continuesSong(song, 7, 1600 + HOP, HOP, 2)).toBe(false);
    expect(continuesSong(song, 7, 1600 + HOP, HOP, 2, true)).toBe(true);
    expect(continuesSong(song, 7, 1600, HOP, 2, true)).toBe(false); // a tooth that stayed put: not the loop playing on
  });
});

describe('unloopSong: a song refused as a loop keeps the windows of its longest row between hops', () => {
  it('takes the longest row, drops its teeth and its check, and keeps no teeth for good', () => {
    const song = startSong(candidate(1000), 0, WINDOW);
    let at = 0;
    let offset = 1000;
    const window = (hop: boolean): void => {
      if (hop) {
        offset += 600; // another repeat of the loop
        startRow(song, false);
        song.toothHops++;
      }
      extendSong(song, at, at + WINDOW, candidate(offset), candidate(offset));
      at += HOP;
      offset += HOP;
    };
    // Rows of 3, then 5, then 2 windows: two hops.
    for (const hop of [false, false, false, true, false, false, false, false, true, false]) window(hop);
    expect(song.windows).toBe(10);
    expect(song.plainRow).toBe(2);
    expect(song.longestRow).toBe(5);
    song.check = 17;
    song.teeth = [2000];
    unloopSong(song);
    expect(song).toMatchObject({ windows: 5, check: 'none', toothHops: 0, teeth: [], teethRefused: true });
  });

  it('counts a hop in a window the song was already extended in as the first window of the new row', () => {
    const song = startSong(candidate(1000), 0, WINDOW);
    extendSong(song, 0, WINDOW, candidate(1000), candidate(1000));
    extendSong(song, HOP, HOP + WINDOW, candidate(1000 + HOP), null);
    startRow(song, true);
    expect(song.plainRow).toBe(1);
    expect(song.longestRow).toBe(2);
  });
});

describe('songSegment: a loop that jumped back between its repeats is placed inside its track', () => {
  const REPEAT = 600; // the loop's phrase, in track frames
  // Heard from stream frame 0 at track frame 1300 (the phrase's third repeat), 20 windows, the matcher's best position
  // jumping back a repeat at windows 5 and 12 (each repeat votes alike).
  const followed = (): ReturnType<typeof startSong> => {
    const song = startSong(candidate(1300), 0, WINDOW);
    let offset = 1300;
    for (let w = 0; w < 20; w++) {
      const at = w * HOP;
      if (w === 5 || w === 12) {
        offset -= REPEAT;
        startRow(song, false);
        hopToTooth(song, offset, at);
      }
      extendSong(song, at, at + WINDOW, candidate(offset), candidate(offset));
      offset += HOP;
    }
    return song;
  };

  it('keeps the line through its latest anchor for a song that never jumped', () => {
    const song = startSong(candidate(1000), 0, WINDOW);
    for (let w = 0; w < 4; w++) extendSong(song, w * HOP, w * HOP + WINDOW, candidate(1000 + w * HOP + 1), null);
    expect(song.repeatFrames).toBe(0);
    expect(songSegment(song).trackStartFrame).toBeCloseTo(1000 + 1, 6);
    expect(songSegment(song, null, 500).trackStartFrame).toBeCloseTo(1000 + 1, 6); // no repeat to move it by
  });

  it('records the repeat it jumped by, and keeps the line through its latest anchor where it fits the track', () => {
    const song = followed();
    expect(song.repeatFrames).toBe(REPEAT);
    expect(song.anchorTrack - song.anchorStream).toBe(100); // 1300 - 2 * 600
    expect(songSegment(song).trackStartFrame).toBe(100);
    expect(songSegment(song, null, 5000).trackStartFrame).toBe(100);
  });

  it('moves a start before the track began forward by whole repeats', () => {
    const song = followed();
    song.anchorTrack -= REPEAT; // a third jump: the line now crosses the track's start at -500
    expect(songSegment(song, null, 5000).trackStartFrame).toBe(100);
    expect(songSegment(song).trackStartFrame).toBe(100);
  });

  it('moves the start back by whole repeats when the stretch heard would run past the end of the track', () => {
    const song = followed(); // 19 hops + a window: 1428 frames heard
    song.anchorTrack += 2 * REPEAT; // the line through its anchor: 1300, so that it would end at 2728
    expect(songSegment(song, null, 2500).trackStartFrame).toBe(700); // 700 + 1428 fits in 2500
    // A stretch longer than the track (a DJ looping it): the earliest start at or after the track's.
    expect(songSegment(song, null, 1000).trackStartFrame).toBe(100);
  });
});
