// POST /api/v1/search (a clip, multipart, held in memory up to LIMITS.httpSearchMaxBytes, with a time limit) and
// POST /api/v1/tracklist (a long recording, streamed to a temporary file): the uploads of the scripts' HTTP API,
// answered in the one JSON shape (apiJson.ts).
import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LIMITS } from '../../src-preload/contract/api.js';
import type { IdentifyResult, Result, SearchMode, Tracklist } from '../../src-preload/contract/library.js';
import { tracklistCsv, tracklistCue } from '../../src-preload/contract/tracklistFormats.js';
import { removeTempFile } from '../engine/tempFiles.js';
import { apiError } from './apiErrors.js';
import { identifyJson, tracklistJson } from './apiJson.js';
import { ApiFailure, fail, intParam, unwrap, type HttpApiContext } from './apiRoute.js';
import { DEFAULT_MAX_RESULTS } from './apiTracks.js';
import { BASE_HEADERS, sendJson } from './httpCommon.js';
import { receiveUploadToFile, UploadError } from './uploadToFile.js';

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
    fail(
      apiError('SERVICE_UNAVAILABLE', 'The library is not healthy right now (see /health); try again later.', {
        catalog: status.catalog,
        landmark_store: status.landmarkStore,
      }),
    );
  }
}

export async function search(req: IncomingMessage, res: ServerResponse, ctx: HttpApiContext): Promise<void> {
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
    ...identifyJson(result),
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
export async function tracklist(req: IncomingMessage, res: ServerResponse, url: URL, ctx: HttpApiContext): Promise<void> {
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
  const base =
    upload.fileName
      .replace(/\.[^.]*$/, '')
      .replace(/[^A-Za-z0-9._ -]/g, '_')
      .slice(0, 100) || 'tracklist';
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
