// History as a file: CSV (RFC 4180: a header row, CRLF between records, a field holding a comma, a quote, CR or LF
// quoted with its quotes doubled) or JSON. Pure (no imports with a runtime), so the engine's exportHistory and the
// fake library (fake/fakeLibrary.ts) write the same bytes.
//
// Tags and file names are untrusted text, and a CSV is often opened in a spreadsheet, which runs a cell starting
// with "=", "+", "-" or "@" as a formula ("CSV injection"). Free-text cells starting with one of those (or a tab or
// CR) get a leading apostrophe, as OWASP advises; numbers, times and ids are written as they are.
import type { HistoryEntry, HistoryExport, HistoryExportFormat } from './api.js';

export const HISTORY_CSV_COLUMNS = [
  'last_seen',
  'first_seen',
  'count',
  'source',
  'clip_name',
  'clip_seconds',
  'mode',
  'result',
  'title',
  'artist',
  'album',
  'track_file_name',
  'offset_seconds',
  'confidence',
  'similarity',
  'track_id',
  'entry_id',
] as const;

/** What an entry's answer was: the song itself, a similar-sounding track, or nothing in the library. */
export function historyResultKind(entry: Pick<HistoryEntry, 'match' | 'soundsLike'>): 'match' | 'sounds-like' | 'not-found' {
  return entry.match ? 'match' : entry.soundsLike ? 'sounds-like' : 'not-found';
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF, with its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A free-text cell: neutralises a leading formula character, then quotes as needed. */
function csvText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return csvField(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

function csvNumber(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '' : String(value);
}

/** The whole history as CSV: a header row, then one record per entry, every record ending in CRLF. */
export function historyToCsv(entries: readonly HistoryEntry[]): string {
  const rows: string[] = [HISTORY_CSV_COLUMNS.join(',')];
  for (const e of entries) {
    const track = e.match ?? e.soundsLike;
    const cells: Record<(typeof HISTORY_CSV_COLUMNS)[number], string> = {
      last_seen: csvField(e.at),
      first_seen: csvField(e.firstAt),
      count: csvNumber(e.count),
      source: e.source,
      clip_name: csvText(e.clipName),
      clip_seconds: csvNumber(e.clipSeconds),
      mode: e.mode,
      result: historyResultKind(e),
      title: csvText(track?.title),
      artist: csvText(track?.artist),
      album: csvText(e.match?.album),
      track_file_name: csvText(e.trackFileName),
      offset_seconds: csvNumber(e.match?.offsetSeconds),
      confidence: csvNumber(e.match?.confidence),
      similarity: csvNumber(e.soundsLike?.similarity),
      track_id: csvField(track?.trackId ?? ''),
      entry_id: csvField(e.id),
    };
    rows.push(HISTORY_CSV_COLUMNS.map((c) => cells[c]).join(','));
  }
  return rows.map((r) => `${r}\r\n`).join('');
}

/** The whole history as JSON: a small header (what, when, which search) and the entries as listHistory gives them. */
export function historyToJson(entries: readonly HistoryEntry[], exportedAt: Date, search: string | null): string {
  return `${JSON.stringify({ format: 'audio-ident-history', version: 1, exportedAt: exportedAt.toISOString(), search, entryCount: entries.length, entries }, null, 2)}\n`;
}

/** "audio-ident-history-2026-01-31.csv", dated in the local time of whoever writes it. */
export function historyExportFileName(format: HistoryExportFormat, now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `audio-ident-history-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.${format}`;
}

/** The export in either format, named and typed for saving. */
export function buildHistoryExport(entries: readonly HistoryEntry[], format: HistoryExportFormat, now: Date, search?: string): HistoryExport {
  const searchText = search?.trim() ? search : null;
  return {
    fileName: historyExportFileName(format, now),
    mimeType: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json;charset=utf-8',
    text: format === 'csv' ? historyToCsv(entries) : historyToJson(entries, now, searchText),
    entryCount: entries.length,
  };
}
