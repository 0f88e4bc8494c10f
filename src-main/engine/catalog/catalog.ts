// The catalog: typed, synchronous queries over the migrated SQLite file (folders, tracks, files).
// Owns one better-sqlite3 connection; statements are prepared once. Not thread-safe: one owner per handle.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type {
  AppErrorCode,
  EmbeddingStatus,
  FailedFile,
  FingerprintStatus,
  AlbumSummary,
  ArtistSummary,
  FolderId,
  SortDirection,
  TrackDetail,
  TrackId,
  TrackSortKey,
  TrackSummary,
} from '../../../src-preload/contract/library.js';
import { AppError } from '../errors.js';
import { escapeLike, planTrackSearch } from './trackSearch.js';

export { escapeLike };

export interface FolderRow {
  readonly id: FolderId;
  /** Absolute path as the user added it. */
  readonly path: string;
  /** ISO 8601. */
  readonly addedAt: string;
  /** ISO 8601, or null before the first finished scan. */
  readonly lastScanAt: string | null;
}

export interface TrackRow {
  /** Internal number, never reused (AUTOINCREMENT); the landmark store's key. */
  readonly num: number;
  readonly id: TrackId;
  readonly title: string;
  readonly artist: string | null;
  readonly album: string | null;
  /** The album artist tag (migration 0060); null when untagged. */
  readonly albumArtist: string | null;
  /** 1-based, as tagged; null when untagged or not read yet (tagsVersion 0). */
  readonly discNumber: number | null;
  /** 1-based within the disc, as tagged. */
  readonly trackNumber: number | null;
  /** Which tag reader filled the tags (readTags' TAGS_VERSION); 0: before migration 0060, read them again. */
  readonly tagsVersion: number;
  readonly durationSeconds: number;
  /** Column sample_rate. */
  readonly sampleRateHz: number | null;
  /** Column channels. */
  readonly channelCount: number | null;
  /** Bits per second. */
  readonly bitrate: number | null;
  readonly format: string;
  readonly fileHashSha256: string;
  readonly fileSizeBytes: number;
  readonly filePath: string;
  /** As fs.Stats.mtimeMs gave it (may be fractional; stored and returned exactly). */
  readonly fileMtimeMs: number;
  readonly fingerprintStatus: FingerprintStatus;
  readonly fingerprintVersion: number | null;
  readonly landmarkCount: number;
  readonly embeddingModel: string | null;
  readonly embeddingDim: number | null;
  readonly embeddingStatus: EmbeddingStatus;
  /** ISO 8601. */
  readonly ingestedAt: string;
  /** ISO 8601. */
  readonly updatedAt: string;
}

/** Tags and stream facts a scan read; blank strings count as missing. */
export interface TrackTags {
  /** Null/blank falls back to the file name without its extension. */
  readonly title?: string | null;
  readonly artist?: string | null;
  readonly album?: string | null;
  readonly albumArtist?: string | null;
  /** Positive integers; anything else is stored as null. */
  readonly discNumber?: number | null;
  readonly trackNumber?: number | null;
  /** Set when every tag above was read (a scan's probe): records which tag reader did it. */
  readonly tagsVersion?: number;
  readonly durationSeconds?: number;
  readonly sampleRateHz?: number | null;
  readonly channelCount?: number | null;
  readonly bitrate?: number | null;
  readonly format?: string;
}

export interface NewTrack extends TrackTags {
  /** Lowercase hex SHA-256 of the whole file; unique across the catalog. */
  readonly fileHashSha256: string;
  readonly fileSizeBytes: number;
  readonly filePath: string;
  readonly fileMtimeMs: number;
}

export interface TrackFileUpdate {
  readonly path: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  /** Set when the bytes changed too (e.g. re-tagged in place) and the track keeps its id. */
  readonly fileHashSha256?: string;
}

export type FileStatus = 'track' | 'duplicate' | 'failed';

export interface FileRow {
  /** Absolute path; primary key. */
  readonly path: string;
  /** Null for a file outside any watched folder (e.g. a one-off import). */
  readonly folderId: FolderId | null;
  /** The track this file holds (status track/duplicate); null for failures or after the track was deleted. */
  readonly trackNum: number | null;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly status: FileStatus;
  readonly errorCode: AppErrorCode | null;
  readonly errorDetail: string | null;
  /** ISO 8601: when a scan last looked at this file. */
  readonly seenAt: string;
}

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

export interface CatalogOptions {
  /** Clock for ingested_at/updated_at/added_at; tests pin it. */
  readonly now?: () => Date;
}

export const MAX_PER_PAGE = 1000;
/** Bound parameters per IN (...) chunk, well under SQLite's variable limit. */
const IN_CHUNK_SIZE = 500;

const TRACK_COLUMNS = `
  num, id, title, artist, album, album_artist AS albumArtist, disc_number AS discNumber, track_number AS trackNumber,
  tags_version AS tagsVersion,
  duration_seconds AS durationSeconds, sample_rate AS sampleRateHz, channels AS channelCount, bitrate, format,
  file_hash_sha256 AS fileHashSha256, file_size_bytes AS fileSizeBytes, file_path AS filePath,
  file_mtime_ms AS fileMtimeMs, fingerprint_status AS fingerprintStatus, fingerprint_version AS fingerprintVersion,
  landmark_count AS landmarkCount, embedding_model AS embeddingModel, embedding_dim AS embeddingDim,
  embedding_status AS embeddingStatus, ingested_at AS ingestedAt, updated_at AS updatedAt`;

const FOLDER_COLUMNS = `id, path, added_at AS addedAt, last_scan_at AS lastScanAt`;

const FILE_COLUMNS = `
  path, folder_id AS folderId, track_num AS trackNum, size_bytes AS sizeBytes, mtime_ms AS mtimeMs, status,
  error_code AS errorCode, error_detail AS errorDetail, seen_at AS seenAt`;

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

export class Catalog {
  /** The underlying connection, for migrations, integrity checks and tests. Prefer the methods. */
  readonly db: Database;
  private readonly now: () => Date;
  private readonly inChunkStatements = new Map<number, Statement<number[], TrackRow>>();
  /** Statements built from whitelisted pieces (sort key, direction, which filters), by their SQL. */
  private readonly builtStatements = new Map<string, Statement>();

  private readonly stmt: {
    addFolder: Statement<{ path: string; addedAt: string }>;
    getFolderByPath: Statement<[string], FolderRow>;
    getFolderById: Statement<[number], FolderRow>;
    listFolders: Statement<[], FolderRow>;
    removeFolder: Statement<[number]>;
    markFolderScanned: Statement<[string, number]>;

    insertTrack: Statement<Record<string, unknown>, TrackRow>;
    getTrackById: Statement<[string], TrackRow>;
    getTrackByNum: Statement<[number], TrackRow>;
    getTrackByHash: Statement<[string], TrackRow>;
    updateTrackFile: Statement<Record<string, unknown>, TrackRow>;
    updateTrackMetadata: Statement<Record<string, unknown>, TrackRow>;
    setFingerprintStatus: Statement<Record<string, unknown>, TrackRow>;
    setEmbeddingStatus: Statement<Record<string, unknown>, TrackRow>;
    deleteTrack: Statement<[number]>;
    listNumsByFingerprintStatus: Statement<[string], number>;
    listNumsByEmbeddingStatus: Statement<[string], number>;
    listTracks: Statement<{ limit: number; offset: number }, TrackRow>;
    searchFewTracks: Statement<{ match: string; limit: number; offset: number }, TrackRow>;
    searchManyTracks: Statement<{ match: string; limit: number; offset: number }, TrackRow>;
    countSearch: Statement<{ match: string }, number>;
    searchNumsLike: Statement<{ pattern: string }, number>;
    countTracks: Statement<[], number>;
    listAlbums: Statement<{ limit: number; offset: number }, AlbumSummary>;
    countAlbums: Statement<[], number>;
    listArtists: Statement<{ limit: number; offset: number }, ArtistSummary>;
    countArtists: Statement<[], number>;

    upsertFile: Statement<Record<string, unknown>>;
    getFile: Statement<[string], FileRow>;
    deleteFile: Statement<[string]>;
    listFilesByFolder: Statement<[number], FileRow>;
    listFailedFiles: Statement<[number, number], FileRow>;
    countFilesByStatus: Statement<[], { status: FileStatus; count: number }>;
    duplicatePathsOf: Statement<[number], string>;
    filesOfTrack: Statement<[number], FileRow>;
  };

  /** Wraps an open, already migrated connection (see openCatalog). Prepares every statement up front. */
  constructor(db: Database, options: CatalogOptions = {}) {
    this.db = db;
    this.now = options.now ?? (() => new Date());
    this.stmt = {
      addFolder: db.prepare(`INSERT INTO folders (path, added_at) VALUES (@path, @addedAt) ON CONFLICT (path) DO NOTHING`),
      getFolderByPath: db.prepare(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE path = ?`),
      getFolderById: db.prepare(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE id = ?`),
      listFolders: db.prepare(`SELECT ${FOLDER_COLUMNS} FROM folders ORDER BY path`),
      removeFolder: db.prepare(`DELETE FROM folders WHERE id = ?`),
      markFolderScanned: db.prepare(`UPDATE folders SET last_scan_at = ? WHERE id = ?`),

      insertTrack: db.prepare(`
        INSERT INTO tracks (id, title, artist, album, album_artist, disc_number, track_number, tags_version,
          duration_seconds, sample_rate, channels, bitrate, format,
          file_hash_sha256, file_size_bytes, file_path, file_mtime_ms, ingested_at, updated_at)
        VALUES (@id, @title, @artist, @album, @albumArtist, @discNumber, @trackNumber, @tagsVersion,
          @durationSeconds, @sampleRateHz, @channelCount, @bitrate, @format,
          @fileHashSha256, @fileSizeBytes, @filePath, @fileMtimeMs, @now, @now)
        RETURNING ${TRACK_COLUMNS}`),
      getTrackById: db.prepare(`SELECT ${TRACK_COLUMNS} FROM tracks WHERE id = ?`),
      getTrackByNum: db.prepare(`SELECT ${TRACK_COLUMNS} FROM tracks WHERE num = ?`),
      getTrackByHash: db.prepare(`SELECT ${TRACK_COLUMNS} FROM tracks WHERE file_hash_sha256 = ?`),
      updateTrackFile: db.prepare(`
        UPDATE tracks SET file_path = @path, file_size_bytes = @sizeBytes, file_mtime_ms = @mtimeMs,
          file_hash_sha256 = COALESCE(@fileHashSha256, file_hash_sha256), updated_at = @now
        WHERE num = @num RETURNING ${TRACK_COLUMNS}`),
      updateTrackMetadata: db.prepare(`
        UPDATE tracks SET title = @title, artist = @artist, album = @album, album_artist = @albumArtist,
          disc_number = @discNumber, track_number = @trackNumber, tags_version = @tagsVersion,
          duration_seconds = @durationSeconds,
          sample_rate = @sampleRateHz, channels = @channelCount, bitrate = @bitrate, format = @format, updated_at = @now
        WHERE num = @num RETURNING ${TRACK_COLUMNS}`),
      setFingerprintStatus: db.prepare(`
        UPDATE tracks SET fingerprint_status = @status, fingerprint_version = @version,
          landmark_count = @landmarkCount, updated_at = @now
        WHERE num = @num RETURNING ${TRACK_COLUMNS}`),
      setEmbeddingStatus: db.prepare(`
        UPDATE tracks SET embedding_status = @status, embedding_model = @model, embedding_dim = @dim, updated_at = @now
        WHERE num = @num RETURNING ${TRACK_COLUMNS}`),
      deleteTrack: db.prepare(`DELETE FROM tracks WHERE num = ?`),
      listNumsByFingerprintStatus: db.prepare<[string], number>(`SELECT num FROM tracks WHERE fingerprint_status = ? ORDER BY num`).pluck(),
      listNumsByEmbeddingStatus: db.prepare<[string], number>(`SELECT num FROM tracks WHERE embedding_status = ? ORDER BY num`).pluck(),
      listTracks: db.prepare(`SELECT ${TRACK_COLUMNS} FROM tracks ${TRACK_ORDER} LIMIT @limit OFFSET @offset`),
      searchFewTracks: db.prepare(`
        SELECT ${TRACK_COLUMNS} FROM (${FTS_MATCH}) AS hit CROSS JOIN tracks ON tracks.num = hit.rowid
        ${TRACK_ORDER} LIMIT @limit OFFSET @offset`),
      searchManyTracks: db.prepare(`
        SELECT ${TRACK_COLUMNS} FROM tracks INDEXED BY tracks_artist_title WHERE num IN (${FTS_MATCH})
        ${TRACK_ORDER} LIMIT @limit OFFSET @offset`),
      // The index holds exactly one row per track (the triggers of migration 0050), so it counts alone.
      countSearch: db.prepare<{ match: string }, number>(`SELECT COUNT(*) FROM tracks_fts WHERE tracks_fts MATCH @match`).pluck(),
      searchNumsLike: db.prepare<{ pattern: string }, number>(`SELECT num FROM tracks NOT INDEXED ${LIKE_WHERE} ${TRACK_ORDER}`).pluck(),
      countTracks: db.prepare<[], number>(`SELECT COUNT(*) FROM tracks`).pluck(),
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

      upsertFile: db.prepare(`
        INSERT INTO files (path, folder_id, track_num, size_bytes, mtime_ms, status, error_code, error_detail, seen_at)
        VALUES (@path, @folderId, @trackNum, @sizeBytes, @mtimeMs, @status, @errorCode, @errorDetail, @seenAt)
        ON CONFLICT (path) DO UPDATE SET folder_id = excluded.folder_id, track_num = excluded.track_num,
          size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, status = excluded.status,
          error_code = excluded.error_code, error_detail = excluded.error_detail, seen_at = excluded.seen_at`),
      getFile: db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE path = ?`),
      deleteFile: db.prepare(`DELETE FROM files WHERE path = ?`),
      listFilesByFolder: db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE folder_id = ? ORDER BY path`),
      listFailedFiles: db.prepare(
        `SELECT ${FILE_COLUMNS} FROM files WHERE status = 'failed' ORDER BY seen_at DESC, path LIMIT ? OFFSET ?`,
      ),
      countFilesByStatus: db.prepare(`SELECT status, COUNT(*) AS count FROM files GROUP BY status`),
      duplicatePathsOf: db.prepare<[number], string>(
        `SELECT path FROM files WHERE track_num = ? AND status = 'duplicate' ORDER BY path`,
      ).pluck(),
      filesOfTrack: db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE track_num = ? ORDER BY status DESC, path`),
    };
  }

  /**
   * Runs fn in one transaction (BEGIN IMMEDIATE on a writable handle); a throw rolls everything back.
   * Nested calls become savepoints.
   */
  transaction<T>(fn: () => T): T {
    const tx = this.db.transaction(fn);
    return this.db.readonly ? tx.deferred() : tx.immediate();
  }

  // ---- folders ----

  /** Adds a watched folder, or returns the existing row for the same path. */
  addFolder(folderPath: string): FolderRow {
    this.stmt.addFolder.run({ path: folderPath, addedAt: this.nowIso() });
    return this.stmt.getFolderByPath.get(folderPath)!;
  }

  /** Removes the folder and (cascade) its files rows; its tracks stay for the caller to delete. */
  removeFolder(id: FolderId): boolean {
    return this.stmt.removeFolder.run(id).changes > 0;
  }

  listFolders(): FolderRow[] {
    return this.stmt.listFolders.all();
  }

  getFolderByPath(folderPath: string): FolderRow | undefined {
    return this.stmt.getFolderByPath.get(folderPath);
  }

  getFolderById(id: FolderId): FolderRow | undefined {
    return this.stmt.getFolderById.get(id);
  }

  /** `iso`: ISO 8601 time the scan finished. */
  markFolderScanned(id: FolderId, iso: string): void {
    this.stmt.markFolderScanned.run(iso, id);
  }

  // ---- tracks ----

  /** Inserts a new track with a fresh UUID. Throws SQLITE_CONSTRAINT_UNIQUE if the hash is already catalogued. */
  insertTrack(input: NewTrack): TrackRow {
    return this.stmt.insertTrack.get({
      id: randomUUID(),
      title: titleOrFileName(input.title, input.filePath),
      artist: blankToNull(input.artist),
      album: blankToNull(input.album),
      albumArtist: blankToNull(input.albumArtist),
      discNumber: positiveIntegerOrNull(input.discNumber),
      trackNumber: positiveIntegerOrNull(input.trackNumber),
      tagsVersion: input.tagsVersion ?? 0,
      durationSeconds: input.durationSeconds ?? 0,
      sampleRateHz: input.sampleRateHz ?? null,
      channelCount: input.channelCount ?? null,
      bitrate: input.bitrate ?? null,
      format: input.format ?? '',
      fileHashSha256: input.fileHashSha256,
      fileSizeBytes: input.fileSizeBytes,
      filePath: input.filePath,
      fileMtimeMs: input.fileMtimeMs,
      now: this.nowIso(),
    })!;
  }

  getTrackById(id: TrackId | string): TrackRow | undefined {
    return this.stmt.getTrackById.get(id);
  }

  getTrackByNum(num: number): TrackRow | undefined {
    return this.stmt.getTrackByNum.get(num);
  }

  getTrackByHash(sha256: string): TrackRow | undefined {
    return this.stmt.getTrackByHash.get(sha256);
  }

  /** Looks up many tracks at once (e.g. match candidates); unknown numbers are simply absent from the map. */
  getTracksByNums(nums: readonly number[]): Map<number, TrackRow> {
    const unique = [...new Set(nums)];
    const found = new Map<number, TrackRow>();
    for (let start = 0; start < unique.length; start += IN_CHUNK_SIZE) {
      const chunk = unique.slice(start, start + IN_CHUNK_SIZE);
      for (const row of this.inChunkStatement(chunk.length).all(...chunk)) found.set(row.num, row);
    }
    return found;
  }

  /** Points the track at its file's new path/size/mtime (move, rename, touch); id and num stay. */
  updateTrackFile(num: number, file: TrackFileUpdate): TrackRow | undefined {
    return this.stmt.updateTrackFile.get({
      num,
      path: file.path,
      sizeBytes: file.sizeBytes,
      mtimeMs: file.mtimeMs,
      fileHashSha256: file.fileHashSha256 ?? null,
      now: this.nowIso(),
    });
  }

  /** Changes only the given tags; `undefined` keeps a field, `null` clears it (a cleared title falls back to the file name). */
  updateTrackMetadata(num: number, tags: TrackTags): TrackRow | undefined {
    return this.transaction(() => {
      const current = this.getTrackByNum(num);
      if (!current) return undefined;
      const pick = <K extends keyof TrackTags>(key: K, fallback: TrackTags[K]): TrackTags[K] =>
        tags[key] === undefined ? fallback : tags[key];
      return this.stmt.updateTrackMetadata.get({
        num,
        title: tags.title === undefined ? current.title : titleOrFileName(tags.title, current.filePath),
        artist: tags.artist === undefined ? current.artist : blankToNull(tags.artist),
        album: tags.album === undefined ? current.album : blankToNull(tags.album),
        albumArtist: tags.albumArtist === undefined ? current.albumArtist : blankToNull(tags.albumArtist),
        discNumber: tags.discNumber === undefined ? current.discNumber : positiveIntegerOrNull(tags.discNumber),
        trackNumber: tags.trackNumber === undefined ? current.trackNumber : positiveIntegerOrNull(tags.trackNumber),
        tagsVersion: tags.tagsVersion ?? current.tagsVersion,
        durationSeconds: pick('durationSeconds', current.durationSeconds),
        sampleRateHz: pick('sampleRateHz', current.sampleRateHz),
        channelCount: pick('channelCount', current.channelCount),
        bitrate: pick('bitrate', current.bitrate),
        format: pick('format', current.format),
        now: this.nowIso(),
      });
    });
  }

  /** Records the fingerprinting outcome; `version` is the fingerprint config version (null when failed/pending). */
  setFingerprintStatus(
    num: number,
    status: FingerprintStatus,
    version: number | null,
    landmarkCount: number,
  ): TrackRow | undefined {
    return this.stmt.setFingerprintStatus.get({ num, status, version, landmarkCount, now: this.nowIso() });
  }

  /** Records the embedding outcome; `model` is the model id, `dim` the vector length. */
  setEmbeddingStatus(
    num: number,
    status: EmbeddingStatus,
    model: string | null,
    dim: number | null,
  ): TrackRow | undefined {
    return this.stmt.setEmbeddingStatus.get({ num, status, model, dim, now: this.nowIso() });
  }

  /** Deletes the track; its files rows keep their path with track_num set to NULL. The num is never reused. */
  deleteTrack(num: number): boolean {
    return this.stmt.deleteTrack.run(num).changes > 0;
  }

  /** Track numbers in a fingerprint state, ascending (e.g. 'pending' after a crash, to resume). */
  listTrackNumsByFingerprintStatus(status: FingerprintStatus): number[] {
    return this.stmt.listNumsByFingerprintStatus.all(status);
  }

  listTrackNumsByEmbeddingStatus(status: EmbeddingStatus): number[] {
    return this.stmt.listNumsByEmbeddingStatus.all(status);
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
        return this.readSnapshot(() => ({
          items: this.stmt.listTracks.all({ limit, offset }),
          total: this.stmt.countTracks.get()!,
        }));
      case 'fts': {
        const { match } = plan;
        return this.readSnapshot(() => {
          const total = this.stmt.countSearch.get({ match })!;
          if (offset >= total) return { items: [], total };
          const search = total <= SORT_MATCHES_UP_TO ? this.stmt.searchFewTracks : this.stmt.searchManyTracks;
          return { items: search.all({ match, limit, offset }), total };
        });
      }
      case 'like': {
        const { pattern } = plan;
        return this.readSnapshot(() => {
          const nums = this.stmt.searchNumsLike.all({ pattern });
          const pageNums = nums.slice(offset, offset + limit);
          const rows = this.getTracksByNums(pageNums);
          return { items: pageNums.map((num) => rows.get(num)!), total: nums.length };
        });
      }
    }
  }

  countTracks(): number {
    return this.stmt.countTracks.get()!;
  }

  /** The Albums view: one row per album (name and album artist, case-insensitive), by name then artist. */
  listAlbums(query: GroupQuery): { items: AlbumSummary[]; total: number } {
    checkPaging(query.page, query.perPage);
    return this.readSnapshot(() => ({
      items: this.stmt.listAlbums.all({ limit: query.perPage, offset: (query.page - 1) * query.perPage }),
      total: this.stmt.countAlbums.get()!,
    }));
  }

  /** The Artists view: one row per track artist (case-insensitive), by name. */
  listArtists(query: GroupQuery): { items: ArtistSummary[]; total: number } {
    checkPaging(query.page, query.perPage);
    return this.readSnapshot(() => ({
      items: this.stmt.listArtists.all({ limit: query.perPage, offset: (query.page - 1) * query.perPage }),
      total: this.stmt.countArtists.get()!,
    }));
  }

  /** listTracks with a sort other than the default or a filter: SQL assembled from whitelisted pieces only. */
  private listTracksBy(query: TrackListQuery, plan: ReturnType<typeof planTrackSearch>, orderBy: string, limit: number, offset: number): TrackList {
    const { where, params } = listingWhere(query, plan);
    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const list = this.built(`SELECT ${TRACK_COLUMNS} FROM tracks ${whereSql} ${orderBy} LIMIT @limit OFFSET @offset`) as Statement<Record<string, unknown>, TrackRow>;
    const count = this.built(`SELECT COUNT(*) FROM tracks ${whereSql}`) as Statement<Record<string, unknown>, number>;
    return this.readSnapshot(() => {
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
    const target = this.built(
      `SELECT ${terms.map((term, i) => `${term} AS k${i}`).join(', ')} FROM tracks WHERE id = @trackId${filterSql}`,
    ) as Statement<Record<string, unknown>, Record<string, string | number | null>>;
    return this.readSnapshot(() => {
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

  // ---- files ----

  /** Inserts or replaces the row for row.path. */
  upsertFile(row: FileRow): void {
    this.stmt.upsertFile.run({ ...row });
  }

  getFile(filePath: string): FileRow | undefined {
    return this.stmt.getFile.get(filePath);
  }

  deleteFile(filePath: string): boolean {
    return this.stmt.deleteFile.run(filePath).changes > 0;
  }

  /** Every file a scan saw under the folder, by path. */
  listFilesByFolder(folderId: FolderId): FileRow[] {
    return this.stmt.listFilesByFolder.all(folderId);
  }

  /** Failed files, most recently seen first. */
  listFailedFiles(limit: number, offset = 0): FileRow[] {
    return this.stmt.listFailedFiles.all(limit, offset);
  }

  countFilesByStatus(): Record<FileStatus, number> {
    const counts: Record<FileStatus, number> = { track: 0, duplicate: 0, failed: 0 };
    for (const { status, count } of this.stmt.countFilesByStatus.all()) counts[status] = count;
    return counts;
  }

  /** Paths of byte-identical copies of the track (not its primary file), sorted. */
  duplicatePathsOf(trackNum: number): string[] {
    return this.stmt.duplicatePathsOf.all(trackNum);
  }

  /** All files rows pointing at the track: the primary ('track') first, then duplicates, each by path. */
  filesOfTrack(trackNum: number): FileRow[] {
    return this.stmt.filesOfTrack.all(trackNum);
  }

  /** Closes the connection (after letting SQLite refresh its planner statistics on a writable handle). */
  close(): void {
    if (!this.db.open) return;
    if (!this.db.readonly) {
      try {
        this.db.pragma('optimize');
      } catch {
        // Best effort: a damaged page met by the statistics refresh must not stop the close (the damage is reported
        // by the queries that meet it, and at the next open).
      }
    }
    this.db.close();
  }

  /** Page and total from one snapshot, without taking the write lock (a deferred transaction only reads). */
  private readSnapshot<T>(fn: () => T): T {
    return this.db.transaction(fn).deferred();
  }

  private nowIso(): string {
    return this.now().toISOString();
  }

  private inChunkStatement(size: number): Statement<number[], TrackRow> {
    let statement = this.inChunkStatements.get(size);
    if (!statement) {
      const placeholders = new Array<string>(size).fill('?').join(', ');
      statement = this.db.prepare<number[], TrackRow>(`SELECT ${TRACK_COLUMNS} FROM tracks WHERE num IN (${placeholders})`);
      this.inChunkStatements.set(size, statement);
    }
    return statement;
  }
}

// ---- mapping to the contract ----

export function toTrackSummary(row: TrackRow): TrackSummary {
  return {
    id: row.id,
    title: row.title,
    artist: row.artist,
    album: row.album,
    durationSeconds: row.durationSeconds,
    format: row.format,
    filePath: row.filePath,
    discNumber: row.discNumber,
    trackNumber: row.trackNumber,
  };
}

export function toTrackDetail(row: TrackRow, duplicatePaths: readonly string[]): TrackDetail {
  return {
    ...toTrackSummary(row),
    sampleRateHz: row.sampleRateHz,
    channelCount: row.channelCount,
    bitrate: row.bitrate,
    fileHashSha256: row.fileHashSha256,
    fileSizeBytes: row.fileSizeBytes,
    fileMtimeMs: row.fileMtimeMs,
    fingerprintStatus: row.fingerprintStatus,
    fingerprintVersion: row.fingerprintVersion,
    landmarkCount: row.landmarkCount,
    embeddingModel: row.embeddingModel,
    embeddingDim: row.embeddingDim,
    embeddingStatus: row.embeddingStatus,
    ingestedAt: row.ingestedAt,
    updatedAt: row.updatedAt,
    duplicatePaths: [...duplicatePaths],
  };
}

/** A 'failed' files row as the UI's FailedFile; a row without a code reads as 'internal'. */
export function toFailedFile(row: FileRow): FailedFile {
  const code = row.errorCode ?? 'internal';
  return {
    path: row.path,
    error: row.errorDetail === null ? { code } : { code, detail: row.errorDetail },
    at: row.seenAt,
  };
}

// ---- helpers ----

function checkPaging(page: number, perPage: number): void {
  if (!Number.isSafeInteger(page) || page < 1) throw new AppError('invalid-argument', `page must be >= 1: ${page}`);
  if (!Number.isSafeInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    throw new AppError('invalid-argument', `perPage must be 1..${MAX_PER_PAGE}: ${perPage}`);
  }
}

function positiveIntegerOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function titleOrFileName(title: string | null | undefined, filePath: string): string {
  const tagged = blankToNull(title);
  if (tagged !== null) return tagged;
  const base = path.basename(filePath);
  const stem = base.slice(0, base.length - path.extname(base).length);
  return stem.trim() || base;
}
