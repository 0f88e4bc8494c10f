// The tracks table (migrations 0010 and 0060): insert, look up, update and delete single tracks, and list them by
// fingerprint or embedding state. Statements prepared once on the catalog's connection; not thread-safe.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import type { EmbeddingStatus, FingerprintStatus, TrackId } from '../../../src-preload/contract/library.js';
import { TRACK_COLUMNS, type NewTrack, type TrackFileUpdate, type TrackRow, type TrackTags } from './catalogRows.js';
import { runTransaction } from './transactions.js';

/** Bound parameters per IN (...) chunk, well under SQLite's variable limit. */
const IN_CHUNK_SIZE = 500;

export class TrackTable {
  private readonly inChunkStatements = new Map<number, Statement<number[], TrackRow>>();
  private readonly stmt: {
    insert: Statement<Record<string, unknown>, TrackRow>;
    getById: Statement<[string], TrackRow>;
    getByNum: Statement<[number], TrackRow>;
    getByHash: Statement<[string], TrackRow>;
    updateFile: Statement<Record<string, unknown>, TrackRow>;
    updateMetadata: Statement<Record<string, unknown>, TrackRow>;
    setFingerprintStatus: Statement<Record<string, unknown>, TrackRow>;
    setEmbeddingStatus: Statement<Record<string, unknown>, TrackRow>;
    delete: Statement<[number]>;
    numsByFingerprintStatus: Statement<[string], number>;
    numsByEmbeddingStatus: Statement<[string], number>;
    count: Statement<[], number>;
    numRange: Statement<[], { lo: number | null; hi: number | null }>;
    firstIndexedFrom: Statement<[number, number], number>;
  };

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {
    this.stmt = {
      insert: db.prepare(`
        INSERT INTO tracks (id, title, artist, album, album_artist, disc_number, track_number, tags_version,
          duration_seconds, sample_rate, channels, bitrate, format,
          file_hash_sha256, file_size_bytes, file_path, file_mtime_ms, ingested_at, updated_at)
        VALUES (@id, @title, @artist, @album, @albumArtist, @discNumber, @trackNumber, @tagsVersion,
          @durationSeconds, @sampleRateHz, @channelCount, @bitrate, @format,
          @fileHashSha256, @fileSizeBytes, @filePath, @fileMtimeMs, @now, @now)
        RETURNING ${TRACK_COLUMNS}`),
      getById: db.prepare(`SELECT ${TRACK_COLUMNS} FROM tracks WHERE id = ?`),
      getByNum: db.prepare(`SELECT ${TRACK_COLUMNS} FROM tracks WHERE num = ?`),
      getByHash: db.prepare(`SELECT ${TRACK_COLUMNS} FROM tracks WHERE file_hash_sha256 = ?`),
      updateFile: db.prepare(`
        UPDATE tracks SET file_path = @path, file_size_bytes = @sizeBytes, file_mtime_ms = @mtimeMs,
          file_hash_sha256 = COALESCE(@fileHashSha256, file_hash_sha256), updated_at = @now
        WHERE num = @num RETURNING ${TRACK_COLUMNS}`),
      updateMetadata: db.prepare(`
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
      delete: db.prepare(`DELETE FROM tracks WHERE num = ?`),
      numsByFingerprintStatus: db.prepare<[string], number>(`SELECT num FROM tracks WHERE fingerprint_status = ? ORDER BY num`).pluck(),
      numsByEmbeddingStatus: db.prepare<[string], number>(`SELECT num FROM tracks WHERE embedding_status = ? ORDER BY num`).pluck(),
      count: db.prepare<[], number>(`SELECT COUNT(*) FROM tracks`).pluck(),
      numRange: db.prepare(`SELECT min(num) AS lo, max(num) AS hi FROM tracks`),
      firstIndexedFrom: db
        .prepare<[number, number], number>(
          `SELECT num FROM tracks WHERE num >= ? AND fingerprint_status = 'indexed' AND fingerprint_version = ? ORDER BY num LIMIT 1`,
        )
        .pluck(),
    };
  }

  /** Inserts a new track with a fresh UUID. Throws SQLITE_CONSTRAINT_UNIQUE if the hash is already catalogued. */
  insert(input: NewTrack): TrackRow {
    return this.stmt.insert.get({
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

  getById(id: TrackId | string): TrackRow | undefined {
    return this.stmt.getById.get(id);
  }

  getByNum(num: number): TrackRow | undefined {
    return this.stmt.getByNum.get(num);
  }

  getByHash(sha256: string): TrackRow | undefined {
    return this.stmt.getByHash.get(sha256);
  }

  /** Looks up many tracks at once (e.g. match candidates); unknown numbers are simply absent from the map. */
  getByNums(nums: readonly number[]): Map<number, TrackRow> {
    const unique = [...new Set(nums)];
    const found = new Map<number, TrackRow>();
    for (let start = 0; start < unique.length; start += IN_CHUNK_SIZE) {
      const chunk = unique.slice(start, start + IN_CHUNK_SIZE);
      for (const row of this.inChunkStatement(chunk.length).all(...chunk)) found.set(row.num, row);
    }
    return found;
  }

  /** Points the track at its file's new path/size/mtime (move, rename, touch); id and num stay. */
  updateFile(num: number, file: TrackFileUpdate): TrackRow | undefined {
    return this.stmt.updateFile.get({
      num,
      path: file.path,
      sizeBytes: file.sizeBytes,
      mtimeMs: file.mtimeMs,
      fileHashSha256: file.fileHashSha256 ?? null,
      now: this.nowIso(),
    });
  }

  /** Changes only the given tags; `undefined` keeps a field, `null` clears it (a cleared title falls back to the file name). */
  updateMetadata(num: number, tags: TrackTags): TrackRow | undefined {
    return runTransaction(this.db, () => {
      const current = this.getByNum(num);
      if (!current) return undefined;
      const pick = <K extends keyof TrackTags>(key: K, fallback: TrackTags[K]): TrackTags[K] => (tags[key] === undefined ? fallback : tags[key]);
      return this.stmt.updateMetadata.get({
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
  setFingerprintStatus(num: number, status: FingerprintStatus, version: number | null, landmarkCount: number): TrackRow | undefined {
    return this.stmt.setFingerprintStatus.get({ num, status, version, landmarkCount, now: this.nowIso() });
  }

  /** Records the embedding outcome; `model` is the model id, `dim` the vector length. */
  setEmbeddingStatus(num: number, status: EmbeddingStatus, model: string | null, dim: number | null): TrackRow | undefined {
    return this.stmt.setEmbeddingStatus.get({ num, status, model, dim, now: this.nowIso() });
  }

  /** Deletes the track; its files rows keep their path with track_num set to NULL. The num is never reused. */
  delete(num: number): boolean {
    return this.stmt.delete.run(num).changes > 0;
  }

  /** Track numbers in a fingerprint state, ascending (e.g. 'pending' after a crash, to resume). */
  numsByFingerprintStatus(status: FingerprintStatus): number[] {
    return this.stmt.numsByFingerprintStatus.all(status);
  }

  numsByEmbeddingStatus(status: EmbeddingStatus): number[] {
    return this.stmt.numsByEmbeddingStatus.all(status);
  }

  count(): number {
    return this.stmt.count.get()!;
  }

  /**
   * Up to `seekCount` distinct tracks fingerprinted at `version`: each the first such track at or after a random
   * number (wrapping to the lowest), so `seekCount` primary-key seeks, never a pass over the table, however large.
   * `random` returns [0, 1) as Math.random does; tests pin it.
   */
  sampleIndexedNums(version: number, seekCount: number, random: () => number = Math.random): number[] {
    const { lo, hi } = this.stmt.numRange.get()!;
    if (lo === null || hi === null) return [];
    const found = new Set<number>();
    const firstFrom = (from: number): number | undefined => this.stmt.firstIndexedFrom.get(from, version) ?? this.stmt.firstIndexedFrom.get(lo, version);
    for (let i = 0; i < seekCount; i++) {
      let num = firstFrom(lo + Math.floor(random() * (hi - lo + 1)));
      // A seek landing on a track already sampled takes the next one: the sample holds distinct tracks whenever the
      // library has them (several seeks on one track read as "one track missing", which is not called damage).
      for (let step = 0; num !== undefined && found.has(num) && step < seekCount; step++) num = firstFrom(num + 1);
      if (num !== undefined) found.add(num);
    }
    return [...found];
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
