// LibraryService's keep-listening sessions, in-process on generated songs: audio pushed a second at a time is named
// live; each song goes to History once (not once per push); stop gives the final log and frees the session; sessions
// are capped and dropped when idle.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type ListenState } from '../../src-preload/contract/api.js';
import type { Result } from '../../src-preload/contract/library.js';
import { LibraryService } from './libraryService.js';
import { ok, openTwoSongService } from './testing/serviceTesting.js';
import { addNoise, cutClip } from './testing/synthAudio.js';

const RATE = 8000;
let root: string;
let service: LibraryService;
let one: Float32Array;

/** The sessions' clock: only the idle test moves it. */
let now = Date.now();

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ai-service-listen-'));
  ({ service, one } = await openTwoSongService(root, [81, 82], RATE, { listenIdleMs: 400, listenClock: () => now }));
}, 120_000);

afterAll(async () => {
  await service?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('LibraryService keep listening', () => {
  it('names the song live, writes it to History once, and stops with the final log', async () => {
    const before = ok(await service.listHistory({})).total;
    const started = ok(await service.listenStart({ sessionId: 'room-1' }));
    expect(started).toEqual({ sessionId: 'room-1', heardSeconds: 0, playing: null, log: [] });
    const audio = addNoise(cutClip(one, RATE, 15, 25), 20, 9);
    let state: ListenState | null = null;
    // Pushed without awaiting each one: the session takes them in order.
    const pushes: Promise<Result<ListenState>>[] = [];
    for (let at = 0; at < audio.length; at += RATE) pushes.push(service.listenPush({ sessionId: 'room-1', samples: audio.slice(at, at + RATE) }));
    const states = (await Promise.all(pushes)).map(ok);
    expect(states.map((s) => s.heardSeconds)).toEqual(states.map((_, i) => i + 1));
    state = states.at(-1)!;
    expect(state.playing?.track.title).toBe('One');
    expect(Math.abs(state.playing!.positionSeconds - 40)).toBeLessThan(0.5);
    const history = ok(await service.listHistory({}));
    expect(history.total).toBe(before + 1);
    expect(history.items[0].match?.title).toBe('One');
    expect(history.items[0].source).toBe('mic');

    const final = ok(await service.listenStop({ sessionId: 'room-1' }));
    expect(final.playing).toBeNull();
    expect(final.log.map((e) => e.track?.title)).toEqual(['One']);
    expect(final.log[0].ongoing).toBe(false);
    expect(ok(await service.listHistory({})).total).toBe(before + 1);
    // Freed: the id answers not-found, and can be used again.
    expect(await service.listenPush({ sessionId: 'room-1', samples: new Float32Array(RATE) })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await service.listenStop({ sessionId: 'room-1' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  }, 60_000);

  it('refuses a session id in use and more than the cap of sessions', async () => {
    const ids = Array.from({ length: LIMITS.maxListenSessions }, (_, i) => `cap-${i}`);
    for (const id of ids) ok(await service.listenStart({ sessionId: id }));
    expect(await service.listenStart({ sessionId: 'cap-0' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await service.listenStart({ sessionId: 'one-too-many' })).toMatchObject({ ok: false, error: { code: 'library-busy' } });
    for (const id of ids) ok(await service.listenStop({ sessionId: id }));
    ok(await service.listenStart({ sessionId: 'one-too-many' }));
    ok(await service.listenStop({ sessionId: 'one-too-many' }));
  });

  it('drops a session that gets no audio for the idle time', async () => {
    ok(await service.listenStart({ sessionId: 'idle' }));
    ok(await service.listenPush({ sessionId: 'idle', samples: new Float32Array(RATE) }));
    now += 1000; // past the idle time, without sleeping
    expect(await service.listenPush({ sessionId: 'idle', samples: new Float32Array(RATE) })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // Its slot is free again: the cap counts only live sessions.
    const ids = Array.from({ length: LIMITS.maxListenSessions }, (_, i) => `after-${i}`);
    for (const id of ids) ok(await service.listenStart({ sessionId: id }));
    for (const id of ids) ok(await service.listenStop({ sessionId: id }));
  });
});
