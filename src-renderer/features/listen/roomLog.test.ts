// The room log's exports: CSV rows with wall-clock times (songs and unknown stretches), an M3U8 of the songs' library
// files, JSON; tag text that would break a format is escaped; a recording held twice is one entry in each.
import { describe, expect, it } from 'vitest';
import type { ListenLogEntry } from '../../../src-preload/contract/api';
import type { TrackId, TrackSummary } from '../../../src-preload/contract/library';
import { ROOM_LOG_CSV_HEADER, roomLogCsv, roomLogFileName, roomLogJson, roomLogM3u8 } from './roomLog';

const track = (n: number, title: string, artist: string | null, filePath: string): TrackSummary => ({
  id: `00000000-0000-4000-8000-00000000000${n}` as TrackId,
  title,
  artist,
  album: 'Live',
  durationSeconds: 200 + n,
  format: 'flac',
  filePath,
});

const START = Date.parse('2026-12-04T21:30:00Z');
const NEXT_DAY = Date.parse('2026-12-05T20:00:00Z');
const LOG: ListenLogEntry[] = [
  {
    id: 1,
    startSeconds: 0.5,
    endSeconds: 35.25,
    track: track(1, 'Alpha', 'Band', '/music/Alpha.flac'),
    offsetSeconds: 10.5,
    speedFactor: 1,
    confidence: 0.93,
    ongoing: false,
  },
  {
    id: 2,
    startSeconds: 35.25,
    endSeconds: 70,
    track: track(2, '=Beta, "live"', null, '/music/Be\nta.flac'),
    offsetSeconds: 5,
    speedFactor: 1.04,
    confidence: 0.8,
    ongoing: false,
  },
  { id: 0, startSeconds: 70, endSeconds: 95, track: null, offsetSeconds: null, speedFactor: null, confidence: null, ongoing: false },
];

describe('room log exports', () => {
  it('CSV: a header, one row per stretch with wall-clock start/end, position, speed; unknown stretches named', () => {
    const lines = roomLogCsv([{ startedAtMs: START, log: LOG }])
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(ROOM_LOG_CSV_HEADER);
    expect(lines[1]).toBe('2026-12-04T21:30:00.500Z,2026-12-04T21:30:35.250Z,34.75,Alpha,Band,Live,10.5,1,0.93,/music/Alpha.flac');
    // A formula-looking title is defused, quotes doubled, the path's line break kept inside quotes (RFC 4180).
    expect(lines[2]).toBe(`2026-12-04T21:30:35.250Z,2026-12-04T21:31:10.000Z,34.75,"'=Beta, ""live""",,Live,5,1.04,0.8,"/music/Be\nta.flac"`);
    expect(lines[3]).toBe('2026-12-04T21:31:10.000Z,2026-12-04T21:31:35.000Z,25,not in the library,,,,,,');
    expect(lines).toHaveLength(4);
  });

  it("M3U8: the songs' files in order, nothing for unknown stretches, one line each", () => {
    expect(roomLogM3u8([{ startedAtMs: START, log: LOG }])).toBe(
      '#EXTM3U\n#EXTINF:201,Band - Alpha\n/music/Alpha.flac\n#EXTINF:202,=Beta, "live"\n/music/Be ta.flac\n',
    );
  });

  it('JSON: the session start and every stretch with both clocks', () => {
    const json = JSON.parse(roomLogJson([{ startedAtMs: START, log: LOG }]));
    expect(json.startedAt).toBe('2026-12-04T21:30:00.000Z');
    expect(json.entries.map((e: { title: string | null }) => e.title)).toEqual(['Alpha', '=Beta, "live"', null]);
    expect(json.entries[1]).toMatchObject({ startedAt: '2026-12-04T21:30:35.250Z', startSeconds: 35.25, speedFactor: 1.04, path: '/music/Be\nta.flac' });
  });

  it('writes several sessions (switch-ons) in order, each stretch timed from its own session', () => {
    const sessions = [
      { startedAtMs: START, log: LOG.slice(0, 1) },
      { startedAtMs: NEXT_DAY, log: LOG.slice(1) },
    ];
    const lines = roomLogCsv(sessions).trimEnd().split('\r\n');
    expect(lines.map((l) => l.slice(0, 24))).toEqual([
      ROOM_LOG_CSV_HEADER.slice(0, 24),
      '2026-12-04T21:30:00.500Z',
      '2026-12-05T20:00:35.250Z',
      '2026-12-05T20:01:10.000Z',
    ]);
    expect(
      roomLogM3u8(sessions)
        .split('\n')
        .filter((l) => l.startsWith('#EXTINF')),
    ).toHaveLength(2);
    const json = JSON.parse(roomLogJson(sessions));
    expect(json.startedAt).toBe('2026-12-04T21:30:00.000Z');
    expect(json.entries.map((e: { sessionStartedAt: string }) => e.sessionStartedAt)).toEqual([
      '2026-12-04T21:30:00.000Z',
      '2026-12-05T20:00:00.000Z',
      '2026-12-05T20:00:00.000Z',
    ]);
  });

  it('a recording held by two library files is one row, one playlist line, one JSON entry listing the other file', () => {
    const mp3 = { ...track(3, 'Alpha', 'Band', '/music/comp/Alpha.mp3'), format: 'mp3' };
    const log = [{ ...LOG[0], sameRecording: [mp3] }, ...LOG.slice(1)];
    const sessions = [{ startedAtMs: START, log }];
    const lines = roomLogCsv(sessions).trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.includes(',Alpha,'))).toEqual([lines[1]]);
    expect(lines[1].endsWith(',/music/Alpha.flac')).toBe(true);
    const playlist = roomLogM3u8(sessions);
    expect(playlist.match(/#EXTINF/g)).toHaveLength(2);
    expect(playlist).toContain('/music/Alpha.flac\n');
    expect(playlist).not.toContain('Alpha.mp3');
    const json = JSON.parse(roomLogJson(sessions));
    expect(json.entries).toHaveLength(3);
    expect(json.entries[0]).toMatchObject({ title: 'Alpha', path: '/music/Alpha.flac' });
    expect(json.entries[0].sameRecording).toEqual([{ trackId: mp3.id, title: 'Alpha', artist: 'Band', album: 'Live', path: '/music/comp/Alpha.mp3' }]);
    expect(json.entries.slice(1).map((e: object) => 'sameRecording' in e)).toEqual([false, false]);
  });

  it('names files after the session start', () => {
    expect(roomLogFileName(START, 'm3u8')).toMatch(/^audio-ident-room-log-2026-12-0[45]-\d{4}\.m3u8$/);
  });
});
