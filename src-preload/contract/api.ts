// The one interface the page talks to, whichever door it came through (Electron IPC or the browser host's
// HTTP + WebSocket). Plain signatures here; mapped types derive the async, Result-wrapped view (Signal's pattern).
// Imports types only; the few constants below are the derived channel names and the method list.
import type {
  AlbumSummary,
  AppErrorInfo,
  ArtistSummary,
  ExactMatch,
  FailedFile,
  FolderId,
  IdentifyResult,
  ModelInfo,
  ModelProgress,
  Result,
  ScanProgress,
  ScanSummary,
  SearchMode,
  SortDirection,
  TrackDetail,
  TrackId,
  TrackPage,
  TrackSortKey,
  TrackSummary,
  Tracklist,
  TracklistProgress,
  VibeMatch,
} from './library.js';

/** A watched library root. */
export interface FolderSummary {
  readonly id: FolderId;
  /** Absolute path. */
  readonly path: string;
  /** False while the folder is missing (an unplugged drive): nothing of it is removed. */
  readonly exists: boolean;
  readonly trackCount: number;
  /** ISO 8601, null before the first finished scan. */
  readonly lastScannedAt: string | null;
}

/** Audio to identify: PCM recorded in the page (any rate, mono) or the bytes of a dropped/picked file. */
export type ClipAudio =
  | { readonly kind: 'pcm'; readonly sampleRateHz: number; readonly samples: Float32Array }
  | { readonly kind: 'file'; readonly fileName: string; readonly bytes: Uint8Array };

export type ClipSource = 'mic' | 'file';

export interface IdentifyRequest {
  readonly audio: ClipAudio;
  readonly source: ClipSource;
  readonly mode: SearchMode;
  /** 1..50. */
  readonly maxResults: number;
  /**
   * Calls sharing a key update one History entry (the growing clip of one Listen); a new key adds an entry.
   * Omit to keep nothing. 1..100 characters.
   */
  readonly historyKey?: string;
}

/** A long recording (a DJ mix, a radio show) to list the songs of: the bytes of a dropped or picked file. */
export interface TracklistRequest {
  readonly audio: Extract<ClipAudio, { readonly kind: 'file' }>;
  /**
   * Chosen by the caller (a fresh UUID): tracklistProgress events carry it, and cancelTracklist(runId) stops the run.
   * 1..100 characters; one run per id at a time.
   */
  readonly runId: string;
}

/** tracklistProgress: how far the run `runId` has searched its recording. */
export interface TracklistRunProgress extends TracklistProgress {
  readonly runId: string;
}

/**
 * A session of audio pushed as it is recorded (listenStart, listenPush, listenStop): Keep listening (a stream matcher
 * that logs every song heard), or, with `clip`, Listen's single answer (see ListenClipOptions).
 */
export interface ListenSessionRequest {
  /** Chosen by the caller (a fresh UUID); 1..LIMITS.maxRunIdLength characters. */
  readonly sessionId: string;
}

/**
 * Listen's single answer as a session: the page pushes only the audio recorded since its last push; the session keeps
 * the whole clip (at most LIMITS.maxPcmSamples samples and the engine's longest clip, else 'clip-too-long') and answers
 * each push with what identifyClip answers for all of it (the same resampling, clip rules and search).
 */
export interface ListenClipOptions {
  /**
   * The rate of every push's samples, LIMITS.minPcmRateHz..LIMITS.maxPcmRateHz: LIMITS.listenSampleRateHz when the
   * page downsamples (the exact lane), the device's own rate when the vibe lane is asked.
   */
  readonly sampleRateHz: number;
  readonly mode: SearchMode;
  /** 1..LIMITS.maxResults. */
  readonly maxResults: number;
  /**
   * Given: listenStop writes the session's answer to History once, under this key (1..LIMITS.maxHistoryKeyLength
   * characters), as identifyClip would with it. Omit to keep nothing.
   */
  readonly historyKey?: string;
}

export interface ListenStartRequest extends ListenSessionRequest {
  /** Omit for Keep listening; given, the session is Listen's single answer. */
  readonly clip?: ListenClipOptions;
}

export interface ListenPushRequest extends ListenSessionRequest {
  /**
   * Only the new audio since the last push, mono, 1..LIMITS.maxListenPushSamples samples: at LIMITS.listenSampleRateHz
   * for Keep listening, at the clip's sampleRateHz for a clip session.
   */
  readonly samples: Float32Array;
}

/** The song a listening session hears now. */
export interface ListenPlaying {
  readonly track: TrackSummary;
  /** Where the end of the audio pushed so far falls in the track, seconds. */
  readonly positionSeconds: number;
  /** Track seconds per recording second (> 1: played faster than the original). */
  readonly speedFactor: number;
  /** 0..1. */
  readonly confidence: number;
  /** The log entry it is. */
  readonly entryId: number;
}

/**
 * One stretch of a listening session: a song (consecutive detections of it are one entry, and so are the library files
 * of one recording heard at once) or music not in the library.
 */
export interface ListenLogEntry {
  /** Stable for a song across pushes (1, 2, ...); unknown stretches have id 0 (they grow and move as songs are found). */
  readonly id: number;
  /** Seconds since the session's first sample. */
  readonly startSeconds: number;
  readonly endSeconds: number;
  /** The library track; null for a stretch of sound not in the library (or not recognised). */
  readonly track: TrackSummary | null;
  /** Where startSeconds falls in the track; null when no track. */
  readonly offsetSeconds: number | null;
  readonly speedFactor: number | null;
  readonly confidence: number | null;
  /** Still being heard (its end moves on with the audio). */
  readonly ongoing: boolean;
  /**
   * Other library tracks holding the same recording, heard over this stretch too (another file of it: a copy in
   * another format, the song on an album and a compilation): one entry, named after `track`; absent when none.
   */
  readonly sameRecording?: readonly TrackSummary[];
}

export interface ListenState {
  readonly sessionId: string;
  /** Seconds of audio pushed so far. */
  readonly heardSeconds: number;
  /** Keep listening only (null for a clip session). */
  readonly playing: ListenPlaying | null;
  /** In time order. Keep listening only (empty for a clip session). */
  readonly log: readonly ListenLogEntry[];
  /**
   * Clip sessions only (absent for Keep listening): identifyClip's answer for all the audio pushed so far; null before
   * the clip is long enough (identifyClip would say 'clip-too-short') and after a push that failed.
   */
  readonly answer?: IdentifyResult | null;
}

/**
 * Keep listening's "now playing" text file, for streaming overlays (OBS "text from file"): while a listening session
 * hears a library song the file holds one line, "Artist - Title" (the title alone when untagged); it is emptied when
 * the song stops, turns into music not in the library, or listening stops. Off (null) by default.
 */
export interface NowPlayingFileSetting {
  /** The file's absolute path; null when off. */
  readonly path: string | null;
  /** Why the latest write failed (the folder gone, no permission), null when it worked. */
  readonly lastError: AppErrorInfo | null;
}

/** One identification as kept in History. */
export interface HistoryEntry {
  readonly id: string;
  /** ISO 8601, when the identification (or its last update) happened. */
  readonly at: string;
  readonly source: ClipSource;
  /** The dropped file's name; null for the microphone. */
  readonly clipName: string | null;
  readonly clipSeconds: number;
  readonly mode: SearchMode;
  /** The best exact match, or null for "not in your library". Kept as it was then (the track may since be gone). */
  readonly match: HistoryMatch | null;
  /** With no exact match: the vibe lane's best suggestion that was shown ("sounds like X"), else null. */
  readonly soundsLike: HistorySoundsLike | null;
  /** ISO 8601, when this entry was first recorded (`at` is the latest time; they differ once count > 1). */
  readonly firstAt: string;
  /**
   * How many times this clip was identified: the same file (the same bytes, whatever its name) dropped again bumps
   * the count and `at` of its entry instead of adding one. Always 1 for the microphone.
   */
  readonly count: number;
  /** The file name (last path component) of the matched or sounds-like track's file then; null when none or unknown. */
  readonly trackFileName: string | null;
}

/** An entry with the whole answer as it was shown then, to reopen it. */
export interface HistoryDetail {
  readonly entry: HistoryEntry;
  /** The result as it was shown; null for entries kept before results were stored (the entry's summary is all there is). */
  readonly result: IdentifyResult | null;
}

export type HistoryExportFormat = 'csv' | 'json';

export interface HistoryExportRequest {
  readonly format: HistoryExportFormat;
  /** Export only the entries this search finds (as HistoryQuery.search); omit for the whole history. */
  readonly search?: string;
}

/** An export, ready to be saved as a file. */
export interface HistoryExport {
  /** e.g. "audio-ident-history-2026-01-31.csv". */
  readonly fileName: string;
  /** "text/csv;charset=utf-8" or "application/json;charset=utf-8". */
  readonly mimeType: string;
  readonly text: string;
  readonly entryCount: number;
}

export interface HistorySoundsLike {
  readonly trackId: TrackId;
  readonly title: string;
  readonly artist: string | null;
  /** 0..1, as shown then. */
  readonly similarity: number;
}

export interface HistoryMatch {
  readonly trackId: TrackId;
  readonly title: string;
  readonly artist: string | null;
  readonly album: string | null;
  readonly offsetSeconds: number;
  readonly confidence: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  /** 1-based. */
  readonly page: number;
  readonly perPage: number;
}

export interface PageQuery {
  /** 1-based; default 1. */
  readonly page?: number;
  /** 1..1000; default 50. */
  readonly perPage?: number;
}

export interface HistoryQuery extends PageQuery {
  /**
   * Each word must occur somewhere (case- and accent-insensitive) in the dropped file's name, the source
   * ("microphone" or "file"), or the matched or sounds-like track's title, artist, album or file name. Whitespace
   * alone matches everything.
   */
  readonly search?: string;
}

export interface TrackQuery extends PageQuery {
  /**
   * Each word is the start of a word in the title, artist, album, file name or format ("beat" finds "Beatles");
   * all words must match; case- and accent-insensitive. Punctuation alone matches everything.
   */
  readonly search?: string;
  /** Which column orders the list (default 'artist'); see TRACK_SORT_KEYS. Ties break by the track's number. */
  readonly sort?: TrackSortKey;
  /** Default 'asc'. */
  readonly direction?: SortDirection;
  /** Only this artist's tracks (an ArtistSummary's `artist`; case-insensitive). */
  readonly artist?: string;
  /** Only this album's tracks (an AlbumSummary's `album`; case-insensitive)... */
  readonly album?: string;
  /** ...by this album artist (an AlbumSummary's `albumArtist`, null included). Only together with `album`. */
  readonly albumArtist?: string | null;
}

/** trackPosition's question: a track, and the list (a TrackQuery without its page) to find it in. */
export interface TrackPositionQuery extends Omit<TrackQuery, 'page' | 'perPage'> {
  readonly trackId: TrackId;
}

export interface Artwork {
  readonly mimeType: string;
  readonly bytes: Uint8Array;
}

export type ComponentHealth = 'ok' | 'rebuilding' | 'absent' | 'damaged';

/** A message the UI shows until it is dismissed or no longer true (e.g. "rebuilding the fingerprint index"). */
export interface Notice {
  /**
   * catalog-unavailable: the catalog could not be opened (see `error`: catalog-newer-than-app, catalog-corrupt, ...);
   * it is left untouched and every other call answers with that error.
   * model-unavailable: the chosen vibe model could not be loaded (see `error`); the built-in model is used instead.
   */
  readonly code: 'catalog-unavailable' | 'store-rebuilding' | 'store-rebuilt' | 'folder-missing' | 'scan-failed' | 'model-unavailable';
  readonly detail?: string;
  readonly error?: AppErrorInfo;
}

/** Start-up health checks and what is running now. */
export interface AppStatus {
  readonly appVersion: string;
  readonly dataDir: string;
  readonly catalog: ComponentHealth;
  readonly landmarkStore: ComponentHealth;
  readonly vectorIndex: ComponentHealth;
  readonly trackCount: number;
  readonly failedFileCount: number;
  /** The scan in progress, or null. */
  readonly scan: ScanProgress | null;
  readonly lastScan: ScanSummary | null;
  readonly notices: readonly Notice[];
  /** Which lanes can answer now. */
  readonly modes: readonly SearchMode[];
}

/** Why the library changed (the page re-reads what it shows). */
export interface LibraryChange {
  readonly reason: 'scan' | 'folders' | 'watch' | 'history';
}

/** The whole surface, as plain (synchronous-looking) signatures; every call is async and Result-wrapped on the wire. */
export interface LibraryApi {
  getStatus(): AppStatus;
  listFolders(): readonly FolderSummary[];
  /** Adds a library root, starts watching it and scans it (incrementally) in the background. */
  addFolder(folderPath: string): FolderSummary;
  /** Stops watching and removes the folder's tracks and landmarks (the files are untouched). */
  removeFolder(folderId: FolderId): void;
  /** Starts an incremental scan of every folder (no-op when one is running). */
  rescan(): void;
  cancelScan(): void;
  listTracks(query: TrackQuery): TrackPage;
  /**
   * Where a track stands (0-based row) in the list listTracks gives for the same sort, direction, filter and search
   * (its page is floor(position / perPage) + 1), or null when the track is not in that list (or not in the library).
   */
  trackPosition(query: TrackPositionQuery): number | null;
  /** The Albums view: albums (name + album artist) by name, each with its first track (whose cover stands for it). */
  listAlbums(query: PageQuery): Page<AlbumSummary>;
  /** The Artists view: track artists by name. */
  listArtists(query: PageQuery): Page<ArtistSummary>;
  getTrack(trackId: TrackId): TrackDetail;
  /** The cover embedded in the track's file, else a cover image beside it (cover.jpg, folder.jpg, ...), or null. */
  getArtwork(trackId: TrackId): Artwork | null;
  listFailedFiles(query: PageQuery): Page<FailedFile>;
  identifyClip(request: IdentifyRequest): IdentifyResult;
  /**
   * The songs of a long recording in time order, with the stretches not in the library between them (a file of up to
   * LIMITS.maxTracklistBytes). Progress arrives as tracklistProgress events; cancelTracklist stops it ('cancelled').
   */
  tracklistClip(request: TracklistRequest): Tracklist;
  /** Stops the tracklist run `runId` (it answers 'cancelled'); a no-op when no such run is going. */
  cancelTracklist(runId: string): void;
  /**
   * Opens a listening session: Keep listening, or with `clip` Listen's single answer. Sessions idle for
   * LIMITS.listenSessionIdleMs are dropped (nothing of a dropped clip session goes to History).
   */
  listenStart(request: ListenStartRequest): ListenState;
  /**
   * Adds the session's new audio; answers what it hears now and its log (a clip session: its `answer`). 'not-found'
   * when the session is gone.
   */
  listenPush(request: ListenPushRequest): ListenState;
  /**
   * Ends the session: its final log (the last audio searched, every song closed); the session is freed. A clip session
   * with a historyKey writes its answer (if it has one) to History here, once.
   */
  listenStop(request: ListenSessionRequest): ListenState;
  /** "More like this": library tracks that sound like this one (itself excluded), best first; limit 1..50. */
  similarTracks(trackId: TrackId, limit: number): readonly VibeMatch[];
  /** Newest first (by the latest time an entry was seen). */
  listHistory(query: HistoryQuery): Page<HistoryEntry>;
  /** One entry with its stored result, to reopen it; 'not-found' when it was deleted. */
  getHistoryEntry(entryId: string): HistoryDetail;
  /** Deletes these entries (1..LIMITS.maxHistoryDeleteIds ids; unknown ids are skipped); answers how many were deleted. */
  deleteHistoryEntries(entryIds: readonly string[]): number;
  clearHistory(): void;
  /** The history (or the entries a search finds), newest first, as CSV (RFC 4180, a header row) or JSON. */
  exportHistory(request: HistoryExportRequest): HistoryExport;
  /** The vibe lane's embedders: the built-in one first, then the downloadable ones, with their state. */
  listModels(): readonly ModelInfo[];
  /**
   * Starts (or resumes) downloading a model in the background and returns at once; progress arrives as
   * modelProgress events. A no-op when it is already downloading or installed (then 'installed' is sent).
   */
  installModel(modelId: string): void;
  /** Stops a running download; what was received stays on disk and the next installModel resumes from it. */
  cancelModelInstall(modelId: string): void;
  /**
   * Makes an installed model (or the built-in one) the vibe lane's embedder, remembered across restarts, and starts
   * a rescan that embeds the library with it. 'model-missing' when it is not installed or fails to load (the lane
   * then keeps the model it had).
   */
  useModel(modelId: string): void;
  /** Where Keep listening writes the song heard now (see NowPlayingFileSetting). */
  getNowPlayingFile(): NowPlayingFileSetting;
  /**
   * Turns the now-playing file on at `filePath` (absolute, or under "~"; a new file or a small regular one, in a folder
   * that exists, outside the data folder) or off (null), remembered across restarts. The file is written at once
   * (empty, or the song heard now); 'file-not-writable' when it cannot be, and the setting is left as it was.
   */
  setNowPlayingFile(filePath: string | null): NowPlayingFileSetting;
}

/** Pushes from the engine to the page. */
export interface LibraryEvents {
  scanProgress: ScanProgress;
  scanFinished: ScanSummary;
  libraryChanged: LibraryChange;
  statusChanged: AppStatus;
  modelProgress: ModelProgress;
  tracklistProgress: TracklistRunProgress;
}

export type LibraryMethod = keyof LibraryApi;
export type LibraryEventName = keyof LibraryEvents;

/** The async, Result-wrapped view of LibraryApi: what the engine backend serves and what every door forwards. */
export type AsyncLibraryApi = {
  [M in LibraryMethod]: (...args: Parameters<LibraryApi[M]>) => Promise<Result<ReturnType<LibraryApi[M]>>>;
};

export type Unsubscribe = () => void;
export interface LibraryEventSource {
  on<E extends LibraryEventName>(event: E, listener: (payload: LibraryEvents[E]) => void): Unsubscribe;
}

/** What the page sees as window.library (Electron preload) or builds itself (browser host). */
export type LibraryBridge = AsyncLibraryApi &
  LibraryEventSource & {
    /** Which door: the renderer behaves the same, but may word a few things differently. */
    readonly door: 'electron' | 'browser';
    /** A URL the page's <audio> element can play (supports seeking). */
    mediaUrl(trackId: TrackId): string;
    /** The native folder dialog; null when cancelled. Absent in the browser (the page asks for a path instead). */
    readonly pickFolder?: () => Promise<string | null>;
    /**
     * Shows the track's file in the system file manager (Electron's shell.showItemInFolder); false when the track or
     * its file is gone. Absent in the browser: the page cannot open the host's file manager.
     */
    readonly showInFolder?: (trackId: TrackId) => Promise<boolean>;
    /**
     * Whether this computer lets the desktop app record its own sound (getDisplayMedia with loopback audio), as the
     * main process judges from the OS and its version. Absent in the browser: the page asks the browser itself.
     */
    readonly systemAudioSupport?: () => Promise<SystemAudioSupport>;
  };

/**
 * The desktop app's answer to "can the computer's own sound be recorded here?": 'loopback' (getDisplayMedia's audio
 * is what the computer plays: Windows, macOS 13 or later, Linux with PulseAudio or PipeWire), 'macos-too-old' (macOS
 * before 13 has no loopback), 'unsupported-platform' (any other system).
 */
export type SystemAudioSupport = 'loopback' | 'macos-too-old' | 'unsupported-platform';
export const SYSTEM_AUDIO_SUPPORTS = ['loopback', 'macos-too-old', 'unsupported-platform'] as const satisfies readonly SystemAudioSupport[];
export const isSystemAudioSupport = (value: unknown): value is SystemAudioSupport => (SYSTEM_AUDIO_SUPPORTS as readonly unknown[]).includes(value);

/** Every LibraryApi method; a method missing here (or extra) fails to compile. */
export const LIBRARY_METHODS = [
  'getStatus',
  'listFolders',
  'addFolder',
  'removeFolder',
  'rescan',
  'cancelScan',
  'listTracks',
  'trackPosition',
  'listAlbums',
  'listArtists',
  'getTrack',
  'getArtwork',
  'listFailedFiles',
  'identifyClip',
  'tracklistClip',
  'cancelTracklist',
  'listenStart',
  'listenPush',
  'listenStop',
  'similarTracks',
  'listHistory',
  'getHistoryEntry',
  'deleteHistoryEntries',
  'clearHistory',
  'exportHistory',
  'listModels',
  'installModel',
  'cancelModelInstall',
  'useModel',
  'getNowPlayingFile',
  'setNowPlayingFile',
] as const satisfies readonly LibraryMethod[];
type MissingMethod = Exclude<LibraryMethod, (typeof LIBRARY_METHODS)[number]>;
const everyMethodListed: [MissingMethod] extends [never] ? true : MissingMethod = true;
void everyMethodListed;

export const LIBRARY_EVENTS = [
  'scanProgress',
  'scanFinished',
  'libraryChanged',
  'statusChanged',
  'modelProgress',
  'tracklistProgress',
] as const satisfies readonly LibraryEventName[];
type MissingEvent = Exclude<LibraryEventName, (typeof LIBRARY_EVENTS)[number]>;
const everyEventListed: [MissingEvent] extends [never] ? true : MissingEvent = true;
void everyEventListed;

/** IPC channel names, derived, never typed by hand. */
export const callChannel = (method: LibraryMethod) => `library:${method}` as const;
export const EVENT_CHANNEL = 'library:event';
export const PICK_FOLDER_CHANNEL = 'shell:pickFolder';
export const SHOW_IN_FOLDER_CHANNEL = 'shell:showInFolder';
export const SYSTEM_AUDIO_SUPPORT_CHANNEL = 'shell:systemAudioSupport';

/** Limits shared by every door (the engine enforces them too). */
export const LIMITS = {
  maxResults: 50,
  maxPerPage: 1000,
  /** A dropped file or an HTTP upload for the app's own door; the scripts' HTTP API takes 10 MB as the original design did. */
  maxClipBytes: 100 * 1024 * 1024,
  httpSearchMaxBytes: 10 * 1024 * 1024,
  /**
   * A long recording to list the songs of (tracklistClip, POST /api/v1/tracklist): 1 GiB holds 6 hours of 320 kbit/s
   * MP3 or 100 minutes of CD-quality WAV. Uploads to the browser host are streamed to a temporary file, never held whole.
   */
  maxTracklistBytes: 1024 * 1024 * 1024,
  /** PCM from the page: at most 10 minutes at 48 kHz. */
  maxPcmSamples: 48_000 * 600,
  minPcmRateHz: 8_000,
  maxPcmRateHz: 192_000,
  maxPathLength: 4096,
  maxSearchLength: 200,
  /** An artist or album name used as a filter (tags are free text; this only bounds the request). */
  maxTagLength: 1000,
  maxHistoryKeyLength: 100,
  /** History entry ids are history keys (UUIDs in the app) at most this long; one delete takes at most this many. */
  maxHistoryIdLength: 100,
  maxHistoryDeleteIds: 1000,
  maxRunIdLength: 100,
  maxModelIdLength: 64,
  /**
   * Listening sessions: Keep listening's rate, the most one push carries (10 s at 48 kHz: a clip session for the vibe
   * lane sends the device's rate), sessions at once, idle drop.
   */
  listenSampleRateHz: 8000,
  maxListenPushSamples: 48_000 * 10,
  maxListenSessions: 4,
  listenSessionIdleMs: 60_000,
} as const;

export type { AlbumSummary, AppErrorInfo, ArtistSummary, ExactMatch, ModelInfo, ModelProgress, TrackSummary, Tracklist, TracklistProgress };
