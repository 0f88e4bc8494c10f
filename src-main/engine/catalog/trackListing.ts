// Reading the library as lists: a page of tracks (sorted by a whitelisted key, filtered by artist or album, searched
// through the full-text index of migration 0050), where one track stands in such a list, and the Albums and Artists
// views. SQL is assembled only from whitelisted pieces; statements are prepared once (or once per shape) on the
// catalog's connection. Not thread-safe.
import type { Database, Statement } from 'better-sqlite3';
import type { AlbumSummary, ArtistSummary, SortDirection, TrackSortKey } from '../../../src-preload/contract/library.js';
import { AppError } from '../errors.js';
import { TRACK_COLUMNS, type TrackRow } from './catalogRows.js';
import type { TrackTable } from './trackTable.js';
import { readSnapshot } from './transactions.js';
import { planTrackSearch } from './trackSearch.js';

export interface TrackListQuery {
  /**
   * Words (whitespace-separated), each a prefix of a word in the title, artist, album, file name (of the primary
   * file) or format, all ANDed; case- and accent-insensitive. Never a syntax error: see planTrackSearch.
   */
  readonly search?: string;
  /** 1-based. */
  readonly page: number;
  /** 1..MAX_PER_PAGE. */
  readonly perPage: number;
  /** Default 'artist' (artist, title). One of the whitelist in TRACK_ORDERS, never SQL from outside. */
  readonly sort?: TrackSortKey;
  /** Default 'asc'; 'desc' reverses every key, the tiebreak included. */
  readonly direction?: SortDirection;
  /** Only this artist's tracks (case-insensitive, exact). */
  readonly artist?: string;
  /** Only this album's tracks (case-insensitive, exact)... */
  readonly album?: string;
  /** ...by this album artist (the track artist where untagged; null: neither tagged). Only with album. */
  readonly albumArtist?: string | null;
}

/** trackPosition's question: a track and the listing (as for listTracks, without the page) to find it in. */
export type TrackPositionQuery = Omit<TrackListQuery, 'page' | 'perPage'> & { readonly trackId: string };

/** A page of the Albums or Artists view. */
export interface GroupQuery {
  readonly page: number;
  readonly perPage: number;
}

export interface TrackList {
  readonly items: TrackRow[];
  /** Rows matching the search over all pages. */
  readonly total: number;
}

export const MAX_PER_PAGE = 1000;

const TRACK_ORDER = `ORDER BY artist COLLATE NOCASE, title COLLATE NOCASE, num`;
/**
 * The sort whitelist: each key's ORDER BY terms (ascending), ending in num, the stable tiebreak. Each has an index
 * with the same leading terms (migrations 0010 and 0060), so a page is an index walk, never a sort of the table.
 * 'desc' reverses every term, which SQLite walks backwards.
 */
export const TRACK_ORDERS: Readonly<Record<TrackSortKey, readonly string[]>> = Object.freeze({
  artist: ['artist COLLATE NOCASE', 'title COLLATE NOCASE', 'num'],
  title: ['title COLLATE NOCASE', 'artist COLLATE NOCASE', 'num'],
  album: ['album COLLATE NOCASE', 'disc_number', 'track_number', 'title COLLATE NOCASE', 'num'],
  duration: ['duration_seconds', 'num'],
  format: ['format', 'artist COLLATE NOCASE', 'title COLLATE NOCASE', 'num'],
  added: ['ingested_at', 'num'],
});
/** The album-artist key the Albums view groups by (indexed by tracks_album_group, migration 0060). */
const ALBUM_ARTIST_KEY = `coalesce(album_artist, artist, '')`;
/** Track numbers whose row in the full-text index (migration 0050) matches @match. */
const FTS_MATCH = `SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH @match`;
/**
 * A search page is read one of two ways, picked by how many tracks match (the index counts them cheaply):
 * - few: look each match up by num and sort them (cost grows with the matches, not the library);
 * - many: walk the artist/title index in list order, keeping the rows in the match set, until the page is full
 *   (cost grows with how far into the list the page lies; at worst one pass over the index, never a sort of
 *   tens of thousands of rows).
 * Either way the order is TRACK_ORDER, as for the unfiltered list.
 */
const SORT_MATCHES_UP_TO = 2000;
/** The file name (last path component, after '/' or '\') of tracks.file_path, as migration 0050 indexes it. */
const FILE_NAME_SQL = `substr(file_path, length(rtrim(file_path, replace(replace(file_path, '/', ''), '\\', ''))) + 1)`;
/**
 * The fallback for text the tokenizer cannot index (emoji, symbols): a substring of the same fields. One pass over
 * the table (NOT INDEXED) lists every matching num in list order, which gives the total and the page at once; a
 * LIKE '%...%' can use no index anyway. The file-name expression runs only where the whole path matches.
 */
const LIKE_CONDITION = `${['title', 'artist', 'album', 'format'].map((column) => `${column} LIKE @pattern ESCAPE '\\'`).join(' OR ')}
  OR (file_path LIKE @pattern ESCAPE '\\' AND ${FILE_NAME_SQL} LIKE @pattern ESCAPE '\\')`;
const LIKE_WHERE = `WHERE ${LIKE_CONDITION}`;
/** ORDER BY for a whitelisted key; 'desc' reverses every term (the tiebreak too, so SQLite walks the index backwards). */
function orderBySql(sort: TrackSortKey, direction: SortDirection): string {
  const terms = TRACK_ORDERS[sort];
  return `ORDER BY ${terms.map((term) => (direction === 'desc' ? `${term} DESC` : term)).join(', ')}`;
}
/** The sort terms whose column may be NULL (they sort first ascending); the rest are NOT NULL (migration 0010). */
const TRACK_NULLABLE: ReadonlySet<string> = new Set(['artist COLLATE NOCASE', 'album COLLATE NOCASE', 'disc_number', 'track_number']);
/** The WHERE terms (and their parameters) of a listing's filter and search: whitelisted SQL pieces only. */
function listingWhere(
  query: Pick<TrackListQuery, 'artist' | 'album' | 'albumArtist'>,
  plan: ReturnType<typeof planTrackSearch>,
): { where: string[]; params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (query.artist !== undefined) {
    where.push('artist = @artist COLLATE NOCASE');
    params.artist = query.artist;
  }
  if (query.album !== undefined) {
    where.push('album = @album COLLATE NOCASE');
    params.album = query.album;
    if (query.albumArtist !== undefined) {
      where.push(`${ALBUM_ARTIST_KEY} = @albumArtist COLLATE NOCASE`);
      params.albumArtist = query.albumArtist ?? '';
    }
  }
  if (plan.kind === 'fts') {
    where.push(`num IN (${FTS_MATCH})`);
    params.match = plan.match;
  } else if (plan.kind === 'like') {
    where.push(`(${LIKE_CONDITION})`);
    params.pattern = plan.pattern;
  }
  return { where, params };
}
/** Albums, one row per album name and album-artist key (case-insensitive); a page of them with their first track. */
const ALBUM_GROUPS = `SELECT album COLLATE NOCASE AS album, ${ALBUM_ARTIST_KEY} COLLATE NOCASE AS artistKey
  FROM tracks WHERE album IS NOT NULL GROUP BY 1, 2`;
const ARTIST_GROUPS = `SELECT artist COLLATE NOCASE AS artist FROM tracks WHERE artist IS NOT NULL GROUP BY 1`;
/** The default listing's page (artist, title): a walk of the tracks_artist_title index. Exported for the plan tests. */
export const LIST_TRACKS_SQL = `SELECT ${TRACK_COLUMNS} FROM tracks ${TRACK_ORDER} LIMIT @limit OFFSET @offset`;
/** A search page with few matches (see SORT_MATCHES_UP_TO): each match looked up by num, then sorted. */
export const SEARCH_FEW_TRACKS_SQL = `
  SELECT ${TRACK_COLUMNS} FROM (${FTS_MATCH}) AS hit CROSS JOIN tracks ON tracks.num = hit.rowid
  ${TRACK_ORDER} LIMIT @limit OFFSET @offset`;
/** A search page with many matches: the artist/title index walked in list order, keeping the matches. */
export const SEARCH_MANY_TRACKS_SQL = `
  SELECT ${TRACK_COLUMNS} FROM tracks INDEXED BY tracks_artist_title WHERE num IN (${FTS_MATCH})
  ${TRACK_ORDER} LIMIT @limit OFFSET @offset`;

export class TrackListing {
  /** Statements built from whitelisted pieces (sort key, direction, which filters), by their SQL. */
  private readonly builtStatements = new Map<string, Statement>();
  private readonly stmt: {
    listTracks: Statement<{ limit: number; offset: number }, TrackRow>;
    searchFewTracks: Statement<{ match: string; limit: number; offset: number }, TrackRow>;
    searchManyTracks: Statement<{ match: string; limit: number; offset: number }, TrackRow>;
    countSearch: Statement<{ match: string }, number>;
    searchNumsLike: Statement<{ pattern: string }, number>;
    listAlbums: Statement<{ limit: number; offset: number }, AlbumSummary>;
    countAlbums: Statement<[], number>;
    listArtists: Statement<{ limit: number; offset: number }, ArtistSummary>;
    countArtists: Statement<[], number>;
  };

  constructor(
    private readonly db: Database,
    private readonly tracks: TrackTable,
  ) {
    this.stmt = {
      listTracks: db.prepare(LIST_TRACKS_SQL),
      searchFewTracks: db.prepare(SEARCH_FEW_TRACKS_SQL),
      searchManyTracks: db.prepare(SEARCH_MANY_TRACKS_SQL),
      // The index holds exactly one row per track (the triggers of migration 0050), so it counts alone.
      countSearch: db.prepare<{ match: string }, number>(`SELECT COUNT(*) FROM tracks_fts WHERE tracks_fts MATCH @match`).pluck(),
      searchNumsLike: db.prepare<{ pattern: string }, number>(`SELECT num FROM tracks NOT INDEXED ${LIKE_WHERE} ${TRACK_ORDER}`).pluck(),
      // GROUP BY walks tracks_album_group / tracks_artist_title; the first track is looked up for the page only.
      listAlbums: db.prepare(`
        WITH g AS (
          SELECT album COLLATE NOCASE AS album, ${ALBUM_ARTIST_KEY} COLLATE NOCASE AS artistKey,
            COUNT(*) AS trackCount, TOTAL(duration_seconds) AS durationSeconds
          FROM tracks WHERE album IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2 LIMIT @limit OFFSET @offset)
        SELECT g.album, nullif(g.artistKey, '') AS albumArtist, g.trackCount, g.durationSeconds,
          (SELECT t.id FROM tracks t WHERE t.album = g.album COLLATE NOCASE
             AND coalesce(t.album_artist, t.artist, '') = g.artistKey COLLATE NOCASE
           ORDER BY t.disc_number, t.track_number, t.title COLLATE NOCASE, t.num LIMIT 1) AS coverTrackId
        FROM g`),
      countAlbums: db.prepare<[], number>(`SELECT COUNT(*) FROM (${ALBUM_GROUPS})`).pluck(),
      listArtists: db.prepare(`
        WITH g AS (
          SELECT artist COLLATE NOCASE AS artist, COUNT(*) AS trackCount,
            COUNT(DISTINCT album COLLATE NOCASE) AS albumCount
          FROM tracks WHERE artist IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT @limit OFFSET @offset)
        SELECT g.artist, g.trackCount, g.albumCount,
          (SELECT t.id FROM tracks t WHERE t.artist = g.artist COLLATE NOCASE
           ORDER BY t.album IS NULL, t.album COLLATE NOCASE, t.disc_number, t.track_number, t.title COLLATE NOCASE, t.num LIMIT 1) AS coverTrackId
        FROM g`),
      countArtists: db.prepare<[], number>(`SELECT COUNT(*) FROM (${ARTIST_GROUPS})`).pluck(),
    };
  }

  /**
   * One page of the library (or of the tracks the search matches, of one artist or of one album), in the order of
   * `sort` (default: artist, title, case-insensitive), then num.
   */
  listTracks(query: TrackListQuery): TrackList {
    const { page, perPage } = query;
    checkPaging(page, perPage);
    const sort = query.sort ?? 'artist';
    const direction = query.direction ?? 'asc';
    if (!Object.hasOwn(TRACK_ORDERS, sort)) throw new AppError('invalid-argument', `unknown sort key: ${String(sort)}`);
    if (direction !== 'asc' && direction !== 'desc') throw new AppError('invalid-argument', `direction must be asc or desc: ${String(direction)}`);
    const limit = perPage;
    const offset = (page - 1) * perPage;
    const plan = planTrackSearch(query.search);
    if (sort !== 'artist' || direction !== 'asc' || query.artist !== undefined || query.album !== undefined) {
      return this.listTracksBy(query, plan, orderBySql(sort, direction), limit, offset);
    }
    switch (plan.kind) {
      case 'all':
        return readSnapshot(this.db, () => ({
          items: this.stmt.listTracks.all({ limit, offset }),
          total: this.tracks.count(),
        }));
      case 'fts': {
        const { match } = plan;
        return readSnapshot(this.db, () => {
          const total = this.stmt.countSearch.get({ match })!;
          if (offset >= total) return { items: [], total };
          const search = total <= SORT_MATCHES_UP_TO ? this.stmt.searchFewTracks : this.stmt.searchManyTracks;
          return { items: search.all({ match, limit, offset }), total };
        });
      }
      case 'like': {
        const { pattern } = plan;
        return readSnapshot(this.db, () => {
          const nums = this.stmt.searchNumsLike.all({ pattern });
          const pageNums = nums.slice(offset, offset + limit);
          const rows = this.tracks.getByNums(pageNums);
          return { items: pageNums.map((num) => rows.get(num)!), total: nums.length };
        });
      }
    }
  }

  /** The Albums view: one row per album (name and album artist, case-insensitive), by name then artist. */
  listAlbums(query: GroupQuery): { items: AlbumSummary[]; total: number } {
    checkPaging(query.page, query.perPage);
    return readSnapshot(this.db, () => ({
      items: this.stmt.listAlbums.all({ limit: query.perPage, offset: (query.page - 1) * query.perPage }),
      total: this.stmt.countAlbums.get()!,
    }));
  }

  /** The Artists view: one row per track artist (case-insensitive), by name. */
  listArtists(query: GroupQuery): { items: ArtistSummary[]; total: number } {
    checkPaging(query.page, query.perPage);
    return readSnapshot(this.db, () => ({
      items: this.stmt.listArtists.all({ limit: query.perPage, offset: (query.page - 1) * query.perPage }),
      total: this.stmt.countArtists.get()!,
    }));
  }

  /** listTracks with a sort other than the default or a filter: SQL assembled from whitelisted pieces only. */
  private listTracksBy(query: TrackListQuery, plan: ReturnType<typeof planTrackSearch>, orderBy: string, limit: number, offset: number): TrackList {
    const { where, params } = listingWhere(query, plan);
    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const list = this.built(`SELECT ${TRACK_COLUMNS} FROM tracks ${whereSql} ${orderBy} LIMIT @limit OFFSET @offset`) as Statement<
      Record<string, unknown>,
      TrackRow
    >;
    const count = this.built(`SELECT COUNT(*) FROM tracks ${whereSql}`) as Statement<Record<string, unknown>, number>;
    return readSnapshot(this.db, () => {
      const total = count.pluck().get(params)!;
      if (offset >= total) return { items: [], total };
      return { items: list.all({ ...params, limit, offset }), total };
    });
  }

  /**
   * Where `trackId` stands (0-based) in the listing listTracks gives for the same sort, direction, filter and search,
   * or null when the track is not in it (filtered out, not matching, or unknown). Counts the rows before it: for
   * terms t1..tk (the sort key's, ending in num) and the track's values v1..vk, a row comes first when it equals the
   * track on t1..t(i-1) and comes before it on ti, for some i. Those cases are disjoint, so each is counted on its
   * own as an equality prefix plus one range (an index range over the key's index, migrations 0010 and 0060), and
   * NULLs (first ascending, last descending, as ORDER BY puts them) are a case of their own, never a comparison.
   * With a search the rows counted are those of the match set.
   */
  trackPosition(query: TrackPositionQuery): number | null {
    const sort = query.sort ?? 'artist';
    const direction = query.direction ?? 'asc';
    if (!Object.hasOwn(TRACK_ORDERS, sort)) throw new AppError('invalid-argument', `unknown sort key: ${String(sort)}`);
    if (direction !== 'asc' && direction !== 'desc') throw new AppError('invalid-argument', `direction must be asc or desc: ${String(direction)}`);
    const terms = TRACK_ORDERS[sort];
    const plan = planTrackSearch(query.search);
    const { where, params } = listingWhere(query, plan);
    const filterSql = where.map((w) => ` AND ${w}`).join('');
    const target = this.built(`SELECT ${terms.map((term, i) => `${term} AS k${i}`).join(', ')} FROM tracks WHERE id = @trackId${filterSql}`) as Statement<
      Record<string, unknown>,
      Record<string, string | number | null>
    >;
    return readSnapshot(this.db, () => {
      const row = target.get({ ...params, trackId: query.trackId });
      if (!row) return null;
      const values = terms.map((_, i) => row[`k${i}`] ?? null);
      const cases: string[] = [];
      const keyParams: Record<string, string | number> = {};
      for (let i = 0; i < terms.length; i++) {
        const prefix = terms.slice(0, i).map((term, j) => (values[j] === null ? `${term} IS NULL` : `${term} = @k${j}`));
        const v = values[i];
        const before =
          direction === 'asc'
            ? v === null
              ? []
              : TRACK_NULLABLE.has(terms[i])
                ? [`${terms[i]} IS NULL`, `${terms[i]} < @k${i}`]
                : [`${terms[i]} < @k${i}`]
            : v === null
              ? [`${terms[i]} IS NOT NULL`]
              : [`${terms[i]} > @k${i}`];
        for (const b of before) cases.push([...prefix, b].join(' AND '));
        if (v !== null) keyParams[`k${i}`] = v;
      }
      // num is never NULL, so there is always at least one case. Without a search each case is one index range;
      // with one, a single pass over the match set (the full-text index answers it once, not once per case).
      const sql =
        plan.kind === 'all'
          ? `SELECT ${cases.map((c) => `(SELECT COUNT(*) FROM tracks WHERE ${c}${filterSql})`).join(' + ')}`
          : `SELECT COUNT(*) FROM tracks WHERE (${cases.map((c) => `(${c})`).join(' OR ')})${filterSql}`;
      const count = this.built(sql) as Statement<Record<string, unknown>, number>;
      return count.pluck().get({ ...params, ...keyParams })!;
    });
  }

  private built(sql: string): Statement {
    let statement = this.builtStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.builtStatements.set(sql, statement);
    }
    return statement;
  }
}

function checkPaging(page: number, perPage: number): void {
  if (!Number.isSafeInteger(page) || page < 1) throw new AppError('invalid-argument', `page must be >= 1: ${page}`);
  if (!Number.isSafeInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    throw new AppError('invalid-argument', `perPage must be 1..${MAX_PER_PAGE}: ${perPage}`);
  }
}
