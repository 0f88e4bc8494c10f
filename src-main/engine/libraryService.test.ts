// LibraryService end to end on generated audio, in-process: a folder added and scanned in the background (and again
// by the watcher), tracks and failures listed, identify from PCM at the page's rate and from file bytes in every
// mode, History written, reopened, searched, exported and deleted, typed errors. Nothing throws: every call answers a
// Result. Start-up health is in libraryService.health.test.ts, the scan bookkeeping in libraryService.scans.test.ts.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FolderId, Result, TrackId } from '../../src-preload/contract/library.js';
import { BUILTIN_MODEL_ID } from './embedding/embedderManifest.js';
import { inProcessRunners } from './libraryEngine.js';
import { LibraryService } from './libraryService.js';
import { nextEvent, ok, scanSettled, SERVICE_MUSIC_RATE as RATE, writeServiceMusic } from './testing/serviceTesting.js';
import { addNoise, cutClip, encodeWav } from './testing/synthAudio.js';

let root: string;
let music: string;
let songs: readonly Float32Array[];

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ai-service-'));
  ({ music, songs } = await writeServiceMusic(root));
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function openService(dataDir: string, watch = false): Promise<LibraryService> {
  return LibraryService.open({
    dataDir,
    runners: inProcessRunners(2),
    watch,
    appVersion: '9.9.9',
    watcherOptions: { quietMs: 200, writeStableMs: 300 },
    log: () => {},
  });
}

describe('LibraryService', () => {
  it('adds a folder, scans it in the background, lists tracks and failures, identifies and remembers', async () => {
    const dataDir = path.join(root, 'data-main');
    const service = await openService(dataDir, true);
    try {
      const status0 = ok(await service.getStatus());
      expect(status0).toMatchObject({
        appVersion: '9.9.9',
        catalog: 'ok',
        landmarkStore: 'ok',
        trackCount: 0,
        modes: ['exact', 'vibe', 'both'],
        vectorIndex: 'ok',
      });

      const progress: string[] = [];
      service.on('scanProgress', (p) => progress.push(p.phase));
      const finished = nextEvent(service, 'scanFinished');
      const folder = ok(await service.addFolder(music));
      expect(folder.path).toBe(music);
      const summary = await finished;
      expect(summary).toMatchObject({ added: 2, failed: 1, cancelled: false });
      expect(progress.at(-1)).toBe('done');

      expect(ok(await service.listFolders())).toEqual([expect.objectContaining({ id: folder.id, exists: true, trackCount: 2 })]);
      const tracks = ok(await service.listTracks({ search: 'two' }));
      expect(tracks.items.map((t) => t.title)).toEqual(['Two']);
      const failed = ok(await service.listFailedFiles({}));
      expect(failed.total).toBe(1);
      expect(failed.items[0].path).toBe(path.join(music, 'broken.mp3'));
      expect(failed.items[0].error.code).toMatch(/unsupported-format|decode-failed/);

      // A Listen: PCM at the page's rate (44.1 kHz), asked twice on a growing clip under one history key.
      const clip = addNoise(cutClip(songs[1], RATE, 20, 6), 10, 5);
      const at44k = upsample2(clip);
      for (const seconds of [4, 6]) {
        const result = ok(
          await service.identifyClip({
            audio: { kind: 'pcm', sampleRateHz: RATE * 2, samples: at44k.subarray(0, seconds * RATE * 2) },
            source: 'mic',
            mode: 'both',
            maxResults: 3,
            historyKey: 'listen-1',
          }),
        );
        expect(result.modeUsed).toBe('both');
        expect(result.exact[0]?.track.title).toBe('Two');
        // The vibe lane answers beside it, the exact match itself left out.
        expect(result.vibe.map((m) => m.track.title)).toEqual(['One']);
        expect(result.exact[0].offsetSeconds).toBeCloseTo(20, 0);
      }
      // A dropped file: WAV bytes.
      const dropped = ok(
        await service.identifyClip({
          audio: { kind: 'file', fileName: 'clip.wav', bytes: encodeWav(cutClip(songs[0], RATE, 10, 5), RATE) },
          source: 'file',
          mode: 'exact',
          maxResults: 1,
          historyKey: 'drop-1',
        }),
      );
      expect(dropped.exact[0]?.track.title).toBe('One');
      const history = ok(await service.listHistory({}));
      expect(history.total).toBe(2);
      expect(history.items.map((h) => [h.source, h.clipName, h.match?.title])).toEqual([
        ['file', 'clip.wav', 'One'],
        ['mic', null, 'Two'],
      ]);

      // A song that is not in the library: no exact match, but the library tracks that sound like it.
      const stranger = ok(
        await service.identifyClip({
          audio: { kind: 'pcm', sampleRateHz: RATE, samples: cutClip(songs[2], RATE, 5, 10) },
          source: 'mic',
          mode: 'both',
          maxResults: 5,
        }),
      );
      expect(stranger.exact).toEqual([]);
      expect(stranger.modeUsed).toBe('both');
      expect(stranger.vibe.map((m) => m.track.title).sort()).toEqual(['One', 'Two']);
      for (const m of stranger.vibe) {
        expect(m.similarity).toBeGreaterThanOrEqual(0);
        expect(m.similarity).toBeLessThanOrEqual(1);
        expect(m.embeddingModel).toBe(BUILTIN_MODEL_ID);
        expect(typeof m.explanation).toBe('string');
      }
      expect(stranger.vibe[0].similarity).toBeGreaterThanOrEqual(stranger.vibe[1].similarity);
      const vibeOnly = ok(
        await service.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples: clip }, source: 'mic', mode: 'vibe', maxResults: 1 }),
      );
      expect(vibeOnly).toMatchObject({ modeUsed: 'vibe', exact: [] });
      expect(vibeOnly.vibe).toHaveLength(1);
      // More like this: the other track, never itself.
      const two = ok(await service.listTracks({ search: 'two' })).items[0];
      const similar = ok(await service.similarTracks(two.id, 5));
      expect(similar.map((m) => m.track.title)).toEqual(['One']);

      // Typed errors, nothing thrown.
      const short = await service.identifyClip({
        audio: { kind: 'pcm', sampleRateHz: RATE, samples: clip.subarray(0, RATE / 2) },
        source: 'mic',
        mode: 'exact',
        maxResults: 1,
      });
      expect(short).toEqual({ ok: false, error: expect.objectContaining({ code: 'clip-too-short' }) });
      expect((await service.addFolder(path.join(root, 'nope'))) as Result<unknown>).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'folder-not-found' }),
      });
      expect(await service.addFolder(path.join(music, 'album'))).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid-argument' }) });
      expect(await service.getTrack('00000000-0000-4000-8000-000000000000' as TrackId)).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'not-found' }),
      });

      // The watcher: a file copied in triggers an incremental scan that adds just it.
      const watched = nextEvent(service, 'scanFinished');
      copyFileSync(path.join(root, 'later.wav'), path.join(music, 'later.wav'));
      expect(await watched).toMatchObject({ added: 1, unchanged: 3 }); // the two tracks and the broken file
      expect(ok(await service.getStatus()).trackCount).toBe(3);

      // Removing the folder removes its tracks (the files stay).
      ok(await service.removeFolder(folder.id));
      expect(ok(await service.listTracks({})).total).toBe(0);
      expect(ok(await service.listFolders())).toEqual([]);
      expect(readFileSync(path.join(music, 'two.mp3')).byteLength).toBeGreaterThan(1000);
      expect(await service.removeFolder(999 as FolderId)).toEqual({ ok: false, error: expect.objectContaining({ code: 'not-found' }) });
    } finally {
      await service.close();
    }
  }, 120_000);

  it('answers vibe with model-missing (and both with the exact lane alone) when the embedder cannot be loaded', async () => {
    const dataDir = path.join(root, 'data-nomodel');
    const service = await LibraryService.open({
      dataDir,
      runners: inProcessRunners(2),
      watch: false,
      embedderManifest: path.join(root, 'no-such-model.json'),
      log: () => {},
    });
    try {
      expect(ok(await service.getStatus())).toMatchObject({ modes: ['exact'], vectorIndex: 'absent' });
      const finished = nextEvent(service, 'scanFinished');
      ok(await service.addFolder(music));
      await finished;
      const samples = cutClip(songs[0], RATE, 10, 6);
      const vibe = await service.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples }, source: 'mic', mode: 'vibe', maxResults: 1 });
      expect(vibe).toEqual({ ok: false, error: expect.objectContaining({ code: 'model-missing' }) });
      const both = ok(await service.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples }, source: 'mic', mode: 'both', maxResults: 1 }));
      expect(both).toMatchObject({ modeUsed: 'exact', vibe: [] });
      expect(both.exact[0]?.track.title).toBe('One');
      const tracks = ok(await service.listTracks({}));
      expect(ok(await service.getTrack(tracks.items[0].id)).embeddingStatus).toBe('none');
    } finally {
      await service.close();
    }
  }, 60_000);

  it('keeps a worker started for the search helper from the first search, where it stays open, not for a one-shot command', async () => {
    for (const warmSearchHelper of [undefined, false]) {
      let warmed = 0;
      const service = await LibraryService.open({
        dataDir: path.join(root, `data-warm-${String(warmSearchHelper)}`),
        runners: { ...inProcessRunners(2), keepWarm: () => void warmed++ },
        watch: false,
        ...(warmSearchHelper === undefined ? {} : { warmSearchHelper }),
        log: () => {},
      });
      try {
        expect(warmed).toBe(0); // not at start-up
        const samples = new Float32Array(RATE * 3).map((_, i) => Math.sin(i / 3));
        ok(await service.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples }, source: 'mic', mode: 'exact', maxResults: 1 }));
        expect(warmed).toBe(warmSearchHelper === false ? 0 : 1);
      } finally {
        await service.close();
      }
    }
  });

  it("says in getTrack when a track's file is missing (so the page can say where it was)", async () => {
    const folder = path.join(root, 'vanishing-file');
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'one.flac');
    copyFileSync(path.join(music, 'album', 'one.flac'), file);
    const service = await openService(path.join(root, 'data-file-missing'));
    try {
      const settled = scanSettled(service);
      ok(await service.addFolder(folder));
      await settled;
      const [track] = ok(await service.listTracks({})).items;
      expect(ok(await service.getTrack(track.id))).toMatchObject({ filePath: file, fileMissing: false });
      rmSync(file);
      expect(ok(await service.getTrack(track.id))).toMatchObject({ filePath: file, fileMissing: true });
    } finally {
      await service.close();
    }
  }, 60_000);
});

describe('LibraryService History', () => {
  it('remembers a vibe-mode Listen as the track it sounded like, not as "not in library"', async () => {
    const service = await openService(path.join(root, 'data-vibe-history'));
    try {
      const settled = scanSettled(service);
      ok(await service.addFolder(path.join(music, 'album')));
      await settled;
      const samples = cutClip(songs[0], RATE, 10, 6);
      const result = ok(
        await service.identifyClip({
          audio: { kind: 'pcm', sampleRateHz: RATE, samples },
          source: 'mic',
          mode: 'vibe',
          maxResults: 3,
          historyKey: 'vibe-listen',
        }),
      );
      expect(result.vibe[0]?.track.title).toBe('One');
      const [entry] = ok(await service.listHistory({})).items;
      expect(entry).toMatchObject({
        mode: 'vibe',
        match: null,
        soundsLike: { title: 'One', trackId: result.vibe[0].track.id, similarity: result.vibe[0].similarity },
      });
    } finally {
      await service.close();
    }
  }, 60_000);

  it('counts the same dropped file on one History entry, reopens its result, searches, exports and deletes', async () => {
    const service = await openService(path.join(root, 'data-history-use'));
    try {
      const settled = scanSettled(service);
      ok(await service.addFolder(path.join(music, 'album')));
      await settled;
      const bytes = encodeWav(cutClip(songs[0], RATE, 10, 5), RATE);
      const drop = (fileName: string, historyKey: string) =>
        service.identifyClip({ audio: { kind: 'file', fileName, bytes }, source: 'file', mode: 'exact', maxResults: 3, historyKey });
      const first = ok(await drop('clip.wav', 'drop-1'));
      expect(first.exact[0]?.track.title).toBe('One');
      const changes: string[] = [];
      const off = service.on('libraryChanged', (c) => changes.push(c.reason));
      ok(await drop('clip again.wav', 'drop-2'));
      ok(
        await service.identifyClip({
          audio: { kind: 'file', fileName: 'clip.wav', bytes: bytes.slice(0, bytes.length - 2) },
          source: 'file',
          mode: 'exact',
          maxResults: 3,
          historyKey: 'drop-3',
        }),
      );
      const page = ok(await service.listHistory({}));
      expect(page.items.map((e) => [e.clipName, e.count])).toEqual([
        ['clip.wav', 1],
        ['clip again.wav', 2],
      ]);
      const counted = page.items[1];
      expect(counted).toMatchObject({ match: { title: 'One' }, trackFileName: 'one.flac' });
      expect(counted.firstAt < counted.at).toBe(true);

      const detail = ok(await service.getHistoryEntry(counted.id));
      expect(detail.entry).toEqual(counted);
      expect(detail.result?.exact[0]).toMatchObject({ track: { id: first.exact[0].track.id, filePath: path.join(music, 'album', 'one.flac') } });
      expect(ok(await service.listHistory({ search: 'AGAIN' })).items.map((e) => e.id)).toEqual([counted.id]);
      expect(ok(await service.listHistory({ search: 'one.flac' })).total).toBe(2);

      const csv = ok(await service.exportHistory({ format: 'csv', search: 'again' }));
      expect(csv.entryCount).toBe(1);
      expect(csv.text.split('\r\n')[1]).toContain(',2,file,clip again.wav,5,exact,match,One,Synth A,');

      expect(ok(await service.deleteHistoryEntries([counted.id, 'not-an-entry']))).toBe(1);
      expect(await service.getHistoryEntry(counted.id)).toEqual({ ok: false, error: expect.objectContaining({ code: 'not-found' }) });
      expect(ok(await service.listHistory({})).items.map((e) => e.clipName)).toEqual(['clip.wav']);
      off();
      expect(changes).toEqual(['history', 'history', 'history']);
    } finally {
      await service.close();
    }
  }, 60_000);
});

/** Doubles the sample rate by linear interpolation (a stand-in for the page's 44.1 kHz capture). */
function upsample2(pcm: Float32Array): Float32Array {
  const out = new Float32Array(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) {
    out[2 * i] = pcm[i];
    out[2 * i + 1] = i + 1 < pcm.length ? (pcm[i] + pcm[i + 1]) / 2 : pcm[i];
  }
  return out;
}
