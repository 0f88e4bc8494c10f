// The whole renderer <-> main (and browser host) surface: types, error codes and names only.
// Imports nothing and has no runtime beyond a few constants, so anyone may import it.

/** A track's stable identity (UUID v4), kept across renames and moves. */
export type TrackId = string & { readonly __brand: 'TrackId' };
/** A watched library root. */
export type FolderId = number & { readonly __brand: 'FolderId' };

/** The HTTP API's error codes (docs/api-contract.md): the wire names scripts see. */
export const API_ERROR_CODES = [
  'VALIDATION_ERROR',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'REQUEST_TIMEOUT',
  'FILE_TOO_LARGE',
  'UNSUPPORTED_FORMAT',
  'AUDIO_TOO_SHORT',
  'AUDIO_TOO_LONG',
  'SEARCH_TIMEOUT',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/**
 * Every error the engine can send, in one table: its plain words (the only text the UI shows for it) and the HTTP
 * API's code for it. A new code is one row here; the compiler then asks for nothing else.
 */
export const APP_ERRORS = {
  'folder-not-found': { words: 'That folder does not exist or cannot be reached.', api: 'NOT_FOUND' },
  'not-found': { words: 'That item is no longer in the library.', api: 'NOT_FOUND' },
  'unsupported-format': { words: 'This is not an audio format the app can read (or the file is damaged).', api: 'UNSUPPORTED_FORMAT' },
  'clip-too-short': { words: 'The clip is too short to identify: a few seconds of audio are needed.', api: 'AUDIO_TOO_SHORT' },
  'clip-too-long': { words: 'The clip is too long to identify: use a few seconds, at most 5 minutes.', api: 'AUDIO_TOO_LONG' },
  'file-too-large': { words: 'The file is too large, or holds too many hours of audio, to be read here.', api: 'FILE_TOO_LARGE' },
  'decode-failed': { words: 'The audio could not be decoded: the file may be damaged or incomplete.', api: 'UNSUPPORTED_FORMAT' },
  'permission-denied': { words: 'Permission was denied (the file, the folder or the microphone could not be opened).', api: 'FORBIDDEN' },
  'ffmpeg-missing': { words: 'The audio decoder (ffmpeg) is missing, so audio files cannot be read.', api: 'SERVICE_UNAVAILABLE' },
  'catalog-newer-than-app': {
    words: 'This library was written by a newer version of the app. Update the app; your library was left untouched.',
    api: 'SERVICE_UNAVAILABLE',
  },
  'catalog-corrupt': { words: 'The library catalog is damaged and could not be opened.', api: 'SERVICE_UNAVAILABLE' },
  'store-damaged': { words: 'The fingerprint index is damaged; it is being rebuilt from your music.', api: 'SERVICE_UNAVAILABLE' },
  'library-busy': {
    words: 'Another copy of audio-ident is using this library (indexing or running). Close it, or wait for it to finish, then try again.',
    api: 'SERVICE_UNAVAILABLE',
  },
  'model-missing': {
    words: 'The vibe model is missing, damaged or could not be downloaded, so similar-sounding tracks cannot be suggested with it.',
    api: 'SERVICE_UNAVAILABLE',
  },
  'file-not-writable': {
    words:
      'That file cannot be written: choose a new file (or a small text file) in a folder that exists and that you may write to, outside the app’s data folder.',
    api: 'VALIDATION_ERROR',
  },
  'invalid-argument': { words: 'The request was not valid (this is a bug in the app).', api: 'VALIDATION_ERROR' },
  cancelled: { words: 'Cancelled.', api: 'SERVICE_UNAVAILABLE' },
  internal: { words: 'Something went wrong inside the app.', api: 'INTERNAL_ERROR' },
} as const satisfies Record<string, { readonly words: string; readonly api: ApiErrorCode }>;
export type AppErrorCode = keyof typeof APP_ERRORS;
export const APP_ERROR_CODES = Object.keys(APP_ERRORS) as readonly AppErrorCode[];
export type AppErrorInfo = Readonly<{ code: AppErrorCode; detail?: string }>;
export type Result<T> = Readonly<{ ok: true; value: T } | { ok: false; error: AppErrorInfo }>;

export type SearchMode = 'exact' | 'vibe' | 'both';

export interface TrackSummary {
  readonly id: TrackId;
  readonly title: string;
  readonly artist: string | null;
  readonly album: string | null;
  /** Seconds, decoded length. */
  readonly durationSeconds: number;
  /** Container/codec short name, e.g. "mp3", "flac". */
  readonly format: string;
  /** Absolute path of the track's primary file. */
  readonly filePath: string;
  /** 1-based, as tagged; null when untagged (or not read yet: the next scan fills it). Absent from older doors. */
  readonly discNumber?: number | null;
  /** 1-based number within its disc, as tagged; null when untagged. */
  readonly trackNumber?: number | null;
}

/**
 * The columns the library table sorts by (the catalog's whitelist): each sorts case-insensitively with a fixed
 * tiebreak ending in the track's number, so paging is stable.
 * artist: artist, title; title: title, artist; album: album, disc, track, title (album order); duration: length;
 * format: format, artist, title; added: when the track entered the library.
 */
export const TRACK_SORT_KEYS = ['artist', 'title', 'album', 'duration', 'format', 'added'] as const;
export type TrackSortKey = (typeof TRACK_SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

/** One album of the Albums view: tracks sharing an album name and album artist (the track artist when untagged). */
export interface AlbumSummary {
  readonly album: string;
  /** The album artist, else the artist of its tracks; null when neither is tagged. */
  readonly albumArtist: string | null;
  readonly trackCount: number;
  /** Seconds, all tracks together. */
  readonly durationSeconds: number;
  /** Its first track (by disc and track number): whose cover stands for the album. */
  readonly coverTrackId: TrackId;
}

/** One artist of the Artists view. */
export interface ArtistSummary {
  readonly artist: string;
  readonly trackCount: number;
  /** Distinct album names among the artist's tracks. */
  readonly albumCount: number;
  /** The first track of the artist's first album: whose cover stands for the artist. */
  readonly coverTrackId: TrackId;
}

export type FingerprintStatus = 'pending' | 'indexed' | 'failed';
export type EmbeddingStatus = 'none' | 'pending' | 'indexed' | 'failed';

export interface TrackDetail extends TrackSummary {
  readonly sampleRateHz: number | null;
  readonly channelCount: number | null;
  /** Bits per second, as the container reports it. */
  readonly bitrate: number | null;
  readonly fileHashSha256: string;
  readonly fileSizeBytes: number;
  readonly fileMtimeMs: number;
  readonly fingerprintStatus: FingerprintStatus;
  readonly fingerprintVersion: number | null;
  readonly landmarkCount: number;
  readonly embeddingModel: string | null;
  readonly embeddingDim: number | null;
  readonly embeddingStatus: EmbeddingStatus;
  /** ISO 8601 timestamps. */
  readonly ingestedAt: string;
  readonly updatedAt: string;
  /** Other paths holding byte-identical copies of this track. */
  readonly duplicatePaths: readonly string[];
  /** True when no file is at filePath now (moved or deleted since the last scan; the track is kept until then). */
  readonly fileMissing?: boolean;
}

export interface TrackPage {
  readonly items: readonly TrackSummary[];
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
}

export interface ExactMatch {
  readonly track: TrackSummary;
  /** 0..1: how sure the engine is that this is the track (calibrated on negatives). */
  readonly confidence: number;
  /** Where the clip starts inside the track, seconds (may be slightly negative for a clip starting before the track). */
  readonly offsetSeconds: number;
  /** Landmark hashes that agree on this track, offset and speed. */
  readonly alignedHashes: number;
  /** Track seconds per clip second: > 1 when the clip plays faster than the original. */
  readonly speedFactor: number;
  /** Frequency ratio clip/original (1 = same pitch). */
  readonly pitchFactor: number;
  /**
   * Only for a clip holding several songs (named best first): where in the clip this one is heard, seconds; its
   * offsetSeconds is then where `span.start` falls in the track.
   */
  readonly span?: { readonly start: number; readonly end: number };
}

/** A library track that sounds like the clip (the vibe lane). */
export interface VibeMatch {
  readonly track: TrackSummary;
  /** 0..1 (cosine similarity mapped to 0..1). */
  readonly similarity: number;
  /** The embedder that produced the vectors, e.g. "builtin-timbre-v1". */
  readonly embeddingModel: string;
  /**
   * A few words on why, where the model allows: what is alike first, then what differs ("similar rhythm, same key
   * area, but a brighter sound"); never only differences for a high score. Null otherwise.
   */
  readonly explanation: string | null;
}

export interface IdentifyResult {
  readonly durationMs: number;
  /** Length of the clip that was searched, seconds. */
  readonly clipSeconds: number;
  /** Best first; empty when nothing in the library matches. */
  readonly exact: readonly ExactMatch[];
  /** Best first; empty when the vibe lane was not asked or is unavailable. */
  readonly vibe: readonly VibeMatch[];
  /** The lanes that actually answered ('exact' when 'both' was asked but no embedder is installed). */
  readonly modeUsed: SearchMode;
}

/** One stretch of a long recording: a library song, or music (or talk, silence) that is not in the library. */
export interface TracklistSegment {
  /** Where the stretch starts and ends in the recording, seconds. */
  readonly start: number;
  readonly end: number;
  /** The library track heard; null for a stretch not in the library. */
  readonly track: TrackSummary | null;
  /** Where `start` falls in the track, seconds; null when no track. */
  readonly offsetSeconds: number | null;
  /** Track seconds per recording second (> 1: played faster than the original); null when no track. */
  readonly speedFactor: number | null;
  /** Frequency ratio recording/original; null when no track. */
  readonly pitchFactor: number | null;
  /** 0..1, the best per-window confidence of the song; null when no track. */
  readonly confidence: number | null;
  /** The most landmark hashes one window aligned on the song; null when no track. */
  readonly alignedHashes: number | null;
  /**
   * Other library tracks holding the same recording, heard over this stretch too (another file of it: a copy in
   * another format, the song on an album and a compilation); absent when none.
   */
  readonly sameRecording?: readonly TrackSummary[];
}

/** The songs of a long recording (a DJ mix, a radio show, a room log), in time order. */
export interface Tracklist {
  readonly durationSeconds: number;
  /** In time order; songs and the unknown stretches (>= 3 s) between, before and after them. */
  readonly segments: readonly TracklistSegment[];
  readonly durationMs: number;
}

export interface TracklistProgress {
  /** Seconds of the recording searched so far, and its length when known (null: not known yet). */
  readonly doneSeconds: number;
  readonly totalSeconds: number | null;
  /** Songs found so far. */
  readonly songs: number;
}

export interface FailedFile {
  readonly path: string;
  readonly error: AppErrorInfo;
  readonly at: string;
}

export interface ScanSummary {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  /**
   * Unchanged files fingerprinted again because their track's landmarks were missing: the landmark store was
   * deleted or damaged and is being rebuilt, a scan was interrupted, or the fingerprint version changed.
   */
  readonly rebuilt: number;
  readonly moved: number;
  readonly removed: number;
  readonly duplicates: number;
  readonly failed: number;
  readonly cancelled: boolean;
  /** Seconds of audio fingerprinted in this scan. */
  readonly audioSeconds: number;
  readonly wallSeconds: number;
}

/** A scan that found nothing to do (the start of a count; fakes and tests build theirs from it). */
export const EMPTY_SCAN_SUMMARY: ScanSummary = Object.freeze({
  added: 0,
  updated: 0,
  unchanged: 0,
  rebuilt: 0,
  moved: 0,
  removed: 0,
  duplicates: 0,
  failed: 0,
  cancelled: false,
  audioSeconds: 0,
  wallSeconds: 0,
});

export interface ScanProgress {
  readonly phase: 'walking' | 'indexing' | 'removing' | 'done';
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly currentFile: string | null;
  /** Audio seconds fingerprinted per wall-clock second so far. */
  readonly audioSecondsPerSecond: number;
}

/** Where a vibe-lane embedder stands: shipped with the app, or downloaded (fully, partly, not at all, damaged). */
export type ModelState = 'builtin' | 'installed' | 'missing' | 'partial' | 'corrupt';

/** An embedder the vibe lane can use (the built-in one, or one downloaded on demand such as CLAP). */
export interface ModelInfo {
  /** Stable id, e.g. "builtin-descriptors-v1", "clap-htsat-unfused" (lowercase letters, digits, '.', '_', '-'). */
  readonly id: string;
  readonly description: string;
  readonly license: string;
  /** Size of the model file, bytes. */
  readonly sizeBytes: number;
  /** Length of its vectors. */
  readonly dim: number;
  readonly state: ModelState;
  /** Bytes of it on disk: sizeBytes when installed, the partial download's size when partial, else 0. */
  readonly downloadedBytes: number;
  /** The vibe lane embeds and searches with this model now. */
  readonly active: boolean;
  /** A download of it is running now (its progress arrives as modelProgress events). */
  readonly installing: boolean;
}

/** A model download's progress; 'installed', 'failed' and 'cancelled' end it (a cancelled one resumes next time). */
export interface ModelProgress {
  readonly modelId: string;
  readonly phase: 'downloading' | 'verifying' | 'installed' | 'failed' | 'cancelled';
  readonly receivedBytes: number;
  readonly totalBytes: number;
  /** Why it failed ('model-missing' with the reason: HTTP error, wrong SHA-256, ...). */
  readonly error?: AppErrorInfo;
}
