// The media:// protocol: media://track/<trackId> streams that track's audio file to the page's <audio> element,
// with HTTP Range support so it can seek ("play from the matched point"). Only files the catalog knows are served:
// the id is looked up through the backend, never a path from the URL, and the file must still be a regular file
// inside a library folder (engine/mediaFile.ts, the check the browser host's /media makes too).
import { Readable } from 'node:stream';
import type { FolderSummary } from '../../src-preload/contract/api.js';
import type { TrackDetail } from '../../src-preload/contract/library.js';
import type { Result } from '../../src-preload/contract/library.js';
import { parseArgs } from '../../src-preload/contract/parseArgs.js';
import { parseByteRange } from './byteRange.js';
import { contentTypeFor } from '../engine/contentTypes.js';
import { openMediaFile } from '../engine/mediaFile.js';
import { MEDIA_HOST, MEDIA_SCHEME } from './origins.js';

/** What the media protocol needs from the library: a track's file and the folders it must lie in. */
export interface TrackLookup {
  getTrack(trackId: TrackDetail['id']): Promise<Result<TrackDetail>>;
  listFolders(): Promise<Result<readonly FolderSummary[]>>;
}

/** The URL the page plays a track from (what the preload's mediaUrl returns). */
export function mediaUrlFor(trackId: string): string {
  return `${MEDIA_SCHEME}://${MEDIA_HOST}/${encodeURIComponent(trackId)}`;
}

/** The track id a media URL names, validated like every IPC argument; null for anything else. */
export function trackIdFromMediaUrl(requestUrl: string): TrackDetail['id'] | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${MEDIA_SCHEME}:` || url.host.toLowerCase() !== MEDIA_HOST) return null;
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  if (segments.length !== 1) return null;
  let raw: string;
  try {
    raw = decodeURIComponent(segments[0]);
  } catch {
    return null;
  }
  const parsed = parseArgs('getTrack', [raw]);
  return parsed.ok ? parsed.value[0] : null;
}

const text = (status: number, body: string, extra: Record<string, string> = {}): Response =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...extra } });

/** The protocol.handle handler for media://. GET and HEAD, 200 / 206 / 416, 404 for unknown or vanished tracks. */
export function createMediaProtocolHandler(library: TrackLookup): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'method not allowed');
    const trackId = trackIdFromMediaUrl(request.url);
    if (!trackId) return text(404, 'not found');
    let track: Result<TrackDetail>;
    let folders: Result<readonly FolderSummary[]>;
    try {
      track = await library.getTrack(trackId);
      if (!track.ok) return text(track.error.code === 'not-found' ? 404 : 500, track.error.code);
      folders = await library.listFolders();
    } catch {
      return text(500, 'internal error');
    }
    if (!folders.ok) return text(500, folders.error.code);
    const filePath = track.value.filePath;
    // Missing, replaced by a link out of the library, or no longer a regular file: all 404 to the page.
    const opened = await openMediaFile(
      filePath,
      folders.value.map((f) => f.path),
    );
    if (!opened.ok) return text(404, 'not found');
    const { handle, sizeBytes } = opened.file;
    const base = {
      'Content-Type': contentTypeFor(filePath),
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    };
    const range = parseByteRange(request.headers.get('range'), sizeBytes);
    if (range === 'unsatisfiable' || request.method === 'HEAD' || sizeBytes === 0) await handle.close().catch(() => undefined);
    if (range === 'unsatisfiable') return text(416, 'range not satisfiable', { 'Content-Range': `bytes */${sizeBytes}` });
    const start = range ? range.start : 0;
    const end = range ? range.end : sizeBytes - 1;
    const headers: Record<string, string> = { ...base, 'Content-Length': String(Math.max(0, end - start + 1)) };
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${sizeBytes}`;
    const status = range ? 206 : 200;
    if (request.method === 'HEAD' || sizeBytes === 0) return new Response(null, { status, headers });
    const stream = handle.createReadStream({ start, end }); // closes the handle when done or destroyed
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers });
  };
}
