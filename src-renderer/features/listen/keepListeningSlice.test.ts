// Keep listening's state machine (fake timers, fake microphone at 8 kHz, the fake bridge's scripted session: the
// first two tracks 30 s each, then music not in the library): only new audio is pushed, about once a second; the log
// and what plays now follow the answers; one notification per new song when allowed, none when denied; switching off
// sends the rest and keeps the final log; a recording held by two files is the one entry the engine answers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ListenPushRequest } from '../../../src-preload/contract/api';
import type { FakeScripts } from '../../../src-preload/contract/fake/fakeScripts';
import { createFakeNotifier, createMemoryStorage, createTestStore, playMic, type FakeMic } from '../../store/testDeps';
import { KEEP_PUSH_EVERY_MS, roomLogSessions } from './keepListeningSlice';
import { roomLogCsv, roomLogM3u8 } from './roomLog';
import { loadRoomLog } from './roomLogStore';

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
    // Every sample fed was pushed exactly once, in pieces of what arrived since the last push.
    expect(pushes.reduce((n, p) => n + p.samples.length, 0)).toBe(70 * 8000);
    expect(Math.max(...pushes.map((p) => p.samples.length))).toBeLessThanOrEqual(8000 * 2);
    expect(pushes.length).toBeGreaterThanOrEqual((70 * 1000) / KEEP_PUSH_EVERY_MS - 2);
    expect(bridge.calls.filter((c) => c.method === 'listenStop')).toHaveLength(1);
    expect(store.getState().keep.heardSeconds).toBe(70);
  });

  it('a recording held by two library files: one entry, one notification, kept and exported with the other file beside it', async () => {
    const notifier = createFakeNotifier('granted');
    const storage = createMemoryStorage();
    // The engine's answers: from 8 s the recording's second file is heard too, and joins the entry (sameRecording).
    const listen: FakeScripts['listen'] = (heardSeconds, [flac, mp3]) =>
      heardSeconds < 5
        ? { playing: null, log: [] }
        : {
            playing: { track: flac, positionSeconds: 12 + heardSeconds, speedFactor: 1, confidence: 0.9, entryId: 1 },
            log: [
              {
                ...{ id: 1, startSeconds: 0, endSeconds: heardSeconds, track: flac, offsetSeconds: 12, speedFactor: 1, confidence: 0.9, ongoing: true },
                ...(heardSeconds >= 8 ? { sameRecording: [mp3] } : {}),
              },
            ],
          };
    const { store, mic, bridge } = createTestStore({ startScanned: true, listen }, { notifier, storage });
    await store.getState().startKeepListening();
    await play(mic, 20);
    await store.getState().stopKeepListening();
    const [flac, mp3] = bridge.tracks;
    const keep = store.getState().keep;
    expect(keep.log.map((e) => [e.track?.id, e.sameRecording?.map((t) => t.id)])).toEqual([[flac.id, [mp3.id]]]);
    expect(notifier.shown.map((n) => n.title)).toEqual([flac.title]);
    // Kept across a reload, with the other file; the exports have one row, one playlist line.
    const reloaded = loadRoomLog(storage);
    expect(reloaded.map((s) => s.log.map((e) => e.sameRecording?.map((t) => t.filePath)))).toEqual([[[mp3.filePath]]]);
    expect(roomLogCsv(reloaded).trimEnd().split('\r\n')).toHaveLength(2);
    expect(roomLogM3u8(roomLogSessions(keep)).match(/#EXTINF/g)).toHaveLength(1);
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
