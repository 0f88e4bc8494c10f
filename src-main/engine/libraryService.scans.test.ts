// LibraryService's scan bookkeeping as the Library screen shows it (issue 14), in-process on generated audio: one
// scan for a repeated request, tracks listed while the first scan runs, browsing, folders gone missing (before a
// start and while running), "~" folders, and the scan's "done" sent with its summary.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryEvents } from '../../src-preload/contract/api.js';
import { inProcessRunners } from './libraryEngine.js';
import { LibraryService } from './libraryService.js';
import { nextEvent, ok, scanSettled, writeServiceMusic } from './testing/serviceTesting.js';

let root: string;
let music: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ai-service-scans-'));
  ({ music } = await writeServiceMusic(root));
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * A service on `dataDir`. The vibe lane is off unless asked for: these tests are about the scan's bookkeeping, which
 * is the same with it, and embedding every song would only make each scan slower.
 */
function openService(dataDir: string, { watch = false, vibe = false } = {}): Promise<LibraryService> {
  const watcherOptions = { quietMs: 200, writeStableMs: 300 };
  return LibraryService.open({
    dataDir,
    runners: inProcessRunners(2),
    watch,
    appVersion: '9.9.9',
    watcherOptions,
    log: () => {},
    ...(vibe ? {} : { embedderManifest: null }),
  });
}

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
      dataDir,
      runners: inProcessRunners(1),
      watch: false,
      appVersion: '9.9.9',
      log: () => {},
      scanChangeIntervalMs: 0,
      embedderManifest: null,
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
      expect(artists.items.map((a) => [a.artist, a.trackCount])).toEqual([
        ['Synth A', 1],
        ['Synth B', 1],
      ]);
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
    const service = await openService(dataDir, { watch: true });
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
      expect(await service.addFolder('~/no-such-folder')).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'folder-not-found', detail: expect.stringContaining(path.join(root, 'no-such-folder')) }),
      });
    } finally {
      process.env.HOME = home;
      await service.close();
    }
  }, 60_000);

  it('sends the scan\'s "done" with its summary: when "done" arrives the status already has the new summary', async () => {
    // With the vibe lane: its index is one of the last steps the summary waits for.
    const service = await openService(path.join(root, 'data-done-with-summary'), { vibe: true });
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
