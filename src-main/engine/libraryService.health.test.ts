// LibraryService's start-up health checks and recovery, in-process on generated audio: a deleted or scribbled-over
// landmark store is moved aside and rebuilt in the background with notices, one damaged while open is replaced while
// the vibe lane keeps answering, and a damaged or newer catalog is reported and left untouched. Each test starts
// from a copy of one library scanned once (the seed), so only what the test is about runs each time.
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from './catalog/openCatalog.js';
import { inProcessRunners } from './libraryEngine.js';
import { LibraryService, type LibraryServiceOptions } from './libraryService.js';
import { nextEvent, ok, scanSettled, SERVICE_MUSIC_RATE as RATE, writeServiceMusic } from './testing/serviceTesting.js';
import { cutClip } from './testing/synthAudio.js';

let root: string;
let music: string;
let songs: readonly Float32Array[];
/** A data folder with the music folder added and scanned (closed again), copied by each test. */
let seedDir: string;

function openService(dataDir: string, options: Partial<LibraryServiceOptions> = {}): Promise<LibraryService> {
  return LibraryService.open({ dataDir, runners: inProcessRunners(2), watch: false, appVersion: '9.9.9', log: () => {}, ...options });
}

/** A copy of the seed library in a fresh data folder `name`. */
function seeded(name: string): string {
  const dataDir = path.join(root, name);
  cpSync(seedDir, dataDir, { recursive: true });
  return dataDir;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ai-service-health-'));
  ({ music, songs } = await writeServiceMusic(root));
  seedDir = path.join(root, 'seed');
  const seed = await openService(seedDir);
  const settled = scanSettled(seed);
  ok(await seed.addFolder(music));
  expect((await settled).summary).toMatchObject({ added: 2, failed: 1 });
  await seed.close();
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('LibraryService start-up health', () => {
  it('rebuilds a deleted landmark store in the background on start-up, with a notice', async () => {
    const dataDir = seeded('data-rebuild');
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
      const result = ok(
        await second.identifyClip({
          audio: { kind: 'pcm', sampleRateHz: RATE, samples: cutClip(songs[0], RATE, 5, 5) },
          source: 'mic',
          mode: 'exact',
          maxResults: 1,
        }),
      );
      expect(result.exact[0]?.track.title).toBe('One');
    } finally {
      await second.close();
    }
  }, 120_000);

  it('finds landmark pages scribbled over at start-up: moves the store aside, rebuilds it, then deletes the damaged copy', async () => {
    const dataDir = seeded('data-scribbled');
    const trackCount = 2; // one and two (broken.mp3 is a failed file)
    scribblePages(path.join(dataDir, 'landmarks', 'data.mdb'), 3);
    const second = await openService(dataDir);
    try {
      const finished = nextEvent(second, 'scanFinished');
      const status = ok(await second.getStatus());
      expect(status.landmarkStore).toBe('rebuilding');
      expect(status.notices).toEqual([
        expect.objectContaining({ code: 'store-rebuilding', detail: expect.stringMatching(new RegExp(`damaged.*\\(${trackCount} tracks`)) }),
      ]);
      expect(readdirSync(dataDir).filter((n) => n.startsWith('landmarks.damaged-'))).toHaveLength(1);
      // The vibe lane answers while the exact lane is rebuilt.
      const during = ok(
        await second.identifyClip({
          audio: { kind: 'pcm', sampleRateHz: RATE, samples: cutClip(songs[0], RATE, 5, 8) },
          source: 'mic',
          mode: 'both',
          maxResults: 3,
        }),
      );
      expect(during.vibe.length).toBeGreaterThan(0);
      expect(await finished).toMatchObject({ rebuilt: trackCount, added: 0, unchanged: 1, cancelled: false }); // unchanged: broken.mp3
      const after = ok(await second.getStatus());
      expect(after.landmarkStore).toBe('ok');
      expect(after.notices.map((n) => n.code)).toEqual(['store-rebuilt']);
      expect(after.trackCount).toBe(trackCount);
      expect(readdirSync(dataDir).filter((n) => n.startsWith('landmarks.damaged-'))).toEqual([]);
      const result = ok(
        await second.identifyClip({
          audio: { kind: 'pcm', sampleRateHz: RATE, samples: cutClip(songs[0], RATE, 5, 5) },
          source: 'mic',
          mode: 'exact',
          maxResults: 1,
        }),
      );
      expect(result.exact[0]?.track.title).toBe('One');
    } finally {
      await second.close();
    }
  }, 120_000);

  it('replaces a landmark store damaged while open: vibe keeps answering, the store is rebuilt by a rescan', async () => {
    const dataDir = seeded('data-scribbled-live');
    const service = await openService(dataDir, { scanOnOpen: false });
    try {
      const trackCount = ok(await service.getStatus()).trackCount;
      const clip = cutClip(songs[1], RATE, 12, 6);
      const identify = (mode: 'exact' | 'both') =>
        service.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples: clip }, source: 'mic', mode, maxResults: 3 });
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
    const dataDir = seeded('data-corrupt');
    // Grow the file past a few pages with ordinary History rows (written through the catalog: 400 identify calls
    // would take a minute and test nothing more). Closing the last connection folds the WAL into the file.
    const filler = openCatalog(path.join(dataDir, 'catalog.sqlite'));
    filler.transaction(() => {
      for (let i = 0; i < 400; i++) filler.history.record({ key: `k${i}`, source: 'mic', clipName: null, clipSeconds: 1.5, mode: 'exact', match: null });
    });
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
      expect(status.notices).toEqual([
        expect.objectContaining({ code: 'catalog-unavailable', error: expect.objectContaining({ code: 'catalog-newer-than-app' }) }),
      ]);
      expect(await service.listTracks({})).toEqual({ ok: false, error: expect.objectContaining({ code: 'catalog-newer-than-app' }) });
      expect(await service.addFolder(music)).toEqual({ ok: false, error: expect.objectContaining({ code: 'catalog-newer-than-app' }) });
    } finally {
      await service.close();
    }
    expect(readFileSync(file).equals(before)).toBe(true);
  });
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
