import { describe, expect, it } from 'vitest';
import { parseOlafLines, wholeFileSegments, windowSegments } from './olafQuery.js';

// Lines as olaf_core query prints them (olaf_fp_matcher_callback_print_result), best first.
const WHOLE = [
  '212, 30.12, 95.40, /lib/A/01 Song, with comma.mp3, 12345, 10.00, 75.28',
  '40, 96.00, 110.00, /lib/A/01 Song, with comma.mp3, 12345, 75.80, 89.80',
  '31, 140.50, 200.00, /lib/B/02 Other.mp3, 999, 0.50, 60.00',
  '7, 2.00, 9.00, /lib/B/02 Other.mp3, 999, 100.00, 107.00',
  '0, 0.00, 0.00, , 0, 0.00, 0.00',
  'Open DB at in readonly mode 1 folder',
  '',
].join('\n');

describe('parseOlafLines', () => {
  it('reads the seven fields, keeps commas in paths and drops the empty answer and other text', () => {
    const lines = parseOlafLines(WHOLE);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({
      matchCount: 212,
      queryStart: 30.12,
      queryStop: 95.4,
      path: '/lib/A/01 Song, with comma.mp3',
      referenceStart: 10,
      referenceStop: 75.28,
    });
    expect(lines[3].path).toBe('/lib/B/02 Other.mp3');
    expect(parseOlafLines('0, 0.00, 0.00, , 0, 0.00, 0.00\n')).toEqual([]);
  });
});

describe('wholeFileSegments', () => {
  it('gives one segment per line in time order, and merges lines of one track that overlap', () => {
    const lines = parseOlafLines(WHOLE);
    expect(wholeFileSegments(lines)).toEqual([
      { start: 2, end: 9, path: '/lib/B/02 Other.mp3', offsetSeconds: 100, matchCount: 7 },
      { start: 30.12, end: 95.4, path: '/lib/A/01 Song, with comma.mp3', offsetSeconds: 10, matchCount: 212 },
      { start: 96, end: 110, path: '/lib/A/01 Song, with comma.mp3', offsetSeconds: 75.8, matchCount: 40 },
      { start: 140.5, end: 200, path: '/lib/B/02 Other.mp3', offsetSeconds: 0.5, matchCount: 31 },
    ]);
    // With a 1 s gap allowed, the two lines of Song (0.6 s apart) are one segment.
    const merged = wholeFileSegments(lines, 1);
    expect(merged).toHaveLength(3);
    expect(merged[1]).toEqual({ start: 30.12, end: 110, path: '/lib/A/01 Song, with comma.mp3', offsetSeconds: 10, matchCount: 252 });
  });
  it('takes the position in the track from the strongest of the merged lines', () => {
    // Olaf's answer to 30 s of a song from 20 s: the true alignment and a weaker one on a repeated section.
    const lines = parseOlafLines(
      ['97, 0.09, 29.47, /s.mp3, 1, 27.77, 57.15', '811, 2.00, 29.50, /s.mp3, 1, 22.00, 49.50', '9, 31.00, 33.00, /x.mp3, 2, 5.00, 7.00'].join('\n'),
    );
    expect(wholeFileSegments(lines)).toEqual([
      { start: 0.09, end: 29.5, path: '/s.mp3', offsetSeconds: 20.09, matchCount: 908 },
      { start: 31, end: 33, path: '/x.mp3', offsetSeconds: 5, matchCount: 9 },
    ]);
  });
});

describe('windowSegments', () => {
  const line = (path: string, matchCount: number, queryStart: number, referenceStart: number): string =>
    `${matchCount}, ${queryStart.toFixed(2)}, ${(queryStart + 5).toFixed(2)}, ${path}, 1, ${referenceStart.toFixed(2)}, ${(referenceStart + 5).toFixed(2)}`;
  it('names each answered window by its best line and merges consecutive windows of one track', () => {
    const windows = [
      parseOlafLines(`${line('/a.mp3', 20, 1, 41)}\n${line('/b.mp3', 9, 0, 3)}`),
      parseOlafLines(`${line('/b.mp3', 8, 0, 3)}\n${line('/a.mp3', 30, 0.5, 50.5)}`),
      parseOlafLines('0, 0.00, 0.00, , 0, 0.00, 0.00'),
      parseOlafLines(line('/a.mp3', 12, 2, 72)),
      parseOlafLines(line('/b.mp3', 15, 0, 10)),
    ];
    expect(windowSegments(windows, 10, 47.5)).toEqual([
      { start: 0, end: 20, path: '/a.mp3', offsetSeconds: 40, matchCount: 50 },
      { start: 30, end: 40, path: '/a.mp3', offsetSeconds: 70, matchCount: 12 },
      { start: 40, end: 47.5, path: '/b.mp3', offsetSeconds: 10, matchCount: 15 },
    ]);
  });
});
