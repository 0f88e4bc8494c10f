// The fingerprint workers as the app runs them. One ONNX session per model, however many workers (ARCHITECTURE.md: one
// owner per session): a library scanned through N real worker threads, or N in-process lanes, creates the vibe model's
// session once (counted at onnxruntime's one factory, InferenceSession.create), and every track still gets its vectors.
// And a long recording's tracklist searched in parts by the workers, with the library open in them read-only; and a
// clip search helped by a worker on another core.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pcmClip } from '../engine/audio/clipAudio.js';
import { BUILTIN_MODEL_ID } from '../engine/embedding/embedderManifest.js';
import { HypothesisShare } from '../engine/fingerprint/hypothesisShare.js';
import { extractSignalPeaks } from '../engine/fingerprint/fingerprintAudio.js';
import { DEFAULT_DECISION_RULE } from '../engine/fingerprint/decisionRule.js';
import { hypothesisVotes, refineChoice, screenedHypotheses, screenPeaksOf, screenScore } from '../engine/fingerprint/searchClip.js';
import { identifyClipAsOneSong } from '../engine/jobs/identifyClip.js';
import { peaksToFloats } from '../engine/jobs/searchHelp.js';
import { tracklistFile } from '../engine/jobs/tracklist.js';
import { inProcessRunners, LibraryEngine, type FileJobRunners } from '../engine/libraryEngine.js';
import { openSongLibrary } from '../engine/testing/songLibrary.js';
import { addNoise, concatPcm, cutClip, resampleLinear, synthSong, writeSongFile, writeWav } from '../engine/testing/synthAudio.js';
import { workerRunners } from './fingerprintRunners.js';

const SONGS = 4;
let root: string;
let music: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'one-session-'));
  music = path.join(root, 'music');
  mkdirSync(music);
  for (let i = 0; i < SONGS; i++) await writeSongFile(path.join(music, `song-${i}.wav`), 700 + i, 12, undefined, { sampleRateHz: 8000 });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function sessionsForScan(name: string, runners: FileJobRunners): Promise<number> {
  const create = vi.spyOn(ort.InferenceSession, 'create');
  const library = await LibraryEngine.open(path.join(root, name), runners);
  try {
    const summary = await library.scan([music]);
    expect(summary).toMatchObject({ added: SONGS, failed: 0 });
    expect(library.vibe?.indexedTrackCount).toBe(SONGS);
    for (const t of library.catalog.listTracks({ page: 1, perPage: SONGS }).items) {
      expect(library.catalog.getTrackById(t.id)).toMatchObject({ embeddingStatus: 'indexed', embeddingModel: BUILTIN_MODEL_ID });
    }
    // A clip query runs on the same session.
    const clip = await library.identifyVibe(
      pcmClip(
        new Float32Array(8000 * 5).map((_, i) => Math.sin(i / 3)),
        8000,
      ),
      2,
    );
    expect(clip.length).toBeGreaterThan(0);
  } finally {
    await library.close();
  }
  return create.mock.calls.length;
}

describe('the vibe model has one session', () => {
  it('for 2 fingerprint worker threads', async () => {
    expect(await sessionsForScan('workers', workerRunners(2))).toBe(1);
  }, 120_000);

  it('for 4 in-process lanes', async () => {
    expect(await sessionsForScan('in-process', inProcessRunners(4))).toBe(1);
  }, 60_000);
});

describe("a long recording's tracklist in the fingerprint workers", () => {
  it('searches its parts in 2 worker threads, each opening the library read-only beside its owner: the same list', async () => {
    const rate = 8000;
    const songs = new Map([
      ['Alpha', synthSong(51, 70, rate)],
      ['Beta', synthSong(52, 70, rate)],
    ]);
    const owner = await openSongLibrary('tracklist-workers-', songs, rate);
    const runners = workerRunners(2);
    try {
      // Beta 0:00-0:30, then Alpha 0:30-1:20: cut in two at 0:40, inside Alpha.
      const mixPath = path.join(owner.dir, 'mix.wav');
      await writeWav(mixPath, addNoise(concatPcm([cutClip(songs.get('Beta')!, rate, 5, 30), cutClip(songs.get('Alpha')!, rate, 10, 50)]), 20, 5), rate);
      const whole = await owner.library.tracklistFile(mixPath); // in-process runners: one matcher
      const parts = await tracklistFile(owner.library.identifyDeps(), mixPath, {
        totalSeconds: 80,
        parts: { runner: runners.tracklistParts!, dataDir: owner.library.dataDir, limits: { minParallelSeconds: 60, minPartSeconds: 30, leadSeconds: 30 } },
      });
      expect(parts.segments.map((s) => s.track?.title ?? null)).toEqual(['Beta', 'Alpha']);
      expect(whole.segments.map((s) => s.track?.title ?? null)).toEqual(['Beta', 'Alpha']);
      parts.segments.forEach((s, i) => {
        expect(Math.abs(s.start - whole.segments[i].start)).toBeLessThan(1);
        expect(Math.abs(s.end - whole.segments[i].end)).toBeLessThan(1);
        expect(Math.abs(s.offsetSeconds! - whole.segments[i].offsetSeconds!)).toBeLessThan(1);
      });
    } finally {
      await runners.close();
      await owner.close();
    }
  }, 60_000);
});

describe('a clip search helped by a fingerprint worker (the library open in it read-only)', () => {
  const rate = 8000;
  const songs = new Map([
    ['Alpha', synthSong(61, 40, rate)],
    ['Beta', synthSong(62, 40, rate)],
    ['Gamma', synthSong(63, 40, rate)],
  ]);

  it('the worker screens and votes exactly as the search would here', async () => {
    const owner = await openSongLibrary('search-help-', songs, rate);
    const runners = workerRunners(1);
    try {
      const { config, rule = DEFAULT_DECISION_RULE, store } = owner.library.identifyDeps();
      const peaks = extractSignalPeaks(
        addNoise(resampleLinear(cutClip(songs.get('Beta')!, rate, 12, 10.5), 1.04).subarray(0, rate * 10), 15, 3),
        config,
        'query',
      );
      const hypotheses = screenedHypotheses(rule);
      const share = new HypothesisShare(hypotheses.length, rule.refineCount);
      // The search here claims nothing: the helper takes every screen, waits for the full votes to be published, takes them.
      expect(
        await runners.searchHelp!({ dataDir: '/nowhere', config, rule, peaks: new Float64Array(0), share: share.buffer }, new AbortController().signal),
      ).toEqual({
        screened: 0,
        refines: [],
      }); // no worker started: it did nothing, at once
      runners.keepWarm!();
      share.openGrid(); // not settled as recorded
      const helped = runners.searchHelp!(
        { dataDir: owner.library.dataDir, config, rule, peaks: peaksToFloats(peaks), share: share.buffer },
        new AbortController().signal,
      );
      while (share.unscored().length > 0) await share.changed(share.version, 1000);
      const lookup = (h: number): Uint32Array => store.lookup(h);
      const screenPeaks = screenPeaksOf(peaks, config, rule);
      const scores = hypotheses.map((_, i) => share.score(i)!);
      expect(scores).toEqual(hypotheses.map((h) => screenScore(screenPeaks, config, h, rule, lookup)));
      const chosen = refineChoice(scores, rule);
      expect(hypotheses[chosen[0]]).toEqual({ timeFactor: 1.04, pitchFactor: 1.04 });
      share.publishRefines(chosen);
      const result = await helped;
      expect(result.screened).toBe(hypotheses.length);
      expect(result.refines.map((r) => r.slot)).toEqual(chosen.map((_, slot) => slot));
      for (const { slot, votes } of result.refines) expect(votes).toEqual(hypothesisVotes(peaks, config, hypotheses[chosen[slot]], rule, lookup));
      expect(share.helperLookups).toBeGreaterThan(0);
      // Searches back to back: the next one's help waits for the worker finishing the last one's (stopped) help.
      const first = new HypothesisShare(hypotheses.length, rule.refineCount);
      first.openGrid();
      const firstHelp = runners.searchHelp!(
        { dataDir: owner.library.dataDir, config, rule, peaks: peaksToFloats(peaks), share: first.buffer },
        new AbortController().signal,
      );
      while (!first.helperStarted) await new Promise((r) => setTimeout(r, 1));
      first.stop();
      const next = new HypothesisShare(hypotheses.length, rule.refineCount);
      next.openGrid();
      const nextHelp = runners.searchHelp!(
        { dataDir: owner.library.dataDir, config, rule, peaks: peaksToFloats(peaks), share: next.buffer },
        new AbortController().signal,
      );
      for (let i = 0; i < 100 && next.unscored().length > 0; i++) await next.changed(next.version, 100);
      expect(next.unscored()).toEqual([]);
      next.publishRefines([]);
      expect((await nextHelp).screened).toBe(hypotheses.length);
      expect((await firstHelp).screened).toBeLessThan(hypotheses.length);
    } finally {
      await runners.close();
      await owner.close();
    }
  }, 60_000);

  it('identify with a worker helping: the same outcome as on one thread, lookups included; a stopped search frees the worker', async () => {
    const owner = await openSongLibrary('search-help-identify-', songs, rate);
    const runners = workerRunners(1);
    const reader = await LibraryEngine.open(path.join(owner.dir, 'data'), runners, undefined, { embedderManifest: null, lockAs: null });
    try {
      // The worker started (a probe), and this thread's reads slowed (20 µs each) so that the helper surely takes part.
      await runners.probe(path.join(music, 'song-0.wav'), new AbortController().signal);
      const deps = reader.identifyDeps();
      const slowStore = Object.create(deps.store) as typeof deps.store;
      slowStore.lookup = (h) => {
        const until = performance.now() + 0.02;
        while (performance.now() < until);
        return deps.store.lookup(h);
      };
      const helper = deps.searchHelper!;
      const answered: number[] = [];
      const helped = {
        ...deps,
        store: slowStore,
        searchHelper: ((req, signal) => helper(req, signal).then((r) => (answered.push(r.screened), r))) as typeof helper,
      };
      const clips = [
        resampleLinear(cutClip(songs.get('Alpha')!, rate, 5, 10.5), 1.03).subarray(0, rate * 10), // found by the speed grid
        cutClip(songs.get('Gamma')!, rate, 20, 6), // settled as recorded
        addNoise(cutClip(synthSong(64, 12, rate), rate, 1, 8), 20, 1), // not in the library: the whole grid
      ];
      const screenCount = screenedHypotheses(deps.rule ?? DEFAULT_DECISION_RULE).length;
      for (const [i, clip] of clips.entries()) {
        const alone = await identifyClipAsOneSong(owner.library.identifyDeps(), clip, 5);
        const shared = await identifyClipAsOneSong(helped, clip, 5);
        expect(shared.outcome).toEqual(alone.outcome);
        expect(shared.result.exact).toEqual(alone.result.exact);
        if (i !== 1) {
          // The helper answered, having screened some or all of the grid (it starts while this thread votes as recorded).
          await new Promise((r) => setTimeout(r, 100));
          expect(answered.at(-1)).toBeGreaterThan(0);
          expect(answered.at(-1)).toBeLessThanOrEqual(screenCount);
        }
      }
      expect(owner.library.identifyDeps().searchHelper).toBeUndefined(); // in-process runners: no helper
      // Every helper has returned (the search stops it when it ends): the worker is free for the next job.
      expect(await runners.probe(path.join(music, 'song-0.wav'), new AbortController().signal)).toMatchObject({ sha256: expect.any(String) });
    } finally {
      await reader.close();
      await runners.close();
      await owner.close();
    }
  }, 60_000);
});
