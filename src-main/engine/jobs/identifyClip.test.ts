// The audio check end to end: a LibraryEngine indexes generated songs from files, then hears weak matches against those
// files. A remix that shares one of a track's two layers is dropped; the track itself under loud noise is kept; with
// the track's file gone the votes decide alone.
import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DECISION_RULE, type DecisionRule } from '../fingerprint/decisionRule.js';
import type { LibraryEngine } from '../libraryEngine.js';
import { openSongLibrary, type SongLibrary } from '../testing/songLibrary.js';
import { addNoise, cutClip, encodeWav, synthSong, writeLavfiFile } from '../testing/synthAudio.js';
import { MAX_CLIP_SECONDS, identifyClipAsOneSong } from './identifyClip.js';

const RATE = 8000;
/** Every accepted match is heard, however many votes it has: what the default rule does below auditBelowAligned. */
const HEAR_ALL: DecisionRule = { ...DEFAULT_DECISION_RULE, auditBelowAligned: Number.POSITIVE_INFINITY };

let dir: string;
let library: LibraryEngine;
let songLibrary: SongLibrary | undefined;
const layerA = synthSong(21, 40, RATE, { percussion: false });
const layerB = synthSong(22, 40, RATE, { percussion: false });
const layered = new Float32Array(layerA.length);
for (let i = 0; i < layered.length; i++) layered[i] = 0.5 * (layerA[i] + layerB[i]);

function mixed(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((v, i) => 0.5 * (v + (b[i] ?? 0)));
}

beforeAll(async () => {
  songLibrary = await openSongLibrary(
    'identify-check-',
    new Map([
      ['layered', layered],
      ['other', synthSong(23, 40, RATE)],
    ]),
    RATE,
  );
  ({ dir, library } = songLibrary);
}, 120_000);

afterAll(async () => {
  await songLibrary?.close();
});

describe('identify: the audio check', () => {
  it('keeps the track under loud noise, having heard it', async () => {
    const clip = addNoise(cutClip(layered, RATE, 12, 6), 0, 5);
    const { result, audit } = await identifyClipAsOneSong({ ...library.identifyDeps(), rule: HEAR_ALL }, clip, 5);
    expect(result.exact.map((m) => m.track.title)).toEqual(['layered']);
    expect(result.exact[0].offsetSeconds).toBeCloseTo(12, 1);
    const check = [...audit.checks.values()][0];
    expect(check.shortfall).toBeLessThan(DEFAULT_DECISION_RULE.maxShortfall);
  });

  it('drops music that shares one layer of the track, which the votes alone accept', async () => {
    const remix = mixed(cutClip(layerA, RATE, 12, 6), cutClip(synthSong(24, 20, RATE, { percussion: false }), RATE, 3, 6));
    const votesOnly = await identifyClipAsOneSong({ ...library.identifyDeps(), rule: HEAR_ALL, trackAudio: undefined }, remix, 5);
    expect(votesOnly.result.exact.map((m) => m.track.title)).toEqual(['layered']);
    const heard = await identifyClipAsOneSong({ ...library.identifyDeps(), rule: HEAR_ALL }, remix, 5);
    expect(heard.result.exact).toEqual([]);
    expect(heard.audit.dropped).toHaveLength(1);
  });

  it('lets the votes decide when the track file cannot be read', async () => {
    const clip = addNoise(cutClip(layered, RATE, 20, 6), 0, 6);
    const gone: typeof library.identifyDeps = () => ({
      ...library.identifyDeps(),
      rule: HEAR_ALL,
      trackAudio: () => Promise.reject(new Error('ENOENT')),
    });
    const { result, audit } = await identifyClipAsOneSong(gone(), clip, 5);
    expect(result.exact.map((m) => m.track.title)).toEqual(['layered']);
    expect(audit.checks.size).toBe(0);
  });

  it('answers through Library.identify with the default rule', async () => {
    const result = await library.identify(addNoise(cutClip(layered, RATE, 25, 5), 5, 7), { mode: 'exact' });
    expect(result.exact[0]?.track.title).toBe('layered');
  });
});

describe('identify: limits and cancellation', () => {
  /** The library's store with its lookups counted, and `onLookup` told of each. */
  function countingDeps(onLookup: () => void = () => undefined): { deps: ReturnType<typeof library.identifyDeps>; lookups: () => number } {
    const deps = library.identifyDeps();
    let count = 0;
    const store = Object.create(deps.store) as typeof deps.store;
    store.lookup = (h: number) => {
      count++;
      onLookup();
      return deps.store.lookup(h);
    };
    return { deps: { ...deps, store }, lookups: () => count };
  }

  it('a cancelled search stops after the step under way, long before the grid it would run', async () => {
    // Music not in the library: the whole speed/pitch grid is screened and the best hypotheses searched in full.
    const stranger = cutClip(synthSong(31, 30, RATE), RATE, 5, 8);
    const full = countingDeps();
    const done = await identifyClipAsOneSong(full.deps, stranger, 5);
    expect(done.outcome.hypothesesTried).toBeGreaterThan(1);

    const controller = new AbortController();
    const cancelled = countingDeps(() => controller.abort()); // aborted during the first ("as recorded") vote
    await expect(identifyClipAsOneSong(cancelled.deps, stranger, 5, undefined, controller.signal)).rejects.toMatchObject({ code: 'cancelled' });
    expect(cancelled.lookups()).toBeGreaterThan(0);
    expect(cancelled.lookups()).toBeLessThan(full.lookups() / 4);
  });

  it('an abort during the audio check reaches the track decode (its ffmpeg is killed) and answers cancelled', async () => {
    const controller = new AbortController();
    let decodeSawAbort = false;
    const deps = {
      ...library.identifyDeps(),
      rule: HEAR_ALL,
      trackAudio: (_file: string, _start: number, _seconds: number, signal?: AbortSignal) =>
        new Promise<Float32Array>((_, reject) => {
          signal?.addEventListener('abort', () => {
            decodeSawAbort = true;
            reject(new Error('ffmpeg killed'));
          });
          controller.abort();
        }),
    };
    const clip = addNoise(cutClip(layered, RATE, 12, 6), 0, 5);
    await expect(identifyClipAsOneSong(deps, clip, 5, undefined, controller.signal)).rejects.toMatchObject({ code: 'cancelled' });
    expect(decodeSawAbort).toBe(true);
  });

  it('an already-aborted identify does no search at all', async () => {
    const controller = new AbortController();
    controller.abort();
    const counted = countingDeps();
    await expect(library.identifyExact(cutClip(layered, RATE, 5, 5), { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    await expect(identifyClipAsOneSong(counted.deps, cutClip(layered, RATE, 5, 5), 5, undefined, controller.signal)).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(counted.lookups()).toBe(0);
  });

  it('a clip whose stat or open is refused (EACCES, EPERM) is permission-denied, not not-found; a FIFO is refused at once', async () => {
    const clipPath = path.join(dir, 'music', 'other.wav');
    for (const code of ['EACCES', 'EPERM']) {
      vi.spyOn(fsp, 'stat').mockRejectedValueOnce(Object.assign(new Error(`${code}: refused`), { code }));
      await expect(library.identifyFile(clipPath)).rejects.toMatchObject({ code: 'permission-denied' });
    }
    vi.restoreAllMocks();
    const fifo = path.join(dir, 'fifo.wav');
    execFileSync('mkfifo', [fifo]);
    await expect(library.identifyFile(fifo)).rejects.toMatchObject({ code: 'unsupported-format', detail: expect.stringMatching(/not a regular file/) });
    await expect(library.identifyFile(path.join(dir, 'nothing-here.wav'))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses clips over 5 minutes with clip-too-long: PCM, WAV bytes, and a file through ffmpeg', async () => {
    const long = new Float32Array((MAX_CLIP_SECONDS + 2) * RATE);
    for (let i = 0; i < long.length; i++) long[i] = 0.3 * Math.sin(i * 0.3) * Math.sin(i * 0.0007);
    await expect(library.identify(long, { mode: 'exact' })).rejects.toMatchObject({ code: 'clip-too-long' });
    await expect(library.identifyBytes(encodeWav(long, RATE, 16))).rejects.toMatchObject({ code: 'clip-too-long' });
    const flac = path.join(dir, 'long.flac');
    await writeLavfiFile(`sine=frequency=440:sample_rate=${RATE}:duration=${MAX_CLIP_SECONDS + 60}`, ['-c:a', 'flac'], flac);
    await expect(library.identifyFile(flac)).rejects.toMatchObject({ code: 'clip-too-long' });
    // Exactly at the cap is still a clip.
    await expect(library.identify(long.subarray(0, MAX_CLIP_SECONDS * RATE), { mode: 'exact' })).resolves.toBeDefined();
  }, 60_000);
});
