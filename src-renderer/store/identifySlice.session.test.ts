// What a Listen sends and keeps (fake timers, fake microphone, the fake library's clip sessions): each ask pushes only
// the audio recorded since the last one, so the pushes put together are the recording, sample for sample (not the
// growing clip again and again); History gets one entry per Listen, when it ends with a song or with "not in your
// library", none while it listens and none when it fails.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IdentifyRequest, ListenPushRequest } from '../../src-preload/contract/api';
import type { IdentifyResult, TrackSummary } from '../../src-preload/contract/library';
import { LISTEN_ASK_EVERY_MS, LISTEN_TICK_MS } from './identifySlice';
import { createTestStore, playMic, type FakeMic } from './testDeps';

const RATE = 8000;
const AMPLITUDE = 0.3;

function clipSecondsOf(request: IdentifyRequest): number {
  return request.audio.kind === 'pcm' ? request.audio.samples.length / request.audio.sampleRateHz : 0;
}

const noMatch = (request: IdentifyRequest): IdentifyResult => ({ durationMs: 5, clipSeconds: clipSecondsOf(request), exact: [], vibe: [], modeUsed: 'exact' });

/** Beta once the clip is at least `seconds` long, else nothing. */
const matchFrom =
  (seconds: number) =>
  (request: IdentifyRequest, tracks: readonly TrackSummary[]): IdentifyResult => {
    const clipSeconds = clipSecondsOf(request);
    if (clipSeconds < seconds) return noMatch(request);
    const track = tracks.find((t) => t.title === 'Beta') ?? tracks[0];
    return { ...noMatch(request), exact: [{ track, confidence: 0.9, offsetSeconds: 60, alignedHashes: 40, speedFactor: 1, pitchFactor: 1 }] };
  };

const play = (mic: FakeMic, seconds: number): Promise<void> => playMic(mic, seconds, (ms) => vi.advanceTimersByTimeAsync(ms), LISTEN_TICK_MS, AMPLITUDE);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2025-01-01T12:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('Listen pushes only new audio', () => {
  it('sends each recorded sample once: the pushes put together are the recording, and the session searched all of it', async () => {
    const searched: number[] = [];
    const { store, mic, bridge } = createTestStore({ startScanned: true, identify: (r) => (searched.push(clipSecondsOf(r)), noMatch(r)) });
    store.getState().setMode('exact');
    store.getState().setListenLimitSeconds(8);
    await store.getState().startListening();
    await play(mic, 10);
    expect(store.getState().listen.phase).toBe('idle');

    const pushes = bridge.calls.filter((c) => c.method === 'listenPush').map((c) => (c.args[0] as ListenPushRequest).samples);
    expect(pushes.length).toBeGreaterThanOrEqual(5);
    // The first push holds the first 3 s; each later one about a second (an ask per second), never the clip again.
    expect(pushes[0].length / RATE).toBeGreaterThanOrEqual(3);
    expect(pushes[0].length / RATE).toBeLessThan(3 + 2 * (LISTEN_TICK_MS / 1000));
    for (const push of pushes.slice(1)) expect(push.length / RATE).toBeLessThanOrEqual((LISTEN_ASK_EVERY_MS + 2 * LISTEN_TICK_MS) / 1000);
    // Put together, they are the microphone's signal from its first sample, in order, with nothing twice.
    const total = pushes.reduce((n, p) => n + p.length, 0);
    const sent = new Float32Array(total);
    let at = 0;
    for (const push of pushes) {
      sent.set(push, at);
      at += push.length;
    }
    const recorded = Float32Array.from({ length: total }, (_, i) => AMPLITUDE * Math.sin((2 * Math.PI * 440 * i) / RATE));
    expect(sent).toEqual(recorded);
    // About the 8 s recorded, not the sum of the growing clips (3 + 4 + ... + 8 = 33 s).
    expect(total / RATE).toBeGreaterThanOrEqual(7.75);
    expect(total / RATE).toBeLessThanOrEqual(8.25);
    // The session searched the whole clip each time: the clips grew by what was pushed.
    expect(searched).toHaveLength(pushes.length);
    expect(searched.at(-1)).toBeCloseTo(total / RATE, 5);
  });
});

describe('Listen keeps one History entry per answer', () => {
  it('writes none while listening, then one when the Listen ends with a song', async () => {
    const { store, mic, bridge } = createTestStore({ startScanned: true, identify: matchFrom(6) });
    await store.getState().startListening();
    await play(mic, 5);
    expect(bridge.calls.filter((c) => c.method === 'listenPush').length).toBeGreaterThanOrEqual(2);
    expect(store.getState().listen.phase).toBe('listening');
    const during = await bridge.listHistory({});
    expect(during.ok && during.value.total).toBe(0);

    await play(mic, 3);
    expect(store.getState().outcome?.result?.exact[0]?.track.title).toBe('Beta');
    const after = await bridge.listHistory({});
    expect(after.ok && after.value.items.map((e) => [e.source, e.match?.title ?? null])).toEqual([['mic', 'Beta']]);
    expect(bridge.calls.filter((c) => c.method === 'listenStop')).toHaveLength(1);
  });

  it('writes one "not in your library" entry when the time limit ends it without a song', async () => {
    const { store, mic, bridge } = createTestStore({ startScanned: true, identify: noMatch });
    store.getState().setListenLimitSeconds(6);
    await store.getState().startListening();
    await play(mic, 8);
    expect(store.getState().listen.phase).toBe('idle');
    const asks = bridge.calls.filter((c) => c.method === 'listenPush').length;
    expect(asks).toBeGreaterThanOrEqual(3);
    const history = await bridge.listHistory({});
    expect(history.ok && history.value.items.map((e) => e.match)).toEqual([null]);
    expect(history.ok && history.value.items[0].clipSeconds).toBeGreaterThanOrEqual(5.75);
  });

  it('writes nothing when the Listen ends with an error, and still frees its session', async () => {
    const { store, mic, bridge } = createTestStore({
      startScanned: true,
      identify: (r) => (clipSecondsOf(r) >= 4 ? { code: 'ffmpeg-missing' } : noMatch(r)),
    });
    await store.getState().startListening();
    await play(mic, 6);
    expect(store.getState().outcome?.error?.code).toBe('ffmpeg-missing');
    expect(bridge.calls.filter((c) => c.method === 'listenStop')).toHaveLength(1);
    const history = await bridge.listHistory({});
    expect(history.ok && history.value.total).toBe(0);
  });
});
