// Keep listening's room log written out: CSV (one row per stretch, songs and unknown stretches), M3U8 (the library
// files of the songs heard, in order: a playlist of the evening) and JSON. The log is one or more sessions (each
// switch-on), oldest first. Times are wall-clock: a session's start plus where in the session each stretch was heard.
// A recording held by two library files is one entry: one row, one playlist line (the file named), and in the JSON
// the other files beside it (sameRecording). Pure; titles and paths are untrusted tag text, escaped per format.
import type { ListenLogEntry } from '../../../src-preload/contract/api';
import { csvField } from '../../../src-preload/contract/tracklistFormats';

/** One switch-on of Keep listening: when its first sample was recorded and its stretches, in time order. */
export interface RoomLogSession {
  readonly startedAtMs: number;
  readonly log: readonly ListenLogEntry[];
}

/** Every stretch of every session with its session's start, in order. */
function stretches(sessions: readonly RoomLogSession[]): { e: ListenLogEntry; startedAtMs: number }[] {
  return sessions.flatMap((s) => s.log.map((e) => ({ e, startedAtMs: s.startedAtMs })));
}

/** When a stretch was heard, by the clock. */
export function wallClock(startedAtMs: number, sessionSeconds: number): Date {
  return new Date(startedAtMs + Math.round(sessionSeconds * 1000));
}

export const ROOM_LOG_CSV_HEADER = 'started_at,ended_at,seconds,title,artist,album,position_seconds,speed,confidence,path';

export function roomLogCsv(sessions: readonly RoomLogSession[]): string {
  const rows = stretches(sessions).map(({ e, startedAtMs }) => {
    const t = e.track;
    return [
      csvField(wallClock(startedAtMs, e.startSeconds).toISOString(), false),
      csvField(wallClock(startedAtMs, e.endSeconds).toISOString(), false),
      csvField(round(e.endSeconds - e.startSeconds), false),
      csvField(t ? t.title : 'not in the library', true),
      csvField(t?.artist ?? null, true),
      csvField(t?.album ?? null, true),
      csvField(e.offsetSeconds === null ? null : round(e.offsetSeconds), false),
      csvField(e.speedFactor, false),
      csvField(e.confidence, false),
      csvField(t?.filePath ?? null, true),
    ].join(',');
  });
  return [ROOM_LOG_CSV_HEADER, ...rows].join('\r\n') + '\r\n';
}

/** Line breaks and other control characters would start a new playlist line: replaced. */
const M3U_UNSAFE = /[\u0000-\u001f\u007f]/g;

export function roomLogM3u8(sessions: readonly RoomLogSession[]): string {
  const lines = ['#EXTM3U'];
  for (const { e } of stretches(sessions)) {
    if (!e.track) continue;
    const t = e.track;
    const name = (t.artist ? `${t.artist} - ${t.title}` : t.title).replace(M3U_UNSAFE, ' ');
    lines.push(`#EXTINF:${Math.round(t.durationSeconds)},${name}`, t.filePath.replace(M3U_UNSAFE, ' '));
  }
  return lines.join('\n') + '\n';
}

/** `startedAt`: the first session's start; each entry's startSeconds/endSeconds count from its own session's start. */
export function roomLogJson(sessions: readonly RoomLogSession[]): string {
  return (
    JSON.stringify(
      {
        startedAt: sessions.length > 0 ? new Date(sessions[0].startedAtMs).toISOString() : null,
        entries: stretches(sessions).map(({ e, startedAtMs }) => ({
          sessionStartedAt: new Date(startedAtMs).toISOString(),
          startedAt: wallClock(startedAtMs, e.startSeconds).toISOString(),
          endedAt: wallClock(startedAtMs, e.endSeconds).toISOString(),
          startSeconds: e.startSeconds,
          endSeconds: e.endSeconds,
          trackId: e.track?.id ?? null,
          title: e.track?.title ?? null,
          artist: e.track?.artist ?? null,
          album: e.track?.album ?? null,
          path: e.track?.filePath ?? null,
          positionSeconds: e.offsetSeconds,
          speedFactor: e.speedFactor,
          confidence: e.confidence,
          ...(e.sameRecording?.length
            ? { sameRecording: e.sameRecording.map((t) => ({ trackId: t.id, title: t.title, artist: t.artist, album: t.album, path: t.filePath })) }
            : {}),
        })),
      },
      null,
      2,
    ) + '\n'
  );
}

/** e.g. "audio-ident-room-log-2026-12-04-2130.csv" (the first session's start, local time). */
export function roomLogFileName(startedAtMs: number, extension: 'csv' | 'm3u8' | 'json'): string {
  const d = new Date(startedAtMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `audio-ident-room-log-${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}.${extension}`;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
