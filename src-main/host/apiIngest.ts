// POST /api/v1/ingest {"path": "/absolute/path"}: adds the file's or directory's folder to the library (or scans the
// library folder it is in again), waits for the scan and answers what it did, with the files that failed.
import { promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { LIMITS } from '../../src-preload/contract/api.js';
import { isAbsoluteOrHomePath } from '../../src-preload/contract/parseArgs.js';
import { apiError, apiErrorFromApp } from './apiErrors.js';
import { fail, unwrap, type HttpApiContext } from './apiRoute.js';
import { BodyTooLargeError, readBody, sendJson } from './httpCommon.js';
import { failedFilesSince, scanFolder, sumScans, watchScans } from './scanWait.js';

const MAX_INGEST_ERRORS = 1000;

export async function ingest(req: IncomingMessage, res: ServerResponse, ctx: HttpApiContext): Promise<void> {
  let body: unknown;
  try {
    const raw = await readBody(req, 64 * 1024);
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    if (error instanceof BodyTooLargeError) fail(apiError('VALIDATION_ERROR', 'The JSON body is too large.'));
    fail(apiError('VALIDATION_ERROR', 'Send a JSON body {"path": "/absolute/path"}.'));
  }
  const target = (body as { path?: unknown } | null)?.path;
  // Absolute only: "~" means the host user's home to the page's door, but a script names the path it means.
  if (
    typeof target !== 'string' ||
    target.length === 0 ||
    target.length > LIMITS.maxPathLength ||
    target.includes('\0') ||
    !isAbsoluteOrHomePath(target) ||
    target.startsWith('~')
  ) {
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
  const watcher = watchScans(ctx.backend, ctx.ingestTimeoutMs);
  try {
    const libraryFolder = unwrap(await scanFolder(ctx.backend, folder));
    const outcome = await watcher.settled;
    if (outcome === 'timeout') {
      return fail(
        apiError('SERVICE_UNAVAILABLE', 'The scan is still running; the folder stays in the library and keeps being indexed.', {
          timeout_ms: ctx.ingestTimeoutMs,
        }),
      );
    }
    if (outcome.failure) return fail(apiErrorFromApp(outcome.failure));
    const { summaries } = outcome;
    const total = sumScans(summaries);
    const errors = (await failedFilesSince(ctx.backend, folder, startedAt, MAX_INGEST_ERRORS)).map((f) => ({
      path: f.path,
      code: f.error.code,
      message: f.error.detail ?? null,
    }));
    sendJson(res, 200, {
      path: requested,
      folder: { id: libraryFolder.id, path: libraryFolder.path },
      ingested: total.added + total.updated,
      duplicates: total.duplicates,
      // Unchanged files of the first scan (later ones in the same wait see the same files again).
      unchanged: summaries[0]?.unchanged ?? 0,
      moved: total.moved,
      removed: total.removed,
      failed: total.failed,
      cancelled: total.cancelled,
      errors,
      wall_seconds: Math.round((performance.now() - startedMs) / 100) / 10,
    });
  } finally {
    watcher.stop();
  }
}
