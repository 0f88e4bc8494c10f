// The room log across a reload (a second store on the same storage, as a reloaded page or a restarted app is):
// a stopped session comes back whole; one the page left while listening comes back closed where it was last heard;
// the next switch-on adds a session after it; Clear log forgets them all (not while listening). Fake timers, the
// fake microphone and the fake bridge's scripted session (two library songs of 30 s, then music not in the library).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage, createTestStore, playMic, type FakeMic } from '../../store/testDeps';
import { roomLogSessions } from './keepListeningSlice';
import { ROOM_LOG_STORAGE_KEY } from './roomLogStore';

const play = (mic: FakeMic, seconds: number): Promise<void> => playMic(mic, seconds, (ms) => vi.advanceTimersByTimeAsync(ms));

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2025-01-01T21:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('the room log across a reload', () => {
  it('comes back after the page reloads, stopped or still listening; a new switch-on adds a session; Clear log forgets it', async () => {
    const storage = createMemoryStorage();
    const first = createTestStore({ startScanned: true }, { storage });
    await first.store.getState().startKeepListening();
    await play(first.mic, 70);
    await first.store.getState().stopKeepListening();
    const stopped = first.store.getState().keep;
    expect(stopped.log.map((e) => e.track?.title ?? null)).toEqual([first.bridge.tracks[0].title, first.bridge.tracks[1].title, null]);

    // Reload: the same log, as one earlier session.
    const second = createTestStore({ startScanned: true }, { storage });
    expect(second.store.getState().keep.phase).toBe('idle');
    expect(second.store.getState().keep.earlier).toEqual([{ startedAtMs: stopped.startedAtMs, log: stopped.log }]);

    // Listening again: a second session after the first; the page goes away mid-song (no stop).
    vi.setSystemTime(new Date('2025-01-01T22:00:00Z'));
    await second.store.getState().startKeepListening();
    await play(second.mic, 20);
    const live = second.store.getState().keep;
    expect(live.log).toHaveLength(1);
    expect(live.log[0].ongoing).toBe(true);
    expect(roomLogSessions(live)).toHaveLength(2);
    second.store.getState().clearRoomLog(); // not while listening
    expect(roomLogSessions(second.store.getState().keep)).toHaveLength(2);

    const third = createTestStore({ startScanned: true }, { storage });
    const restored = third.store.getState().keep.earlier;
    expect(restored.map((s) => s.startedAtMs)).toEqual([stopped.startedAtMs, live.startedAtMs]);
    expect(restored[1].log).toEqual([{ ...live.log[0], ongoing: false }]);
    expect(restored[1].log[0].endSeconds).toBe(live.log[0].endSeconds);
    await second.store.getState().stopKeepListening();

    third.store.getState().clearRoomLog();
    expect(roomLogSessions(third.store.getState().keep)).toEqual([]);
    expect(storage.items.has(ROOM_LOG_STORAGE_KEY)).toBe(false);
    expect(createTestStore({}, { storage }).store.getState().keep.earlier).toEqual([]);
  });

  it('keeps nothing where there is no storage', async () => {
    const { store, mic } = createTestStore({ startScanned: true }, { storage: null });
    await store.getState().startKeepListening();
    await play(mic, 5);
    await store.getState().stopKeepListening();
    expect(store.getState().keep.log.length).toBeGreaterThan(0);
    expect(createTestStore({}, { storage: null }).store.getState().keep.earlier).toEqual([]);
  });
});
