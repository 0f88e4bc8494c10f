// The original design's HTTP API for scripts (snake_case JSON, apiJson.ts): /health, /api/v1/version, and the
// routes per resource: uploads (/search, /tracklist: apiUploads.ts), /ingest (apiIngest.ts), /tracks (apiTracks.ts).
// Forwards to the same LibraryBackend as the renderer's door, with arguments checked by the contract's parseArgs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppStatus } from '../../src-preload/contract/api.js';
import { FINGERPRINT_CONFIG } from '../engine/fingerprint/config.js';
import { apiError } from './apiErrors.js';
import { ingest } from './apiIngest.js';
import { ApiFailure, fail, type HttpApiContext } from './apiRoute.js';
import { getTrack, listTracks, similarTracks } from './apiTracks.js';
import { search, tracklist } from './apiUploads.js';
import { closeAfterAnswer, headerToken, sendApiError, sendJson, tokenMatches } from './httpCommon.js';

export type { HttpApiContext } from './apiRoute.js';

export const API_PREFIX = '/api/v1';
export const DEFAULT_SEARCH_TIMEOUT_MS = 30_000;
export const DEFAULT_INGEST_TIMEOUT_MS = 30 * 60_000;

/** 'ok' when the catalog and the landmark store are healthy; anything else is 'degraded' (the page says why). */
export function healthOf(status: AppStatus): 'ok' | 'degraded' {
  return status.catalog === 'ok' && status.landmarkStore === 'ok' ? 'ok' : 'degraded';
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
