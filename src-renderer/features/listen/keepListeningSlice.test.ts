// Keep listening's state machine (fake timers, fake microphone at 8 kHz, the fake bridge's scripted session: the
// first two tracks 30 s each, then music not in the library): only new audio is pushed, about once a second; the log
// and what plays now follow the answers; one notification per new song when allowed, none when denied; switching off
// sends the rest and keeps the final log.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ListenPushRequest } from '../../../src-preload/contract/api';
import { createFakeNotifier, createTestStore, playMic, type FakeMic } from '../../store/testDeps';
import { KEEP_PUSH_EVERY_MS } from './keepListeningSlice';

/** Plays `seconds` of room audio in quarter-second chunks, letting timers and answers run. */
const play = (mic: FakeMic, seconds: number): Promise<void> => playMic(mic, seconds, (ms) => vi.advanceTimersByTimeAsync(ms));

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2025-01-01T21:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('Keep listening', () => {
  it('pushes only new 8 kHz audio, logs both songs then the unknown stretch, notifies once per song, and stops', async () => {
    const notifier = createFakeNotifier('granted');
    const { store, mic, bridge } = createTestStore({ startScanned: true }, { notifier });
    store.getState().setMicDeviceId('monitor');
    await store.getState().startKeepListening();
    expect(store.getState().keep.phase).toBe('on');
    expect(notifier.asked).toBe(1);
    expect(store.getState().keep.notifications).toBe('granted');
    expect(mic.lastOptions).toEqual({ targetRateHz: 8000, deviceId: 'monitor' });

    await play(mic, 20);
    const keep = store.getState().keep;
    // The first chunk arrived at 21:00:00 holding the quarter second recorded before it.
    expect(keep.startedAtMs).toBe(Date.parse('2025-01-01T21:00:00Z') - 250);
    expect(keep.playing?.track.id).toBe(bridge.tracks[0].id);
    expect(keep.playing?.positionSeconds).toBeCloseTo(12 + keep.heardSeconds, 5);
    expect(keep.log).toHaveLength(1);

    await play(mic, 50);
    const log = store.getState().keep.log;
    expect(log.map((e) => (e.track ? e.id : 0))).toEqual([1, 2, 0]);
    expect(log[2].startSeconds).toBe(60);
    // One notification per song, not per push.
    expect(notifier.shown).toHaveLength(2);
    expect(notifier.shown.map((n) => n.title)).toEqual([log[0].track!.title, log[1].track!.title]);

    await store.getState().stopKeepListening();
    expect(store.getState().keep.phase).toBe('idle');
    expect(mic.isOpen).toBe(false);
    expect(store.getState().keep.log.every((e) => !e.ongoing)).toBe(true);
    const pushes = bridge.calls.filter((c) => c.method === 'listenPush').map((c) => c.args[0] as ListenPushRequest);
    // Every sample fed was pushed exactly once, in pieces of about a second.
    expect(pushes.reduce((n, p) => n + p.samples.length, 0)).toBe(70 * 8000);
    expect(Math.max(...pushes.map((p) => p.samples.length))).toBeLessThanOrEqual(8000 * 2);
    expect(pushes.length).toBeGreaterThanOrEqual((70 * 1000) / KEEP_PUSH_EVERY_MS - 2);
    expect(bridge.calls.filter((c) => c.method === 'listenStop')).toHaveLength(1);
    expect(store.getState().keep.heardSeconds).toBe(70);
  });

  it('shows no notification when the user said no, and says so', async () => {
    const notifier = createFakeNotifier('denied');
    const { store, mic } = createTestStore({ startScanned: true }, { notifier });
    await store.getState().startKeepListening();
    expect(store.getState().keep.notifications).toBe('denied');
    await play(mic, 40);
    expect(store.getState().keep.log.filter((e) => e.track)).toHaveLength(2);
    expect(notifier.shown).toHaveLength(0);
    await store.getState().stopKeepListening();
  });

  it('ends with the error in words when the engine dropped the session', async () => {
    const { store, mic, bridge } = createTestStore({ startScanned: true });
    await store.getState().startKeepListening();
    await play(mic, 3);
    const sessionId = (bridge.calls.find((c) => c.method === 'listenStart')!.args[0] as { sessionId: string }).sessionId;
    await bridge.listenStop({ sessionId });
    await play(mic, 2);
    expect(store.getState().keep.phase).toBe('idle');
    expect(store.getState().keep.error?.code).toBe('not-found');
    expect(mic.isOpen).toBe(false);
  });
});
