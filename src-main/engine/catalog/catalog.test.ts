// Tests for the Catalog's folders and tracks on a migrated ':memory:' database, and the mapping of its rows to the
// contract's TrackSummary/TrackDetail. The listings are in trackListing.test.ts, the files rows in fileTable.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileRow, newTrack, ROW_TIME as T0 } from '../testing/catalogRows.js';
import { type Catalog, toTrackDetail, toTrackSummary } from './catalog.js';
import { openCatalog } from './openCatalog.js';

let clock: Date;
let catalog: Catalog;
beforeEach(() => {
  clock = T0;
  catalog = openCatalog(':memory:', { now: () => clock });
});
afterEach(() => catalog.close());

describe('folders', () => {
  it('adds idempotently, lists, finds, marks scanned and removes', () => {
    const a = catalog.addFolder('/music/b');
    expect(a).toEqual({ id: a.id, path: '/music/b', addedAt: T0.toISOString(), lastScanAt: null });
    clock = new Date('2025-03-02T00:00:00.000Z');
    expect(catalog.addFolder('/music/b')).toEqual(a);
    const b = catalog.addFolder('/music/a');
    expect(catalog.listFolders().map((f) => f.path)).toEqual(['/music/a', '/music/b']);
    expect(catalog.getFolderByPath('/music/a')).toEqual(b);
    expect(catalog.getFolderByPath('/nope')).toBeUndefined();

    catalog.markFolderScanned(a.id, '2025-03-03T00:00:00.000Z');
    expect(catalog.getFolderById(a.id)?.lastScanAt).toBe('2025-03-03T00:00:00.000Z');

    expect(catalog.removeFolder(a.id)).toBe(true);
    expect(catalog.removeFolder(a.id)).toBe(false);
    expect(catalog.listFolders()).toEqual([b]);
  });

  it('removing a folder removes its files rows but keeps the tracks', () => {
    const folder = catalog.addFolder('/music');
    const t = catalog.insertTrack(newTrack());
    catalog.upsertFile(fileRow({ path: t.filePath, folderId: folder.id, trackNum: t.num }));
    catalog.removeFolder(folder.id);
    expect(catalog.getFile(t.filePath)).toBeUndefined();
    expect(catalog.getTrackByNum(t.num)).toBeDefined();
  });
});

describe('tracks', () => {
  it('inserts with a UUID v4, timestamps and defaults, and reads back by id, num and hash', () => {
    const input = newTrack();
    const row = catalog.insertTrack(input);
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row).toMatchObject({
      title: input.title,
      artist: 'Artist',
      album: 'Album',
      durationSeconds: 180.5,
      sampleRateHz: 44100,
      channelCount: 2,
      bitrate: 320000,
      format: 'mp3',
      fileHashSha256: input.fileHashSha256,
      fileSizeBytes: 5_000_000,
      filePath: input.filePath,
      fileMtimeMs: 1_700_000_000_123.456,
      fingerprintStatus: 'pending',
      fingerprintVersion: null,
      landmarkCount: 0,
      embeddingModel: null,
      embeddingDim: null,
      embeddingStatus: 'none',
      ingestedAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
    });
    expect(catalog.getTrackById(row.id)).toEqual(row);
    expect(catalog.getTrackByNum(row.num)).toEqual(row);
    expect(catalog.getTrackByHash(input.fileHashSha256)).toEqual(row);
    expect(catalog.getTrackById('nope')).toBeUndefined();
    expect(catalog.countTracks()).toBe(1);
  });

  it('applies defaults for missing stream facts', () => {
    const row = catalog.insertTrack({ fileHashSha256: 'h', fileSizeBytes: 1, filePath: '/x/Song.flac', fileMtimeMs: 2 });
    expect(row).toMatchObject({
      title: 'Song',
      artist: null,
      album: null,
      durationSeconds: 0,
      sampleRateHz: null,
      channelCount: null,
      bitrate: null,
      format: '',
    });
  });

  it('falls back to the file name for a null or blank title, and stores blank artist/album as null', () => {
    expect(catalog.insertTrack(newTrack({ title: null, filePath: '/m/My Song.v2.mp3' })).title).toBe('My Song.v2');
    expect(catalog.insertTrack(newTrack({ title: '   ', filePath: '/m/Other.ogg' })).title).toBe('Other');
    expect(catalog.insertTrack(newTrack({ title: undefined, filePath: '/m/noext' })).title).toBe('noext');
    const trimmed = catalog.insertTrack(newTrack({ title: '  Real  ', artist: ' ', album: '' }));
    expect(trimmed).toMatchObject({ title: 'Real', artist: null, album: null });
  });

  it('throws on a second track with the same hash', () => {
    const input = newTrack();
    catalog.insertTrack(input);
    expect(() => catalog.insertTrack({ ...input, filePath: '/elsewhere.mp3' })).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_UNIQUE' }));
    expect(catalog.countTracks()).toBe(1);
  });

  it('never reuses the number of a deleted last track', () => {
    catalog.insertTrack(newTrack());
    const last = catalog.insertTrack(newTrack());
    expect(catalog.deleteTrack(last.num)).toBe(true);
    expect(catalog.deleteTrack(last.num)).toBe(false);
    expect(catalog.getTrackByNum(last.num)).toBeUndefined();
    expect(catalog.insertTrack(newTrack()).num).toBe(last.num + 1);
  });

  it('keeps id and num when the file moves, and can take a new hash', () => {
    const row = catalog.insertTrack(newTrack());
    clock = new Date('2025-04-01T00:00:00.000Z');
    const moved = catalog.updateTrackFile(row.num, { path: '/new/place.mp3', sizeBytes: 42, mtimeMs: 7 });
    expect(moved).toEqual({
      ...row,
      filePath: '/new/place.mp3',
      fileSizeBytes: 42,
      fileMtimeMs: 7,
      updatedAt: '2025-04-01T00:00:00.000Z',
    });
    expect(catalog.getTrackById(row.id)?.num).toBe(row.num);

    const retagged = catalog.updateTrackFile(row.num, { path: '/new/place.mp3', sizeBytes: 43, mtimeMs: 8, fileHashSha256: 'beef' });
    expect(retagged?.fileHashSha256).toBe('beef');
    expect(catalog.getTrackByHash('beef')?.id).toBe(row.id);
    expect(catalog.updateTrackFile(9999, { path: '/x', sizeBytes: 1, mtimeMs: 1 })).toBeUndefined();
  });

  it('updates only the metadata fields given', () => {
    const row = catalog.insertTrack(newTrack({ filePath: '/m/file name.mp3' }));
    clock = new Date('2025-05-01T00:00:00.000Z');
    const updated = catalog.updateTrackMetadata(row.num, { artist: 'New Artist', album: null, durationSeconds: 200 });
    expect(updated).toEqual({
      ...row,
      artist: 'New Artist',
      album: null,
      durationSeconds: 200,
      updatedAt: '2025-05-01T00:00:00.000Z',
    });
    expect(catalog.updateTrackMetadata(row.num, { title: '' })?.title).toBe('file name');
    expect(catalog.updateTrackMetadata(row.num, { title: 'Named', format: 'flac' })).toMatchObject({ title: 'Named', format: 'flac' });
    expect(catalog.updateTrackMetadata(9999, { title: 'x' })).toBeUndefined();
  });

  it('records fingerprint and embedding status and lists by fingerprint status', () => {
    const a = catalog.insertTrack(newTrack());
    const b = catalog.insertTrack(newTrack());
    const c = catalog.insertTrack(newTrack());
    expect(catalog.setFingerprintStatus(b.num, 'indexed', 3, 1234)).toMatchObject({
      fingerprintStatus: 'indexed',
      fingerprintVersion: 3,
      landmarkCount: 1234,
    });
    catalog.setFingerprintStatus(c.num, 'failed', null, 0);
    expect(catalog.listTrackNumsByFingerprintStatus('pending')).toEqual([a.num]);
    expect(catalog.listTrackNumsByFingerprintStatus('indexed')).toEqual([b.num]);
    expect(catalog.listTrackNumsByFingerprintStatus('failed')).toEqual([c.num]);

    expect(catalog.setEmbeddingStatus(a.num, 'indexed', 'clap-v1', 512)).toMatchObject({
      embeddingStatus: 'indexed',
      embeddingModel: 'clap-v1',
      embeddingDim: 512,
    });
    expect(catalog.listTrackNumsByEmbeddingStatus('indexed')).toEqual([a.num]);
    expect(() => catalog.setFingerprintStatus(a.num, 'bogus' as never, null, 0)).toThrow(/CHECK/);
  });

  it('gets many tracks by number across chunks, ignoring unknown and repeated numbers', () => {
    const nums = catalog.transaction(() => Array.from({ length: 1203 }, () => catalog.insertTrack(newTrack()).num));
    const wanted = [...nums, nums[0], nums[5], 999_999];
    const found = catalog.getTracksByNums(wanted);
    expect(found.size).toBe(1203);
    expect(found.get(nums[700])?.num).toBe(nums[700]);
    expect(found.has(999_999)).toBe(false);
    expect(catalog.getTracksByNums([]).size).toBe(0);
  });

  it('rolls back a failed transaction', () => {
    expect(() =>
      catalog.transaction(() => {
        catalog.insertTrack(newTrack());
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(catalog.countTracks()).toBe(0);
  });

  it('samples tracks fingerprinted at a version by seeking from random points, wrapping past the last one', () => {
    expect(catalog.sampleIndexedTrackNums(3, 4)).toEqual([]);
    const nums = Array.from({ length: 10 }, () => catalog.insertTrack(newTrack()).num);
    for (const i of [2, 5, 6]) catalog.setFingerprintStatus(nums[i], 'indexed', 3, 10);
    catalog.setFingerprintStatus(nums[8], 'indexed', 2, 10); // another version: never sampled
    catalog.setFingerprintStatus(nums[9], 'failed', null, 0);
    const at = (...points: number[]) => {
      let i = 0;
      return () => points[i++ % points.length];
    };
    // Each seek finds the first indexed track at or after its point; one landing on a track already sampled takes the
    // next (points 0 and 0.25 both land on nums[2]; 0.3, 0.55 and 0.6 on nums[5], nums[6], nums[6]).
    expect(catalog.sampleIndexedTrackNums(3, 2, at(0, 0.25))).toEqual([nums[2], nums[5]]);
    expect(catalog.sampleIndexedTrackNums(3, 3, at(0.3, 0.55, 0.6))).toEqual([nums[5], nums[6], nums[2]]);
    // However unlucky the draw, the sample holds as many distinct tracks as the library has, up to the seeks.
    expect(catalog.sampleIndexedTrackNums(3, 4, at(0))).toEqual([nums[2], nums[5], nums[6]]);
    // Past the last one at that version: wraps to the lowest.
    expect(catalog.sampleIndexedTrackNums(3, 1, at(0.95))).toEqual([nums[2]]);
    expect(catalog.sampleIndexedTrackNums(2, 4)).toEqual([nums[8]]);
    expect(catalog.sampleIndexedTrackNums(7, 4)).toEqual([]);
  });
});

describe('contract mapping', () => {
  it('maps rows to TrackSummary and TrackDetail', () => {
    const row = catalog.insertTrack(newTrack({ discNumber: 2, trackNumber: 5 }));
    catalog.setFingerprintStatus(row.num, 'indexed', 1, 99);
    const fresh = catalog.getTrackByNum(row.num)!;
    expect(toTrackSummary(fresh)).toEqual({
      id: row.id,
      title: row.title,
      artist: 'Artist',
      album: 'Album',
      durationSeconds: 180.5,
      format: 'mp3',
      filePath: row.filePath,
      discNumber: 2,
      trackNumber: 5,
    });
    const detail = toTrackDetail(fresh, ['/copy.mp3']);
    expect(detail).toMatchObject({
      id: row.id,
      sampleRateHz: 44100,
      channelCount: 2,
      bitrate: 320000,
      fileHashSha256: row.fileHashSha256,
      fingerprintStatus: 'indexed',
      fingerprintVersion: 1,
      landmarkCount: 99,
      embeddingStatus: 'none',
      duplicatePaths: ['/copy.mp3'],
    });
    expect(detail).not.toHaveProperty('num');
  });
});
