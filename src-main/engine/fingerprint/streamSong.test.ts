// A followed song's bookkeeping, by hand: where it continues (at the position the audio predicts, or at one of a
// loop's other teeth) and what is left of it when its check as a loop fails (unloopSong).
import { describe, expect, it } from 'vitest';
import type { ExactCandidate } from './searchClip.js';
import { continuesSong, extendSong, startRow, startSong, unloopSong } from './streamSong.js';

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
