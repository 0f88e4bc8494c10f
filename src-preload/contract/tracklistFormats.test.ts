// The tracklist's export formats on a hand-made tracklist: CSV quoting (RFC 4180) and
// formula guard, CUE times at 75 frames a second, quotes and control characters in titles, the 99-track cap.
import { describe, expect, it } from 'vitest';
import type { TrackId, Tracklist, TracklistSegment, TrackSummary } from './library.js';
import { cueTime, tracklistClock, tracklistCsv, tracklistCue } from './tracklistFormats.js';

const track = (n: number, title: string, artist: string | null): TrackSummary => ({
  id: `00000000-0000-4000-8000-00000000000${n}` as TrackId,
  title,
  artist,
  album: n === 1 ? 'Album, "Deluxe"' : null,
  durationSeconds: 200,
  format: 'mp3',
  filePath: `/music/${title}.mp3`,
});

const song = (start: number, end: number, t: TrackSummary, offset: number, speed = 1): TracklistSegment => ({
  start,
  end,
  track: t,
  offsetSeconds: offset,
  speedFactor: speed,
  pitchFactor: speed,
  confidence: 0.9,
  alignedHashes: 40,
});
const unknown = (start: number, end: number): TracklistSegment => ({
  start,
  end,
  track: null,
  offsetSeconds: null,
  speedFactor: null,
  pitchFactor: null,
  confidence: null,
  alignedHashes: null,
});

const list: Tracklist = {
  durationSeconds: 125.5,
  durationMs: 900,
  segments: [
    song(0, 30.2, track(1, 'Beta', 'Artist'), 10),
    song(30.2, 61, track(2, 'Say "hi", then\nleave', null), 5, 1.04),
    unknown(61, 90),
    song(90, 125.5, track(3, '=HYPERLINK("x")', '+Band'), 20),
  ],
};

describe('tracklistCsv', () => {
  it('writes a header and one RFC 4180 row per segment, quoting commas, quotes and newlines', () => {
    const csv = tracklistCsv(list);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.startsWith('start,end,start_time,end_time,title,artist,album,offset_seconds,speed_factor,confidence,track_id,path\r\n')).toBe(true);
    expect(csv).toContain('0,30.2,0:00,0:30,Beta,Artist,"Album, ""Deluxe""",10,1,0.9,00000000-0000-4000-8000-000000000001,/music/Beta.mp3\r\n');
    expect(csv).toContain('30.2,61,0:30,1:01,"Say ""hi"", then\nleave",,,5,1.04,0.9,');
    expect(csv).toContain('\r\n61,90,1:01,1:30,,,,,,,,\r\n');
    // A title that a spreadsheet would run as a formula is defused.
    expect(csv).toContain(`,"'=HYPERLINK(""x"")",'+Band,`);
    // Escape sequences and bidi overrides never reach a terminal that shows the file.
    const hostile = tracklistCsv({ ...list, segments: [song(0, 10, track(1, 'A\u001b[2JB\u202Ec', null), 0)] });
    expect(hostile).toContain(',A\uFFFD[2JB\uFFFDc,');
  });
});

describe('tracklistCue', () => {
  it('names the file, one TRACK per segment with INDEX 01 in mm:ss:ff, unknown stretches titled Unknown', () => {
    const cue = tracklistCue('/home/me/sets/My "best" mix.mp3', list);
    const lines = cue.split('\r\n');
    expect(lines).toContain(`FILE "My 'best' mix.mp3" MP3`);
    expect(lines.filter((l) => /^ {2}TRACK \d\d AUDIO$/.test(l))).toHaveLength(4);
    expect(cue).toContain('  TRACK 01 AUDIO\r\n    TITLE "Beta"\r\n    PERFORMER "Artist"\r\n    INDEX 01 00:00:00\r\n');
    // A quote becomes an apostrophe, a newline a space: no forged command line.
    expect(cue).toContain(`  TRACK 02 AUDIO\r\n    TITLE "Say 'hi', then leave"\r\n    INDEX 01 00:30:15\r\n`);
    expect(cue).toContain('  TRACK 03 AUDIO\r\n    TITLE "Unknown"\r\n    INDEX 01 01:01:00\r\n');
    expect(cue).toContain('    INDEX 01 01:30:00\r\n');
    expect(tracklistCue('mix.wav', list)).toContain('FILE "mix.wav" WAVE');
  });

  it('keeps at most 99 tracks, dropping unknown stretches first', () => {
    const many: Tracklist = {
      durationSeconds: 20_000,
      durationMs: 1,
      segments: Array.from({ length: 120 }, (_, i) =>
        i % 4 === 3 ? unknown(i * 100, i * 100 + 100) : song(i * 100, i * 100 + 100, track(1, `S${i}`, null), 0),
      ),
    };
    const cue = tracklistCue('long.flac', many);
    expect(cue.match(/TRACK \d+ AUDIO/g)).toHaveLength(90);
    expect(cue).not.toContain('"Unknown"');
    const more: Tracklist = { ...many, segments: Array.from({ length: 130 }, (_, i) => song(i * 100, i * 100 + 100, track(1, `S${i}`, null), 0)) };
    const capped = tracklistCue('long.flac', more);
    expect(capped.match(/TRACK \d+ AUDIO/g)).toHaveLength(99);
    expect(capped).toContain('31 more songs left out');
  });
});

describe('times', () => {
  it('cueTime counts 75 frames a second and lets minutes pass 99; tracklistClock shows hours', () => {
    expect(cueTime(0)).toBe('00:00:00');
    expect(cueTime(61.5)).toBe('01:01:38');
    expect(cueTime(6001)).toBe('100:01:00');
    expect(tracklistClock(59.99)).toBe('0:59');
    expect(tracklistClock(3725)).toBe('1:02:05');
  });
});
