// The Listen state machine (fake timers, fake microphone, fake bridge): progressive asks from 3 s on, one at a time,
// each pushing only the audio new since the last to one clip session, stopping at the first confident answer or at
// the time limit ("not in your library"), silence detection, errors; and file identification with its size limit.
// What reaches the clip session and History is in identifySlice.session.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IdentifyRequest, ListenStartRequest } from '../../src-preload/contract/api';
import { LIMITS } from '../../src-preload/contract/api';
import type { IdentifyResult, TrackSummary } from '../../src-preload/contract/library';
import { LISTEN_PROBLEM_TEXT } from '../lib/errorText';
import { isNotInLibrary, LISTEN_TICK_MS } from './identifySlice';
import { createTestStore, playMic, type FakeMic } from './testDeps';

const RATE = 8000;
const noMatch = (clipSeconds: number): IdentifyResult => ({ durationMs: 5, clipSeconds, exact: [], vibe: [], modeUsed: 'exact' });

function clipSecondsOf(request: IdentifyRequest): number {
  return request.audio.kind === 'pcm' ? request.audio.samples.length / request.audio.sampleRateHz : 0;
}

/** Plays `seconds` of room audio into the mic in tick-sized steps, letting timers and answers run. */
const play = (mic: FakeMic, seconds: number, amplitude = 0.3): Promise<void> =>
  playMic(mic, seconds, (ms) => vi.advanceTimersByTimeAsync(ms), LISTEN_TICK_MS, amplitude);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2025-01-01T12:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('Listen', () => {
  it('asks the worklet for 8 kHz audio in exact mode (the device rate for the vibe lane), from the chosen input', async () => {
    const { store, mic } = createTestStore({ startScanned: true });
    store.getState().setMicDeviceId('usb-mic');
    store.getState().setMode('exact');
    await store.getState().startListening();
    expect(mic.lastOptions).toEqual({ deviceId: 'usb-mic', targetRateHz: 8000 });
    store.getState().stopListening();
    await vi.advanceTimersByTimeAsync(LISTEN_TICK_MS);
    store.getState().setMode('both');
    await store.getState().startListening();
    expect(mic.lastOptions).toEqual({ deviceId: 'usb-mic' });
    store.getState().stopListening();
  });

  it('does not open the microphone while Keep listening has it', async () => {
    const { store, mic } = createTestStore({ startScanned: true });
    await store.getState().startKeepListening();
    expect(mic.openCount).toBe(1);
    await store.getState().startListening();
    expect(mic.openCount).toBe(1);
    expect(store.getState().listen.phase).toBe('idle');
    await store.getState().stopKeepListening();
  });

  it('asks progressively on the growing clip from 3 s on and stops at the first confident match', async () => {
    const asked: number[] = [];
    const { store, mic, bridge } = createTestStore({
      identify: (request, tracks: readonly TrackSummary[]) => {
        const seconds = clipSecondsOf(request);
        asked.push(seconds);
        return seconds >= 6
          ? {
              durationMs: 5,
              clipSeconds: seconds,
              exact: [{ track: tracks[0], confidence: 0.9, offsetSeconds: 60, alignedHashes: 40, speedFactor: 1, pitchFactor: 1 }],
              vibe: [],
              modeUsed: 'exact',
            }
          : noMatch(seconds);
      },
      startScanned: true,
    });
    await store.getState().startListening();
    expect(store.getState().listen.phase).toBe('listening');
    expect(mic.isOpen).toBe(true);
    await play(mic, 10);

    // First ask once the clip reached 3 s, then about one per second on a longer clip each time, until >= 6 s matched.
    expect(asked[0]).toBeGreaterThanOrEqual(3);
    expect(asked[0]).toBeLessThan(3.6);
    for (let i = 1; i < asked.length; i++) expect(asked[i] - asked[i - 1]).toBeCloseTo(1, 0);
    expect(asked[asked.length - 1]).toBeGreaterThanOrEqual(6);
    expect(asked.length).toBe(4);

    const state = store.getState();
    expect(state.listen.phase).toBe('idle');
    expect(mic.isOpen).toBe(false);
    expect(state.outcome?.result?.exact[0].offsetSeconds).toBe(60);
    expect(state.outcome?.source).toBe('mic');
    expect(state.outcome?.clipStartedAtMs).toBe(new Date('2025-01-01T12:00:00Z').getTime());
    // One clip session for the Listen, started with the capture's rate and the settings ('both' is the default mode
    // once the vibe lane exists, the default), one push per ask; no whole-clip identifyClip.
    const starts = bridge.calls.filter((c) => c.method === 'listenStart').map((c) => c.args[0] as ListenStartRequest);
    expect(starts).toHaveLength(1);
    expect(starts[0].clip).toMatchObject({ sampleRateHz: RATE, mode: 'both', maxResults: 5 });
    expect(starts[0].clip?.historyKey).toBeTruthy();
    expect(bridge.calls.filter((c) => c.method === 'listenPush')).toHaveLength(4);
    expect(bridge.calls.filter((c) => c.method === 'listenStop')).toHaveLength(1);
    expect(bridge.calls.some((c) => c.method === 'identifyClip')).toBe(false);
  });

  it('stops at the time limit with "not in your library", after a final ask covering the whole recording', async () => {
    const asked: number[] = [];
    const { store, mic } = createTestStore({ identify: (r) => (asked.push(clipSecondsOf(r)), noMatch(clipSecondsOf(r))) });
    store.getState().setListenLimitSeconds(8);
    await store.getState().startListening();
    await play(mic, 12);
    const state = store.getState();
    expect(state.listen.phase).toBe('idle');
    expect(mic.isOpen).toBe(false);
    expect(state.outcome && isNotInLibrary(state.outcome)).toBe(true);
    expect(state.outcome?.silent).toBe(false);
    expect(asked[asked.length - 1]).toBeGreaterThanOrEqual(7.75);
    expect(asked[asked.length - 1]).toBeLessThanOrEqual(8.25);
    // Nothing is recorded or asked after the limit.
    const count = asked.length;
    await play(mic, 3);
    expect(asked.length).toBe(count);
  });

  it('never overlaps requests: a tick is skipped while one is in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { store, mic, bridge } = createTestStore({ latencyMs: 2500, identify: (r) => noMatch(clipSecondsOf(r)) });
    const original = bridge.listenPush;
    bridge.listenPush = async (request) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await original(request);
      } finally {
        inFlight--;
      }
    };
    await store.getState().startListening();
    await play(mic, 15);
    await vi.advanceTimersByTimeAsync(10_000); // the last push, then the session's stop, 2.5 s each
    expect(maxInFlight).toBe(1);
    // 3 s until the first ask, then one every ~2.5 s (the latency), not one per second.
    const asks = bridge.calls.filter((c) => c.method === 'listenPush').length;
    expect(asks).toBeGreaterThanOrEqual(4);
    expect(asks).toBeLessThanOrEqual(7);
    expect(store.getState().listen.phase).toBe('idle');
    expect(store.getState().outcome && isNotInLibrary(store.getState().outcome!)).toBe(true);
  });

  it('says the microphone is silent when the recording is digital silence, and sends nothing', async () => {
    const { store, mic, bridge } = createTestStore();
    store.getState().setListenLimitSeconds(5);
    await store.getState().startListening();
    await play(mic, 2, 0);
    expect(store.getState().listen.silent).toBe(true);
    await play(mic, 4, 0);
    expect(bridge.calls.some((c) => c.method.startsWith('listen') || c.method === 'identifyClip')).toBe(false);
    expect(store.getState().outcome?.silent).toBe(true);
    expect(store.getState().listen.phase).toBe('idle');
  });

  it('shows a level while listening', async () => {
    const { store, mic } = createTestStore({ identify: (r) => noMatch(clipSecondsOf(r)) });
    await store.getState().startListening();
    mic.feed(0.25, 0.5);
    expect(store.getState().listen.levelRms).toBeCloseTo(0.5 / Math.SQRT2, 1);
    store.getState().stopListening();
  });

  it('Stop answers from what was recorded', async () => {
    const { store, mic, bridge } = createTestStore({ startScanned: true });
    await store.getState().startListening();
    await play(mic, 2);
    expect(bridge.calls.some((c) => c.method === 'listenPush')).toBe(false);
    mic.feed(3); // the default fake matches clips >= 4 s
    store.getState().stopListening();
    expect(store.getState().listen.phase).toBe('finishing');
    await vi.advanceTimersByTimeAsync(10);
    expect(store.getState().listen.phase).toBe('idle');
    expect(store.getState().outcome?.result?.exact).toHaveLength(1);
  });

  it('Stop after 1-2 s says it was stopped too early, sends nothing and keeps nothing in History', async () => {
    for (const seconds of [0.5, 1.5, 2.5]) {
      const { store, mic, bridge } = createTestStore({ startScanned: true });
      await store.getState().startListening();
      await play(mic, seconds);
      store.getState().stopListening();
      await vi.advanceTimersByTimeAsync(10);
      const outcome = store.getState().outcome!;
      expect(store.getState().listen.phase).toBe('idle');
      expect(outcome).toMatchObject({ listenProblem: 'too-little-audio', result: null, error: null });
      expect(isNotInLibrary(outcome)).toBe(false);
      expect(bridge.calls.some((c) => c.method.startsWith('listen') || c.method === 'identifyClip')).toBe(false);
      await store.getState().loadHistory();
      expect(store.getState().historyEntries).toEqual([]);
    }
  });

  it('says the microphone may not be used when access is refused (NotAllowedError)', async () => {
    const { store, mic } = createTestStore();
    mic.failWith = Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' });
    await store.getState().startListening();
    expect(store.getState().listen.phase).toBe('idle');
    const outcome = store.getState().outcome!;
    expect(outcome).toMatchObject({ listenProblem: 'microphone-denied', error: null, result: null });
    expect(isNotInLibrary(outcome)).toBe(false);
  });

  it('says there is no microphone when none is found (NotFoundError), not that an item left the library', async () => {
    const { store, mic } = createTestStore();
    // What Chromium's getUserMedia rejects with when no capture device exists: a DOMException-like error.
    mic.failWith = Object.assign(new Error('Requested device not found'), { name: 'NotFoundError' });
    await store.getState().startListening();
    const outcome = store.getState().outcome!;
    expect(outcome).toMatchObject({ listenProblem: 'no-microphone', error: null, result: null });
    expect(isNotInLibrary(outcome)).toBe(false);
    expect(LISTEN_PROBLEM_TEXT['no-microphone'].title).toMatch(/no microphone/i);
    expect(LISTEN_PROBLEM_TEXT['no-microphone'].advice).toMatch(/connect a microphone/i);
  });

  it('keeps an unexpected microphone failure as an internal error with its message', async () => {
    const { store, mic } = createTestStore();
    mic.failWith = new Error('the worklet failed to load');
    await store.getState().startListening();
    expect(store.getState().outcome).toMatchObject({ listenProblem: null, error: { code: 'internal' } });
    expect(store.getState().outcome?.error?.detail).toContain('the worklet failed to load');
  });

  it('ends with the error when the engine fails (other than clip-too-short)', async () => {
    const { store, mic } = createTestStore({ identify: () => ({ code: 'ffmpeg-missing' }) });
    await store.getState().startListening();
    await play(mic, 4);
    expect(store.getState().listen.phase).toBe('idle');
    expect(store.getState().outcome?.error?.code).toBe('ffmpeg-missing');
    expect(mic.isOpen).toBe(false);
  });
});

describe('identifyFile', () => {
  // Each file's bytes start with its name, so different files are different content (History counts the same bytes once).
  const bytesOf = (name: string, sizeBytes: number) => {
    const bytes = new Uint8Array(Math.min(sizeBytes, 1000));
    bytes.set(new TextEncoder().encode(name).subarray(0, bytes.length));
    return bytes;
  };
  const file = (name: string, sizeBytes: number) => ({ name, sizeBytes, readBytes: vi.fn(async () => bytesOf(name, sizeBytes)) });

  it('refuses a file over the limit before reading or sending it', async () => {
    const { store, bridge } = createTestStore({ startScanned: true });
    const big = file('huge.wav', LIMITS.maxClipBytes + 1);
    await store.getState().identifyFile(big);
    expect(big.readBytes).not.toHaveBeenCalled();
    expect(bridge.calls.some((c) => c.method === 'identifyClip')).toBe(false);
    expect(store.getState().outcome?.error?.code).toBe('file-too-large');
  });

  it('sends the bytes with the file name and shows the match, or "not in your library"', async () => {
    const { store, bridge } = createTestStore({ startScanned: true });
    await store.getState().identifyFile(file('clip.wav', 500));
    const request = bridge.calls.find((c) => c.method === 'identifyClip')?.args[0] as IdentifyRequest;
    expect(request.audio).toMatchObject({ kind: 'file', fileName: 'clip.wav' });
    expect(request.source).toBe('file');
    expect(store.getState().outcome?.result?.exact).toHaveLength(1);
    expect(store.getState().outcome?.clipStartedAtMs).toBeNull();
    await store.getState().identifyFile(file('unknown-song.wav', 500));
    expect(isNotInLibrary(store.getState().outcome!)).toBe(true);
    expect(store.getState().fileBusy).toBe(false);
  });

  it('identifies each of several dropped files in order, one request and one answer each', async () => {
    const { store, bridge } = createTestStore({ startScanned: true });
    const files = [file('first.wav', 500), file('unknown-song.wav', 500), file('huge.wav', LIMITS.maxClipBytes + 1), file('last.wav', 500)];
    await store.getState().identifyFiles(files);
    const requests = bridge.calls.filter((c) => c.method === 'identifyClip').map((c) => c.args[0] as IdentifyRequest);
    expect(requests.map((r) => (r.audio.kind === 'file' ? r.audio.fileName : ''))).toEqual(['first.wav', 'unknown-song.wav', 'last.wav']);
    expect(new Set(requests.map((r) => r.historyKey)).size).toBe(3); // one History entry per file
    const batch = store.getState().fileBatch;
    expect(batch.map((e) => e.clipName)).toEqual(['first.wav', 'unknown-song.wav', 'huge.wav', 'last.wav']);
    expect(batch[0].outcome?.result?.exact).toHaveLength(1);
    expect(isNotInLibrary(batch[1].outcome!)).toBe(true);
    expect(batch[2].outcome?.error?.code).toBe('file-too-large');
    expect(batch[3].outcome?.result?.exact).toHaveLength(1);
    expect(store.getState().outcome?.clipName).toBe('last.wav');
    expect(store.getState().fileBusy).toBe(false);
    await store.getState().loadHistory();
    expect(store.getState().historyEntries.map((h) => h.clipName)).toEqual(['last.wav', 'unknown-song.wav', 'first.wav']);
    // One file alone is no batch; a new Listen clears the list.
    await store.getState().identifyFiles([file('solo.wav', 500)]);
    expect(store.getState().fileBatch).toEqual([]);
  });
});
