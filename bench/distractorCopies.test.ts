import { describe, expect, it } from 'vitest';
import { copyOfPiece, pieceRecording, type DistractorEntry } from './distractorCopies.js';

const jewels = 'SuperTux/Antarctic/08 Jewels.wav';
const speedDown = (speed: number, source = jewels): DistractorEntry => ({
  source,
  main: { speed, semitones: 0, reverse: false },
  partner: null,
  path: 'r00/x.flac',
});

describe('pieceRecording', () => {
  it('reads turntable, reversed and room labels, and nothing from held-out or other pieces', () => {
    expect(pieceRecording(`${jewels} x0.866`)).toEqual({ source: jewels, speed: 0.866, reverse: false });
    expect(pieceRecording(`${jewels} x1.15 (room)`)).toEqual({ source: jewels, speed: 1.15, reverse: false });
    expect(pieceRecording(`${jewels} reversed (room)`)).toEqual({ source: jewels, speed: 1, reverse: true });
    expect(pieceRecording('espeak-ng')).toBeNull();
    expect(pieceRecording('Heroes/Heroes01.ogg (room)')).toBeNull();
  });
});

describe('copyOfPiece', () => {
  it("is a copy when the distractor is the same track less than 12 % off the piece's speed", () => {
    expect(copyOfPiece(speedDown(0.87), `${jewels} x0.866`)).toBe('whole');
    expect(copyOfPiece(speedDown(0.783), `${jewels} x0.849 (room)`)).toBe('whole'); // 8.4 % apart
    expect(copyOfPiece(speedDown(0.76), `${jewels} x0.849`)).toBe('whole'); // 11.7 % apart
    expect(copyOfPiece(speedDown(0.75), `${jewels} x0.849`)).toBeNull(); // 13.2 %: another recording, as the plan has it
    expect(copyOfPiece(speedDown(0.87, 'Other/track.mp3'), `${jewels} x0.866`)).toBeNull();
  });

  it('needs the same direction and no key-locked pitch shift', () => {
    const reversed: DistractorEntry = { ...speedDown(0.97), main: { speed: 0.97, semitones: 0, reverse: true } };
    expect(copyOfPiece(reversed, `${jewels} reversed`)).toBe('whole');
    expect(copyOfPiece(reversed, `${jewels} x0.97`)).toBeNull();
    const pitched: DistractorEntry = { ...speedDown(1), main: { speed: 1, semitones: 2.5, reverse: false } };
    expect(copyOfPiece(pitched, `${jewels} x1.0`)).toBeNull();
  });

  it('says part when the piece is one track of a mixture', () => {
    const mixture: DistractorEntry = {
      source: 'Other/track.mp3',
      main: { speed: 1.2, semitones: 0, reverse: false },
      partner: { source: jewels, transform: { speed: 1.15, semitones: 0, reverse: false } },
      path: 'r00/mix.mp3',
    };
    expect(copyOfPiece(mixture, `${jewels} x1.16`)).toBe('part');
    expect(copyOfPiece({ ...mixture, source: jewels, main: { speed: 1.16, semitones: 0, reverse: false } }, `${jewels} x1.16`)).toBe('part');
    expect(copyOfPiece(mixture, `${jewels} x0.86`)).toBeNull();
  });
});
