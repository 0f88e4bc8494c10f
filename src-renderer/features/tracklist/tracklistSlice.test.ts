// The Tracklist view's store against the fake bridge: where drops go (one long file -> Tracklist, anything else ->
// identify), a run from reading to its answer with progress for its own run id only, Cancel while sending and while
// reading, a file too large refused before reading, the engine's errors kept; and the pure layout helpers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../../../src-preload/contract/api';
import type { Tracklist, TrackSummary } from '../../../src-preload/contract/library';
import type { ClipFile } from '../../store/identifySlice';
import { createTestStore } from '../../store/testDeps';
import { exportFileName, speedText, timelineBlocks, TRACK_HUES } from './tracklistLayout';
import { tracklistFraction, TRACKLIST_MIN_SECONDS } from './tracklistSlice';

function clip(name: string, seconds: number | null, sizeBytes = 2_000_000): ClipFile & { reads: number } {
  const file = {
    name,
    sizeBytes,
    reads: 0,
    async readBytes() {
      file.reads++;
      return new Uint8Array(sizeBytes);
    },
    probeDurationSeconds: async () => seconds,
  };
  return file;
}

afterEach(() => vi.useRealTimers());

describe('openFiles (where a drop goes)', () => {
  it('opens the Tracklist view for one file longer than a minute, and lists it', async () => {
    const { store, bridge } = createTestStore({ startScanned: true, tracklistStepMs: 1 });
    await store.getState().openFiles([clip('friday set.mp3', 95)]);
    const s = store.getState();
    expect(s.screen).toBe('tracklist');
    expect(s.tracklist).toMatchObject({ fileName: 'friday set.mp3', probedSeconds: 95, phase: 'done', error: null });
    expect(s.tracklist!.result!.segments.length).toBeGreaterThan(1);
    expect(bridge.calls.filter((c) => c.method === 'identifyClip')).toHaveLength(0);
    const call = bridge.calls.find((c) => c.method === 'tracklistClip')!;
    expect(call.args[0]).toMatchObject({ audio: { kind: 'file', fileName: 'friday set.mp3' }, runId: s.tracklist!.runId });
  });

  it('identifies a short file, several files, or one whose length the page cannot tell, on the Listen screen', async () => {
    for (const files of [[clip('short.wav', TRACKLIST_MIN_SECONDS)], [clip('a.mp3', 300), clip('b.mp3', 8)], [clip('odd.wma', null)]]) {
      const { store, bridge } = createTestStore({ startScanned: true });
      store.getState().showScreen('library');
      await store.getState().openFiles(files);
      expect(store.getState().screen).toBe('listen');
      expect(store.getState().tracklist).toBeNull();
      expect(bridge.calls.filter((c) => c.method === 'identifyClip')).toHaveLength(files.length);
      expect(bridge.calls.some((c) => c.method === 'tracklistClip')).toBe(false);
    }
  });
});

describe('a tracklist run', () => {
  it('reports progress for its own run id only, then the answer', async () => {
    const { store, bridge } = createTestStore({ startScanned: true, tracklistStepMs: 20 });
    const unsubscribe = bridge.on('tracklistProgress', (p) => store.getState().applyTracklistProgress(p));
    const running = store.getState().startTracklist(clip('mix.flac', 120), 120);
    await vi.waitFor(() => expect(store.getState().tracklist?.progress?.doneSeconds).toBeGreaterThan(0));
    const run = store.getState().tracklist!;
    expect(run.phase).toBe('running');
    expect(tracklistFraction(run)).toBeGreaterThan(0);
    expect(tracklistFraction(run)).toBeLessThan(1);
    // Someone else's run (an API client's) does not move this bar.
    store.getState().applyTracklistProgress({ runId: 'other', doneSeconds: 999, totalSeconds: 1000, songs: 9 });
    expect(store.getState().tracklist!.progress!.doneSeconds).toBeLessThan(999);
    await running;
    expect(store.getState().tracklist).toMatchObject({ phase: 'done', cancelling: false });
    expect(tracklistFraction(store.getState().tracklist!)).toBe(1);
    unsubscribe();
  });

  it('Cancel stops the engine run: the view says cancelled, not failed', async () => {
    const { store, bridge } = createTestStore({ startScanned: true, tracklistStepMs: 30 });
    const running = store.getState().startTracklist(clip('mix.flac', 120), 120);
    await vi.waitFor(() => expect(store.getState().tracklist?.phase).toBe('running'));
    store.getState().cancelTracklist();
    expect(store.getState().tracklist!.cancelling).toBe(true);
    await running;
    expect(store.getState().tracklist).toMatchObject({ phase: 'cancelled', cancelling: false, result: null, error: null });
    expect(bridge.calls.find((c) => c.method === 'cancelTracklist')!.args).toEqual([store.getState().tracklist!.runId]);
  });

  it('Cancel while the file is still being read sends nothing', async () => {
    const { store, bridge } = createTestStore({ startScanned: true });
    let release: () => void = () => undefined;
    const slow: ClipFile = { name: 'slow.mp3', sizeBytes: 10, readBytes: () => new Promise((r) => (release = () => r(new Uint8Array(10)))) };
    const running = store.getState().startTracklist(slow);
    expect(store.getState().tracklist!.phase).toBe('reading');
    store.getState().cancelTracklist();
    release();
    await running;
    expect(store.getState().tracklist!.phase).toBe('cancelled');
    expect(bridge.calls.some((c) => c.method === 'tracklistClip')).toBe(false);
  });

  it('refuses a file over the limit before reading it, and keeps the engine error of a failed run', async () => {
    const { store } = createTestStore({ startScanned: true, tracklist: () => ({ code: 'unsupported-format', detail: 'not audio' }), tracklistStepMs: 1 });
    const huge = clip('huge.wav', 9000, LIMITS.maxTracklistBytes + 1);
    await store.getState().startTracklist(huge);
    expect(huge.reads).toBe(0);
    expect(store.getState().tracklist).toMatchObject({ phase: 'failed', error: { code: 'file-too-large' } });
    await store.getState().startTracklist(clip('junk.mp3', 90));
    expect(store.getState().tracklist).toMatchObject({ phase: 'failed', fileName: 'junk.mp3', error: { code: 'unsupported-format', detail: 'not audio' } });
  });

  it('a new recording replaces one still running (which is cancelled)', async () => {
    const { store, bridge } = createTestStore({ startScanned: true, tracklistStepMs: 30 });
    const first = store.getState().startTracklist(clip('one.mp3', 100));
    await vi.waitFor(() => expect(store.getState().tracklist?.phase).toBe('running'));
    const firstId = store.getState().tracklist!.runId;
    const second = store.getState().startTracklist(clip('two.mp3', 100));
    await Promise.all([first, second]);
    expect(bridge.calls.find((c) => c.method === 'cancelTracklist')!.args).toEqual([firstId]);
    expect(store.getState().tracklist).toMatchObject({ fileName: 'two.mp3', phase: 'done' });
  });
});

describe('tracklist layout', () => {
  const track = (n: number): TrackSummary => ({
    id: `t${n}` as TrackSummary['id'],
    title: `T${n}`,
    artist: null,
    album: null,
    durationSeconds: 100,
    format: 'mp3',
    filePath: `/m/${n}`,
  });
  const song = (start: number, end: number, n: number, speed = 1) => ({
    start,
    end,
    track: track(n),
    offsetSeconds: 1,
    speedFactor: speed,
    pitchFactor: speed,
    confidence: 0.9,
    alignedHashes: 9,
  });
  const gap = (start: number, end: number) => ({
    start,
    end,
    track: null,
    offsetSeconds: null,
    speedFactor: null,
    pitchFactor: null,
    confidence: null,
    alignedHashes: null,
  });

  it('places each stretch by percent of the recording; one colour per track, grey for unknown stretches', () => {
    const list: Tracklist = { durationSeconds: 200, durationMs: 1, segments: [song(0, 50, 1), gap(50, 100), song(100, 150, 2), song(150, 200, 1)] };
    const blocks = timelineBlocks(list);
    expect(blocks.map((b) => [b.leftPercent, b.widthPercent])).toEqual([
      [0, 25],
      [25, 25],
      [50, 25],
      [75, 25],
    ]);
    expect(blocks.map((b) => b.hue)).toEqual([TRACK_HUES[0], null, TRACK_HUES[1], TRACK_HUES[0]]);
  });

  it('words a speed change, and names exports after the recording', () => {
    expect(speedText(1)).toBeNull();
    expect(speedText(1.003)).toBeNull();
    expect(speedText(1.04)).toBe('+4.0% speed');
    expect(speedText(0.97)).toBe('−3.0% speed');
    expect(speedText(null)).toBeNull();
    expect(exportFileName('Friday set.mp3', 'cue')).toBe('Friday set.cue');
    expect(exportFileName('.hidden', 'csv')).toBe('tracklist.csv');
  });
});
