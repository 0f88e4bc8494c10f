// Argument parsing for every LibraryApi method. Arguments reach a door (IPC handler, HTTP host) as `unknown`
// whatever the types say; each door runs them through parseArgs before anything else sees them.
// Pure: no I/O, no imports with a runtime beyond the contract's own constants.
import {
  LIMITS,
  type ClipAudio,
  type HistoryExportRequest,
  type HistoryQuery,
  type IdentifyRequest,
  type ListenClipOptions,
  type ListenPushRequest,
  type ListenSessionRequest,
  type ListenStartRequest,
  type LibraryApi,
  type LibraryMethod,
  type PageQuery,
  type TrackPositionQuery,
  type TrackQuery,
  type TracklistRequest,
} from './api.js';
import { TRACK_SORT_KEYS, type FolderId, type Result, type SearchMode, type TrackId, type TrackSortKey } from './library.js';

class ArgError extends Error {}

const fail = (what: string): never => {
  throw new ArgError(what);
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) fail(`${what}: unknown field "${key}"`);
}

function text(value: unknown, what: string, maxLength: number, minLength = 1): string {
  if (typeof value !== 'string') return fail(`${what} must be a string`);
  if (value.length < minLength || value.length > maxLength) return fail(`${what} must be ${minLength}..${maxLength} characters`);
  if (value.includes('\0')) return fail(`${what} must not contain NUL`);
  return value;
}

function integer(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) return fail(`${what} must be an integer in ${min}..${max}`);
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function trackId(value: unknown): TrackId {
  if (typeof value !== 'string' || !UUID.test(value)) return fail('trackId must be a track id (UUID)');
  return value.toLowerCase() as TrackId;
}

function folderId(value: unknown): FolderId {
  return integer(value, 'folderId', 1, Number.MAX_SAFE_INTEGER) as FolderId;
}

function pageQuery(value: unknown, extra: readonly string[] = []): PageQuery & Record<string, unknown> {
  if (value === undefined) return {};
  if (!isRecord(value)) return fail('query must be an object');
  onlyKeys(value, ['page', 'perPage', ...extra], 'query');
  const out: { page?: number; perPage?: number } = {};
  if (value.page !== undefined) out.page = integer(value.page, 'page', 1, 1_000_000_000);
  if (value.perPage !== undefined) out.perPage = integer(value.perPage, 'perPage', 1, LIMITS.maxPerPage);
  return out;
}

function trackQuery(value: unknown): TrackQuery {
  const base = pageQuery(value, ['search', 'sort', 'direction', 'artist', 'album', 'albumArtist']);
  if (!isRecord(value)) return base;
  const out: { -readonly [K in keyof TrackQuery]: TrackQuery[K] } = { ...base };
  if (value.search !== undefined && value.search !== null) out.search = text(value.search, 'search', LIMITS.maxSearchLength, 0);
  if (value.sort !== undefined) {
    out.sort = (TRACK_SORT_KEYS as readonly unknown[]).includes(value.sort)
      ? (value.sort as TrackSortKey)
      : fail(`sort must be one of ${TRACK_SORT_KEYS.join(', ')}`);
  }
  if (value.direction !== undefined)
    out.direction = value.direction === 'asc' || value.direction === 'desc' ? value.direction : fail('direction must be asc or desc');
  if (value.artist !== undefined) out.artist = text(value.artist, 'artist', LIMITS.maxTagLength, 0);
  if (value.album !== undefined) out.album = text(value.album, 'album', LIMITS.maxTagLength, 0);
  if (value.albumArtist !== undefined) {
    if (out.album === undefined) fail('albumArtist needs album');
    out.albumArtist = value.albumArtist === null ? null : text(value.albumArtist, 'albumArtist', LIMITS.maxTagLength, 0);
  }
  return out;
}

function trackPositionQuery(value: unknown): TrackPositionQuery {
  if (!isRecord(value)) return fail('query must be an object');
  const { trackId: id, ...rest } = value;
  const listing = trackQuery(rest);
  if ('page' in listing || 'perPage' in listing) fail('query: trackPosition takes no page or perPage');
  return { ...listing, trackId: trackId(id) };
}

function historyQuery(value: unknown): HistoryQuery {
  const base = pageQuery(value, ['search']);
  const search = isRecord(value) ? value.search : undefined;
  if (search === undefined || search === null) return base;
  return { ...base, search: text(search, 'search', LIMITS.maxSearchLength, 0) };
}

function historyId(value: unknown, what = 'entryId'): string {
  return text(value, what, LIMITS.maxHistoryIdLength);
}

function historyIds(value: unknown): string[] {
  if (!Array.isArray(value)) return fail('entryIds must be a list');
  if (value.length < 1 || value.length > LIMITS.maxHistoryDeleteIds) return fail(`entryIds must hold 1..${LIMITS.maxHistoryDeleteIds} ids`);
  return value.map((id, i) => historyId(id, `entryIds[${i}]`));
}

function historyExportRequest(value: unknown): HistoryExportRequest {
  if (!isRecord(value)) return fail('request must be an object');
  onlyKeys(value, ['format', 'search'], 'request');
  const format = value.format === 'csv' || value.format === 'json' ? value.format : fail('format must be csv or json');
  if (value.search === undefined || value.search === null) return { format };
  return { format, search: text(value.search, 'search', LIMITS.maxSearchLength, 0) };
}

const MODES: readonly SearchMode[] = ['exact', 'vibe', 'both'];
function mode(value: unknown): SearchMode {
  return MODES.includes(value as SearchMode) ? (value as SearchMode) : fail('mode must be exact, vibe or both');
}

function clipAudio(value: unknown): ClipAudio {
  if (!isRecord(value)) return fail('audio must be an object');
  if (value.kind === 'pcm') {
    onlyKeys(value, ['kind', 'sampleRateHz', 'samples'], 'audio');
    const sampleRateHz = integer(value.sampleRateHz, 'audio.sampleRateHz', LIMITS.minPcmRateHz, LIMITS.maxPcmRateHz);
    if (!(value.samples instanceof Float32Array)) return fail('audio.samples must be a Float32Array');
    if (value.samples.length > LIMITS.maxPcmSamples) return fail(`audio.samples must hold at most ${LIMITS.maxPcmSamples} samples`);
    return { kind: 'pcm', sampleRateHz, samples: value.samples };
  }
  if (value.kind === 'file') {
    onlyKeys(value, ['kind', 'fileName', 'bytes'], 'audio');
    const fileName = text(value.fileName, 'audio.fileName', 1024);
    if (!(value.bytes instanceof Uint8Array)) return fail('audio.bytes must be a Uint8Array');
    // Size is the engine's call (it answers 'file-too-large', which the UI words), not an argument error.
    return { kind: 'file', fileName, bytes: value.bytes };
  }
  return fail('audio.kind must be "pcm" or "file"');
}

function identifyRequest(value: unknown): IdentifyRequest {
  if (!isRecord(value)) return fail('request must be an object');
  onlyKeys(value, ['audio', 'source', 'mode', 'maxResults', 'historyKey'], 'request');
  const source = value.source === 'mic' || value.source === 'file' ? value.source : fail('source must be mic or file');
  const request: IdentifyRequest = {
    audio: clipAudio(value.audio),
    source,
    mode: mode(value.mode),
    maxResults: integer(value.maxResults, 'maxResults', 1, LIMITS.maxResults),
    ...(value.historyKey === undefined ? {} : { historyKey: text(value.historyKey, 'historyKey', LIMITS.maxHistoryKeyLength) }),
  };
  return request;
}

function runId(value: unknown): string {
  return text(value, 'runId', LIMITS.maxRunIdLength);
}

function tracklistRequest(value: unknown): TracklistRequest {
  if (!isRecord(value)) return fail('request must be an object');
  onlyKeys(value, ['audio', 'runId'], 'request');
  const audio = clipAudio(value.audio);
  if (audio.kind !== 'file') return fail('audio.kind must be "file" (a recording\'s bytes)');
  // Size is the engine's call ('file-too-large'), as for identifyClip.
  return { audio, runId: runId(value.runId) };
}

function listenSession(value: unknown): ListenSessionRequest {
  if (!isRecord(value)) return fail('request must be an object');
  onlyKeys(value, ['sessionId'], 'request');
  return { sessionId: text(value.sessionId, 'sessionId', LIMITS.maxRunIdLength) };
}

function listenClipOptions(value: unknown): ListenClipOptions {
  if (!isRecord(value)) return fail('clip must be an object');
  onlyKeys(value, ['sampleRateHz', 'mode', 'maxResults', 'historyKey'], 'clip');
  return {
    sampleRateHz: integer(value.sampleRateHz, 'clip.sampleRateHz', LIMITS.minPcmRateHz, LIMITS.maxPcmRateHz),
    mode: mode(value.mode),
    maxResults: integer(value.maxResults, 'clip.maxResults', 1, LIMITS.maxResults),
    ...(value.historyKey === undefined ? {} : { historyKey: text(value.historyKey, 'clip.historyKey', LIMITS.maxHistoryKeyLength) }),
  };
}

function listenStart(value: unknown): ListenStartRequest {
  if (!isRecord(value)) return fail('request must be an object');
  onlyKeys(value, ['sessionId', 'clip'], 'request');
  const sessionId = text(value.sessionId, 'sessionId', LIMITS.maxRunIdLength);
  return value.clip === undefined ? { sessionId } : { sessionId, clip: listenClipOptions(value.clip) };
}

function listenPush(value: unknown): ListenPushRequest {
  if (!isRecord(value)) return fail('request must be an object');
  onlyKeys(value, ['sessionId', 'samples'], 'request');
  const sessionId = text(value.sessionId, 'sessionId', LIMITS.maxRunIdLength);
  if (!(value.samples instanceof Float32Array)) return fail('samples must be a Float32Array');
  if (value.samples.length < 1 || value.samples.length > LIMITS.maxListenPushSamples) {
    return fail(`samples must hold 1..${LIMITS.maxListenPushSamples} samples`);
  }
  for (const v of value.samples) if (!Number.isFinite(v)) return fail('samples must be finite numbers');
  return { sessionId, samples: value.samples };
}

/** A path the engine can place without a working folder: absolute (POSIX or Windows) or "~", "~/..." (the home folder). */
export function isAbsoluteOrHomePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\') || p === '~' || p.startsWith('~/') || p.startsWith('~\\');
}

function folderPath(value: unknown): string {
  const p = text(value, 'folderPath', LIMITS.maxPathLength);
  // Absolute on POSIX ("/music") or Windows ("C:\\Music", "\\\\server\\share"), or under the home folder ("~",
  // "~/Music"), which the engine expands: the page cannot know the home folder.
  if (!isAbsoluteOrHomePath(p)) fail('folderPath must be an absolute path (or start with ~/)');
  return p;
}

/** The now-playing file: null (off), or a path as folderPath's (absolute, or under "~"); the engine checks the rest. */
function nowPlayingPath(value: unknown): string | null {
  if (value === null) return null;
  const p = text(value, 'filePath', LIMITS.maxPathLength);
  if (!isAbsoluteOrHomePath(p)) fail('filePath must be an absolute path (or start with ~/), or null to turn the file off');
  return p;
}

/** Same rule as an embedder manifest's id (lowercase letters, digits, '.', '_', '-'). */
const MODEL_ID = /^[a-z0-9][a-z0-9._-]*$/;
function modelId(value: unknown): string {
  const id = text(value, 'modelId', LIMITS.maxModelIdLength);
  if (!MODEL_ID.test(id)) fail('modelId must be lowercase letters, digits, ".", "_" or "-"');
  return id;
}

type Parsers = { [M in LibraryMethod]: (args: readonly unknown[]) => Parameters<LibraryApi[M]> };

const none = (args: readonly unknown[]): [] => (args.length === 0 ? [] : fail('takes no arguments'));
const one =
  <T>(parse: (v: unknown) => T) =>
  (args: readonly unknown[]): [T] =>
    args.length === 1 ? [parse(args[0])] : fail('takes one argument');
const oneOptional =
  <T>(parse: (v: unknown) => T) =>
  (args: readonly unknown[]): [T] =>
    args.length <= 1 ? [parse(args[0])] : fail('takes at most one argument');

/** One parser per method: a method without a parser fails to compile. */
export const ARG_PARSERS: Parsers = {
  getStatus: none,
  listFolders: none,
  addFolder: one(folderPath),
  removeFolder: one(folderId),
  rescan: none,
  cancelScan: none,
  listTracks: oneOptional(trackQuery),
  trackPosition: one(trackPositionQuery),
  listAlbums: oneOptional((v) => pageQuery(v) as PageQuery),
  listArtists: oneOptional((v) => pageQuery(v) as PageQuery),
  getTrack: one(trackId),
  getArtwork: one(trackId),
  listFailedFiles: oneOptional((v) => pageQuery(v) as PageQuery),
  identifyClip: one(identifyRequest),
  tracklistClip: one(tracklistRequest),
  cancelTracklist: one(runId),
  listenStart: one(listenStart),
  listenPush: one(listenPush),
  listenStop: one(listenSession),
  similarTracks: (args) => (args.length === 2 ? [trackId(args[0]), integer(args[1], 'limit', 1, LIMITS.maxResults)] : fail('takes a track id and a limit')),
  listHistory: oneOptional(historyQuery),
  getHistoryEntry: one((v) => historyId(v)),
  deleteHistoryEntries: one(historyIds),
  clearHistory: none,
  exportHistory: one(historyExportRequest),
  listModels: none,
  installModel: one(modelId),
  cancelModelInstall: one(modelId),
  useModel: one(modelId),
  getNowPlayingFile: none,
  setNowPlayingFile: one(nowPlayingPath),
};

/** Parses a call's arguments; garbage gives `invalid-argument` with a short reason, never a throw. */
export function parseArgs<M extends LibraryMethod>(method: M, args: unknown): Result<Parameters<LibraryApi[M]>> {
  if (!Object.hasOwn(ARG_PARSERS, method)) return { ok: false, error: { code: 'invalid-argument', detail: `unknown method ${String(method)}` } };
  if (!Array.isArray(args)) return { ok: false, error: { code: 'invalid-argument', detail: `${method}: arguments must be a list` } };
  try {
    return { ok: true, value: ARG_PARSERS[method](args) };
  } catch (error) {
    if (error instanceof ArgError) return { ok: false, error: { code: 'invalid-argument', detail: `${method}: ${error.message}` } };
    throw error;
  }
}

export function isLibraryMethod(name: unknown): name is LibraryMethod {
  return typeof name === 'string' && Object.hasOwn(ARG_PARSERS, name);
}
