// The original design's HTTP API for scripts (snake_case JSON): /health, /api/v1/version, /api/v1/search (multipart),
// /api/v1/ingest, /api/v1/tracks, /api/v1/tracks/{id}. Forwards to the same LibraryBackend as the renderer's door.
import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { LIMITS, type AppStatus } from '../../src-preload/contract/api.js';
import type { AppErrorInfo, ExactMatch, FailedFile, IdentifyResult, Result, ScanSummary, SearchMode, TrackDetail, Tracklist, TrackSummary, VibeMatch } from '../../src-preload/contract/library.js';
import { parseArgs } from '../../src-preload/contract/parseArgs.js';
import { tracklistCsv, tracklistCue, tracklistJson } from '../../src-preload/contract/tracklistFormats.js';
import { removeTempFile } from '../engine/tempFiles.js';
import { FINGERPRINT_CONFIG } from '../engine/fingerprint/config.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';
import { apiError, apiErrorFromApp, type ApiError } from './apiErrors.js';
import type { HealthMonitor } from './healthMonitor.js';
import { BASE_HEADERS, BodyTooLargeError, closeAfterAnswer, headerToken, readBody, sendApiError, sendJson, tokenMatches } from './httpCommon.js';
import { receiveUploadToFile, UploadError } from './uploadToFile.js';

export const API_PREFIX = '/api/v1';
export const DEFAULT_SEARCH_TIMEOUT_MS = 30_000;
export const DEFAULT_INGEST_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_MAX_RESULTS = 10;
const DEFAULT_PER_PAGE = 50;
const MAX_INGEST_ERRORS = 1000;

export interface HttpApiContext {
  readonly backend: LibraryBackend;
  readonly token: string;
  readonly appVersion: string;
  readonly searchTimeoutMs: number;
  readonly ingestTimeoutMs: number;
  readonly log: (message: string, error?: unknown) => void;
  /** /health's view of the library: answers without queueing behind a busy worker. */
  readonly health: HealthMonitor;
  /** The library's data folder (uploads of long recordings are streamed to its tmp/). */
  readonly dataDir: () => Promise<string>;
}

class ApiFailure extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.body.error.message);
  }
}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new ApiFailure(apiErrorFromApp(result.error));
  return result.value;
}

const fail = (error: ApiError): never => {
  throw new ApiFailure(error);
};

export function trackJson(t: TrackSummary) {
  return { id: t.id, title: t.title, artist: t.artist, album: t.album, duration_seconds: t.durationSeconds, format: t.format, file_path: t.filePath };
}

export function trackDetailJson(t: TrackDetail) {
  return {
    ...trackJson(t),
    sample_rate: t.sampleRateHz,
    channels: t.channelCount,
    bitrate: t.bitrate,
    file_hash_sha256: t.fileHashSha256,
    file_size_bytes: t.fileSizeBytes,
    file_mtime_ms: t.fileMtimeMs,
    fingerprint_status: t.fingerprintStatus,
    fingerprint_version: t.fingerprintVersion,
    landmark_count: t.landmarkCount,
    embedding_model: t.embeddingModel,
    embedding_dim: t.embeddingDim,
    embedding_status: t.embeddingStatus,
    ingested_at: t.ingestedAt,
    updated_at: t.updatedAt,
    duplicate_paths: [...t.duplicatePaths],
  };
}

function exactJson(m: ExactMatch) {
  return {
    track: trackJson(m.track),
    confidence: m.confidence,
    offset_seconds: m.offsetSeconds,
    aligned_hashes: m.alignedHashes,
    speed_factor: m.speedFactor,
    pitch_factor: m.pitchFactor,
  };
}

function vibeJson(m: VibeMatch) {
  return { track: trackJson(m.track), similarity: m.similarity, embedding_model: m.embeddingModel, explanation: m.explanation };
}

/** 'ok' when the catalog and the landmark store are healthy; anything else is 'degraded' (the page says why). */
export function healthOf(status: AppStatus): 'ok' | 'degraded' {
  return status.catalog === 'ok' && status.landmarkStore === 'ok' ? 'ok' : 'degraded';
}

function intParam(raw: string | null, name: string, min: number, max: number, fallback: number): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < min || n > max) {
    return fail(apiError('VALIDATION_ERROR', `${name} must be an integer in ${min}..${max}`, { field: name }));
  }
  return n;
}

/**
 * Runs `work` with a signal that is aborted after `ms`: the answer is then 'timeout' at once, and the work, told by
 * its signal, stops (an identify is cancelled in the library worker, its ffmpeg killed) instead of running on.
 */
function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T | 'timeout'> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('timeout');
    }, ms);
  });
  return Promise.race([work(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

// ---- /health and /api/v1/version -------------------------------------------------------------------------------

async function health(res: ServerResponse, ctx: HttpApiContext): Promise<void> {
  // The host answers by itself; the library's state is fresh when it answers at once, else the last one it reported.
  const reading = await ctx.health.read();
  const s = reading.library === 'unavailable' ? null : reading.status;
  if (!s) {
    const checks = { catalog: 'unknown', landmark_store: 'unknown', vector_index: 'unknown' };
    sendJson(res, 503, { status: 'degraded', version: ctx.appVersion, checks, library: reading.library });
    return;
  }
  sendJson(res, 200, {
    status: healthOf(s),
    version: s.appVersion,
    checks: { catalog: s.catalog, landmark_store: s.landmarkStore, vector_index: s.vectorIndex },
    track_count: s.trackCount,
    scanning: s.scan !== null,
    library: reading.library,
    ...(reading.library === 'busy' && reading.ageMs !== null ? { status_age_ms: reading.ageMs } : {}),
  });
}

function version(res: ServerResponse, ctx: HttpApiContext): void {
  sendJson(res, 200, { name: 'audio-ident', version: ctx.appVersion, api_version: 'v1', fingerprint_version: FINGERPRINT_CONFIG.version });
}

// ---- POST /api/v1/search ---------------------------------------------------------------------------------------

interface SearchUpload {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly mode: SearchMode;
  readonly maxResults: number;
}

/** Reads the multipart form: one file field `audio` (<= LIMITS.httpSearchMaxBytes), fields `mode` and `max_results`. */
function readSearchForm(req: IncomingMessage): Promise<SearchUpload> {
  return new Promise((resolve, reject) => {
    const contentType = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data/i.test(contentType)) {
      req.resume();
      reject(new ApiFailure(apiError('VALIDATION_ERROR', 'Send multipart/form-data with a file field "audio".')));
      return;
    }
    const maxBytes = LIMITS.httpSearchMaxBytes;
    const tooLarge = (): ApiFailure => new ApiFailure(apiError('FILE_TOO_LARGE', `The audio file is larger than ${maxBytes} bytes.`, { max_bytes: maxBytes }));
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes * 2 + 1024 * 1024) {
      reject(tooLarge()); // answered at once; closeAfterAnswer drains a little, then closes
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 8, fieldSize: 1024, parts: 10 } });
    } catch {
      req.resume();
      reject(new ApiFailure(apiError('VALIDATION_ERROR', 'Malformed multipart/form-data (no boundary?).')));
      return;
    }
    const fields = new Map<string, string>();
    let file: { fileName: string; chunks: Buffer[]; bytes: number } | null = null;
    let failure: ApiFailure | null = null;
    let fileDone: Promise<void> = Promise.resolve();

    parser.on('file', (name, stream, info) => {
      if (name !== 'audio' || file) {
        stream.resume();
        return;
      }
      const current = { fileName: info.filename || 'upload', chunks: [] as Buffer[], bytes: 0 };
      file = current;
      fileDone = new Promise((done) => {
        stream.on('data', (chunk: Buffer) => {
          if (failure) return;
          current.chunks.push(chunk);
          current.bytes += chunk.length;
        });
        stream.on('limit', () => {
          // Answer 413 now rather than after the rest of the body (which may never end, if chunked).
          failure ??= tooLarge();
          current.chunks.length = 0;
          req.unpipe(parser);
          reject(failure);
        });
        stream.on('end', () => done());
        stream.on('error', () => done());
      });
    });
    parser.on('field', (name, value) => fields.set(name, value));
    parser.on('error', () => {
      failure ??= new ApiFailure(apiError('VALIDATION_ERROR', 'Malformed multipart/form-data.'));
      req.unpipe(parser);
      req.resume();
      reject(failure);
    });
    parser.on('close', () => {
      void fileDone.then(() => {
        if (failure) return reject(failure);
        try {
          if (!file) return fail(apiError('VALIDATION_ERROR', 'The form needs a file field "audio".', { field: 'audio' }));
          const modeRaw = fields.get('mode') ?? 'both';
          if (modeRaw !== 'exact' && modeRaw !== 'vibe' && modeRaw !== 'both') {
            return fail(apiError('VALIDATION_ERROR', 'mode must be exact, vibe or both', { field: 'mode' }));
          }
          const maxResults = intParam(fields.get('max_results') ?? null, 'max_results', 1, LIMITS.maxResults, DEFAULT_MAX_RESULTS);
          const buffer = Buffer.concat(file.chunks, file.bytes);
          resolve({ fileName: file.fileName, bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), mode: modeRaw, maxResults });
        } catch (error) {
          reject(error);
        }
      });
    });
    // A chunked upload has no Content-Length: count the bytes as they stream, and answer 413 once they are past
    // what a form with a file at the limit can take (whatever the parser made of them).
    let receivedBytes = 0;
    const countBytes = (chunk: Buffer): void => {
      receivedBytes += chunk.length;
      if (receivedBytes > maxBytes + 1024 * 1024) {
        req.off('data', countBytes);
        req.unpipe(parser);
        failure ??= tooLarge();
        reject(failure);
      }
    };
    req.on('data', countBytes);
    req.on('close', () => {
      if (!req.complete) reject(failure ?? tooLarge());
    });
    req.pipe(parser);
  });
}

/** The lanes a search needs must be healthy; otherwise 503 rather than a silently partial answer. */
async function requireSearchable(ctx: HttpApiContext, mode: SearchMode): Promise<void> {
  const status = unwrap(await ctx.backend.getStatus());
  const catalogOk = status.catalog === 'ok';
  const landmarksOk = status.landmarkStore === 'ok';
  if (!catalogOk || (mode !== 'vibe' && !landmarksOk)) {
    fail(apiError('SERVICE_UNAVAILABLE', 'The library is not healthy right now (see /health); try again later.', {
      catalog: status.catalog,
      landmark_store: status.landmarkStore,
    }));
  }
}

async function search(req: IncomingMessage, res: ServerResponse, ctx: HttpApiContext): Promise<void> {
  const upload = await readSearchForm(req);
  await requireSearchable(ctx, upload.mode);
  const startedMs = performance.now();
  const outcome = await withTimeout(
    (signal) =>
      ctx.backend.identifyClip(
        { audio: { kind: 'file', fileName: upload.fileName, bytes: upload.bytes }, source: 'file', mode: upload.mode, maxResults: upload.maxResults },
        signal,
      ),
    ctx.searchTimeoutMs,
  );
  if (outcome === 'timeout') fail(apiError('SEARCH_TIMEOUT', undefined, { timeout_ms: ctx.searchTimeoutMs }));
  const result: IdentifyResult = unwrap(outcome as Result<IdentifyResult>);
  sendJson(res, 200, {
    request_id: randomUUID(),
    query_duration_ms: Math.round((performance.now() - startedMs) * 10) / 10,
    exact_matches: result.exact.map(exactJson),
    vibe_matches: result.vibe.map(vibeJson),
    mode_used: result.modeUsed,
    clip_seconds: result.clipSeconds,
  });
}

// ---- POST /api/v1/tracklist -----------------------------------------------------------------------------------

const TRACKLIST_FORMATS = ['json', 'cue', 'csv'] as const;
const RUN_ID = /^[A-Za-z0-9._~-]{1,100}$/;

/**
 * The songs of an uploaded recording (multipart, file field `audio`, up to LIMITS.maxTracklistBytes, streamed to the
 * data folder's tmp/ and deleted afterwards), as the CLI's JSON line, a CUE sheet or CSV (`?format=`). Progress goes
 * out as tracklistProgress events on /events, tagged with `?run_id=` (default a fresh UUID). No time limit: a client
 * that goes away cancels the run.
 */
async function tracklist(req: IncomingMessage, res: ServerResponse, url: URL, ctx: HttpApiContext): Promise<void> {
  const format = url.searchParams.get('format') ?? 'json';
  if (!(TRACKLIST_FORMATS as readonly string[]).includes(format)) fail(apiError('VALIDATION_ERROR', 'format must be json, cue or csv', { field: 'format' }));
  const runId = url.searchParams.get('run_id') ?? randomUUID();
  if (!RUN_ID.test(runId)) fail(apiError('VALIDATION_ERROR', 'run_id must be 1..100 characters of A-Z a-z 0-9 . _ ~ -', { field: 'run_id' }));
  await requireSearchable(ctx, 'exact');
  const maxBytes = LIMITS.maxTracklistBytes;
  let upload;
  try {
    upload = await receiveUploadToFile(req, { dataDir: await ctx.dataDir(), maxBytes, fileField: 'audio' });
  } catch (error) {
    if (!(error instanceof UploadError)) throw error;
    if (error.problem === 'too-large') return fail(apiError('FILE_TOO_LARGE', `The recording is larger than ${maxBytes} bytes.`, { max_bytes: maxBytes }));
    if (error.problem === 'write-failed') throw error;
    return fail(apiError('VALIDATION_ERROR', error.message, error.problem === 'no-file' ? { field: 'audio' } : {}));
  }
  const controller = new AbortController();
  const onClose = (): void => {
    if (!res.writableFinished) controller.abort(); // the client went away: stop the run
  };
  res.on('close', onClose);
  let result: Result<Tracklist>;
  try {
    result = await ctx.backend.tracklistFile({ filePath: upload.filePath, runId }, controller.signal);
  } finally {
    res.off('close', onClose);
    await removeTempFile(upload.filePath); // gone before the answer: a client that has it knows its upload is too
  }
  if (controller.signal.aborted) return;
  const list = unwrap(result);
  if (format === 'json') return sendJson(res, 200, tracklistJson(upload.fileName, list));
  const base = upload.fileName.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 100) || 'tracklist';
  const body = Buffer.from(format === 'cue' ? tracklistCue(upload.fileName, list) : tracklistCsv(list), 'utf8');
  res.writeHead(200, {
    ...BASE_HEADERS,
    'content-type': format === 'cue' ? 'application/x-cue; charset=utf-8' : 'text/csv; charset=utf-8; header=present',
    'content-disposition': `attachment; filename="${base}.${format}"`,
    'content-length': String(body.length),
    'cache-control': 'no-store',
  });
  res.end(body);
}

// ---- POST /api/v1/ingest ---------------------------------------------------------------------------------------

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

function isInsideOrSame(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

type ScansOutcome = { summaries: ScanSummary[]; failure: AppErrorInfo | null } | 'timeout';

/**
 * Collects scanFinished summaries until the backend reports no scan running (statusChanged with scan = null) after
 * at least one scan finished or failed. Subscribe before asking for the scan, so a quick one cannot slip past.
 */
function watchScans(ctx: HttpApiContext, timeoutMs: number): { settled: Promise<ScansOutcome>; stop: () => void } {
  const summaries: ScanSummary[] = [];
  const unsubscribes: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  const settled = new Promise<ScansOutcome>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    unsubscribes.push(ctx.backend.on('scanFinished', (summary) => summaries.push(summary)));
    unsubscribes.push(
      ctx.backend.on('statusChanged', (status) => {
        if (status.scan !== null) return;
        const failed = status.notices.find((n) => n.code === 'scan-failed');
        if (summaries.length > 0) resolve({ summaries, failure: null });
        else if (failed) resolve({ summaries, failure: failed.error ?? { code: 'internal' } });
      }),
    );
  });
  return { settled, stop: () => (clearTimeout(timer), unsubscribes.forEach((u) => u())) };
}

async function ingest(req: IncomingMessage, res: ServerResponse, ctx: HttpApiContext): Promise<void> {
  let body: unknown;
  try {
    const raw = await readBody(req, 64 * 1024);
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    if (error instanceof BodyTooLargeError) fail(apiError('VALIDATION_ERROR', 'The JSON body is too large.'));
    fail(apiError('VALIDATION_ERROR', 'Send a JSON body {"path": "/absolute/path"}.'));
  }
  const target = (body as { path?: unknown } | null)?.path;
  if (typeof target !== 'string' || target.length === 0 || target.length > LIMITS.maxPathLength || target.includes('\0') || !isAbsolutePath(target)) {
    fail(apiError('VALIDATION_ERROR', 'path must be an absolute path to a file or a directory.', { field: 'path' }));
  }
  const requested = path.resolve(target as string);
  let folder: string;
  try {
    const stat = await fsp.stat(requested);
    folder = stat.isDirectory() ? requested : path.dirname(requested);
  } catch {
    return fail(apiError('NOT_FOUND', 'No file or directory at that path.', { path: requested }));
  }
  const startedAt = Date.now();
  const startedMs = performance.now();
  const watcher = watchScans(ctx, ctx.ingestTimeoutMs);
  try {
    // A folder already in the library (or inside one) is rescanned; a new one is added, which scans it.
    const folders = unwrap(await ctx.backend.listFolders());
    const covering = folders.find((f) => isInsideOrSame(folder, f.path));
    let libraryFolder: { id: number; path: string };
    if (covering) {
      unwrap(await ctx.backend.rescan());
      libraryFolder = covering;
    } else {
      libraryFolder = unwrap(await ctx.backend.addFolder(folder));
    }
    const outcome = await watcher.settled;
    if (outcome === 'timeout') {
      return fail(apiError('SERVICE_UNAVAILABLE', 'The scan is still running; the folder stays in the library and keeps being indexed.', {
        timeout_ms: ctx.ingestTimeoutMs,
      }));
    }
    if (outcome.failure) return fail(apiErrorFromApp(outcome.failure));
    const { summaries } = outcome;
    const sum = (key: 'added' | 'updated' | 'moved' | 'duplicates' | 'failed' | 'removed'): number => summaries.reduce((n, s) => n + s[key], 0);
    const errors = await failedFilesSince(ctx, folder, startedAt);
    sendJson(res, 200, {
      path: requested,
      folder: { id: libraryFolder.id, path: libraryFolder.path },
      ingested: sum('added') + sum('updated'),
      duplicates: sum('duplicates'),
      // Unchanged files of the first scan (later ones in the same wait see the same files again).
      unchanged: summaries[0]?.unchanged ?? 0,
      moved: sum('moved'),
      removed: sum('removed'),
      failed: sum('failed'),
      cancelled: summaries.some((s) => s.cancelled),
      errors,
      wall_seconds: Math.round((performance.now() - startedMs) / 100) / 10,
    });
  } finally {
    watcher.stop();
  }
}

/** Files under `folder` that failed during this ingest, from the backend's failed-files list. */
async function failedFilesSince(ctx: HttpApiContext, folder: string, sinceMs: number) {
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  const out: { path: string; code: string; message: string | null }[] = [];
  for (let page = 1; out.length < MAX_INGEST_ERRORS; page++) {
    const result = await ctx.backend.listFailedFiles({ page, perPage: LIMITS.maxPerPage });
    if (!result.ok) break;
    const items: readonly FailedFile[] = result.value.items;
    for (const f of items) {
      if (!f.path.startsWith(prefix) || Date.parse(f.at) < sinceMs - 1000) continue;
      out.push({ path: f.path, code: f.error.code, message: f.error.detail ?? null });
    }
    if (items.length === 0 || page * result.value.perPage >= result.value.total) break;
  }
  return out.slice(0, MAX_INGEST_ERRORS);
}

// ---- GET /api/v1/tracks ----------------------------------------------------------------------------------------

async function listTracks(url: URL, res: ServerResponse, ctx: HttpApiContext): Promise<void> {
  const page = intParam(url.searchParams.get('page'), 'page', 1, 1_000_000_000, 1);
  const perPage = intParam(url.searchParams.get('per_page'), 'per_page', 1, LIMITS.maxPerPage, DEFAULT_PER_PAGE);
  const searchText = url.searchParams.get('search');
  const args = parseArgs('listTracks', [{ page, perPage, ...(searchText ? { search: searchText } : {}) }]);
  if (!args.ok) return fail(apiErrorFromApp(args.error));
  const tracks = unwrap(await ctx.backend.listTracks(...args.value));
  sendJson(res, 200, { items: tracks.items.map(trackJson), total: tracks.total, page: tracks.page, per_page: tracks.perPage });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function getTrack(idSegment: string, res: ServerResponse, ctx: HttpApiContext): Promise<void> {
  const args = parseArgs('getTrack', [decodeSegment(idSegment)]);
  if (!args.ok) return fail(apiError('VALIDATION_ERROR', 'The track id must be a UUID.', { field: 'id' }));
  const track = unwrap(await ctx.backend.getTrack(...args.value));
  sendJson(res, 200, trackDetailJson(track));
}

// ---- GET /api/v1/tracks/{id}/similar ---------------------------------------------------------------------------

async function similarTracks(idSegment: string, url: URL, res: ServerResponse, ctx: HttpApiContext): Promise<void> {
  const limit = intParam(url.searchParams.get('limit'), 'limit', 1, LIMITS.maxResults, DEFAULT_MAX_RESULTS);
  const args = parseArgs('similarTracks', [decodeSegment(idSegment), limit]);
  if (!args.ok) return fail(apiError('VALIDATION_ERROR', 'The track id must be a UUID.', { field: 'id' }));
  const matches = unwrap(await ctx.backend.similarTracks(...args.value));
  sendJson(res, 200, { track_id: args.value[0], vibe_matches: matches.map(vibeJson) });
}

// ---- routing ---------------------------------------------------------------------------------------------------

/** Handles /health and /api/v1/*; answers every failure as {error: {code, message, details}}. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, ctx: HttpApiContext): Promise<void> {
  const route = url.pathname;
  const method = req.method ?? 'GET';
  const only = (allowed: string): void => {
    if (method !== allowed && !(allowed === 'GET' && method === 'HEAD')) fail(apiError('METHOD_NOT_ALLOWED', undefined, { allow: allowed }));
  };
  try {
    if (route === '/health') {
      only('GET');
      return await health(res, ctx);
    }
    if (!tokenMatches(ctx.token, headerToken(req))) {
      req.resume();
      return sendApiError(res, apiError('UNAUTHORIZED'), { 'www-authenticate': 'Bearer' });
    }
    if (route === `${API_PREFIX}/version`) {
      only('GET');
      return version(res, ctx);
    }
    if (route === `${API_PREFIX}/search`) {
      only('POST');
      return await search(req, res, ctx);
    }
    if (route === `${API_PREFIX}/tracklist`) {
      only('POST');
      return await tracklist(req, res, url, ctx);
    }
    if (route === `${API_PREFIX}/ingest`) {
      only('POST');
      return await ingest(req, res, ctx);
    }
    if (route === `${API_PREFIX}/tracks`) {
      only('GET');
      return await listTracks(url, res, ctx);
    }
    const trackMatch = /^\/api\/v1\/tracks\/([^/]+)$/.exec(route);
    if (trackMatch) {
      only('GET');
      return await getTrack(trackMatch[1], res, ctx);
    }
    const similarMatch = /^\/api\/v1\/tracks\/([^/]+)\/similar$/.exec(route);
    if (similarMatch) {
      only('GET');
      return await similarTracks(similarMatch[1], url, res, ctx);
    }
    fail(apiError('NOT_FOUND', 'No such API route.', { path: route.slice(0, 200) }));
  } catch (error) {
    if (error instanceof ApiFailure) {
      // An answer before the whole body arrived (413, or a refusal of its start): drain a little, then close.
      if (req.complete) req.resume();
      else closeAfterAnswer(req, res);
      const e = error.apiError;
      const headers: Record<string, string> = {};
      if (e.body.error.code === 'METHOD_NOT_ALLOWED') headers.allow = String(e.body.error.details.allow);
      return sendApiError(res, e, headers);
    }
    ctx.log(`api ${method} ${route} failed`, error);
    return sendApiError(res, apiError('INTERNAL_ERROR'));
  }
}
