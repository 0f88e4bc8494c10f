// The CLI's human tracklist: one line per stretch; a song held by two library files names the other file too (its
// path escaped as every other text of a tag or file name).
import { describe, expect, it } from 'vitest';
import type { Tracklist, TrackSummary } from '../../src-preload/contract/library.js';
import { formatTracklist } from './cliText.js';

const track = (title: string, filePath: string): TrackSummary =>
  ({ id: title, title, artist: 'Band', album: null, durationSeconds: 200, format: 'flac', filePath }) as TrackSummary;

describe('formatTracklist', () => {
  it('names the other files of a recording on its line', () => {
    const list: Tracklist = {
      durationSeconds: 90,
      durationMs: 5,
      segments: [
        {
          start: 0,
          end: 60,
          track: track('Alpha', '/m/a.flac'),
          offsetSeconds: 5,
          speedFactor: 1,
          pitchFactor: 1,
          confidence: 0.9,
          alignedHashes: 70,
          sameRecording: [track('Alpha', '/m/x\u001b[2J.mp3')],
        },
        { start: 60, end: 90, track: null, offsetSeconds: null, speedFactor: null, pitchFactor: null, confidence: null, alignedHashes: null },
      ],
    };
    const lines = formatTracklist('set.wav', list).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('0:00-1:00  Alpha — Band  (from 0:05; also in your library as /m/x\\x1B[2J.mp3)');
    expect(lines[2]).toBe('1:00-1:30  not in your library');
  });
});
