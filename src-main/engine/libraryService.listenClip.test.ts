// LibraryService's clip sessions (Listen's single answer), in-process on generated songs: only new audio is pushed,
// and each push answers exactly what identifyClip answers for all the audio so far (8 kHz exact, and the device's
// 48 kHz with both lanes); History is written once, at stop, with the answer (a song, or "not in your library"), and
// not at all without a key, after a failed push or for a session dropped idle; an unknown session is 'not-found'.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentifyRequest, ListenClipOptions } from '../../src-preload/contract/api.js';
import type { IdentifyResult } from '../../src-preload/contract/library.js';
import { LibraryService } from './libraryService.js';
import { ok, openTwoSongService } from './testing/serviceTesting.js';
import { addNoise, createRng, cutClip, resampleLinear } from './testing/synthAudio.js';

const RATE = 8000;
let root: string;
let service: LibraryService;
let one: Float32Array;

/** The sessions' clock: only the idle test moves it. */
let now = Date.now();

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ai-service-listen-clip-'));
  ({ service, one } = await openTwoSongService(root, [91, 92], RATE, { embedderManifest: undefined, listenIdleMs: 400, listenClock: () => now }));
}, 120_000);

afterAll(async () => {
  await service?.close();
  rmSync(root, { recursive: true, force: true });
});

/** What the page would see of an answer: everything but the time it took. */
function shown(result: IdentifyResult | null | undefined): unknown {
  if (!result) return result;
  const { durationMs, ...rest } = result;
  void durationMs;
  return rest;
}

async function historyTotal(): Promise<number> {
  return ok(await service.listHistory({})).total;
}

/**
 * Pushes `audio` from sample `from` on, a second at a time (what came before was pushed already); each answer must
 * equal identifyClip of all the audio so far. Returns the last answer.
 */
async function pushComparing(sessionId: string, audio: Float32Array, clip: ListenClipOptions, from = 0): Promise<IdentifyResult | null> {
  const rate = clip.sampleRateHz;
  let last: IdentifyResult | null = null;
  for (let at = from; at < audio.length; at += rate) {
    const state = ok(await service.listenPush({ sessionId, samples: audio.slice(at, at + rate) }));
    const soFar = audio.slice(0, Math.min(audio.length, at + rate));
    expect(state.heardSeconds).toBeCloseTo(soFar.length / rate, 2);
    const whole: IdentifyRequest = { audio: { kind: 'pcm', sampleRateHz: rate, samples: soFar }, source: 'mic', mode: clip.mode, maxResults: clip.maxResults };
    const expected = await service.identifyClip(whole);
    if (expected.ok) expect(shown(state.answer)).toEqual(shown(expected.value));
    else expect(expected.error.code).toBe('clip-too-short'); // answered as "no answer yet"
    if (!expected.ok) expect(state.answer).toBeNull();
    expect(state.playing).toBeNull();
    expect(state.log).toEqual([]);
    last = state.answer ?? null;
  }
  return last;
}

describe('LibraryService clip sessions (Listen)', () => {
  it('answers each push as identifyClip answers the whole clip, and writes History once, at stop', async () => {
    const before = await historyTotal();
    const clip: ListenClipOptions = { sampleRateHz: RATE, mode: 'exact', maxResults: 5, historyKey: 'listen-1' };
    expect(ok(await service.listenStart({ sessionId: 'clip-1', clip }))).toEqual({
      sessionId: 'clip-1',
      heardSeconds: 0,
      playing: null,
      log: [],
      answer: null,
    });
    // Half a second first: too short for an answer, not an error.
    const audio = addNoise(cutClip(one, RATE, 20, 6.5), 15, 3);
    const first = ok(await service.listenPush({ sessionId: 'clip-1', samples: audio.slice(0, RATE / 2) }));
    expect(first.answer).toBeNull();
    const last = await pushComparing('clip-1', audio, clip, RATE / 2);
    expect(last?.exact[0]?.track.title).toBe('One');
    // Pushes write nothing to History...
    expect(await historyTotal()).toBe(before);
    const final = ok(await service.listenStop({ sessionId: 'clip-1' }));
    expect(shown(final.answer)).toEqual(shown(last));
    // ...the stop writes the answer, once, under the key.
    const history = ok(await service.listHistory({}));
    expect(history.total).toBe(before + 1);
    expect(history.items[0]).toMatchObject({ source: 'mic', mode: 'exact', clipName: null, count: 1, clipSeconds: 6.5 });
    expect(history.items[0].match?.title).toBe('One');
    expect(ok(await service.getHistoryEntry(history.items[0].id)).result?.exact[0]?.track.title).toBe('One');
    // Freed: the id answers not-found.
    expect(await service.listenPush({ sessionId: 'clip-1', samples: new Float32Array(RATE) })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await service.listenStop({ sessionId: 'clip-1' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  }, 60_000);

  it('answers alike at the device rate with both lanes (the clip kept at 48 kHz, resampled for the exact lane)', async () => {
    const clip: ListenClipOptions = { sampleRateHz: 48_000, mode: 'both', maxResults: 3 };
    ok(await service.listenStart({ sessionId: 'clip-48k', clip }));
    const audio = resampleLinear(addNoise(cutClip(one, RATE, 5, 6), 20, 4), RATE / 48_000); // 8 kHz to 48 kHz
    const last = await pushComparing('clip-48k', audio, clip);
    expect(last?.exact[0]?.track.title).toBe('One');
    expect(last?.vibe.length).toBeGreaterThan(0);
    const before = await historyTotal();
    ok(await service.listenStop({ sessionId: 'clip-48k' }));
    expect(await historyTotal()).toBe(before); // no history key: nothing kept
  }, 60_000);

  it('keeps "not in your library" in History once, for a Listen that heard no library song', async () => {
    const before = await historyTotal();
    const rng = createRng(5);
    const noise = Float32Array.from({ length: RATE * 4 }, () => (rng() - 0.5) * 0.4);
    ok(await service.listenStart({ sessionId: 'clip-unknown', clip: { sampleRateHz: RATE, mode: 'exact', maxResults: 5, historyKey: 'listen-unknown' } }));
    const last = await pushComparing('clip-unknown', noise, { sampleRateHz: RATE, mode: 'exact', maxResults: 5 });
    expect(last?.exact).toEqual([]);
    expect(await historyTotal()).toBe(before);
    ok(await service.listenStop({ sessionId: 'clip-unknown' }));
    const history = ok(await service.listHistory({}));
    expect(history.total).toBe(before + 1);
    expect(history.items[0]).toMatchObject({ source: 'mic', clipSeconds: 4, match: null });
  }, 60_000);

  it('writes nothing when the session is dropped idle, or its last push failed', async () => {
    const before = await historyTotal();
    const clip: ListenClipOptions = { sampleRateHz: RATE, mode: 'exact', maxResults: 5, historyKey: 'listen-idle' };
    ok(await service.listenStart({ sessionId: 'clip-idle', clip }));
    expect(ok(await service.listenPush({ sessionId: 'clip-idle', samples: cutClip(one, RATE, 10, 14) })).answer?.exact[0]?.track.title).toBe('One');
    now += 1000; // past the idle time, without sleeping
    expect(await service.listenPush({ sessionId: 'clip-idle', samples: new Float32Array(RATE) })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await service.listenStop({ sessionId: 'clip-idle' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await historyTotal()).toBe(before);

    // A push past the clip cap (300 s) is refused with 'clip-too-long'; the session then has no answer to keep.
    ok(await service.listenStart({ sessionId: 'clip-long', clip: { ...clip, historyKey: 'listen-long' } }));
    ok(await service.listenPush({ sessionId: 'clip-long', samples: cutClip(one, RATE, 10, 14) }));
    const huge = new Float32Array(300 * RATE); // with the 4 s already held: past the 300 s cap
    let refused = false;
    for (let at = 0; at < huge.length && !refused; at += 480_000) {
      const pushed = await service.listenPush({ sessionId: 'clip-long', samples: huge.subarray(at, at + 480_000) });
      if (!pushed.ok) {
        expect(pushed.error.code).toBe('clip-too-long');
        refused = true;
      }
    }
    expect(refused).toBe(true);
    expect(ok(await service.listenStop({ sessionId: 'clip-long' })).answer).toBeNull();
    expect(await historyTotal()).toBe(before);
  }, 120_000);
});
