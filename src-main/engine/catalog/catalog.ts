// The catalog: typed, synchronous queries over the migrated SQLite file, one door over the table modules (folders,
// tracks, files, the listings, History, embeddings). Owns one better-sqlite3 connection; every statement is prepared
// by those modules on it. Not thread-safe: one owner per handle. No SQL is written outside catalog/.
import type { Database } from 'better-sqlite3';
import type { AlbumSummary, ArtistSummary, EmbeddingStatus, FingerprintStatus, FolderId, TrackId } from '../../../src-preload/contract/library.js';
import type { FileRow, FileStatus, FolderRow, NewTrack, TrackFileUpdate, TrackRow, TrackTags } from './catalogRows.js';
import { EmbeddingTable } from './embeddingTable.js';
import { FileTable } from './fileTable.js';
import { FolderTable } from './folderTable.js';
import { HistoryLog } from './history.js';
import { TrackListing, type GroupQuery, type TrackList, type TrackListQuery, type TrackPositionQuery } from './trackListing.js';
import { TrackTable } from './trackTable.js';
import { runTransaction } from './transactions.js';

export type { FileRow, FileStatus, FolderRow, NewTrack, TrackFileUpdate, TrackRow, TrackTags } from './catalogRows.js';
export { toFailedFile, toTrackDetail, toTrackSummary } from './catalogRows.js';
export { MAX_PER_PAGE, TRACK_ORDERS, type GroupQuery, type TrackList, type TrackListQuery, type TrackPositionQuery } from './trackListing.js';
export { escapeLike } from './trackSearch.js';

export interface CatalogOptions {
  /** Clock for ingested_at/updated_at/added_at and History times; tests pin it. */
  readonly now?: () => Date;
}

export class Catalog {
  /** The underlying connection, for the catalog's own modules, migrations, integrity checks and tests. */
  readonly db: Database;
  private readonly now: () => Date;
  private readonly folders: FolderTable;
  private readonly tracks: TrackTable;
  private readonly files: FileTable;
  private readonly listing: TrackListing;
  private historyLog: HistoryLog | undefined;
  private embeddingTable: EmbeddingTable | undefined;

  /** Wraps an open, already migrated connection (see openCatalog). Prepares every statement up front. */
  constructor(db: Database, options: CatalogOptions = {}) {
    this.db = db;
    this.now = options.now ?? (() => new Date());
    this.folders = new FolderTable(db, this.now);
    this.tracks = new TrackTable(db, this.now);
    this.files = new FileTable(db);
    this.listing = new TrackListing(db, this.tracks);
  }

  /** The identification history (prepared on first use: readers in workers never touch it). */
  get history(): HistoryLog {
    return (this.historyLog ??= new HistoryLog(this.db, this.now));
  }

  /** The vibe lane's raw vectors, the source its HNSW indexes are rebuilt from (prepared on first use). */
  get embeddings(): EmbeddingTable {
    return (this.embeddingTable ??= new EmbeddingTable(this.db));
  }

  /**
   * Runs fn in one transaction (BEGIN IMMEDIATE on a writable handle); a throw rolls everything back.
   * Nested calls become savepoints.
   */
  transaction<T>(fn: () => T): T {
    return runTransaction(this.db, fn);
  }

  // ---- folders (folderTable.ts) ----

  /** Adds a watched folder, or returns the existing row for the same path. */
  addFolder(folderPath: string): FolderRow {
    return this.folders.add(folderPath);
  }

  /** Removes the folder and (cascade) its files rows; its tracks stay for the caller to delete. */
  removeFolder(id: FolderId): boolean {
    return this.folders.remove(id);
  }

  listFolders(): FolderRow[] {
    return this.folders.list();
  }

  getFolderByPath(folderPath: string): FolderRow | undefined {
    return this.folders.getByPath(folderPath);
  }

  getFolderById(id: FolderId): FolderRow | undefined {
    return this.folders.getById(id);
  }

  /** `iso`: ISO 8601 time the scan finished. */
  markFolderScanned(id: FolderId, iso: string): void {
    this.folders.markScanned(id, iso);
  }

  // ---- tracks (trackTable.ts) ----

  /** Inserts a new track with a fresh UUID. Throws SQLITE_CONSTRAINT_UNIQUE if the hash is already catalogued. */
  insertTrack(input: NewTrack): TrackRow {
    return this.tracks.insert(input);
  }

  getTrackById(id: TrackId | string): TrackRow | undefined {
    return this.tracks.getById(id);
  }

  getTrackByNum(num: number): TrackRow | undefined {
    return this.tracks.getByNum(num);
  }

  getTrackByHash(sha256: string): TrackRow | undefined {
    return this.tracks.getByHash(sha256);
  }

  /** Looks up many tracks at once (e.g. match candidates); unknown numbers are simply absent from the map. */
  getTracksByNums(nums: readonly number[]): Map<number, TrackRow> {
    return this.tracks.getByNums(nums);
  }

  /** Points the track at its file's new path/size/mtime (move, rename, touch); id and num stay. */
  updateTrackFile(num: number, file: TrackFileUpdate): TrackRow | undefined {
    return this.tracks.updateFile(num, file);
  }

  /** Changes only the given tags; `undefined` keeps a field, `null` clears it (a cleared title falls back to the file name). */
  updateTrackMetadata(num: number, tags: TrackTags): TrackRow | undefined {
    return this.tracks.updateMetadata(num, tags);
  }

  /** Records the fingerprinting outcome; `version` is the fingerprint config version (null when failed/pending). */
  setFingerprintStatus(num: number, status: FingerprintStatus, version: number | null, landmarkCount: number): TrackRow | undefined {
    return this.tracks.setFingerprintStatus(num, status, version, landmarkCount);
  }

  /** Records the embedding outcome; `model` is the model id, `dim` the vector length. */
  setEmbeddingStatus(num: number, status: EmbeddingStatus, model: string | null, dim: number | null): TrackRow | undefined {
    return this.tracks.setEmbeddingStatus(num, status, model, dim);
  }

  /** Deletes the track; its files rows keep their path with track_num set to NULL. The num is never reused. */
  deleteTrack(num: number): boolean {
    return this.tracks.delete(num);
  }

  /** Track numbers in a fingerprint state, ascending (e.g. 'pending' after a crash, to resume). */
  listTrackNumsByFingerprintStatus(status: FingerprintStatus): number[] {
    return this.tracks.numsByFingerprintStatus(status);
  }

  listTrackNumsByEmbeddingStatus(status: EmbeddingStatus): number[] {
    return this.tracks.numsByEmbeddingStatus(status);
  }

  /** Up to `seekCount` distinct tracks fingerprinted at `version`, from random points: primary-key seeks only. */
  sampleIndexedTrackNums(version: number, seekCount: number, random?: () => number): number[] {
    return this.tracks.sampleIndexedNums(version, seekCount, random);
  }

  countTracks(): number {
    return this.tracks.count();
  }

  // ---- listings (trackListing.ts) ----

  /** One page of the library (or of a search, an artist, an album), in the order of `sort`, then num. */
  listTracks(query: TrackListQuery): TrackList {
    return this.listing.listTracks(query);
  }

  /** Where `trackId` stands (0-based) in the listing listTracks gives for the same query; null when not in it. */
  trackPosition(query: TrackPositionQuery): number | null {
    return this.listing.trackPosition(query);
  }

  /** The Albums view: one row per album (name and album artist, case-insensitive), by name then artist. */
  listAlbums(query: GroupQuery): { items: AlbumSummary[]; total: number } {
    return this.listing.listAlbums(query);
  }

  /** The Artists view: one row per track artist (case-insensitive), by name. */
  listArtists(query: GroupQuery): { items: ArtistSummary[]; total: number } {
    return this.listing.listArtists(query);
  }

  // ---- files (fileTable.ts) ----

  /** Inserts or replaces the row for row.path. */
  upsertFile(row: FileRow): void {
    this.files.upsert(row);
  }

  getFile(filePath: string): FileRow | undefined {
    return this.files.get(filePath);
  }

  deleteFile(filePath: string): boolean {
    return this.files.delete(filePath);
  }

  /** Every file a scan saw under the folder, by path. */
  listFilesByFolder(folderId: FolderId): FileRow[] {
    return this.files.listByFolder(folderId);
  }

  /** Failed files, most recently seen first. */
  listFailedFiles(limit: number, offset = 0): FileRow[] {
    return this.files.listFailed(limit, offset);
  }

  countFilesByStatus(): Record<FileStatus, number> {
    return this.files.countByStatus();
  }

  /** How many tracks each folder holds; a folder without one is absent from the map. */
  countTracksByFolder(): Map<FolderId, number> {
    return this.files.countTracksByFolder();
  }

  /** Paths of byte-identical copies of the track (not its primary file), sorted. */
  duplicatePathsOf(trackNum: number): string[] {
    return this.files.duplicatePathsOf(trackNum);
  }

  /** All files rows pointing at the track: the primary ('track') first, then duplicates, each by path. */
  filesOfTrack(trackNum: number): FileRow[] {
    return this.files.filesOfTrack(trackNum);
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
}
