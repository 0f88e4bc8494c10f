// Tests for browsing the catalog (migration 0060): the sort whitelist (every key, both directions, stable paging,
// an index walk for each), artist and album filters with and without a search, and the Albums and Artists views.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRACK_SORT_KEYS } from '../../../src-preload/contract/library.js';
import { browseListing, groupAlbums, groupArtists, positionInListing, sortTracks } from '../../../src-preload/contract/trackBrowse.js';
import { AppError } from '../errors.js';
import { type Catalog, type NewTrack, TRACK_ORDERS } from './catalog.js';
import { openCatalog } from './openCatalog.js';

let catalog: Catalog;
let clockMs: number;
beforeEach(() => {
  clockMs = Date.parse('2025-03-01T10:00:00.000Z');
  catalog = openCatalog(':memory:', { now: () => new Date((clockMs += 1000)) });
});
afterEach(() => catalog.close());

let seq = 0;
function add(overrides: Partial<NewTrack>): number {
  seq++;
  return catalog.insertTrack({
    title: `T${seq}`,
    artist: 'Artist',
    album: null,
    durationSeconds: 100,
    format: 'mp3',
    fileHashSha256: seq.toString(16).padStart(64, '0'),
    fileSizeBytes: 1000,
    filePath: `/music/${seq}.mp3`,
    fileMtimeMs: 1,
    ...overrides,
  }).num;
}

const titles = (query: Parameters<Catalog['listTracks']>[0]) => catalog.listTracks(query).items.map((t) => t.title);

/** A small library: two artists, a two-disc album, a compilation with an album artist, an untagged file. */
function seed(): void {
  add({ title: 'Song C', artist: 'Zed', album: 'Two Discs', discNumber: 2, trackNumber: 1, durationSeconds: 200, format: 'flac' });
  add({ title: 'Song A', artist: 'Zed', album: 'Two Discs', discNumber: 1, trackNumber: 2, durationSeconds: 50, format: 'mp3' });
  add({ title: 'Song B', artist: 'Zed', album: 'two discs', discNumber: 1, trackNumber: 1, durationSeconds: 300, format: 'ogg' });
  add({ title: 'alpha', artist: 'Abba', album: 'Hits', trackNumber: 1, durationSeconds: 120, format: 'mp3' });
  add({ title: 'Various One', artist: 'Someone', album: 'Compilation', albumArtist: 'Various', trackNumber: 2, durationSeconds: 10, format: 'wav' });
  add({ title: 'Various Two', artist: 'Else', album: 'Compilation', albumArtist: 'Various', trackNumber: 1, durationSeconds: 20, format: 'wav' });
  add({ title: 'untagged', artist: null, album: null, durationSeconds: 30, format: 'mp3' });
}

describe('listTracks sort', () => {
  it('sorts by every whitelisted key, ascending and descending (the exact reverse)', () => {
    seed();
    const q = (sort: (typeof TRACK_SORT_KEYS)[number], direction: 'asc' | 'desc' = 'asc') => titles({ page: 1, perPage: 50, sort, direction });
    expect(q('title')).toEqual(['alpha', 'Song A', 'Song B', 'Song C', 'untagged', 'Various One', 'Various Two']);
    // Album order: by album, then disc, then track (case-insensitive album names are one album); no album first.
    expect(q('album')).toEqual(['untagged', 'Various Two', 'Various One', 'Alpha'.toLowerCase(), 'Song B', 'Song A', 'Song C']);
    expect(q('duration')).toEqual(['Various One', 'Various Two', 'untagged', 'Song A', 'alpha', 'Song C', 'Song B']);
    expect(q('format')).toEqual(['Song C', 'untagged', 'alpha', 'Song A', 'Song B', 'Various Two', 'Various One']);
    expect(q('added')).toEqual(['Song C', 'Song A', 'Song B', 'alpha', 'Various One', 'Various Two', 'untagged']);
    expect(q('artist')).toEqual(['untagged', 'alpha', 'Various Two', 'Various One', 'Song A', 'Song B', 'Song C']);
    for (const key of TRACK_SORT_KEYS) expect(q(key, 'desc')).toEqual(q(key).reverse());
  });

  it('breaks ties by track number, so pages never repeat or skip a row', () => {
    for (let i = 0; i < 25; i++) add({ title: 'Same', artist: 'Same', album: 'Same', durationSeconds: 60 });
    for (const sort of TRACK_SORT_KEYS) {
      for (const direction of ['asc', 'desc'] as const) {
        const whole = catalog.listTracks({ page: 1, perPage: 25, sort, direction }).items.map((t) => t.num);
        const paged = [1, 2, 3, 4].flatMap((page) => catalog.listTracks({ page, perPage: 7, sort, direction }).items.map((t) => t.num));
        expect(paged).toEqual(whole);
        expect(whole).toEqual([...whole].sort((a, b) => (direction === 'asc' ? a - b : b - a)));
      }
    }
  });

  it('refuses a sort key or direction outside the whitelist (never reaches SQL)', () => {
    for (const query of [{ sort: 'title; DROP TABLE tracks' }, { sort: 'toString' }, { direction: 'sideways' }]) {
      const err = (() => {
        try {
          catalog.listTracks({ page: 1, perPage: 5, ...(query as object) });
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('invalid-argument');
    }
    expect(catalog.countTracks()).toBe(0);
  });

  it('walks an index for every sort key and direction instead of sorting the table', () => {
    for (const key of TRACK_SORT_KEYS) {
      for (const dir of ['', ' DESC']) {
        const order = TRACK_ORDERS[key].map((t) => t + dir).join(', ');
        const plan = catalog.db.prepare(`EXPLAIN QUERY PLAN SELECT num FROM tracks ORDER BY ${order} LIMIT 50 OFFSET 100`).all() as Array<{ detail: string }>;
        const details = plan.map((p) => p.detail).join(' | ');
        expect(details, `${key}${dir}`).not.toContain('TEMP B-TREE');
      }
    }
  });
});

describe('listTracks filters', () => {
  it('lists one album in disc and track order, one artist, and combines a filter with a search', () => {
    seed();
    expect(titles({ page: 1, perPage: 50, sort: 'album', album: 'TWO DISCS' })).toEqual(['Song B', 'Song A', 'Song C']);
    expect(titles({ page: 1, perPage: 50, sort: 'album', album: 'Compilation', albumArtist: 'Various' })).toEqual(['Various Two', 'Various One']);
    expect(titles({ page: 1, perPage: 50, album: 'Compilation', albumArtist: 'Someone' })).toEqual([]);
    expect(titles({ page: 1, perPage: 50, sort: 'title', artist: 'zed' })).toEqual(['Song A', 'Song B', 'Song C']);
    const searched = catalog.listTracks({ page: 1, perPage: 50, sort: 'album', album: 'Two Discs', search: 'song c' });
    expect(searched.total).toBe(1);
    expect(searched.items.map((t) => t.title)).toEqual(['Song C']);
    expect(catalog.listTracks({ page: 1, perPage: 2, artist: 'Zed', sort: 'title' }).total).toBe(3);
    expect(catalog.listTracks({ page: 9, perPage: 2, artist: 'Zed', sort: 'title' })).toEqual({ items: [], total: 3 });
    // The emoji fallback (LIKE) with a sort.
    add({ title: 'Party 🎉', artist: 'Zed', album: 'Two Discs', trackNumber: 9, discNumber: 2 });
    expect(titles({ page: 1, perPage: 50, sort: 'title', direction: 'desc', search: '🎉' })).toEqual(['Party 🎉']);
  });
});

describe('listAlbums / listArtists', () => {
  it('groups albums by name and album artist, with counts, length and the first track by disc and number', () => {
    seed();
    const { items, total } = catalog.listAlbums({ page: 1, perPage: 10 });
    expect(total).toBe(3);
    const byName = (name: string) => items.find((a) => a.album.toLowerCase() === name.toLowerCase())!;
    expect(items.map((a) => a.album.toLowerCase())).toEqual(['compilation', 'hits', 'two discs']);
    expect(byName('Two Discs')).toMatchObject({ albumArtist: 'Zed', trackCount: 3, durationSeconds: 550 });
    expect(catalog.getTrackById(byName('Two Discs').coverTrackId)!.title).toBe('Song B'); // disc 1, track 1
    expect(byName('Compilation')).toMatchObject({ albumArtist: 'Various', trackCount: 2 });
    expect(catalog.getTrackById(byName('Compilation').coverTrackId)!.title).toBe('Various Two');
    expect(catalog.listAlbums({ page: 2, perPage: 2 }).items.map((a) => a.album.toLowerCase())).toEqual(['two discs']);
  });

  it('keeps same-named albums of different artists apart', () => {
    add({ title: 'x', artist: 'One', album: 'Greatest Hits' });
    add({ title: 'y', artist: 'Two', album: 'Greatest Hits' });
    add({ title: 'z', artist: null, album: 'Greatest Hits' });
    const { items } = catalog.listAlbums({ page: 1, perPage: 10 });
    expect(items.map((a) => [a.album, a.albumArtist, a.trackCount])).toEqual([
      ['Greatest Hits', null, 1],
      ['Greatest Hits', 'One', 1],
      ['Greatest Hits', 'Two', 1],
    ]);
    expect(titles({ page: 1, perPage: 10, album: 'Greatest Hits', albumArtist: null })).toEqual(['z']);
  });

  it('lists artists with track and album counts and a cover track from their first album', () => {
    seed();
    const { items, total } = catalog.listArtists({ page: 1, perPage: 10 });
    expect(total).toBe(4);
    expect(items.map((a) => [a.artist, a.trackCount, a.albumCount])).toEqual([
      ['Abba', 1, 1],
      ['Else', 1, 1],
      ['Someone', 1, 1],
      ['Zed', 3, 1],
    ]);
    expect(catalog.getTrackById(items[3].coverTrackId)!.title).toBe('Song B');
  });

  it('groups a 20k-track library (8000 albums) in one pass and pages it', () => {
    catalog.db.exec(`
      INSERT INTO tracks (id, title, artist, album, track_number, file_hash_sha256, file_size_bytes, file_path,
        file_mtime_ms, ingested_at, updated_at)
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999)
      SELECT printf('id-%d', i), 'Song ' || i, 'Artist ' || (i % 8000 % 997), 'Album ' || (i % 8000), 1 + i / 8000,
        printf('%064x', i), 1000, '/music/' || i || '.mp3', 1, 'now', 'now'
      FROM n`);
    const albums = catalog.listAlbums({ page: 40, perPage: 100 });
    expect(albums.total).toBe(8000);
    expect(albums.items).toHaveLength(100);
    expect(catalog.listArtists({ page: 1, perPage: 100 }).total).toBe(997);
    const one = catalog.listTracks({ page: 1, perPage: 100, sort: 'album', album: 'Album 7', albumArtist: 'Artist 7' });
    expect(one.items.map((t) => t.trackNumber)).toEqual(one.items.map((t) => t.trackNumber).sort((a, b) => a! - b!));
    expect(one.total).toBeGreaterThan(0);
  });
});

describe('trackPosition', () => {
  type Listing = Omit<Parameters<Catalog['listTracks']>[0], 'page' | 'perPage'>;
  /** Every track's position in a listing is its row in listTracks' answer; the others have none. */
  function expectPositionsMatch(listing: Listing): void {
    const rows = catalog.listTracks({ page: 1, perPage: 500, ...listing }).items;
    const listed = new Set(rows.map((t) => t.id));
    rows.forEach((t, i) => expect(catalog.trackPosition({ ...listing, trackId: t.id }), `${JSON.stringify(listing)} ${t.title}`).toBe(i));
    for (const t of catalog.listTracks({ page: 1, perPage: 500 }).items) {
      if (!listed.has(t.id)) expect(catalog.trackPosition({ ...listing, trackId: t.id }), `${JSON.stringify(listing)} ${t.title}`).toBeNull();
    }
  }

  it('gives each track its row for every sort key and direction, NULL tags included', () => {
    seed();
    add({ title: 'SONG a', artist: 'zed', album: 'two DISCS', discNumber: 1, trackNumber: 2, durationSeconds: 50, format: 'mp3' });
    add({ title: 'No Disc', artist: 'Zed', album: 'Two Discs', discNumber: null, trackNumber: 3 });
    add({ title: 'No Number', artist: null, album: 'Hits', trackNumber: null });
    for (const sort of TRACK_SORT_KEYS) {
      for (const direction of ['asc', 'desc'] as const) expectPositionsMatch({ sort, direction });
    }
    expectPositionsMatch({});
  });

  it('counts within a filter and within the tracks a search matches (full-text and the symbol fallback)', () => {
    seed();
    add({ title: 'Party 🎉', artist: 'Zed', album: 'Two Discs', trackNumber: 9, discNumber: 2 });
    add({ title: 'Song D 🎉', artist: 'Abba', album: 'Hits', trackNumber: 2 });
    const listings: Listing[] = [
      { sort: 'album', album: 'two discs' },
      { sort: 'album', album: 'Compilation', albumArtist: 'Various' },
      { sort: 'title', direction: 'desc', artist: 'ZED' },
      { search: 'song' },
      { search: 'song', sort: 'duration', direction: 'desc' },
      { search: 'song', sort: 'album', album: 'Two Discs' },
      { search: '🎉' },
      { search: '🎉', sort: 'format', direction: 'desc' },
      { search: 'nothing-matches-this' },
    ];
    for (const listing of listings) expectPositionsMatch(listing);
    const songC = catalog.listTracks({ page: 1, perPage: 50, search: 'song c' }).items[0];
    expect(catalog.trackPosition({ trackId: songC.id, search: 'song', sort: 'title' })).toBe(2);
    expect(catalog.trackPosition({ trackId: songC.id, search: 'alpha' })).toBeNull();
    expect(catalog.trackPosition({ trackId: songC.id, artist: 'Abba' })).toBeNull();
  });

  it('breaks ties by track number, as the list does', () => {
    const nums = Array.from({ length: 12 }, () => add({ title: 'Same', artist: 'Same', album: 'Same', durationSeconds: 60 }));
    const ids = nums.map((num) => catalog.getTrackByNum(num)!.id);
    for (const sort of TRACK_SORT_KEYS) {
      expect(ids.map((trackId) => catalog.trackPosition({ trackId, sort }))).toEqual(ids.map((_, i) => i));
      expect(ids.map((trackId) => catalog.trackPosition({ trackId, sort, direction: 'desc' }))).toEqual(ids.map((_, i) => ids.length - 1 - i));
    }
  });

  it('answers null for a track not in the library, and refuses a sort outside the whitelist', () => {
    seed();
    expect(catalog.trackPosition({ trackId: '00000000-0000-4000-8000-000000000000' })).toBeNull();
    expect(() => catalog.trackPosition({ trackId: 'x', sort: 'title; DROP TABLE tracks' as 'title' })).toThrow(AppError);
    expect(() => catalog.trackPosition({ trackId: 'x', direction: 'up' as 'asc' })).toThrow(AppError);
  });

  it('finds a track anywhere in a 20k-track library, in every order, with a filter and a search', () => {
    catalog.db.exec(`
      INSERT INTO tracks (id, title, artist, album, disc_number, track_number, duration_seconds, format, file_hash_sha256,
        file_size_bytes, file_path, file_mtime_ms, ingested_at, updated_at)
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999)
      SELECT printf('id-%d', i), 'Song ' || (i % 5000), CASE WHEN i % 101 = 0 THEN NULL ELSE 'Artist ' || (i % 997) END,
        CASE WHEN i % 89 = 0 THEN NULL ELSE 'Album ' || (i % 8000) END, CASE WHEN i % 3 = 0 THEN NULL ELSE 1 + i % 2 END,
        1 + i / 8000, (i * 7919) % 600, CASE i % 3 WHEN 0 THEN 'mp3' WHEN 1 THEN 'flac' ELSE 'ogg' END, printf('%064x', i),
        1000, '/music/' || i || '.mp3', 1, printf('2025-01-01T00:%05d', i % 10000), 'now'
      FROM n`);
    const perPage = 100;
    const listings: Listing[] = [
      {},
      { sort: 'title', direction: 'desc' },
      { sort: 'album' },
      { sort: 'album', direction: 'desc' },
      { sort: 'duration' },
      { sort: 'format', direction: 'desc' },
      { sort: 'added' },
      { search: 'song', sort: 'artist', direction: 'desc' },
      { artist: 'Artist 5', sort: 'album' },
    ];
    for (const trackId of ['id-0', 'id-4242', 'id-10100', 'id-19999']) {
      for (const listing of listings) {
        const position = catalog.trackPosition({ ...listing, trackId });
        const where = `${trackId} ${JSON.stringify(listing)}`;
        if (listing.artist !== undefined && catalog.getTrackById(trackId)!.artist !== listing.artist) {
          expect(position, where).toBeNull();
          continue;
        }
        expect(position, where).not.toBeNull();
        const page = catalog.listTracks({ ...listing, page: Math.floor(position! / perPage) + 1, perPage });
        expect(page.items[position! % perPage]?.id, where).toBe(trackId);
      }
    }
    expect(catalog.trackPosition({ trackId: 'id-20000' })).toBeNull();
  });
});

describe('the fakes browse as the catalog does (src-preload/contract/trackBrowse.ts)', () => {
  it('same order for every key and direction, same filters, same groups', () => {
    seed();
    add({ title: 'Song A', artist: 'zed', album: 'Hits', discNumber: 1, trackNumber: 1, durationSeconds: 50 });
    add({ title: 'Lonely', artist: 'Nobody', album: null, durationSeconds: 50 });
    const inserted = [...catalog.listTracks({ page: 1, perPage: 100, sort: 'added' }).items];
    const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);
    for (const sort of TRACK_SORT_KEYS) {
      for (const direction of ['asc', 'desc'] as const) {
        expect(ids(sortTracks(inserted, sort, direction)), `${sort} ${direction}`).toEqual(
          ids(catalog.listTracks({ page: 1, perPage: 100, sort, direction }).items),
        );
      }
    }
    expect(groupAlbums(inserted)).toEqual(catalog.listAlbums({ page: 1, perPage: 100 }).items);
    // trackPosition: the fakes' row in their listing is the catalog's position.
    for (const listing of [
      { sort: 'album' as const },
      { sort: 'title' as const, direction: 'desc' as const, artist: 'zed' },
      { sort: 'album' as const, album: 'Compilation', albumArtist: 'Various' },
    ]) {
      for (const t of inserted) {
        expect(positionInListing(browseListing(inserted, listing), t.id), `${t.title} ${JSON.stringify(listing)}`).toBe(
          catalog.trackPosition({ ...listing, trackId: t.id }),
        );
      }
    }
    expect(groupArtists(inserted)).toEqual(catalog.listArtists({ page: 1, perPage: 100 }).items);
  });
});
