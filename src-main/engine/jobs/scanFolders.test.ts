// Scanner behaviour on a temporary folder of generated audio: new, unchanged, duplicate, renamed, modified, deleted
// and bad files, cancellation and resume. In-process runners and the memory store keep it fast; the three songs are
// encoded once and copied into each test's folder.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, promises as fsp, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../catalog/catalog.js';
import { openCatalog } from '../catalog/openCatalog.js';
import { FINGERPRINT_CONFIG } from '../fingerprint/config.js';
import { createMemoryLandmarkStore } from '../landmarkStore/memoryLandmarkStore.js';
import type { LandmarkStore } from '../landmarkStore/landmarkStore.js';
import { writeSongFile } from '../testing/synthAudio.js';
import { fingerprintFile, type FileFingerprint } from './fingerprintFile.js';
import { probeFile } from './probeFile.js';
import { scanFolders, type ScanDeps } from './scanFolders.js';
import { TAGS_VERSION } from '../audio/readTags.js';

let dir: string;
let catalog: Catalog;
let store: LandmarkStore;
let fingerprintCalls: string[];

function deps(overrides: Partial<ScanDeps> = {}): ScanDeps {
  return {
    catalog,
    store,
    probe: (p, s) => probeFile(p, s),
    fingerprint: (p, s, _embedder, maxSeconds) => {
      fingerprintCalls.push(path.basename(p));
      return fingerprintFile(p, { signal: s, maxSeconds });
    },
    fingerprintVersion: FINGERPRINT_CONFIG.version,
    concurrency: 2,
    ...overrides,
  };
}

/** The library every test starts from: Artist A/one.mp3, two.flac, three.wav (6 s each). */
let template: string;
beforeAll(async () => {
  template = mkdtempSync(path.join(os.tmpdir(), 'scan-template-'));
  await fsp.mkdir(path.join(template, 'Artist A'), { recursive: true });
  await writeSongFile(path.join(template, 'Artist A', 'one.mp3'), 1, 6, { title: 'One', artist: 'Artist A' });
  await writeSongFile(path.join(template, 'two.flac'), 2, 6, { title: 'Two' });
  await writeSongFile(path.join(template, 'three.wav'), 3, 6);
}, 60_000);
afterAll(() => rmSync(template, { recursive: true, force: true }));

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'scan-test-'));
  cpSync(template, path.join(dir, 'lib'), { recursive: true });
  catalog = openCatalog(':memory:');
  store = createMemoryLandmarkStore();
  fingerprintCalls = [];
});

afterEach(async () => {
  await store.close();
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scanFolders', () => {
  it('indexes new files, then a re-scan of an unchanged folder decodes nothing', async () => {
    const first = await scanFolders(deps(), [path.join(dir, 'lib')]);
    expect(first).toMatchObject({ added: 3, failed: 0, removed: 0, duplicates: 0, cancelled: false });
    expect(first.audioSeconds).toBeGreaterThan(17);
    expect(catalog.countTracks()).toBe(3);
    const one = catalog.listTracks({ search: 'One', page: 1, perPage: 10 }).items[0];
    expect(one).toMatchObject({ title: 'One', artist: 'Artist A', fingerprintStatus: 'indexed', fingerprintVersion: FINGERPRINT_CONFIG.version });
    expect(one.landmarkCount).toBeGreaterThan(100);
    expect(store.trackNums().sort()).toEqual(catalog.listTrackNumsByFingerprintStatus('indexed').sort());
    // A title from the file name when tags have none.
    expect(catalog.listTracks({ search: 'three', page: 1, perPage: 10 }).items[0]?.title).toBe('three');

    fingerprintCalls = [];
    const again = await scanFolders(deps(), [path.join(dir, 'lib')]);
    expect(again).toMatchObject({ added: 0, unchanged: 3, failed: 0 });
    expect(fingerprintCalls).toEqual([]);
  });

  it('stores disc and track numbers and the album artist; a track from an older tag reader gets them on the next scan without re-fingerprinting', async () => {
    const albumDir = path.join(dir, 'lib', 'Album');
    await fsp.mkdir(albumDir);
    await writeSongFile(path.join(albumDir, 'b.mp3'), 4, 4, { title: 'Second', album: 'Disc Set', album_artist: 'Band', track: '1/9', disc: '2/2' });
    await writeSongFile(path.join(albumDir, 'a.flac'), 5, 4, { title: 'First', album: 'Disc Set', album_artist: 'Band', track: '7/9', disc: '1/2' });
    await scanFolders(deps(), [path.join(dir, 'lib')]);
    const album = catalog.listTracks({ page: 1, perPage: 10, sort: 'album', album: 'disc set' }).items;
    expect(album.map((t) => [t.title, t.discNumber, t.trackNumber, t.albumArtist])).toEqual([
      ['First', 1, 7, 'Band'],
      ['Second', 2, 1, 'Band'],
    ]);
    expect(album.every((t) => t.tagsVersion === TAGS_VERSION)).toBe(true);

    // As a catalog migrated from before 0060 has them: numbers unknown, tags_version 0.
    catalog.db.exec(`UPDATE tracks SET disc_number = NULL, track_number = NULL, album_artist = NULL, tags_version = 0`);
    fingerprintCalls = [];
    const again = await scanFolders(deps(), [path.join(dir, 'lib')]);
    expect(again).toMatchObject({ added: 0, updated: 0, failed: 0, unchanged: 5 });
    expect(fingerprintCalls).toEqual([]);
    const filled = catalog.listTracks({ page: 1, perPage: 10, sort: 'album', album: 'Disc Set', albumArtist: 'band' }).items;
    expect(filled.map((t) => [t.title, t.discNumber, t.trackNumber, t.tagsVersion])).toEqual([
      ['First', 1, 7, TAGS_VERSION],
      ['Second', 2, 1, TAGS_VERSION],
    ]);
    // And a third scan is back to a stat per file.
    const third = await scanFolders(deps({ probe: () => Promise.reject(new Error('must not probe')) }), [path.join(dir, 'lib')]);
    expect(third).toMatchObject({ unchanged: 5, failed: 0 });
  });

  it('keeps a byte-identical copy as a duplicate of one track, and promotes it when the original goes', async () => {
    await fsp.copyFile(path.join(dir, 'lib', 'two.flac'), path.join(dir, 'lib', 'two copy.flac'));
    const s = await scanFolders(deps(), [path.join(dir, 'lib')]);
    expect(s).toMatchObject({ added: 3, duplicates: 1 });
    expect(catalog.countTracks()).toBe(3);
    const two = catalog.getTrackByHash(
      catalog.getFile(path.join(dir, 'lib', 'two.flac'))!.trackNum === null
        ? ''
        : catalog.getTrackByNum(catalog.getFile(path.join(dir, 'lib', 'two.flac'))!.trackNum!)!.fileHashSha256,
    )!;
    expect(
      catalog
        .duplicatePathsOf(two.num)
        .map((p) => path.basename(p))
        .sort(),
    ).toEqual(['two copy.flac', 'two.flac'].filter((n) => path.join(dir, 'lib', n) !== two.filePath));

    await fsp.rm(two.filePath);
    fingerprintCalls = [];
    const after = await scanFolders(deps(), [path.join(dir, 'lib')]);
    expect(after.removed).toBe(0);
    expect(catalog.getTrackByNum(two.num)?.id).toBe(two.id); // same track, now held by the copy
    expect(fingerprintCalls).toEqual([]);
  });

  it('keeps the track id across a rename or move, without re-fingerprinting', async () => {
    await scanFolders(deps(), [path.join(dir, 'lib')]);
    const before = catalog.getTrackByNum(catalog.getFile(path.join(dir, 'lib', 'Artist A', 'one.mp3'))!.trackNum!)!;
    await fsp.mkdir(path.join(dir, 'lib', 'Moved'));
    await fsp.rename(path.join(dir, 'lib', 'Artist A', 'one.mp3'), path.join(dir, 'lib', 'Moved', 'renamed.mp3'));
    fingerprintCalls = [];
    const s = await scanFolders(deps(), [path.join(dir, 'lib')]);
    expect(s).toMatchObject({ moved: 1, removed: 0, added: 0 });
    const after = catalog.getTrackById(before.id)!;
    expect(after.filePath).toBe(path.join(dir, 'lib', 'Moved', 'renamed.mp3'));
    expect(after.num).toBe(before.num);
    expect(store.hasTrack(before.num)).toBe(true);
    expect(fingerprintCalls).toEqual([]);
  });

  it('re-fingerprints a file changed in place under the same id, and removes deleted files with their landmarks', async () => {
    await scanFolders(deps(), [path.join(dir, 'lib')]);
    const wavPath = path.join(dir, 'lib', 'three.wav');
    const three = catalog.getTrackByNum(catalog.getFile(wavPath)!.trackNum!)!;
    await writeSongFile(wavPath, 33, 7);
    const flac = catalog.getTrackByNum(catalog.getFile(path.join(dir, 'lib', 'two.flac'))!.trackNum!)!;
    await fsp.rm(path.join(dir, 'lib', 'two.flac'));
    fingerprintCalls = [];
    const s = await scanFolders(deps(), [path.join(dir, 'lib')]);
    expect(s).toMatchObject({ updated: 1, removed: 1 });
    expect(fingerprintCalls).toEqual(['three.wav']);
    expect(catalog.getTrackByNum(three.num)?.id).toBe(three.id);
    expect(catalog.getTrackByNum(three.num)?.fileHashSha256).not.toBe(three.fileHashSha256);
    expect(catalog.getTrackByNum(flac.num)).toBeUndefined();
    expect(store.hasTrack(flac.num)).toBe(false);
  });

  it('records bad files with their error and carries on', async () => {
    writeFileSync(path.join(dir, 'lib', 'not audio.mp3'), 'this is a text file wearing an mp3 extension');
    const flacBytes = await fsp.readFile(path.join(dir, 'lib', 'two.flac'));
    writeFileSync(path.join(dir, 'lib', 'truncated.flac'), flacBytes.subarray(0, 40));
    writeFileSync(path.join(dir, 'lib', 'empty.ogg'), '');
    const errors: string[] = [];
    const s = await scanFolders(deps(), [path.join(dir, 'lib')], { onError: (p) => errors.push(path.basename(p)) });
    expect(s.added).toBe(3);
    expect(s.failed).toBe(3);
    expect(errors.sort()).toEqual(['empty.ogg', 'not audio.mp3', 'truncated.flac']);
    const failed = catalog.listFailedFiles(10, 0);
    expect(failed.map((f) => path.basename(f.path)).sort()).toEqual(['empty.ogg', 'not audio.mp3', 'truncated.flac']);
    expect(failed.find((f) => f.path.endsWith('not audio.mp3'))?.errorCode).toBe('unsupported-format');
    expect(catalog.countTracks()).toBe(3);
    // Unchanged bad files are not retried.
    const again = await scanFolders(deps(), [path.join(dir, 'lib')]);
    expect(again.failed).toBe(0);
  });

  it('a folder that is gone is an error and removes nothing', async () => {
    await scanFolders(deps(), [path.join(dir, 'lib')]);
    await expect(scanFolders(deps(), [path.join(dir, 'nowhere')])).rejects.toMatchObject({ code: 'folder-not-found' });
    expect(catalog.countTracks()).toBe(3);
  });

  it('a file over the per-file cap fails with file-too-large, the scan goes on, and it is not retried unless changed', async () => {
    await writeSongFile(path.join(dir, 'lib', 'long.wav'), 4, 12, undefined, { sampleRateHz: 8000 });
    const errors: string[] = [];
    const s = await scanFolders(deps(), [path.join(dir, 'lib')], { maxFileSeconds: 8, onError: (p, e) => errors.push(`${path.basename(p)}:${e.code}`) });
    expect(s).toMatchObject({ added: 3, failed: 1 });
    expect(errors).toEqual(['long.wav:file-too-large']);
    const [failed] = catalog.listFailedFiles(10, 0);
    expect(failed).toMatchObject({ errorCode: 'file-too-large', status: 'failed' });
    expect(failed.errorDetail).toMatch(/per-file cap/);
    fingerprintCalls = [];
    const again = await scanFolders(deps(), [path.join(dir, 'lib')], { maxFileSeconds: 8 });
    expect(again).toMatchObject({ failed: 0, unchanged: 4 });
    expect(fingerprintCalls).toEqual([]);
  });

  it('a WAV whose header claims 1 Hz fails at once as unsupported-format instead of decoding for hours', async () => {
    const wav = new Uint8Array(await fsp.readFile(path.join(dir, 'lib', 'three.wav')));
    new DataView(wav.buffer, wav.byteOffset).setUint32(24, 1, true); // 6 s at 22.05 kHz now claims 36 hours
    writeFileSync(path.join(dir, 'lib', 'lying.wav'), wav);
    const s = await scanFolders(deps(), [path.join(dir, 'lib')]);
    expect(s).toMatchObject({ added: 3, failed: 1 });
    expect(catalog.listFailedFiles(10, 0)[0]).toMatchObject({ errorCode: 'unsupported-format' });
  });

  it('a file past the per-file deadline is abandoned (its work cancelled), recorded as failed, and the scan goes on', async () => {
    let sawAbort = false;
    // The other files' fingerprints are made beforehand, so that only the stuck file meets the (short) deadline.
    const ready = new Map<string, FileFingerprint>();
    for (const name of ['Artist A/one.mp3', 'three.wav']) ready.set(path.join(dir, 'lib', name), await fingerprintFile(path.join(dir, 'lib', name)));
    const stuck = deps({
      concurrency: 1,
      fingerprint: async (p, s) => {
        fingerprintCalls.push(path.basename(p));
        const done = ready.get(p);
        if (done) return { ...done, landmarks: done.landmarks.slice(), peaks: done.peaks.slice() };
        // A decode that never ends by itself: only its signal stops it.
        return new Promise((_, reject) =>
          s.addEventListener('abort', () => {
            sawAbort = true;
            reject(new Error('killed'));
          }),
        );
      },
    });
    const s = await scanFolders(stuck, [path.join(dir, 'lib')], { fileDeadlineMs: 2000 });
    expect(sawAbort).toBe(true);
    expect(s).toMatchObject({ added: 2, failed: 1, cancelled: false });
    const [failed] = catalog.listFailedFiles(10, 0);
    expect(path.basename(failed.path)).toBe('two.flac');
    expect(failed.errorCode).toBe('decode-failed');
    expect(failed.errorDetail).toMatch(/per-file deadline/);
    fingerprintCalls = [];
    await scanFolders(stuck, [path.join(dir, 'lib')], { fileDeadlineMs: 2000 });
    expect(fingerprintCalls).toEqual([]);
  });

  it('never hangs on a FIFO or a folder named like audio, and lists a broken link as failed', async () => {
    execFileSync('mkfifo', [path.join(dir, 'lib', 'pipe.mp3')]);
    await fsp.mkdir(path.join(dir, 'lib', 'folder.mp3'));
    await fsp.symlink(path.join(dir, 'gone.flac'), path.join(dir, 'lib', 'broken.flac'));
    const s = await scanFolders(deps(), [path.join(dir, 'lib')]);
    expect(s).toMatchObject({ added: 3, failed: 1, cancelled: false });
    const failed = catalog.listFailedFiles(10, 0);
    expect(failed.map((f) => [path.basename(f.path), f.errorCode])).toEqual([['broken.flac', 'not-found']]);
    expect(failed[0].errorDetail).toMatch(/broken symbolic link/);
    // Seen again unchanged: still listed, not counted as a new failure.
    const again = await scanFolders(deps(), [path.join(dir, 'lib')]);
    expect(again).toMatchObject({ failed: 0 });
    expect(catalog.listFailedFiles(10, 0)).toHaveLength(1);
    // Mended: the row goes.
    await fsp.rm(path.join(dir, 'lib', 'broken.flac'));
    await scanFolders(deps(), [path.join(dir, 'lib')]);
    expect(catalog.listFailedFiles(10, 0)).toHaveLength(0);
  });

  it('resumes after a kill mid-scan without duplicating landmarks', async () => {
    // Simulate a kill: the second fingerprint never finishes and the run is cancelled.
    const controller = new AbortController();
    let calls = 0;
    const stalled = scanFolders(
      deps({
        concurrency: 1,
        fingerprint: async (p, s) => {
          calls++;
          if (calls === 2) {
            controller.abort();
            throw Object.assign(new Error('killed'), { name: 'AbortError' });
          }
          return fingerprintFile(p, { signal: s });
        },
      }),
      [path.join(dir, 'lib')],
      { signal: controller.signal, batchSize: 1 },
    );
    const partial = await stalled;
    expect(partial.cancelled).toBe(true);
    expect(catalog.listTrackNumsByFingerprintStatus('pending').length).toBeGreaterThan(0);
    const resumed = await scanFolders(deps(), [path.join(dir, 'lib')]);
    expect(resumed.cancelled).toBe(false);
    expect(catalog.countTracks()).toBe(3);
    expect(catalog.listTrackNumsByFingerprintStatus('indexed').length).toBe(3);
    const landmarkTotal = catalog.listTracks({ page: 1, perPage: 10 }).items.reduce((s, t) => s + t.landmarkCount, 0);
    expect(store.stats().landmarkCount).toBe(landmarkTotal);
  });
});
