// The catalog's row shapes (folders, tracks, files), the column lists that read them, and their mapping to the
// contract's types. Pure: types, SQL column text and functions of a row; no handle.
import type {
  AppErrorCode,
  EmbeddingStatus,
  FailedFile,
  FingerprintStatus,
  FolderId,
  TrackDetail,
  TrackId,
  TrackSummary,
} from '../../../src-preload/contract/library.js';

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

export const TRACK_COLUMNS = `
  num, id, title, artist, album, album_artist AS albumArtist, disc_number AS discNumber, track_number AS trackNumber,
  tags_version AS tagsVersion,
  duration_seconds AS durationSeconds, sample_rate AS sampleRateHz, channels AS channelCount, bitrate, format,
  file_hash_sha256 AS fileHashSha256, file_size_bytes AS fileSizeBytes, file_path AS filePath,
  file_mtime_ms AS fileMtimeMs, fingerprint_status AS fingerprintStatus, fingerprint_version AS fingerprintVersion,
  landmark_count AS landmarkCount, embedding_model AS embeddingModel, embedding_dim AS embeddingDim,
  embedding_status AS embeddingStatus, ingested_at AS ingestedAt, updated_at AS updatedAt`;

export const FOLDER_COLUMNS = `id, path, added_at AS addedAt, last_scan_at AS lastScanAt`;

export const FILE_COLUMNS = `
  path, folder_id AS folderId, track_num AS trackNum, size_bytes AS sizeBytes, mtime_ms AS mtimeMs, status,
  error_code AS errorCode, error_detail AS errorDetail, seen_at AS seenAt`;

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
