// GET /api/v1/tracks, /api/v1/tracks/{id}, /api/v1/tracks/{id}/similar: arguments checked by the contract's parseArgs,
// answered in the one JSON shape (apiJson.ts).
import type { ServerResponse } from 'node:http';
import { LIMITS } from '../../src-preload/contract/api.js';
import { parseArgs } from '../../src-preload/contract/parseArgs.js';
import { apiError, apiErrorFromApp } from './apiErrors.js';
import { similarJson, trackDetailJson, trackPageJson } from './apiJson.js';
import { decodeSegment, fail, intParam, unwrap, type HttpApiContext } from './apiRoute.js';
import { sendJson } from './httpCommon.js';

export const DEFAULT_MAX_RESULTS = 10;
const DEFAULT_PER_PAGE = 50;

export async function listTracks(url: URL, res: ServerResponse, ctx: HttpApiContext): Promise<void> {
  const page = intParam(url.searchParams.get('page'), 'page', 1, 1_000_000_000, 1);
  const perPage = intParam(url.searchParams.get('per_page'), 'per_page', 1, LIMITS.maxPerPage, DEFAULT_PER_PAGE);
  const searchText = url.searchParams.get('search');
  const args = parseArgs('listTracks', [{ page, perPage, ...(searchText ? { search: searchText } : {}) }]);
  if (!args.ok) return fail(apiErrorFromApp(args.error));
  sendJson(res, 200, trackPageJson(unwrap(await ctx.backend.listTracks(...args.value))));
}

export async function getTrack(idSegment: string, res: ServerResponse, ctx: HttpApiContext): Promise<void> {
  const args = parseArgs('getTrack', [decodeSegment(idSegment)]);
  if (!args.ok) return fail(apiError('VALIDATION_ERROR', 'The track id must be a UUID.', { field: 'id' }));
  sendJson(res, 200, trackDetailJson(unwrap(await ctx.backend.getTrack(...args.value))));
}

export async function similarTracks(idSegment: string, url: URL, res: ServerResponse, ctx: HttpApiContext): Promise<void> {
  const limit = intParam(url.searchParams.get('limit'), 'limit', 1, LIMITS.maxResults, DEFAULT_MAX_RESULTS);
  const args = parseArgs('similarTracks', [decodeSegment(idSegment), limit]);
  if (!args.ok) return fail(apiError('VALIDATION_ERROR', 'The track id must be a UUID.', { field: 'id' }));
  sendJson(res, 200, similarJson(args.value[0], unwrap(await ctx.backend.similarTracks(...args.value))));
}
