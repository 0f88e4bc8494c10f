// HistoryLog on a migrated in-memory catalog: keyed updates (one Listen = one entry), paging, newest first, clear;
// the same clip counted on one entry, the stored result, search, delete and export.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdentifyResult, TrackId, TrackSummary } from '../../../src-preload/contract/library.js';
import type { Catalog } from './catalog.js';
import { HistoryLog } from './history.js';
import { openCatalog } from './openCatalog.js';

let catalog: Catalog;
let clock: number;
let history: HistoryLog;
beforeEach(() => {
  catalog = openCatalog(':memory:');
  clock = Date.parse('2026-01-01T10:00:00Z');
  history = new HistoryLog(catalog.db, () => new Date((clock += 1000)));
});
afterEach(() => catalog.close());

const match = { trackId: 'b3f1c3b0-0000-4000-8000-000000000001' as TrackId, title: 'One', artist: 'A', album: null, offsetSeconds: 61.2, confidence: 0.9 };

describe('HistoryLog', () => {
  it('keeps one entry per key, updated by the growing clip, and never forgets a match', () => {
    history.record({ key: 'listen-1', source: 'mic', clipName: null, clipSeconds: 3, mode: 'exact', match: null });
    history.record({ key: 'listen-1', source: 'mic', clipName: null, clipSeconds: 4, mode: 'exact', match });
    history.record({ key: 'listen-1', source: 'mic', clipName: null, clipSeconds: 5, mode: 'exact', match: null });
    const page = history.list(1, 10);
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ source: 'mic', clipSeconds: 5, match });
  });

  it('adds an entry per record without a key, lists newest first and pages', () => {
    for (let i = 0; i < 5; i++) history.record({ key: null, source: 'file', clipName: `c${i}.mp3`, clipSeconds: i + 1, mode: 'both', match: null });
    const first = history.list(1, 2);
    expect(first.total).toBe(5);
    expect(first.items.map((e) => e.clipName)).toEqual(['c4.mp3', 'c3.mp3']);
    expect(history.list(3, 2).items.map((e) => e.clipName)).toEqual(['c0.mp3']);
    history.clear();
    expect(history.list(1, 10)).toEqual({ items: [], total: 0, page: 1, perPage: 10 });
  });

  it('keeps a vibe Listen as "sounds like X", never as not in library, and lets an exact match win over it', () => {
    const soundsLike = { trackId: 'b3f1c3b0-0000-4000-8000-000000000002' as TrackId, title: 'Two', artist: null, similarity: 0.81 };
    history.record({ key: 'vibe-1', source: 'mic', clipName: null, clipSeconds: 3, mode: 'vibe', match: null, soundsLike });
    history.record({ key: 'vibe-1', source: 'mic', clipName: null, clipSeconds: 4, mode: 'vibe', match: null, soundsLike: null });
    expect(history.list(1, 10).items).toEqual([expect.objectContaining({ mode: 'vibe', clipSeconds: 4, match: null, soundsLike })]);
    history.record({ key: 'both-1', source: 'mic', clipName: null, clipSeconds: 3, mode: 'both', match: null, soundsLike });
    history.record({ key: 'both-1', source: 'mic', clipName: null, clipSeconds: 4, mode: 'both', match, soundsLike: null });
    history.record({ key: 'both-1', source: 'mic', clipName: null, clipSeconds: 5, mode: 'both', match: null, soundsLike });
    expect(history.list(1, 10).items[0]).toMatchObject({ clipSeconds: 5, match, soundsLike: null });
    history.record({ key: null, source: 'file', clipName: 'x.mp3', clipSeconds: 5, mode: 'exact', match: null });
    expect(history.list(1, 10).items[0]).toMatchObject({ match: null, soundsLike: null });
  });
});

const trackOne: TrackSummary = {
  id: match.trackId,
  title: 'One',
  artist: 'A',
  album: null,
  durationSeconds: 80,
  format: 'flac',
  filePath: '/music/A/01 One.flac',
};
const resultOne: IdentifyResult = {
  durationMs: 40,
  clipSeconds: 5,
  exact: [{ track: trackOne, confidence: 0.9, offsetSeconds: 61.2, alignedHashes: 30, speedFactor: 1, pitchFactor: 1 }],
  vibe: [],
  modeUsed: 'exact',
};
const drop = (clipName: string, clipSha256: string, key: string, found: boolean) => ({
  key,
  source: 'file' as const,
  clipName,
  clipSeconds: 5,
  mode: 'exact' as const,
  match: found ? match : null,
  clipSha256,
  result: found ? resultOne : { ...resultOne, exact: [] },
  trackFileName: found ? '01 One.flac' : null,
});

describe('HistoryLog: the same clip, results, search, delete, export', () => {
  it('counts the same clip dropped again on one entry, with the latest time and answer, and keeps its first time', () => {
    expect(history.record(drop('clip.wav', 'aaa', 'drop-1', false))).toBe('added');
    expect(history.record(drop('other.wav', 'bbb', 'drop-2', false))).toBe('added');
    // The same bytes under another name, later, now found (the library grew meanwhile).
    expect(history.record(drop('clip (copy).wav', 'aaa', 'drop-3', true))).toBe('counted');
    const page = history.list(1, 10);
    expect(page.total).toBe(2);
    const [again, other] = page.items;
    expect(again).toMatchObject({ count: 2, clipName: 'clip (copy).wav', match, trackFileName: '01 One.flac' });
    expect(again.firstAt).toBe('2026-01-01T10:00:01.000Z');
    expect(again.at).toBe('2026-01-01T10:00:03.000Z');
    expect(other).toMatchObject({ count: 1, clipName: 'other.wav', match: null });
    expect(other.firstAt).toBe(other.at);
    // A repeat of the same request (same key) updates without counting again.
    expect(history.record(drop('clip (copy).wav', 'aaa', 'drop-3', true))).toBe('updated');
    expect(history.list(1, 10).items[0].count).toBe(2);
    // Microphone Listens are never merged: no hash.
    history.record({ key: 'l-1', source: 'mic', clipName: null, clipSeconds: 4, mode: 'exact', match });
    history.record({ key: 'l-2', source: 'mic', clipName: null, clipSeconds: 4, mode: 'exact', match });
    expect(history.list(1, 10).items.map((e) => [e.source, e.count])).toEqual([
      ['mic', 1],
      ['mic', 1],
      ['file', 2],
      ['file', 1],
    ]);
  });

  it('keeps the whole result to reopen an entry; entries without one answer null; unknown ids are undefined', () => {
    history.record(drop('clip.wav', 'aaa', 'drop-1', true));
    history.record({ key: null, source: 'mic', clipName: null, clipSeconds: 3, mode: 'exact', match: null });
    const [mic, file] = history.list(1, 10).items;
    expect(history.get(file.id)).toEqual({ entry: file, result: resultOne });
    expect(history.get(mic.id)).toEqual({ entry: mic, result: null });
    expect(history.get('no-such-id')).toBeUndefined();
  });

  it('keeps the result that showed a match when a later, longer clip of the same Listen finds nothing', () => {
    history.record({ key: 'l', source: 'mic', clipName: null, clipSeconds: 4, mode: 'exact', match, result: resultOne, trackFileName: '01 One.flac' });
    history.record({
      key: 'l',
      source: 'mic',
      clipName: null,
      clipSeconds: 6,
      mode: 'exact',
      match: null,
      result: { ...resultOne, clipSeconds: 6, exact: [] },
    });
    const [entry] = history.list(1, 10).items;
    expect(entry).toMatchObject({ clipSeconds: 6, match, trackFileName: '01 One.flac', count: 1 });
    expect(history.get(entry.id)?.result).toEqual(resultOne);
  });

  it("searches clip names, the source, the track's tags and file name: every word, anywhere, any case or accent", () => {
    const soundsLike = { trackId: 'b3f1c3b0-0000-4000-8000-000000000002' as TrackId, title: 'Déjà Vu', artist: 'Beyoncé', similarity: 0.8 };
    history.record(drop('Party Mix.wav', 'aaa', 'd-1', true));
    history.record({ key: 'v-1', source: 'mic', clipName: null, clipSeconds: 4, mode: 'vibe', match: null, soundsLike, trackFileName: 'dejavu.mp3' });
    history.record({ key: 'n-1', source: 'mic', clipName: null, clipSeconds: 4, mode: 'exact', match: null });
    const titles = (search: string) => history.list(1, 10, search).items.map((e) => e.match?.title ?? e.soundsLike?.title ?? '-');
    expect(titles('party')).toEqual(['One']);
    expect(titles('01 one.FLAC')).toEqual(['One']); // the track's file name
    expect(titles('beyonce DÉJÀ')).toEqual(['Déjà Vu']); // accents and case ignored, all words
    expect(titles('vu.mp3')).toEqual(['Déjà Vu']); // anywhere in a word
    expect(titles('microphone')).toEqual(['-', 'Déjà Vu']);
    expect(titles('beyonce party')).toEqual([]);
    expect(titles('   ')).toEqual(['-', 'Déjà Vu', 'One']);
    expect(history.list(1, 1, 'microphone')).toMatchObject({ total: 2, items: [{ mode: 'exact' }] });
    expect(history.list(2, 1, 'microphone')).toMatchObject({ total: 2, items: [{ mode: 'vibe' }] });
  });

  it('deletes one or several entries by id and skips unknown ids', () => {
    for (let i = 0; i < 4; i++) history.record(drop(`c${i}.wav`, `hash-${i}`, `d-${i}`, false));
    const ids = history.list(1, 10).items.map((e) => e.id);
    expect(history.delete([ids[0]])).toBe(1);
    expect(history.delete([ids[1], ids[2], 'gone', ids[0]])).toBe(2);
    expect(history.list(1, 10).items.map((e) => e.clipName)).toEqual(['c0.wav']);
    // A deleted clip dropped again starts a new entry.
    history.record(drop('c3.wav', 'hash-3', 'd-9', false));
    expect(history.list(1, 10).items.map((e) => [e.clipName, e.count])).toEqual([
      ['c3.wav', 1],
      ['c0.wav', 1],
    ]);
  });

  it('exports CSV with a header row, RFC 4180 quoting and no spreadsheet formulas, optionally filtered', () => {
    const tricky = { ...match, title: 'Hello, "World"', artist: 'Line\nBreak', album: '=HYPERLINK("http://x")' };
    history.record({ ...drop('a,b.wav', 'aaa', 'd-1', true), match: tricky });
    history.record(drop('plain.wav', 'bbb', 'd-2', false));
    const csv = history.export('csv');
    expect(csv).toMatchObject({ fileName: 'audio-ident-history-2026-01-01.csv', mimeType: 'text/csv;charset=utf-8', entryCount: 2 });
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(
      'last_seen,first_seen,count,source,clip_name,clip_seconds,mode,result,title,artist,album,track_file_name,offset_seconds,confidence,similarity,track_id,entry_id',
    );
    expect(lines[1]).toMatch(/^2026-01-01T10:00:02\.000Z,2026-01-01T10:00:02\.000Z,1,file,plain\.wav,5,exact,not-found,,,,,,,,,[0-9a-f-]{36}$/);
    // The quoted LF stays inside its field, so this record spans two of the CRLF-split pieces.
    expect(lines[2]).toMatch(/^2026-01-01T10:00:01\.000Z,2026-01-01T10:00:01\.000Z,1,file,"a,b\.wav",5,exact,match,"Hello, ""World""","Line\nBreak",/);
    expect(lines[2]).toMatch(/,"'=HYPERLINK\(""http:\/\/x""\)",01 One\.flac,61\.2,0\.9,,b3f1c3b0-0000-4000-8000-000000000001,[0-9a-f-]{36}$/);
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
    expect(history.export('csv', 'plain').text.split('\r\n')).toHaveLength(3);
  });

  it('exports JSON with the entries as listHistory gives them', () => {
    history.record(drop('a.wav', 'aaa', 'd-1', true));
    history.record(drop('a.wav', 'aaa', 'd-2', true));
    const json = history.export('json', 'a.wav');
    expect(json).toMatchObject({ fileName: 'audio-ident-history-2026-01-01.json', mimeType: 'application/json;charset=utf-8', entryCount: 1 });
    const parsed = JSON.parse(json.text) as { entries: unknown[] };
    expect(parsed).toMatchObject({ format: 'audio-ident-history', version: 1, search: 'a.wav', entryCount: 1 });
    expect(parsed.entries).toEqual(history.list(1, 10).items);
  });
});
