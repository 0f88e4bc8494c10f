// Tracklists end to end: a LibraryEngine indexes generated songs from files; a recording of several of them (a file decoded
// streaming by ffmpeg, or a clip given to identify) is named song by song, with where each plays.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryEngine } from '../libraryEngine.js';
import { tracklistFile } from './tracklist.js';
import { tracklistPart, type TracklistPartRequest, type TracklistPartRunner } from './tracklistParts.js';
import { MAX_BACKLOG_SECONDS, TracklistRun } from './tracklistRun.js';
import { STREAM_DECISION_RULE } from '../fingerprint/decisionRule.js';
import type { IdentifyDeps } from './identifyClip.js';
import { openSongLibrary, type SongLibrary } from '../testing/songLibrary.js';
import { addNoise, concatPcm, cutClip, synthSong, writeWav } from '../testing/synthAudio.js';

const RATE = 8000;
let dir: string;
let library: LibraryEngine;
let songLibrary: SongLibrary | undefined;
const songs = new Map<string, Float32Array>([
  ['Alpha', synthSong(41, 70, RATE)],
  ['Beta', synthSong(42, 70, RATE)],
  ['Gamma', synthSong(43, 70, RATE)],
]);

/** Beta 0:10-0:40, Gamma 0:05-0:35, Alpha 0:20-0:50, then 25 s of a song not in the library. */
const mix = addNoise(
  concatPcm([
    cutClip(songs.get('Beta')!, RATE, 10, 30),
    cutClip(songs.get('Gamma')!, RATE, 5, 30),
    cutClip(songs.get('Alpha')!, RATE, 20, 30),
    synthSong(49, 25, RATE),
  ]),
  20,
  7,
);

beforeAll(async () => {
  songLibrary = await openSongLibrary('tracklist-', songs, RATE);
  ({ dir, library } = songLibrary);
  await writeWav(path.join(dir, 'mix.wav'), mix, RATE);
}, 120_000);

afterAll(async () => {
  await songLibrary?.close();
});

describe('tracklist of a recording file', () => {
  it('names each song where it plays, and the stretch not in the library, reporting progress', async () => {
    const progress: number[] = [];
    const list = await library.tracklistFile(path.join(dir, 'mix.wav'), { onProgress: (p) => progress.push(p.doneSeconds) });
    expect(list.durationSeconds).toBeCloseTo(115, 0);
    const named = list.segments.filter((s) => s.track);
    expect(named.map((s) => s.track!.title)).toEqual(['Beta', 'Gamma', 'Alpha']);
    const truth = [
      { start: 0, end: 30, offset: 10 },
      { start: 30, end: 60, offset: 5 },
      { start: 60, end: 90, offset: 20 },
    ];
    named.forEach((s, i) => {
      expect(Math.abs(s.start - truth[i].start)).toBeLessThan(2);
      expect(Math.abs(s.end - truth[i].end)).toBeLessThan(2);
      // Where the segment starts in the track follows the same alignment.
      expect(Math.abs(s.offsetSeconds! - (truth[i].offset + (s.start - truth[i].start)))).toBeLessThan(0.2);
      expect(s.speedFactor).toBe(1);
      expect(s.confidence).toBeGreaterThan(0.5);
    });
    const unknown = list.segments.filter((s) => !s.track);
    expect(unknown).toHaveLength(1);
    expect(unknown[0].start).toBeGreaterThan(88);
    expect(unknown[0].end).toBeCloseTo(115, 0);
    // Time order, no overlaps.
    for (let i = 1; i < list.segments.length; i++) expect(list.segments[i].start).toBeGreaterThanOrEqual(list.segments[i - 1].end - 0.01);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toBeCloseTo(115, 0);
  }, 60_000);

  it('stops when cancelled, answering cancelled', async () => {
    const controller = new AbortController();
    const run = library.tracklistFile(path.join(dir, 'mix.wav'), { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('refuses what is not a regular file, and a missing file, with their own codes', async () => {
    await expect(library.tracklistFile(path.join(dir, 'nope.wav'))).rejects.toMatchObject({ code: 'not-found' });
    await expect(library.tracklistFile(dir)).rejects.toMatchObject({ code: expect.stringMatching(/unsupported-format|not-a-file|invalid-argument/) });
  });
});

describe('a tracklist whose audio checks are slow', () => {
  // Every song is checked (no vote count is enough), and each check waits for the test to open its gate.
  const matcher = { rule: { ...STREAM_DECISION_RULE, auditBelowAligned: Number.POSITIVE_INFINITY } };
  const gated = (): { deps: IdentifyDeps; asked: () => number; open: () => void } => {
    const deps = library.identifyDeps();
    let asked = 0;
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const trackAudio = deps.trackAudio!;
    return {
      deps: { ...deps, trackAudio: async (...args) => (asked++, await gate, trackAudio(...args)) },
      asked: () => asked,
      open: () => open(),
    };
  };
  const titles = (run: TracklistRun): number[] => run.matcher.segments().map((s) => s.trackNum);

  it('asks its feeder to wait once the audio held behind a check passes the bar, and lists the same songs', async () => {
    const reference = new TracklistRun(library.identifyDeps(), undefined, matcher);
    for (let at = 0; at < mix.length; at += RATE) await reference.push(mix.subarray(at, at + RATE));
    await reference.finish();

    const { deps, open } = gated();
    const run = new TracklistRun(deps, undefined, matcher, undefined, 20);
    let held: Promise<void> | undefined;
    let at = 0;
    for (; at < mix.length && !held; at += RATE) held = run.push(mix.subarray(at, at + RATE));
    expect(held).toBeDefined(); // a window waits for the first song's verdict
    expect(run.matcher.backlogSeconds).toBeGreaterThan(20);
    // Peaks come in blocks (peakWindowFrames: 2048 frames, 33 s): at most a block and a chunk over the bar.
    expect(run.matcher.backlogSeconds).toBeLessThanOrEqual(20 + 33 + 1);
    open();
    await held;
    expect(run.matcher.backlogSeconds).toBeLessThan(20);
    for (; at < mix.length; at += RATE) await run.push(mix.subarray(at, at + RATE));
    await run.finish();
    expect(titles(run)).toEqual(titles(reference));
    expect(titles(run)).toHaveLength(3);
  }, 60_000);

  it('holds the decode of a file while a check is out, then lists it whole', async () => {
    const file = path.join(dir, 'mix-x4.wav');
    await writeWav(file, concatPcm([mix, mix, mix, mix]), RATE); // 460 s
    const { deps, asked, open } = gated();
    let decodedWhenAsked: number | null = null;
    let decodedWhenOpened = 0;
    let decoded = 0;
    const list = tracklistFile(deps, file, {
      matcher,
      onProgress: (p) => {
        decoded = p.doneSeconds;
        if (asked() > 0 && decodedWhenAsked === null) {
          decodedWhenAsked = p.doneSeconds;
          // Long enough for ffmpeg to decode the whole file were the decode not held.
          setTimeout(() => {
            decodedWhenOpened = decoded;
            open();
          }, 1500);
        }
      },
    });
    const done = await list;
    expect(decodedWhenAsked).not.toBeNull();
    expect(decodedWhenAsked!).toBeLessThan(100);
    // Held at most the bar, a peak block (33 s) and a progress step on from there.
    expect(decodedWhenOpened).toBeGreaterThan(decodedWhenAsked!);
    expect(decodedWhenOpened).toBeLessThan(decodedWhenAsked! + MAX_BACKLOG_SECONDS + 45);
    expect(done.durationSeconds).toBeCloseTo(460, 0);
    expect(done.segments.filter((s) => s.track).map((s) => s.track!.title)).toEqual(Array(4).fill(['Beta', 'Gamma', 'Alpha']).flat());
  }, 60_000);
});

describe('tracklist of a long recording searched in parts at once', () => {
  /** The parts run on this thread, interleaved (the app runs them in its fingerprint workers: fingerprintRunners.test.ts). */
  const inProcess = (count: number, requests: TracklistPartRequest[]): TracklistPartRunner => ({
    count,
    run: (request, signal, onProgress) => (requests.push(request), tracklistPart(request, signal, onProgress)),
  });
  // Small limits, so that the 115 s recording is cut in three, inside Gamma (0:30-1:00) and inside Alpha (1:00-1:30).
  const limits = { minParallelSeconds: 60, minPartSeconds: 30, leadSeconds: 30 };

  it('gives the list one matcher gives: a song across a cut is one entry, a lead-in adds nothing', async () => {
    const file = path.join(dir, 'mix.wav');
    const whole = await library.tracklistFile(file);
    const requests: TracklistPartRequest[] = [];
    const progress: number[] = [];
    const parts = await tracklistFile(library.identifyDeps(), file, {
      totalSeconds: 115,
      parts: { runner: inProcess(3, requests), dataDir: library.dataDir, limits },
      onProgress: (p) => progress.push(p.doneSeconds),
    });
    expect(requests.map((r) => Math.round(r.windowsFromSeconds))).toEqual([0, 10, 45]); // cuts at 0:40 and 1:15, on window starts
    expect(parts.durationSeconds).toBeCloseTo(whole.durationSeconds, 1);
    expect(parts.segments.map((s) => s.track?.title ?? null)).toEqual(whole.segments.map((s) => s.track?.title ?? null));
    expect(parts.segments.map((s) => s.track?.title ?? null)).toEqual(['Beta', 'Gamma', 'Alpha', null]);
    // The same boundaries: each part's windows hear what one matcher's hear.
    const spans = (list: typeof whole): (number | null)[][] => list.segments.map((s) => [s.start, s.end, s.offsetSeconds]);
    expect(spans(parts)).toEqual(spans(whole));
    // Progress counts each part's own stretch once, and ends at the whole length.
    expect(Math.max(...progress)).toBeCloseTo(115, 0);
    expect(progress.every((p) => p <= 115.5)).toBe(true);
  }, 60_000);

  it('splits a crossfade in a lead-in where one matcher splits it', async () => {
    // Alpha 0:00-1:06 fading over its last 8 s into Beta (from 0:58), then Gamma: on 2 workers the cut falls at 1:05,
    // in the crossfade, so that the first part hears Beta for one window only and the second from its lead-in on.
    const alpha = cutClip(songs.get('Alpha')!, RATE, 2, 66);
    const beta = cutClip(songs.get('Beta')!, RATE, 5, 45);
    const fade = 8 * RATE;
    const faded = new Float32Array(alpha.length + beta.length - fade);
    alpha.forEach((v, i) => (faded[i] += v * Math.min(1, (alpha.length - i) / fade)));
    beta.forEach((v, i) => (faded[alpha.length - fade + i] += v * Math.min(1, i / fade)));
    const file = path.join(dir, 'crossfade.wav');
    await writeWav(file, addNoise(concatPcm([faded, cutClip(songs.get('Gamma')!, RATE, 10, 30)]), 20, 8), RATE);
    const whole = await library.tracklistFile(file);
    const parts = await tracklistFile(library.identifyDeps(), file, {
      totalSeconds: 133,
      parts: { runner: inProcess(2, []), dataDir: library.dataDir, limits },
    });
    const spans = (list: typeof whole): (string | number | null)[][] => list.segments.map((s) => [s.track?.title ?? null, s.start, s.end, s.offsetSeconds]);
    expect(whole.segments.map((s) => s.track?.title ?? null)).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(spans(parts)).toEqual(spans(whole));
  }, 60_000);

  it('stops every part when cancelled, answering cancelled', async () => {
    const controller = new AbortController();
    const requests: TracklistPartRequest[] = [];
    const run = tracklistFile(library.identifyDeps(), path.join(dir, 'mix.wav'), {
      totalSeconds: 115,
      parts: { runner: inProcess(3, requests), dataDir: library.dataDir, limits },
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(requests).toHaveLength(3);
  });

  it('searches a recording in one piece when it is short, or its length unknown', async () => {
    const requests: TracklistPartRequest[] = [];
    const file = path.join(dir, 'mix.wav');
    const options = { parts: { runner: inProcess(3, requests), dataDir: library.dataDir, limits: { ...limits, minParallelSeconds: 200 } } };
    await tracklistFile(library.identifyDeps(), file, { ...options, totalSeconds: 115 });
    await tracklistFile(library.identifyDeps(), file, { parts: { ...options.parts, limits }, totalSeconds: null });
    expect(requests).toHaveLength(0);
  }, 60_000);
});

describe('identify of a clip holding several songs', () => {
  it('names them, best first, each with where it plays in the clip', async () => {
    const clip = cutClip(mix, RATE, 0, 90);
    const result = await library.identifyExact(clip);
    expect(result.exact.map((m) => m.track.title).sort()).toEqual(['Alpha', 'Beta', 'Gamma']);
    for (const m of result.exact) {
      expect(m.span).toBeDefined();
      expect(m.span!.end - m.span!.start).toBeGreaterThan(25);
    }
    const beta = result.exact.find((m) => m.track.title === 'Beta')!;
    expect(beta.span!.start).toBeLessThan(2);
    expect(beta.offsetSeconds).toBeCloseTo(10 + beta.span!.start, 0);
  }, 60_000);

  it('still names one song with no span, as before', async () => {
    const result = await library.identifyExact(cutClip(songs.get('Gamma')!, RATE, 30, 25));
    expect(result.exact.map((m) => m.track.title)).toEqual(['Gamma']);
    expect(result.exact[0].span).toBeUndefined();
  });
});
