// Keep listening's room log kept across a reload and a restart: the sessions (switch-ons) in the page's storage
// (localStorage, as the Listen settings are), until the user clears them. Why not rebuilt from History: History keeps
// one entry per confirmed song, but not its speed, its end, the stretches not in the library, nor which switch-on
// it belonged to, and it is cleared on its own. What is read back is checked (storage is text anyone could edit);
// entries still "ongoing" when the page went away are closed where they were last heard. Only the newest
// MAX_ROOM_LOG_ENTRIES stretches are kept.
import type { ListenLogEntry } from '../../../src-preload/contract/api';
import type { RoomLogSession } from './roomLog';

/** The part of the Web Storage API used here (tests pass a Map-backed one). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const ROOM_LOG_STORAGE_KEY = 'audio-ident.room-log.v1';
export const MAX_ROOM_LOG_ENTRIES = 2000;

/** The page's localStorage, or null where there is none (or it may not be used). */
export function pageStorage(): KeyValueStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNullableNumber = (v: unknown): v is number | null => v === null || isNumber(v);
const isNullableText = (v: unknown): boolean => v === null || v === undefined || typeof v === 'string';

function isTrack(v: unknown): boolean {
  if (v === null) return true;
  if (typeof v !== 'object') return false;
  const t = v as Record<string, unknown>;
  return (
    typeof t.id === 'string' &&
    typeof t.title === 'string' &&
    typeof t.filePath === 'string' &&
    isNumber(t.durationSeconds) &&
    isNullableText(t.artist) &&
    isNullableText(t.album)
  );
}

function isEntry(v: unknown): v is ListenLogEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    isNumber(e.id) &&
    isNumber(e.startSeconds) &&
    isNumber(e.endSeconds) &&
    isTrack(e.track) &&
    isNullableNumber(e.offsetSeconds) &&
    isNullableNumber(e.speedFactor) &&
    isNullableNumber(e.confidence)
  );
}

/** The entry with the other files of its recording kept only where they read as tracks (none: the key dropped). */
function withCheckedFiles(e: ListenLogEntry): ListenLogEntry {
  const { sameRecording, ...rest } = e as Omit<ListenLogEntry, 'sameRecording'> & { sameRecording?: unknown };
  if (sameRecording === undefined) return e;
  const kept = Array.isArray(sameRecording) ? (sameRecording as unknown[]).filter((t) => t !== null && isTrack(t)) : [];
  return kept.length > 0 ? { ...rest, sameRecording: kept as ListenLogEntry['sameRecording'] } : rest;
}

/** The sessions kept, oldest first; none when there are none or what is there cannot be read. */
export function loadRoomLog(storage: KeyValueStorage | null): RoomLogSession[] {
  try {
    const parsed = JSON.parse(storage?.getItem(ROOM_LOG_STORAGE_KEY) ?? 'null') as { sessions?: unknown } | null;
    if (!parsed || !Array.isArray(parsed.sessions)) return [];
    const sessions: RoomLogSession[] = [];
    for (const s of parsed.sessions as unknown[]) {
      const session = s as { startedAtMs?: unknown; log?: unknown } | null;
      if (!session || !isNumber(session.startedAtMs) || !Array.isArray(session.log)) continue;
      const log = session.log.filter(isEntry).map((e) => ({ ...withCheckedFiles(e), ongoing: false }));
      if (log.length > 0) sessions.push({ startedAtMs: session.startedAtMs, log });
    }
    return sessions;
  } catch {
    return [];
  }
}

/** The newest MAX_ROOM_LOG_ENTRIES stretches of `sessions`. */
export function trimRoomLog(sessions: readonly RoomLogSession[]): RoomLogSession[] {
  let room = MAX_ROOM_LOG_ENTRIES;
  const kept: RoomLogSession[] = [];
  for (let i = sessions.length - 1; i >= 0 && room > 0; i--) {
    const { startedAtMs, log } = sessions[i];
    const part = log.length > room ? log.slice(log.length - room) : log;
    room -= part.length;
    if (part.length > 0) kept.unshift({ startedAtMs, log: part });
  }
  return kept;
}

/** Keeps `sessions` (trimmed); returns what was written, for the caller to skip writing the same again. */
export function saveRoomLog(storage: KeyValueStorage | null, sessions: readonly RoomLogSession[], previous: string | null): string | null {
  if (!storage) return null;
  const text = JSON.stringify({ sessions: trimRoomLog(sessions) });
  if (text === previous) return previous;
  try {
    if (sessions.length === 0) storage.removeItem(ROOM_LOG_STORAGE_KEY);
    else storage.setItem(ROOM_LOG_STORAGE_KEY, text);
    return text;
  } catch {
    // Storage full or refused (private mode): the log then lasts for this page only.
    return previous;
  }
}
