// The renderer's door over HTTP: POST /rpc/<method> with the wire-encoded argument list, answered with the
// wire-encoded Result. Runs parseArgs before the backend sees anything; never throws to the client.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LIMITS, type LibraryMethod } from '../../src-preload/contract/api.js';
import type { AppErrorInfo, Result } from '../../src-preload/contract/library.js';
import { isLibraryMethod, parseArgs } from '../../src-preload/contract/parseArgs.js';
import { decodeWire, encodeWireParts, WIRE_CONTENT_TYPE, WireError } from '../../src-preload/contract/wire.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';
import { removeTempFile } from '../engine/tempFiles.js';
import { BASE_HEADERS, BodyTooLargeError, closeAfterAnswer, headerToken, readBody, tokenMatches } from './httpCommon.js';
import { receiveUploadToFile, UploadError } from './uploadToFile.js';

/**
 * identifyClip carries a clip (PCM or file bytes), listenPush up to LIMITS.maxListenPushSamples floats; every other
 * call is a few small arguments. tracklistClip is not a wire message but a multipart upload streamed to a file (see
 * handleTracklistUpload), up to LIMITS.maxTracklistBytes.
 */
export const RPC_MAX_BODY_BYTES = {
  identifyClip: Math.max(LIMITS.maxClipBytes, LIMITS.maxPcmSamples * 4) + 64 * 1024,
  listenPush: LIMITS.maxListenPushSamples * 4 + 64 * 1024,
  other: 1024 * 1024,
} as const;

export interface RpcContext {
  readonly backend: LibraryBackend;
  readonly token: string;
  readonly log: (message: string, error?: unknown) => void;
  /** The library's data folder (tracklist uploads are streamed to its tmp/). */
  readonly dataDir: () => Promise<string>;
}

function sendResult(res: ServerResponse, status: number, result: Result<unknown>, extraHeaders: Record<string, string> = {}): void {
  let pieces: Uint8Array[];
  try {
    pieces = encodeWireParts(result);
  } catch (error) {
    // A backend value the wire cannot carry is a bug on our side.
    pieces = encodeWireParts({ ok: false, error: { code: 'internal', detail: 'the answer could not be encoded' } });
    void error;
  }
  const length = pieces.reduce((n, p) => n + p.byteLength, 0);
  res.writeHead(status, {
    ...BASE_HEADERS,
    'content-type': WIRE_CONTENT_TYPE,
    'content-length': String(length),
    'cache-control': 'no-store',
    ...extraHeaders,
  });
  for (const piece of pieces) res.write(piece);
  res.end();
}

const failure = (code: AppErrorInfo['code'], detail: string): Result<never> => ({ ok: false, error: { code, detail } });

/** Handles one /rpc/<method> request; `methodName` is the path segment after /rpc/. */
export async function handleRpc(req: IncomingMessage, res: ServerResponse, methodName: string, ctx: RpcContext): Promise<void> {
  if (req.method !== 'POST') {
    sendResult(res, 405, failure('invalid-argument', 'use POST'), { allow: 'POST' });
    return;
  }
  if (!tokenMatches(ctx.token, headerToken(req))) {
    req.resume();
    sendResult(res, 401, failure('permission-denied', 'missing or wrong token: open the URL that `audio-ident serve` printed'), {
      'www-authenticate': 'Bearer',
    });
    return;
  }
  if (!isLibraryMethod(methodName)) {
    req.resume();
    sendResult(res, 404, failure('invalid-argument', `unknown method ${methodName.slice(0, 64)}`));
    return;
  }
  const method: LibraryMethod = methodName;
  if (method === 'tracklistClip') return handleTracklistUpload(req, res, ctx);
  const maxBytes = method === 'identifyClip' || method === 'listenPush' ? RPC_MAX_BODY_BYTES[method] : RPC_MAX_BODY_BYTES.other;
  let args: unknown;
  try {
    const body = await readBody(req, maxBytes);
    args = body.length === 0 ? [] : decodeWire(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      const code = method === 'identifyClip' ? 'file-too-large' : 'invalid-argument';
      closeAfterAnswer(req, res); // answered before the body ended: drain a little, then close (no reset)
      sendResult(res, 413, failure(code, `request body larger than ${maxBytes} bytes`));
    } else if (error instanceof WireError) {
      sendResult(res, 400, failure('invalid-argument', `${method}: body is not a wire message (${error.message})`));
    } else {
      res.destroy();
    }
    return;
  }
  const parsed = parseArgs(method, args);
  if (!parsed.ok) {
    sendResult(res, 400, parsed);
    return;
  }
  let result: Result<unknown>;
  try {
    const call = ctx.backend[method].bind(ctx.backend) as (...a: unknown[]) => Promise<Result<unknown>>;
    result = await call(...(parsed.value as unknown[]));
  } catch (error) {
    // The backend answers with Results; a throw is a bug: log it whole, tell the page only that it happened.
    ctx.log(`rpc ${method} threw`, error);
    result = failure('internal', 'unexpected error (see the host log)');
  }
  if (!res.writableEnded && !res.destroyed) sendResult(res, 200, result);
}

/**
 * POST /rpc/tracklistClip: the page's tracklistClip(request), sent as multipart/form-data (field `runId`, file field
 * `audio`) rather than a wire message, because a recording may be far larger than the host should hold in memory: the
 * file is streamed to the data folder's tmp/, the arguments are checked by the same parseArgs as every call, the
 * backend lists the file (cancelled if the page goes away), the file is deleted, and the answer is a wire Result.
 */
async function handleTracklistUpload(req: IncomingMessage, res: ServerResponse, ctx: RpcContext): Promise<void> {
  const maxBytes = LIMITS.maxTracklistBytes;
  let upload;
  try {
    upload = await receiveUploadToFile(req, { dataDir: await ctx.dataDir(), maxBytes, fileField: 'audio' });
  } catch (error) {
    if (error instanceof UploadError) {
      if (error.problem === 'aborted') return void res.destroy();
      if (error.problem === 'too-large') {
        closeAfterAnswer(req, res);
        return sendResult(res, 413, failure('file-too-large', `the recording is larger than ${maxBytes / 2 ** 20} MB`));
      }
      if (error.problem !== 'write-failed') return sendResult(res, 400, failure('invalid-argument', `tracklistClip: ${error.message}`));
    }
    ctx.log('rpc tracklistClip: the upload failed', error);
    return sendResult(res, 500, failure('internal', 'the upload could not be stored (see the host log)'));
  }
  let result: Result<unknown>;
  let status = 200;
  const controller = new AbortController();
  const onClose = (): void => {
    if (!res.writableFinished) controller.abort(); // the page went away (closed, reloaded): stop the run
  };
  res.on('close', onClose);
  try {
    // The bytes are on disk; the rest of the request goes through the contract's own checks.
    const parsed = parseArgs('tracklistClip', [
      { audio: { kind: 'file', fileName: upload.fileName, bytes: new Uint8Array(0) }, runId: upload.fields.get('runId') },
    ]);
    if (parsed.ok) result = await ctx.backend.tracklistFile({ filePath: upload.filePath, runId: parsed.value[0].runId }, controller.signal);
    else [result, status] = [parsed, 400];
  } catch (error) {
    ctx.log('rpc tracklistClip threw', error);
    result = failure('internal', 'unexpected error (see the host log)');
  } finally {
    res.off('close', onClose);
    await removeTempFile(upload.filePath); // gone before the answer
  }
  if (!res.writableEnded && !res.destroyed) sendResult(res, status, result);
}
