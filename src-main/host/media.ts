// GET/HEAD /media/<trackId>?token=...: streams a library track's file so the page's <audio> can play and seek
// (single byte ranges: 206 + Content-Range; 416 when unsatisfiable). Serves only files the catalog names, and only
// while they are regular files inside a library folder (engine/mediaFile.ts, the check media:// makes too).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseArgs } from '../../src-preload/contract/parseArgs.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';
import { contentTypeFor } from '../engine/contentTypes.js';
import { openMediaFile } from '../engine/mediaFile.js';
import { apiError, apiErrorFromApp } from './apiErrors.js';
import { BASE_HEADERS, headerToken, sendApiError, tokenMatches } from './httpCommon.js';

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

/** Parses a Range header against a file size: one range, inclusive ends; null means "send the whole file". */
export function parseRange(header: string | undefined, sizeBytes: number): ByteRange {
  if (!header) return null;
  const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header.trim());
  if (!match) return null; // multiple ranges or another unit: RFC 9110 lets us ignore it and send 200
  const [, first, last] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || sizeBytes === 0) return 'unsatisfiable';
    return { start: Math.max(0, sizeBytes - suffix), end: sizeBytes - 1 };
  }
  const start = Number(first);
  if (start >= sizeBytes) return 'unsatisfiable';
  const end = last === '' ? sizeBytes - 1 : Math.min(Number(last), sizeBytes - 1);
  if (end < start) return 'unsatisfiable';
  return { start, end };
}

export async function handleMedia(
  req: IncomingMessage,
  res: ServerResponse,
  idSegment: string,
  url: URL,
  backend: LibraryBackend,
  token: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendApiError(res, apiError('METHOD_NOT_ALLOWED'), { allow: 'GET, HEAD' });
  // <audio> cannot send headers: the token comes in the query (header also accepted).
  if (!tokenMatches(token, url.searchParams.get('token') ?? headerToken(req))) return sendApiError(res, apiError('UNAUTHORIZED'));
  const parsed = parseArgs('getTrack', [decodeURIComponent(idSegment)]);
  if (!parsed.ok) return sendApiError(res, apiErrorFromApp(parsed.error));
  const track = await backend.getTrack(...parsed.value);
  if (!track.ok) return sendApiError(res, apiErrorFromApp(track.error));
  const filePath = track.value.filePath;
  const folders = await backend.listFolders();
  if (!folders.ok) return sendApiError(res, apiErrorFromApp(folders.error));
  const opened = await openMediaFile(
    filePath,
    folders.value.map((f) => f.path),
  );
  // Missing, replaced by a link out of the library, or no longer a regular file: all the same to the page.
  if (!opened.ok) return sendApiError(res, apiError('NOT_FOUND', "The track's file is missing."));
  const { handle, sizeBytes, mtimeMs } = opened.file;
  const headers: Record<string, string> = {
    ...BASE_HEADERS,
    'content-type': contentTypeFor(filePath),
    'accept-ranges': 'bytes',
    'cache-control': 'private, no-cache',
    'last-modified': new Date(mtimeMs).toUTCString(),
  };
  const range = parseRange(typeof req.headers.range === 'string' ? req.headers.range : undefined, sizeBytes);
  if (range === 'unsatisfiable') {
    await handle.close().catch(() => undefined);
    res.writeHead(416, { ...headers, 'content-range': `bytes */${sizeBytes}`, 'content-length': '0' });
    res.end();
    return;
  }
  const start = range ? range.start : 0;
  const end = range ? range.end : sizeBytes - 1;
  const lengthBytes = sizeBytes === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'content-length': String(lengthBytes),
    ...(range ? { 'content-range': `bytes ${start}-${end}/${sizeBytes}` } : {}),
  });
  if (req.method === 'HEAD' || lengthBytes === 0) {
    await handle.close().catch(() => undefined);
    res.end();
    return;
  }
  const stream = handle.createReadStream({ start, end }); // closes the handle when done or destroyed
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
