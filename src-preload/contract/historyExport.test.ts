// The pure History helpers both the engine and the fakes use: CSV fields (RFC 4180 quoting, no spreadsheet
// formulas in free text) and the search predicate.
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from './api.js';
import { csvField, historyToCsv } from './historyExport.js';
import { matchesHistorySearch } from './historySearch.js';

const base: HistoryEntry = {
  id: 'e-1',
  at: '2026-01-01T10:00:00.000Z',
  firstAt: '2026-01-01T09:00:00.000Z',
  count: 3,
  source: 'file',
  clipName: 'clip.wav',
  clipSeconds: 5.5,
  mode: 'both',
  match: null,
  soundsLike: null,
  trackFileName: null,
};

describe('csvField', () => {
  it('quotes a field holding a comma, a quote, CR or LF, doubling its quotes, and leaves others alone', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('one\ntwo')).toBe('"one\ntwo"');
    expect(csvField('one\rtwo')).toBe('"one\rtwo"');
    expect(csvField('')).toBe('');
  });
});

describe('historyToCsv', () => {
  it('writes a header and one CRLF-terminated record per entry, with formula-looking text neutralised', () => {
    const soundsLike = { trackId: 't-2' as never, title: '+1 (Remix)', artist: '@dj', similarity: 0.75 };
    const csv = historyToCsv([{ ...base, clipName: '-x.wav', soundsLike, trackFileName: '=cmd|x.mp3' }]);
    const [header, row, end] = csv.split('\r\n');
    expect(header.split(',')).toHaveLength(17);
    expect(row).toBe(`2026-01-01T10:00:00.000Z,2026-01-01T09:00:00.000Z,3,file,'-x.wav,5.5,both,sounds-like,'+1 (Remix),'@dj,,'=cmd|x.mp3,,,0.75,t-2,e-1`);
    expect(end).toBe('');
  });
});

describe('matchesHistorySearch', () => {
  const entry: HistoryEntry = {
    ...base,
    match: { trackId: 't-1' as never, title: 'Señorita', artist: 'Shawn', album: 'Hits', offsetSeconds: 1, confidence: 1 },
  };
  it('needs every word somewhere in the entry, ignoring case and accents', () => {
    expect(matchesHistorySearch(entry, 'senor')).toBe(true);
    expect(matchesHistorySearch(entry, 'RITA shawn')).toBe(true);
    expect(matchesHistorySearch(entry, 'clip.WAV hits')).toBe(true);
    expect(matchesHistorySearch(entry, 'file')).toBe(true);
    expect(matchesHistorySearch(entry, 'microphone')).toBe(false);
    expect(matchesHistorySearch(entry, 'shawn beyonce')).toBe(false);
    expect(matchesHistorySearch(entry, ' \t ')).toBe(true);
    expect(matchesHistorySearch(entry, undefined)).toBe(true);
  });
});
