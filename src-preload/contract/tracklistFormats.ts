// A tracklist written out for other programs: a CUE sheet and CSV (the JSON line of the CLI and the HTTP API is
// tracklistJson in src-main/host/apiJson.ts, the scripts' one JSON shape). Pure (no imports with a runtime, no I/O),
// so the CLI, the HTTP API and the page (Export CUE / CSV) write the same bytes. Titles and paths are untrusted tag
// text: each format escapes them its own way (see each function).
import type { Tracklist, TracklistSegment } from './library.js';

/** Seconds -> "m:ss", or "h:mm:ss" from an hour on (rounded down to the second, as a player's clock shows it). */
export function tracklistClock(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds + 1e-6));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

// ---- CSV (RFC 4180) ----------------------------------------------------------------------------------------------

export const TRACKLIST_CSV_COLUMNS = [
  'start',
  'end',
  'start_time',
  'end_time',
  'title',
  'artist',
  'album',
  'offset_seconds',
  'speed_factor',
  'confidence',
  'track_id',
  'path',
] as const;

/** Controls other than tab, CR and LF, C1 controls and bidi overrides: what a terminal or an editor would act on. */
const CSV_UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A field as RFC 4180 wants it: quoted (quotes doubled) when it holds a comma, a quote, CR or LF. Text fields that a
 * spreadsheet would run as a formula (starting with = + - @, tab or CR) get a leading apostrophe (OWASP's advice for
 * CSV injection), and control and bidi characters become U+FFFD (so `cat list.csv` cannot drive the terminal): a title
 * is a tag anyone could have written.
 */
export function csvField(value: string | number | null, isText: boolean): string {
  if (value === null) return '';
  let text = String(value).replace(CSV_UNSAFE, '\uFFFD');
  if (isText && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Header plus one row per segment, CRLF line ends; a stretch not in the library has empty track fields. */
export function tracklistCsv(list: Tracklist): string {
  const rows = list.segments.map((s) => {
    const t = s.track;
    return [
      csvField(s.start, false),
      csvField(s.end, false),
      csvField(tracklistClock(s.start), false),
      csvField(tracklistClock(s.end), false),
      csvField(t?.title ?? null, true),
      csvField(t?.artist ?? null, true),
      csvField(t?.album ?? null, true),
      csvField(s.offsetSeconds, false),
      csvField(s.speedFactor, false),
      csvField(s.confidence, false),
      csvField(t?.id ?? null, true),
      csvField(t?.filePath ?? null, true),
    ].join(',');
  });
  return [TRACKLIST_CSV_COLUMNS.join(','), ...rows].map((line) => `${line}\r\n`).join('');
}

// ---- CUE sheet ---------------------------------------------------------------------------------------------------

/** CUE sheets count tracks 01..99. */
export const CUE_MAX_TRACKS = 99;
/** What a stretch that is not in the library is called in a CUE sheet (it stays a track, so splits stay right). */
export const CUE_UNKNOWN_TITLE = 'Unknown';

/**
 * A CUE string has no escape for a double quote: it becomes an apostrophe. Control, bidi and line-separator
 * characters become spaces (a newline would start a new command), and the text is cut to 200 characters.
 */
function cueString(text: string): string {
  const clean = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, ' ')
    .replace(/"/g, "'")
    .trim();
  return `"${Array.from(clean).slice(0, 200).join('')}"`;
}

/** Seconds -> CUE's mm:ss:ff (75 frames a second; minutes may pass 99). */
export function cueTime(seconds: number): string {
  const frames = Math.max(0, Math.round(seconds * 75));
  const mm = Math.floor(frames / (75 * 60));
  const ss = Math.floor(frames / 75) % 60;
  const ff = frames % 75;
  return `${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}:${String(ff).padStart(2, '0')}`;
}

function cueFileType(fileName: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'mp3') return 'MP3';
  if (ext === 'aif' || ext === 'aiff') return 'AIFF';
  return 'WAVE'; // what players expect for WAV, FLAC and the rest
}

/**
 * A CUE sheet for the recording `fileName` (its base name: the sheet is meant to lie beside it). Every segment is a
 * TRACK with its INDEX 01 at its start; a stretch not in the library is titled "Unknown" with no PERFORMER, so a
 * player or splitter still ends the song before it. Past 99 segments the unknown stretches are left out first, then
 * the songs past the 99th (a REM line says how many).
 */
export function tracklistCue(fileName: string, list: Tracklist): string {
  const base = fileName.split(/[\\/]/).pop() || fileName;
  let segments: readonly TracklistSegment[] = list.segments;
  if (segments.length > CUE_MAX_TRACKS) segments = segments.filter((s) => s.track !== null);
  const left = Math.max(0, segments.length - CUE_MAX_TRACKS);
  segments = segments.slice(0, CUE_MAX_TRACKS);
  const lines = ['REM COMMENT "audio-ident tracklist"'];
  if (left > 0) lines.push(`REM COMMENT "${left} more songs left out: a CUE sheet holds ${CUE_MAX_TRACKS} tracks"`);
  lines.push(`FILE ${cueString(base)} ${cueFileType(base)}`);
  segments.forEach((s, i) => {
    lines.push(`  TRACK ${String(i + 1).padStart(2, '0')} AUDIO`);
    lines.push(`    TITLE ${cueString(s.track ? s.track.title : CUE_UNKNOWN_TITLE)}`);
    if (s.track?.artist) lines.push(`    PERFORMER ${cueString(s.track.artist)}`);
    lines.push(`    INDEX 01 ${cueTime(s.start)}`);
  });
  return lines.map((line) => `${line}\r\n`).join('');
}
