// Tests for the Catalog queries on a migrated ':memory:' database: folders, tracks, files, paging/search,
// and the mapping to the contract's TrackSummary/TrackDetail.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FolderId } from '../../../src-preload/contract/library.js';
import { AppError } from '../errors.js';
import { type Catalog, type FileRow, type NewTrack, escapeLike, toFailedFile, toTrackDetail, toTrackSummary } from './catalog.js';
import { openCatalog } from './openCatalog.js';

const T0 = new Date('2025-03-01T10:00:00.000Z');
let clock: Date;
let catalog: Catalog;
beforeEach(() => {
  clock = T0;
  catalog = openCatalog(':memory:', { now: () => clock });
});
afterEach(() => catalog.close());

let hashSeq = 0;
function newTrack(overrides: Partial<NewTrack> = {}): NewTrack {
  hashSeq++;
  return {
    title: `Title ${hashSeq}`,
    artist: 'Artist',
    album: 'Album',
    durationSeconds: 180.5,
    sampleRateHz: 44100,
    channelCount: 2,
    bitrate: 320000,
    format: 'mp3',
    fileHashSha256: hashSeq.toString(16).padStart(64, '0'),
    fileSizeBytes: 5_000_000,
    filePath: `/music/track-${hashSeq}.mp3`,
    fileMtimeMs: 1_700_000_000_123.456,
    ...overrides,
  };
}

function fileRow(overrides: Partial<FileRow> & Pick<FileRow, 'path'>): FileRow {
  return {
    folderId: null,
    trackNum: null,
    sizeBytes: 10,
    mtimeMs: 1,
    status: 'track',
    errorCode: null,
    errorDetail: null,
    seenAt: T0.toISOString(),
    ...overrides,
  };
}

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
      title: input.title, artist: 'Artist', album: 'Album', durationSeconds: 180.5, sampleRateHz: 44100,
      channelCount: 2, bitrate: 320000, format: 'mp3', fileHashSha256: input.fileHashSha256,
      fileSizeBytes: 5_000_000, filePath: input.filePath, fileMtimeMs: 1_700_000_000_123.456,
      fingerprintStatus: 'pending', fingerprintVersion: null, landmarkCount: 0,
      embeddingModel: null, embeddingDim: null, embeddingStatus: 'none',
      ingestedAt: T0.toISOString(), updatedAt: T0.toISOString(),
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
      title: 'Song', artist: null, album: null, durationSeconds: 0, sampleRateHz: null, channelCount: null,
      bitrate: null, format: '',
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
    expect(() => catalog.insertTrack({ ...input, filePath: '/elsewhere.mp3' })).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_UNIQUE' }),
    );
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
      ...row, filePath: '/new/place.mp3', fileSizeBytes: 42, fileMtimeMs: 7, updatedAt: '2025-04-01T00:00:00.000Z',
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
      ...row, artist: 'New Artist', album: null, durationSeconds: 200, updatedAt: '2025-05-01T00:00:00.000Z',
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
      fingerprintStatus: 'indexed', fingerprintVersion: 3, landmarkCount: 1234,
    });
    catalog.setFingerprintStatus(c.num, 'failed', null, 0);
    expect(catalog.listTrackNumsByFingerprintStatus('pending')).toEqual([a.num]);
    expect(catalog.listTrackNumsByFingerprintStatus('indexed')).toEqual([b.num]);
    expect(catalog.listTrackNumsByFingerprintStatus('failed')).toEqual([c.num]);

    expect(catalog.setEmbeddingStatus(a.num, 'indexed', 'clap-v1', 512)).toMatchObject({
      embeddingStatus: 'indexed', embeddingModel: 'clap-v1', embeddingDim: 512,
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
});

describe('listTracks', () => {
  it('orders by artist, title (case-insensitive) then num, and pages with totals', () => {
    const rows = [
      catalog.insertTrack(newTrack({ artist: 'beta', title: 'b' })),
      catalog.insertTrack(newTrack({ artist: 'Alpha', title: 'z' })),
      catalog.insertTrack(newTrack({ artist: 'alpha', title: 'A' })),
      catalog.insertTrack(newTrack({ artist: 'Beta', title: 'b' })),
      catalog.insertTrack(newTrack({ artist: null, title: 'untagged' })),
    ];
    const all = catalog.listTracks({ page: 1, perPage: 10 });
    expect(all.total).toBe(5);
    expect(all.items.map((r) => r.num)).toEqual([rows[4], rows[2], rows[1], rows[0], rows[3]].map((r) => r.num));

    const page2 = catalog.listTracks({ page: 2, perPage: 2 });
    expect(page2.total).toBe(5);
    expect(page2.items.map((r) => r.num)).toEqual([rows[1].num, rows[0].num]);
    const page3 = catalog.listTracks({ page: 3, perPage: 2 });
    expect(page3.items.map((r) => r.num)).toEqual([rows[3].num]);
    expect(catalog.listTracks({ page: 4, perPage: 2 })).toEqual({ items: [], total: 5 });
  });

  it('searches title, artist and album case-insensitively, with paging totals', () => {
    catalog.insertTrack(newTrack({ title: 'Hello World', artist: 'X', album: 'Y' }));
    catalog.insertTrack(newTrack({ title: 'Other', artist: 'The WORLD band', album: 'Y' }));
    catalog.insertTrack(newTrack({ title: 'Third', artist: 'Z', album: 'Around the world' }));
    catalog.insertTrack(newTrack({ title: 'Nope', artist: 'Z', album: 'Q' }));
    expect(catalog.listTracks({ search: 'world', page: 1, perPage: 10 }).total).toBe(3);
    const page = catalog.listTracks({ search: '  WORLD ', page: 2, perPage: 2 });
    expect(page.total).toBe(3);
    expect(page.items).toHaveLength(1);
    expect(catalog.listTracks({ search: '', page: 1, perPage: 10 }).total).toBe(4);
    expect(catalog.listTracks({ search: 'zzz', page: 1, perPage: 10 })).toEqual({ items: [], total: 0 });
  });

  it('treats % _ and \\ as plain text, never as wildcards', () => {
    catalog.insertTrack(newTrack({ title: '100% Pure' }));
    catalog.insertTrack(newTrack({ title: '1000 Pure' }));
    catalog.insertTrack(newTrack({ title: 'snake_case' }));
    catalog.insertTrack(newTrack({ title: 'snakeXcase' }));
    catalog.insertTrack(newTrack({ title: 'back\\slash' }));
    const titles = (search: string) => catalog.listTracks({ search, page: 1, perPage: 10 }).items.map((r) => r.title).sort();
    // A word is a prefix of an indexed word; % is punctuation, so '100%' is the prefix '100'.
    expect(titles('100%')).toEqual(['100% Pure', '1000 Pure']);
    // Punctuation splits a word into a phrase: 'snake_case' is "snake" followed by a word starting "case".
    expect(titles('snake_case')).toEqual(['snake_case']);
    expect(titles('k\\s')).toEqual([]);
    expect(titles('back\\sl')).toEqual(['back\\slash']);
    // Nothing but punctuation: the user is still typing, so everything is listed.
    expect(titles('%')).toHaveLength(5);
    expect(titles('_')).toHaveLength(5);
    expect(escapeLike('a%b_c\\d')).toBe('a\\%b\\_c\\\\d');
  });

  it('rejects bad paging arguments', () => {
    for (const q of [{ page: 0, perPage: 10 }, { page: 1, perPage: 0 }, { page: 1.5, perPage: 10 }, { page: 1, perPage: 100_000 }]) {
      const err = (() => { try { catalog.listTracks(q); } catch (e) { return e; } })();
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('invalid-argument');
    }
  });

  it('walks the artist/title index instead of sorting the table', () => {
    const plan = catalog.db
      .prepare(`EXPLAIN QUERY PLAN SELECT num FROM tracks ORDER BY artist COLLATE NOCASE, title COLLATE NOCASE, num LIMIT 50 OFFSET 100`)
      .all() as Array<{ detail: string }>;
    const details = plan.map((p) => p.detail).join(' | ');
    expect(details).toContain('tracks_artist_title');
    expect(details).not.toContain('TEMP B-TREE');
  });

  it('pages a 100k-track library quickly', () => {
    // Seeded in SQL: 100k insertTrack calls would test the loop, not the query.
    catalog.db.exec(`
      INSERT INTO tracks (id, title, artist, album, file_hash_sha256, file_size_bytes, file_path, file_mtime_ms,
        ingested_at, updated_at)
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)
      SELECT printf('id-%d', i), 'Song ' || i, 'Artist ' || (i % 997),
        CASE WHEN i % 10 = 0 THEN 'Best 50% Of' ELSE 'Album' END,
        printf('%064x', i), 1000, '/music/' || i || '.mp3', 1, 'now', 'now'
      FROM n`);
    const started = performance.now();
    const deep = catalog.listTracks({ page: 1500, perPage: 50 });
    const search = catalog.listTracks({ search: 'best 50%', page: 2, perPage: 50 });
    const elapsedMs = performance.now() - started;
    expect(deep.total).toBe(100_000);
    expect(deep.items).toHaveLength(50);
    expect(search.total).toBe(10_000);
    expect(search.items).toHaveLength(50);
    expect(elapsedMs).toBeLessThan(1000); // typically ~30 ms; generous for slow CI
  });
});

describe('listTracks search (FTS5, migration 0050)', () => {
  const find = (search: string, perPage = 100) => catalog.listTracks({ search, page: 1, perPage });
  const titles = (search: string) => find(search).items.map((r) => r.title).sort();

  it('finds by file name (of the primary file) and by format', () => {
    catalog.insertTrack(newTrack({ title: 'Tagged Title', filePath: '/music/Some Dir/07 Obscure_Name.flac', format: 'flac' }));
    catalog.insertTrack(newTrack({ title: 'Other', filePath: '/music/Some Dir/other.mp3', format: 'mp3' }));
    catalog.insertTrack(newTrack({ title: 'Windows', filePath: 'C:\\Music\\Far Away\\Windows Song.m4a', format: 'm4a' }));
    expect(titles('obscure')).toEqual(['Tagged Title']);
    expect(titles('Obscure_Na')).toEqual(['Tagged Title']);
    expect(titles('07 obsc')).toEqual(['Tagged Title']);
    expect(titles('flac')).toEqual(['Tagged Title']);
    expect(titles('FLAC')).toEqual(['Tagged Title']);
    expect(titles('m4a')).toEqual(['Windows']);
    expect(titles('song')).toEqual(['Windows']);
    // Only the file name: folders above it are not searched.
    expect(titles('dir')).toEqual([]);
    expect(titles('far')).toEqual([]);
  });

  it('matches each word as a prefix, ANDs the words, across fields', () => {
    catalog.insertTrack(newTrack({ title: 'Help!', artist: 'The Beatles', album: 'Help!' }));
    catalog.insertTrack(newTrack({ title: 'Yesterday', artist: 'The Beatles', album: 'Help!' }));
    catalog.insertTrack(newTrack({ title: 'Beat It', artist: 'Michael Jackson', album: 'Thriller' }));
    catalog.insertTrack(newTrack({ title: 'Heartbeats', artist: 'The Knife', album: 'Deep Cuts' }));
    expect(titles('beat')).toEqual(['Beat It', 'Help!', 'Yesterday']);
    expect(titles('beatles yes')).toEqual(['Yesterday']);
    expect(titles('THE bea YESTERDAY')).toEqual(['Yesterday']);
    expect(titles('thrill beat')).toEqual(['Beat It']);
    // Prefixes of words, not substrings: "eatles" is inside "Beatles", "beats" inside "Heartbeats".
    expect(titles('eatles')).toEqual([]);
    expect(titles('beats')).toEqual([]);
    expect(titles('beatles zzz')).toEqual([]);
  });

  it('is case- and accent-insensitive both ways', () => {
    catalog.insertTrack(newTrack({ title: 'Halo', artist: 'Beyoncé' }));
    catalog.insertTrack(newTrack({ title: 'Jóga', artist: 'Björk' }));
    catalog.insertTrack(newTrack({ title: 'Cafe\u0301 decomposed', artist: 'X' }));
    catalog.insertTrack(newTrack({ title: 'Привет мир', artist: 'Кино' }));
    expect(titles('beyonce')).toEqual(['Halo']);
    expect(titles('BEYONCÉ')).toEqual(['Halo']);
    expect(titles('bjork joga')).toEqual(['Jóga']);
    expect(titles('café')).toEqual(['Cafe\u0301 decomposed']);
    expect(titles('cafe')).toEqual(['Cafe\u0301 decomposed']);
    expect(titles('ПРИВ')).toEqual(['Привет мир']);
  });

  it('finds CJK by a prefix of a run of characters, and emoji/symbol-only text by substring', () => {
    catalog.insertTrack(newTrack({ title: '東京事変 群青日和', artist: '椎名林檎' }));
    catalog.insertTrack(newTrack({ title: '🎵 Love Song 🎵', artist: 'Emoji Band' }));
    catalog.insertTrack(newTrack({ title: 'Plain', artist: 'Band', filePath: '/music/♪ notes ♪.mp3' }));
    catalog.insertTrack(newTrack({ title: '!!!', artist: 'Chk Chk Chk' }));
    expect(titles('東京')).toEqual(['東京事変 群青日和']);
    expect(titles('群青')).toEqual(['東京事変 群青日和']);
    expect(titles('椎名')).toEqual(['東京事変 群青日和']);
    // unicode61 does not split CJK into words: the middle of a run is not found (documented in migration 0050).
    expect(titles('事変')).toEqual([]);
    // Emoji and symbols are not indexed; text made only of them falls back to a substring match.
    expect(titles('🎵')).toEqual(['🎵 Love Song 🎵']);
    expect(titles('♪')).toEqual(['Plain']);
    expect(titles('🎸')).toEqual([]);
    // Mixed with words, the symbols are ignored and the words searched.
    expect(titles('🎵 love')).toEqual(['🎵 Love Song 🎵']);
    // Only punctuation lists everything (even though one title is nothing but punctuation).
    expect(find('!!!').total).toBe(4);
  });

  it('never throws on FTS5 syntax, quotes, operators or odd characters in the query', () => {
    catalog.insertTrack(newTrack({ title: 'Andromeda', artist: 'Gorillaz' }));
    catalog.insertTrack(newTrack({ title: 'Nearly There', artist: 'Someone' }));
    catalog.insertTrack(newTrack({ title: 'Title Track', artist: 'Help Me' }));
    catalog.insertTrack(newTrack({ title: 'AC/DC Live', artist: 'AC/DC' }));
    const nasty = [
      'AND', 'OR', 'NOT', 'and or not', 'a AND', 'AND b', 'NEAR(', 'NEAR(a b', 'NEAR(a b, 2)', '"', '""', '"""',
      '"unclosed', 'close"', '*', '**', 'a*', '*a', '-', '-beatles', '--', ':', 'title:', 'title:help', ':help',
      '{title artist}: x', '^', '^title', '(', ')', '(a OR b)', '+', 'a + b', '\\', "'", "'; DROP TABLE tracks; --",
      '\u0000', 'a\u0000b', '\u0301', '\u200d', ' \t\n ', 'x'.repeat(5000), '"a" "b"', 'AC/DC', 'rowid', 'tracks_fts',
      'MATCH', 'a:b:c', '%', '_', '🎵"*', '東京"*', '[', ']', '{', '}', '.', '..', '/', '$', '€',
    ];
    for (const search of nasty) {
      const result = catalog.listTracks({ search, page: 1, perPage: 10 });
      expect(Number.isInteger(result.total), search).toBe(true);
      expect(result.items.length, search).toBe(Math.min(result.total, 10));
      catalog.listTracks({ search, page: 3, perPage: 1 });
    }
    // Operators are plain words, prefixes like any other.
    expect(titles('AND')).toEqual(['Andromeda']);
    expect(titles('NEAR(')).toEqual(['Nearly There']);
    expect(titles('"andro"')).toEqual(['Andromeda']);
    expect(titles('-gorillaz')).toEqual(['Andromeda']);
    expect(titles('title:help')).toEqual([]);
    expect(titles('AC/DC')).toEqual(['AC/DC Live']);
    expect(titles('"')).toHaveLength(4);
    expect(titles('  -  :  *  ')).toHaveLength(4);
  });

  it('follows a move/rename, a retag and a delete', () => {
    const row = catalog.insertTrack(newTrack({ title: 'Original Title', artist: 'Old Artist', filePath: '/music/first-name.mp3' }));
    catalog.insertTrack(newTrack({ title: 'Bystander', artist: 'Someone', filePath: '/music/bystander.mp3' }));
    expect(titles('first')).toEqual(['Original Title']);

    catalog.updateTrackFile(row.num, { path: '/elsewhere/renamed-file.mp3', sizeBytes: 1, mtimeMs: 2 });
    expect(titles('renamed')).toEqual(['Original Title']);
    expect(titles('first')).toEqual([]);
    // A touch (same path, new mtime/size) keeps it findable.
    catalog.updateTrackFile(row.num, { path: '/elsewhere/renamed-file.mp3', sizeBytes: 3, mtimeMs: 4 });
    expect(titles('renamed')).toEqual(['Original Title']);

    catalog.updateTrackMetadata(row.num, { title: 'Brand New Title', artist: 'Fresh Artist', format: 'flac' });
    expect(titles('brand new')).toEqual(['Brand New Title']);
    expect(titles('fresh')).toEqual(['Brand New Title']);
    expect(titles('flac')).toEqual(['Brand New Title']);
    expect(titles('original')).toEqual([]);
    expect(titles('old artist')).toEqual([]);
    // Status updates do not disturb the index.
    catalog.setFingerprintStatus(row.num, 'indexed', 1, 10);
    catalog.setEmbeddingStatus(row.num, 'indexed', 'm', 3);
    expect(titles('brand')).toEqual(['Brand New Title']);

    expect(catalog.deleteTrack(row.num)).toBe(true);
    expect(find('brand')).toEqual({ items: [], total: 0 });
    expect(find('renamed')).toEqual({ items: [], total: 0 });
    expect(titles('bystander')).toEqual(['Bystander']);
    expect(catalog.db.prepare(`SELECT COUNT(*) FROM tracks_fts`).pluck().get()).toBe(1);
    catalog.db.prepare(`INSERT INTO tracks_fts (tracks_fts) VALUES ('integrity-check')`).run();
  });

  it('keeps the list order and paging, with few and with many matches', () => {
    // 2600 tracks, 2500 of them "common": more than the sort-the-matches plan takes, so the artist/title index is
    // walked; 100 "rare" ones take the other plan; 52 have an emoji (the LIKE fallback). All must page exactly like
    // the unfiltered list, filtered.
    catalog.db.exec(`
      INSERT INTO tracks (id, title, artist, album, file_hash_sha256, file_size_bytes, file_path, file_mtime_ms,
        ingested_at, updated_at)
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2599)
      SELECT printf('id-%d', i), CASE i % 7 WHEN 0 THEN 'song ' ELSE 'Song ' END || (i % 13) || CASE WHEN i % 50 = 0 THEN ' 🎵' ELSE '' END,
        CASE WHEN i % 5 = 0 THEN NULL ELSE 'Artist ' || (i % 31) END,
        CASE WHEN i % 26 = 0 THEN 'Rare' ELSE 'Common' END,
        printf('%064x', i), 1000, '/music/' || i || '.mp3', 1, 'now', 'now'
      FROM n`);
    const all = [1, 2, 3].flatMap((page) => catalog.listTracks({ page, perPage: 1000 }).items);
    expect(all).toHaveLength(2600);
    const cases: Array<[string, (r: (typeof all)[number]) => boolean]> = [
      ['common', (r) => r.album === 'Common'],
      ['rare', (r) => r.album === 'Rare'],
      ['🎵', (r) => r.title.includes('🎵')],
    ];
    for (const [search, wanted] of cases) {
      const expected = all.filter(wanted).map((r) => r.num);
      expect(expected.length).toBeGreaterThan(0);
      const got: number[] = [];
      for (let page = 1; ; page++) {
        const result = catalog.listTracks({ search, page, perPage: 37 });
        expect(result.total).toBe(expected.length);
        if (result.items.length === 0) break;
        got.push(...result.items.map((r) => r.num));
      }
      expect(got).toEqual(expected);
    }
    expect(catalog.listTracks({ search: 'common', page: 1000, perPage: 50 })).toEqual({ items: [], total: 2500 });
  });
});

describe('files', () => {
  it('upserts, reads, lists by folder, and deletes', () => {
    const folder = catalog.addFolder('/music');
    const t = catalog.insertTrack(newTrack({ filePath: '/music/a.mp3' }));
    catalog.upsertFile(fileRow({ path: '/music/b.mp3', folderId: folder.id, trackNum: t.num, status: 'duplicate' }));
    catalog.upsertFile(fileRow({ path: '/music/a.mp3', folderId: folder.id, trackNum: t.num, sizeBytes: 5, mtimeMs: 1.5 }));
    expect(catalog.getFile('/music/a.mp3')).toEqual(fileRow({ path: '/music/a.mp3', folderId: folder.id, trackNum: t.num, sizeBytes: 5, mtimeMs: 1.5 }));

    catalog.upsertFile(fileRow({ path: '/music/a.mp3', folderId: folder.id, trackNum: t.num, sizeBytes: 6, mtimeMs: 2 }));
    expect(catalog.getFile('/music/a.mp3')).toMatchObject({ sizeBytes: 6, mtimeMs: 2 });
    expect(catalog.listFilesByFolder(folder.id).map((f) => f.path)).toEqual(['/music/a.mp3', '/music/b.mp3']);
    expect(catalog.listFilesByFolder(999 as FolderId)).toEqual([]);

    expect(catalog.deleteFile('/music/b.mp3')).toBe(true);
    expect(catalog.deleteFile('/music/b.mp3')).toBe(false);
    expect(catalog.getFile('/music/b.mp3')).toBeUndefined();
  });

  it('lists a track’s duplicates and files; deleting the track unlinks them', () => {
    const t = catalog.insertTrack(newTrack({ filePath: '/m/orig.mp3' }));
    const other = catalog.insertTrack(newTrack());
    catalog.upsertFile(fileRow({ path: '/m/orig.mp3', trackNum: t.num, status: 'track' }));
    catalog.upsertFile(fileRow({ path: '/m/z-copy.mp3', trackNum: t.num, status: 'duplicate' }));
    catalog.upsertFile(fileRow({ path: '/m/a-copy.mp3', trackNum: t.num, status: 'duplicate' }));
    catalog.upsertFile(fileRow({ path: '/m/other.mp3', trackNum: other.num, status: 'track' }));

    expect(catalog.duplicatePathsOf(t.num)).toEqual(['/m/a-copy.mp3', '/m/z-copy.mp3']);
    expect(catalog.duplicatePathsOf(other.num)).toEqual([]);
    expect(catalog.filesOfTrack(t.num).map((f) => [f.path, f.status])).toEqual([
      ['/m/orig.mp3', 'track'],
      ['/m/a-copy.mp3', 'duplicate'],
      ['/m/z-copy.mp3', 'duplicate'],
    ]);

    catalog.deleteTrack(t.num);
    expect(catalog.getFile('/m/a-copy.mp3')?.trackNum).toBeNull();
    expect(catalog.filesOfTrack(t.num)).toEqual([]);
  });

  it('lists failed files newest first with paging, and counts by status', () => {
    catalog.upsertFile(fileRow({ path: '/m/ok.mp3', status: 'track' }));
    catalog.upsertFile(fileRow({ path: '/m/dup.mp3', status: 'duplicate' }));
    catalog.upsertFile(fileRow({ path: '/m/old.wav', status: 'failed', errorCode: 'decode-failed', errorDetail: 'bad header', seenAt: '2025-01-01T00:00:00.000Z' }));
    catalog.upsertFile(fileRow({ path: '/m/new.xyz', status: 'failed', errorCode: 'unsupported-format', seenAt: '2025-02-01T00:00:00.000Z' }));
    catalog.upsertFile(fileRow({ path: '/m/mid.ogg', status: 'failed', errorCode: 'permission-denied', seenAt: '2025-01-15T00:00:00.000Z' }));

    expect(catalog.listFailedFiles(10, 0).map((f) => f.path)).toEqual(['/m/new.xyz', '/m/mid.ogg', '/m/old.wav']);
    expect(catalog.listFailedFiles(1, 1).map((f) => f.path)).toEqual(['/m/mid.ogg']);
    expect(catalog.countFilesByStatus()).toEqual({ track: 1, duplicate: 1, failed: 3 });

    const old = catalog.getFile('/m/old.wav')!;
    expect(toFailedFile(old)).toEqual({ path: '/m/old.wav', error: { code: 'decode-failed', detail: 'bad header' }, at: '2025-01-01T00:00:00.000Z' });
    expect(toFailedFile(catalog.getFile('/m/new.xyz')!).error).toEqual({ code: 'unsupported-format' });

    // A file that later succeeds stops being listed as failed.
    catalog.upsertFile(fileRow({ path: '/m/old.wav', status: 'track' }));
    expect(catalog.countFilesByStatus()).toEqual({ track: 2, duplicate: 1, failed: 2 });
  });
});

describe('contract mapping', () => {
  it('maps rows to TrackSummary and TrackDetail', () => {
    const row = catalog.insertTrack(newTrack({ discNumber: 2, trackNumber: 5 }));
    catalog.setFingerprintStatus(row.num, 'indexed', 1, 99);
    const fresh = catalog.getTrackByNum(row.num)!;
    expect(toTrackSummary(fresh)).toEqual({
      id: row.id, title: row.title, artist: 'Artist', album: 'Album', durationSeconds: 180.5,
      format: 'mp3', filePath: row.filePath, discNumber: 2, trackNumber: 5,
    });
    const detail = toTrackDetail(fresh, ['/copy.mp3']);
    expect(detail).toMatchObject({
      id: row.id, sampleRateHz: 44100, channelCount: 2, bitrate: 320000, fileHashSha256: row.fileHashSha256,
      fingerprintStatus: 'indexed', fingerprintVersion: 1, landmarkCount: 99, embeddingStatus: 'none',
      duplicatePaths: ['/copy.mp3'],
    });
    expect(detail).not.toHaveProperty('num');
  });
});
