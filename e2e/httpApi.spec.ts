// The scripts' HTTP API on the same host: a multipart search with the bearer token answers the expected match
// in the original design's shape; without the token it is refused.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { hostInfo } from './support/host.js';
import { CLIPS, clipPath } from './support/paths.js';

test('POST /api/v1/search (multipart) names the song and offset', async ({ request }) => {
  const host = hostInfo();
  const clip = CLIPS.micBeta;
  const response = await request.post(`${host.origin}/api/v1/search`, {
    headers: { Authorization: `Bearer ${host.token}` },
    multipart: {
      audio: { name: clip.file, mimeType: 'audio/wav', buffer: readFileSync(clipPath(clip.file)) },
      mode: 'exact',
      max_results: '3',
    },
  });
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(typeof body.request_id).toBe('string');
  expect(typeof body.query_duration_ms).toBe('number');
  expect(body.mode_used).toBe('exact');
  expect(body.exact_matches.length).toBeGreaterThanOrEqual(1);
  const best = body.exact_matches[0];
  expect(best.track.title).toBe(clip.song);
  expect(Math.abs(best.offset_seconds - clip.startSeconds)).toBeLessThanOrEqual(1.5);
  expect(best.confidence).toBeGreaterThan(0.5);
  expect(best.aligned_hashes).toBeGreaterThan(5);
  expect(Array.isArray(body.vibe_matches)).toBe(true);
});

test('the API refuses a search without the token', async ({ request }) => {
  const host = hostInfo();
  const response = await request.post(`${host.origin}/api/v1/search`, {
    multipart: { audio: { name: 'x.wav', mimeType: 'audio/wav', buffer: readFileSync(clipPath(CLIPS.micBeta.file)) } },
  });
  expect(response.status()).toBe(401);
  const body = await response.json();
  expect(body.error?.code).toBeTruthy();
});
