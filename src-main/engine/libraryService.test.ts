// LibraryService end to end on generated audio, in-process: folders, scans driven by requests and by the watcher,
// identify from PCM at the page's rate and from file bytes, History, start-up health checks (bad catalog left
// untouched, missing store rebuilt), folder removal. Every call answers a Result; nothing throws.
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryEventName, LibraryEvents } from '../../src-preload/contract/api.js';
import type { FolderId, Result, TrackId } from '../../src-preload/contract/library.js';
import { inProcessRunners } from './library.js';
import { LibraryService } from './libraryService.js';
import { addNoise, cutClip, encodeWav, writeSongFile } from './testing/synthAudio.js';
import { BUILTIN_MODEL_ID } from './embedding/embedderManifest.js';

let root: string;
let music: string;
const RATE = 22050;
const songs: Float32Array[] = [];

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ai-service-'));
  music = path.join(root, 'music');
  mkdirSync(path.join(music, 'album'), { recursive: true });
  songs.push(await writeSongFile(path.join(music, 'album', 'one.flac'), 101, 40, { title: 'One', artist: 'Synth A' }));
  songs.push(await writeSongFile(path.join(music, 'two.mp3'), 102, 40, { title: 'Two', artist: 'Synth B' }));
  songs.push(await writeSongFile(path.join(root, 'later.wav'), 103, 40)); // copied in while watching
  writeFileSync(path.join(music, 'broken.mp3'), 'this is not audio');
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.detail}`);
  return result.value;
}

function nextEvent<E extends LibraryEventName>(service: LibraryService, event: E, timeoutMs = 30_000): Promise<LibraryEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const off = service.on(event, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

function openService(dataDir: string, watch = false): Promise<LibraryService> {
  return LibraryService.open({ dataDir, runners: inProcessRunners(2), watch, appVersion: '9.9.9', watcherOptions: { quietMs: 200, writeStableMs: 300 }, log: () => {} });
}

describe('LibraryService', () => {
  it('adds a folder, scans it in the background, lists tracks and failures, identifies and remembers', async () => {
    const dataDir = path.join(root, 'data-main');
    const service = await openService(dataDir, true);
    try {
      const status0 = ok(await service.getStatus());
      expect(status0).toMatchObject({ appVersion: '9.9.9', catalog: 'ok', landmarkStore: 'ok', trackCount: 0, modes: ['exact', 'vibe', 'both'], vectorIndex: 'ok' });

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
        await service.identifyClip({ audio: { kind: 'file', fileName: 'clip.wav', bytes: encodeWav(cutClip(songs[0], RATE, 10, 5), RATE) }, source: 'file', mode: 'exact', maxResults: 1, historyKey: 'drop-1' }),
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
        await service.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples: cutClip(songs[2], RATE, 5, 10) }, source: 'mic', mode: 'both', maxResults: 5 }),
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
      const vibeOnly = ok(await service.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples: clip }, source: 'mic', mode: 'vibe', maxResults: 1 }));
      expect(vibeOnly).toMatchObject({ modeUsed: 'vibe', exact: [] });
      expect(vibeOnly.vibe).toHaveLength(1);
      // More like this: the other track, never itself.
      const two = ok(await service.listTracks({ search: 'two' })).items[0];
      const similar = ok(await service.similarTracks(two.id, 5));
      expect(similar.map((m) => m.track.title)).toEqual(['One']);

      // Typed errors, nothing thrown.
      const short = await service.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples: clip.subarray(0, RATE / 2) }, source: 'mic', mode: 'exact', maxResults: 1 });
      expect(short).toEqual({ ok: false, error: expect.objectContaining({ code: 'clip-too-short' }) });
      expect((await service.addFolder(path.join(root, 'nope'))) as Result<unknown>).toEqual({ ok: false, error: expect.objectContaining({ code: 'folder-not-found' }) });
      expect(await service.addFolder(path.join(music, 'album'))).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid-argument' }) });
      expect(await service.getTrack('00000000-0000-4000-8000-000000000000' as TrackId)).toEqual({ ok: false, error: expect.objectContaining({ code: 'not-found' }) });

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
    const service = await LibraryService.open({ dataDir, runners: inProcessRunners(2), watch: false, embedderManifest: path.join(root, 'no-such-model.json'), log: () => {} });
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

  it('rebuilds a deleted landmark store in the background on start-up, with a notice', async () => {
    const dataDir = path.join(root, 'data-rebuild');
    const first = await openService(dataDir);
    const done = nextEvent(first, 'scanFinished');
    ok(await first.addFolder(path.join(music, 'album')));
    await done;
    await first.close();

    rmSync(path.join(dataDir, 'landmarks'), { recursive: true, force: true });
    const second = await openService(dataDir);
    try {
      const status = ok(await second.getStatus());
      expect(status.landmarkStore).toBe('rebuilding');
      expect(status.notices.map((n) => n.code)).toContain('store-rebuilding');
      await nextEvent(second, 'scanFinished');
      const after = ok(await second.getStatus());
      expect(after.landmarkStore).toBe('ok');
      expect(after.notices.map((n) => n.code)).toEqual(['store-rebuilt']);
      const result = ok(await second.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples: cutClip(songs[0], RATE, 5, 5) }, source: 'mic', mode: 'exact', maxResults: 1 }));
      expect(result.exact[0]?.track.title).toBe('One');
    } finally {
      await second.close();
    }
  }, 120_000);

  it('finds landmark pages scribbled over at start-up: moves the store aside, rebuilds it, then deletes the damaged copy', async () => {
    const dataDir = path.join(root, 'data-scribbled');
    const first = await openService(dataDir);
    const done = nextEvent(first, 'scanFinished');
    ok(await first.addFolder(music));
    await done;
    const trackCount = ok(await first.getStatus()).trackCount; // the music folder holds 2 or 3 tracks (see the first test)
    await first.close();

    scribblePages(path.join(dataDir, 'landmarks', 'data.mdb'), 3);
    const second = await openService(dataDir);
    try {
      const finished = nextEvent(second, 'scanFinished');
      const status = ok(await second.getStatus());
      expect(status.landmarkStore).toBe('rebuilding');
      expect(status.notices).toEqual([expect.objectContaining({ code: 'store-rebuilding', detail: expect.stringMatching(new RegExp(`damaged.*\\(${trackCount} tracks`)) })]);
      expect(readdirSync(dataDir).filter((n) => n.startsWith('landmarks.damaged-'))).toHaveLength(1);
      // The vibe lane answers while the exact lane is rebuilt.
      const during = ok(await second.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples: cutClip(songs[0], RATE, 5, 8) }, source: 'mic', mode: 'both', maxResults: 3 }));
      expect(during.vibe.length).toBeGreaterThan(0);
      expect(await finished).toMatchObject({ rebuilt: trackCount, added: 0, unchanged: 1, cancelled: false }); // unchanged: broken.mp3
      const after = ok(await second.getStatus());
      expect(after.landmarkStore).toBe('ok');
      expect(after.notices.map((n) => n.code)).toEqual(['store-rebuilt']);
      expect(after.trackCount).toBe(trackCount);
      expect(readdirSync(dataDir).filter((n) => n.startsWith('landmarks.damaged-'))).toEqual([]);
      const result = ok(await second.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples: cutClip(songs[0], RATE, 5, 5) }, source: 'mic', mode: 'exact', maxResults: 1 }));
      expect(result.exact[0]?.track.title).toBe('One');
    } finally {
      await second.close();
    }
  }, 120_000);

  it('replaces a landmark store damaged while open: vibe keeps answering, the store is rebuilt by a rescan', async () => {
    const dataDir = path.join(root, 'data-scribbled-live');
    const service = await openService(dataDir);
    try {
      const done = nextEvent(service, 'scanFinished');
      ok(await service.addFolder(music));
      await done;
      const trackCount = ok(await service.getStatus()).trackCount;
      const clip = cutClip(songs[1], RATE, 12, 6);
      const identify = (mode: 'exact' | 'both') => service.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples: clip }, source: 'mic', mode, maxResults: 3 });
      expect(ok(await identify('exact')).exact[0]?.track.title).toBe('Two');

      // Zeroed pages (a lost write): LMDB reports them (MDB_CORRUPTED). Random bytes read in this process can crash
      // lmdb-js outright, which is why opening reads a store in a child process first (the test above).
      zeroPages(path.join(dataDir, 'landmarks', 'data.mdb'), 2);
      const rebuilt = nextEvent(service, 'scanFinished');
      const both = ok(await identify('both'));
      expect(both.modeUsed).toBe('vibe');
      expect(both.exact).toEqual([]);
      expect(both.vibe.length).toBeGreaterThan(0);
      const status = ok(await service.getStatus());
      expect(status.landmarkStore).toBe('rebuilding');
      expect(status.notices.map((n) => n.code)).toContain('store-rebuilding');

      expect(await rebuilt).toMatchObject({ rebuilt: trackCount, cancelled: false });
      const after = ok(await service.getStatus());
      expect(after).toMatchObject({ landmarkStore: 'ok', trackCount });
      expect(after.notices.map((n) => n.code)).toEqual(['store-rebuilt']);
      expect(readdirSync(dataDir).filter((n) => n.startsWith('landmarks.damaged-'))).toEqual([]);
      expect(ok(await identify('exact')).exact[0]?.track.title).toBe('Two');
    } finally {
      await service.close();
    }
  }, 120_000);

  it('reports a damaged catalog found by the start-up integrity check and leaves the file untouched', async () => {
    const dataDir = path.join(root, 'data-corrupt');
    const first = await openService(dataDir);
    const done = nextEvent(first, 'scanFinished');
    ok(await first.addFolder(music));
    await done;
    await first.close();
    // Grow the file past a few pages with ordinary History rows (written straight to the file: 400 identify calls
    // would take a minute and test nothing more).
    const filler = new BetterSqlite3(path.join(dataDir, 'catalog.sqlite'));
    const insert = filler.prepare("INSERT INTO history (id, history_key, at, source, clip_name, clip_seconds, mode, match_json) VALUES (?, ?, ?, 'mic', NULL, 1.5, 'exact', NULL)");
    filler.transaction(() => {
      for (let i = 0; i < 400; i++) insert.run(`id-${i}`, `k${i}`, new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString());
    })();
    filler.pragma('wal_checkpoint(TRUNCATE)');
    filler.close();
    // Scribble over a page in the middle of the file (not the header): only an integrity check notices.
    const file = path.join(dataDir, 'catalog.sqlite');
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(8 * 4096);
    bytes.fill(0x5a, 4 * 4096, 6 * 4096);
    writeFileSync(file, bytes);

    const service = await openService(dataDir);
    try {
      const status = ok(await service.getStatus());
      expect(status.catalog).toBe('damaged');
      expect(status.notices).toEqual([expect.objectContaining({ code: 'catalog-unavailable', error: expect.objectContaining({ code: 'catalog-corrupt' }) })]);
      expect(await service.listTracks({})).toEqual({ ok: false, error: expect.objectContaining({ code: 'catalog-corrupt' }) });
    } finally {
      await service.close();
    }
    expect(readFileSync(file).equals(bytes)).toBe(true);
  }, 120_000);

  it('reports a catalog from a newer app, answers every call with its code and leaves the file untouched', async () => {
    const dataDir = path.join(root, 'data-newer');
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'catalog.sqlite');
    const db = new BetterSqlite3(file);
    db.exec('CREATE TABLE future (x INTEGER)');
    db.pragma('user_version = 9999');
    db.close();
    const before = readFileSync(file);

    const service = await openService(dataDir);
    try {
      const status = ok(await service.getStatus());
      expect(status.catalog).toBe('damaged');
      expect(status.notices).toEqual([expect.objectContaining({ code: 'catalog-unavailable', error: expect.objectContaining({ code: 'catalog-newer-than-app' }) })]);
      expect(await service.listTracks({})).toEqual({ ok: false, error: expect.objectContaining({ code: 'catalog-newer-than-app' }) });
      expect(await service.addFolder(music)).toEqual({ ok: false, error: expect.objectContaining({ code: 'catalog-newer-than-app' }) });
    } finally {
      await service.close();
    }
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

/** Resolves at the first statusChanged after the next scanFinished that shows no scan running, with the summary. */
function scanSettled(service: LibraryService, timeoutMs = 30_000): Promise<{ summary: LibraryEvents['scanFinished']; status: LibraryEvents['statusChanged'] }> {
  return new Promise((resolve, reject) => {
    let summary: LibraryEvents['scanFinished'] | undefined;
    const timer = setTimeout(() => (offs.forEach((off) => off()), reject(new Error(`no settled scan within ${timeoutMs} ms`))), timeoutMs);
    const offs = [
      service.on('scanFinished', (s) => (summary = s)),
      service.on('statusChanged', (status) => {
        if (summary === undefined || status.scan !== null) return;
        clearTimeout(timer);
        offs.forEach((off) => off());
        resolve({ summary, status });
      }),
    ];
  });
}

// Small, focused checks of the scan bookkeeping the Library screen shows (issue 14), on one 40 s song.
describe('LibraryService scans', () => {
  it('scans once when the same folder is added twice at once (a retried request), keeping the summary of the scan that did the work', async () => {
    const service = await openService(path.join(root, 'data-twice'));
    try {
      let scansStarted = 0;
      let wasScanning = false;
      service.on('statusChanged', (s) => {
        if (s.scan && !wasScanning) scansStarted++;
        wasScanning = s.scan !== null;
      });
      const settled = scanSettled(service);
      const album = path.join(music, 'album');
      const [a, b] = await Promise.all([service.addFolder(album), service.addFolder(album)]);
      expect(ok(a).id).toBe(ok(b).id);
      const { summary, status } = await settled;
      expect(summary).toMatchObject({ added: 1, cancelled: false });
      // The loop starts a queued scan synchronously after this status; none may follow.
      const after = ok(await service.getStatus());
      expect(after.scan).toBeNull();
      expect(scansStarted).toBe(1);
      expect(status.lastScan).toMatchObject({ added: 1 });
      expect(after.lastScan).toMatchObject({ added: 1 });
    } finally {
      await service.close();
    }
  }, 60_000);

  it('lists tracks while the first scan runs; browses by album and artist; a track without a picture shows its folder.jpg', async () => {
    const dataDir = path.join(root, 'data-browse');
    const lib = path.join(root, 'browse-music');
    mkdirSync(lib, { recursive: true });
    copyFileSync(path.join(music, 'album', 'one.flac'), path.join(lib, 'one.flac'));
    copyFileSync(path.join(music, 'two.mp3'), path.join(lib, 'two.mp3'));
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);
    writeFileSync(path.join(lib, 'folder.jpg'), jpeg);
    const service = await LibraryService.open({
      dataDir, runners: inProcessRunners(1), watch: false, appVersion: '9.9.9', log: () => {}, scanChangeIntervalMs: 0,
    });
    try {
      // A change push before the scan ends, with tracks already listed then.
      const seenDuringScan: number[] = [];
      let finishedYet = false;
      service.on('scanFinished', () => (finishedYet = true));
      service.on('libraryChanged', (change) => {
        if (change.reason !== 'scan' || finishedYet) return;
        void service.listTracks({}).then((r) => seenDuringScan.push(ok(r).total));
      });
      const finished = nextEvent(service, 'scanFinished');
      ok(await service.addFolder(lib));
      await finished;
      expect(seenDuringScan.length).toBeGreaterThan(0);
      expect(Math.max(...seenDuringScan)).toBeGreaterThan(0);

      const byTitleDesc = ok(await service.listTracks({ sort: 'title', direction: 'desc' })).items;
      expect(byTitleDesc.map((t) => t.title)).toEqual(['Two', 'One']);
      // Where a track stands in a listing (the table scrolls to it), and null where the listing leaves it out.
      expect(ok(await service.trackPosition({ trackId: byTitleDesc[1].id, sort: 'title', direction: 'desc' }))).toBe(1);
      expect(ok(await service.trackPosition({ trackId: byTitleDesc[1].id, sort: 'title' }))).toBe(0);
      expect(ok(await service.trackPosition({ trackId: byTitleDesc[1].id, artist: 'synth b' }))).toBeNull();
      const artists = ok(await service.listArtists({}));
      expect(artists.items.map((a) => [a.artist, a.trackCount])).toEqual([['Synth A', 1], ['Synth B', 1]]);
      expect(ok(await service.listTracks({ artist: 'synth b' })).items.map((t) => t.title)).toEqual(['Two']);
      expect(ok(await service.listAlbums({})).total).toBe(0); // untagged albums are not listed as albums
      const art = ok(await service.getArtwork(artists.items[0].coverTrackId));
      expect(art).toEqual({ mimeType: 'image/jpeg', bytes: jpeg });
    } finally {
      await service.close();
    }
  }, 60_000);

  it('drops the "folder missing" notice when that folder is removed, and it stays gone after a restart', async () => {
    const dataDir = path.join(root, 'data-remove-missing');
    const gone = path.join(root, 'gone-folder');
    mkdirSync(gone, { recursive: true });
    copyFileSync(path.join(music, 'album', 'one.flac'), path.join(gone, 'one.flac'));
    const first = await openService(dataDir);
    const settled = scanSettled(first);
    const folder = ok(await first.addFolder(gone));
    await settled;
    await first.close();
    rmSync(gone, { recursive: true, force: true });

    const second = await openService(dataDir);
    try {
      const codes = (s: { notices: readonly { code: string }[] }) => s.notices.map((n) => n.code);
      expect(codes(ok(await second.getStatus()))).toContain('folder-missing');
      ok(await second.removeFolder(folder.id));
      expect(codes(ok(await second.getStatus()))).not.toContain('folder-missing');
      expect(ok(await second.listFolders())).toEqual([]);
    } finally {
      await second.close();
    }
    const third = await openService(dataDir);
    try {
      expect(ok(await third.getStatus()).notices.map((n) => n.code)).not.toContain('folder-missing');
    } finally {
      await third.close();
    }
  }, 60_000);

  it('reports a folder deleted while running as missing, keeps its tracks and starts no scan for it', async () => {
    const dataDir = path.join(root, 'data-deleted-live');
    const doomed = path.join(root, 'doomed-folder');
    mkdirSync(doomed, { recursive: true });
    copyFileSync(path.join(music, 'album', 'one.flac'), path.join(doomed, 'one.flac'));
    const service = await openService(dataDir, true);
    try {
      const settled = scanSettled(service);
      ok(await service.addFolder(doomed));
      await settled;
      let scansStarted = 0;
      service.on('statusChanged', (s) => {
        if (s.scan !== null) scansStarted++;
      });
      service.on('scanProgress', () => scansStarted++);
      const missing = new Promise<LibraryEvents['statusChanged']>((resolve) => {
        service.on('statusChanged', (s) => {
          if (s.notices.some((n) => (n.code === 'folder-missing' && n.detail === doomed) || n.code === 'scan-failed')) resolve(s);
        });
      });
      rmSync(doomed, { recursive: true, force: true }); // the watcher sees it go
      const status = await missing;
      expect(status.notices.map((n) => n.code)).not.toContain('scan-failed');
      expect(scansStarted).toBe(0);
      // Asking for a rescan changes nothing: still missing, no scan, tracks kept.
      ok(await service.rescan());
      const after = ok(await service.getStatus());
      expect(after.notices.map((n) => n.code)).toEqual(['folder-missing']);
      expect(after.scan).toBeNull();
      expect(scansStarted).toBe(0);
      expect(ok(await service.listTracks({})).total).toBe(1);
      expect(ok(await service.listFolders())).toEqual([expect.objectContaining({ path: doomed, exists: false, trackCount: 1 })]);
    } finally {
      await service.close();
    }
  }, 60_000);

  it('expands "~" in a folder path to the home folder (the page cannot know it)', async () => {
    const service = await openService(path.join(root, 'data-home'));
    const home = process.env.HOME;
    process.env.HOME = root; // os.homedir() reads $HOME on POSIX
    try {
      const settled = scanSettled(service);
      const folder = ok(await service.addFolder('~/music/album'));
      expect(folder.path).toBe(path.join(music, 'album'));
      await settled;
      expect(await service.addFolder('~/no-such-folder')).toEqual({ ok: false, error: expect.objectContaining({ code: 'folder-not-found', detail: expect.stringContaining(path.join(root, 'no-such-folder')) }) });
    } finally {
      process.env.HOME = home;
      await service.close();
    }
  }, 60_000);

  it('remembers a vibe-mode Listen as the track it sounded like, not as "not in library"', async () => {
    const service = await openService(path.join(root, 'data-vibe-history'));
    try {
      const settled = scanSettled(service);
      ok(await service.addFolder(path.join(music, 'album')));
      await settled;
      const samples = cutClip(songs[0], RATE, 10, 6);
      const result = ok(await service.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples }, source: 'mic', mode: 'vibe', maxResults: 3, historyKey: 'vibe-listen' }));
      expect(result.vibe[0]?.track.title).toBe('One');
      const [entry] = ok(await service.listHistory({})).items;
      expect(entry).toMatchObject({ mode: 'vibe', match: null, soundsLike: { title: 'One', trackId: result.vibe[0].track.id, similarity: result.vibe[0].similarity } });
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
      ok(await service.identifyClip({ audio: { kind: 'file', fileName: 'clip.wav', bytes: bytes.slice(0, bytes.length - 2) }, source: 'file', mode: 'exact', maxResults: 3, historyKey: 'drop-3' }));
      const page = ok(await service.listHistory({}));
      expect(page.items.map((e) => [e.clipName, e.count])).toEqual([['clip.wav', 1], ['clip again.wav', 2]]);
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

  it('says in getTrack when a track\'s file is missing (so the page can say where it was)', async () => {
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

  it('sends the scan\'s "done" with its summary: when "done" arrives the status already has the new summary', async () => {
    const service = await openService(path.join(root, 'data-done-with-summary'));
    try {
      const seen: string[] = [];
      let statusAtDone: ReturnType<LibraryService['getStatus']> | undefined;
      service.on('scanProgress', (p) => {
        if (p.phase !== 'done') return;
        seen.push('done');
        // getStatus reads the status synchronously, before its first await: this is the status as "done" is sent.
        statusAtDone = service.getStatus();
      });
      service.on('scanFinished', () => seen.push('finished'));
      const settled = scanSettled(service);
      ok(await service.addFolder(path.join(music, 'album')));
      const { summary } = await settled;
      expect(seen).toEqual(['done', 'finished']);
      expect(ok(await statusAtDone!).lastScan).toEqual(summary);
    } finally {
      await service.close();
    }
  }, 60_000);
});
/** Overwrites 4 KB pages of a file from `firstPage` on, every `stride`-th one, with pseudo-random bytes (in place: an open mmap sees it). */
function scribblePages(file: string, firstPage: number, stride = 2): void {
  const bytes = readFileSync(file);
  let seed = 7;
  for (let page = firstPage; (page + 1) * 4096 <= bytes.length; page += stride) {
    for (let i = page * 4096; i < (page + 1) * 4096; i++) bytes[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  }
  const fd = openSync(file, 'r+');
  writeSync(fd, bytes, 0, bytes.length, 0);
  closeSync(fd);
}

/** Zeroes every 4 KB page of a file from `firstPage` on, in place. */
function zeroPages(file: string, firstPage: number): void {
  const bytes = readFileSync(file);
  bytes.fill(0, firstPage * 4096);
  const fd = openSync(file, 'r+');
  writeSync(fd, bytes, 0, bytes.length, 0);
  closeSync(fd);
}

/** Doubles the sample rate by linear interpolation (a stand-in for the page's 44.1 kHz capture). */
function upsample2(pcm: Float32Array): Float32Array {
  const out = new Float32Array(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) {
    out[2 * i] = pcm[i];
    out[2 * i + 1] = i + 1 < pcm.length ? (pcm[i] + pcm[i + 1]) / 2 : pcm[i];
  }
  return out;
}

