// Tests for the catalog's track listing on a migrated ':memory:' database: the default order and paging, the
// full-text search (migration 0050) with its LIKE fallback, and the plans that keep a page an index walk however
// large the library. Sorts and filters by artist/album are in catalogBrowse.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { newTrack } from '../testing/catalogRows.js';
import { type Catalog, escapeLike } from './catalog.js';
import { openCatalog } from './openCatalog.js';
import { LIST_TRACKS_SQL, SEARCH_FEW_TRACKS_SQL, SEARCH_MANY_TRACKS_SQL } from './trackListing.js';

let catalog: Catalog;
beforeEach(() => {
  catalog = openCatalog(':memory:');
});
afterEach(() => catalog.close());

/** The query plan SQLite picks for a statement, one step per line. */
function planOf(sql: string, params: Record<string, unknown>): string {
  const steps = catalog.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>;
  return steps.map((s) => s.detail).join('\n');
}

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
    const titles = (search: string) =>
      catalog
        .listTracks({ search, page: 1, perPage: 10 })
        .items.map((r) => r.title)
        .sort();
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
    for (const q of [
      { page: 0, perPage: 10 },
      { page: 1, perPage: 0 },
      { page: 1.5, perPage: 10 },
      { page: 1, perPage: 100_000 },
    ]) {
      const err = (() => {
        try {
          catalog.listTracks(q);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('invalid-argument');
    }
  });

  it('reads a page of the list and of a search by walking indexes, never by sorting the table', () => {
    const page = { limit: 50, offset: 100 };
    const list = planOf(LIST_TRACKS_SQL, page);
    expect(list).toMatch(/SCAN tracks USING INDEX tracks_artist_title/);
    expect(list).not.toContain('TEMP B-TREE');
    // Many matches: the same index walk, keeping the rows the full-text index matched.
    const many = planOf(SEARCH_MANY_TRACKS_SQL, { ...page, match: '"best"*' });
    expect(many).toMatch(/SCAN tracks USING INDEX tracks_artist_title/);
    expect(many).toMatch(/tracks_fts VIRTUAL TABLE/);
    expect(many).not.toContain('TEMP B-TREE');
    // Few matches: each looked up by its number (then the few are sorted), never a pass over the table.
    const few = planOf(SEARCH_FEW_TRACKS_SQL, { ...page, match: '"rare"*' });
    expect(few).toMatch(/SEARCH tracks USING INTEGER PRIMARY KEY/);
    expect(few).not.toMatch(/SCAN tracks\b/);
  });

  it('pages a 20k-track library: a page deep in the list, and a search matching 2k tracks', () => {
    // Seeded in SQL: 20k insertTrack calls would test the loop, not the query. (Timings at 100k: bench/catalogSearchBench.ts.)
    catalog.db.exec(`
      INSERT INTO tracks (id, title, artist, album, file_hash_sha256, file_size_bytes, file_path, file_mtime_ms,
        ingested_at, updated_at)
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999)
      SELECT printf('id-%d', i), 'Song ' || i, 'Artist ' || (i % 997),
        CASE WHEN i % 10 = 0 THEN 'Best 50% Of' ELSE 'Album' END,
        printf('%064x', i), 1000, '/music/' || i || '.mp3', 1, 'now', 'now'
      FROM n`);
    // The list order (artist, title, case-insensitive; all ASCII here), worked out apart from SQL.
    const artist = Array.from({ length: 20_000 }, (_, i) => `artist ${i % 997}`);
    const title = Array.from({ length: 20_000 }, (_, i) => `song ${i}`);
    const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    const order = Array.from({ length: 20_000 }, (_, i) => i).sort((a, b) => compare(artist[a], artist[b]) || compare(title[a], title[b]) || a - b);
    const deep = catalog.listTracks({ page: 300, perPage: 50 });
    expect(deep.total).toBe(20_000);
    expect(deep.items.map((r) => r.id)).toEqual(order.slice(299 * 50, 300 * 50).map((i) => `id-${i}`));
    const search = catalog.listTracks({ search: 'best 50%', page: 2, perPage: 50 });
    expect(search.total).toBe(2_000);
    const best = order.filter((i) => i % 10 === 0);
    expect(search.items.map((r) => r.id)).toEqual(best.slice(50, 100).map((i) => `id-${i}`));
  });
});

describe('listTracks search (FTS5, migration 0050)', () => {
  const find = (search: string, perPage = 100) => catalog.listTracks({ search, page: 1, perPage });
  const titles = (search: string) =>
    find(search)
      .items.map((r) => r.title)
      .sort();

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
      'AND',
      'OR',
      'NOT',
      'and or not',
      'a AND',
      'AND b',
      'NEAR(',
      'NEAR(a b',
      'NEAR(a b, 2)',
      '"',
      '""',
      '"""',
      '"unclosed',
      'close"',
      '*',
      '**',
      'a*',
      '*a',
      '-',
      '-beatles',
      '--',
      ':',
      'title:',
      'title:help',
      ':help',
      '{title artist}: x',
      '^',
      '^title',
      '(',
      ')',
      '(a OR b)',
      '+',
      'a + b',
      '\\',
      "'",
      "'; DROP TABLE tracks; --",
      '\u0000',
      'a\u0000b',
      '\u0301',
      '\u200d',
      ' \t\n ',
      'x'.repeat(5000),
      '"a" "b"',
      'AC/DC',
      'rowid',
      'tracks_fts',
      'MATCH',
      'a:b:c',
      '%',
      '_',
      '🎵"*',
      '東京"*',
      '[',
      ']',
      '{',
      '}',
      '.',
      '..',
      '/',
      '$',
      '€',
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
