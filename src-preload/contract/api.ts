// The one interface the page talks to, whichever door it came through (Electron IPC or the browser host's
// HTTP + WebSocket). Plain signatures here; mapped types derive the async, Result-wrapped view (Signal's pattern).
// Imports types only; the few constants below are the derived channel names and the method list.
import type {
  AppErrorInfo,
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
  TrackDetail,
  TrackId,
  TrackPage,
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

export interface TrackQuery extends PageQuery {
  /**
   * Each word is the start of a word in the title, artist, album, file name or format ("beat" finds "Beatles");
   * all words must match; case- and accent-insensitive. Punctuation alone matches everything.
   */
  readonly search?: string;
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
  getTrack(trackId: TrackId): TrackDetail;
  /** The cover embedded in the track's file, or null. */
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
  /** "More like this": library tracks that sound like this one (itself excluded), best first; limit 1..50. */
  similarTracks(trackId: TrackId, limit: number): readonly VibeMatch[];
  listHistory(query: PageQuery): Page<HistoryEntry>;
  clearHistory(): void;
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
  };

/** Every LibraryApi method; a method missing here (or extra) fails to compile. */
export const LIBRARY_METHODS = [
  'getStatus',
  'listFolders',
  'addFolder',
  'removeFolder',
  'rescan',
  'cancelScan',
  'listTracks',
  'getTrack',
  'getArtwork',
  'listFailedFiles',
  'identifyClip',
  'tracklistClip',
  'cancelTracklist',
  'similarTracks',
  'listHistory',
  'clearHistory',
  'listModels',
  'installModel',
  'cancelModelInstall',
  'useModel',
] as const satisfies readonly LibraryMethod[];
type MissingMethod = Exclude<LibraryMethod, (typeof LIBRARY_METHODS)[number]>;
const everyMethodListed: [MissingMethod] extends [never] ? true : MissingMethod = true;
void everyMethodListed;

export const LIBRARY_EVENTS = ['scanProgress', 'scanFinished', 'libraryChanged', 'statusChanged', 'modelProgress', 'tracklistProgress'] as const satisfies readonly LibraryEventName[];
type MissingEvent = Exclude<LibraryEventName, (typeof LIBRARY_EVENTS)[number]>;
const everyEventListed: [MissingEvent] extends [never] ? true : MissingEvent = true;
void everyEventListed;

/** IPC channel names, derived, never typed by hand. */
export const callChannel = (method: LibraryMethod) => `library:${method}` as const;
export const EVENT_CHANNEL = 'library:event';
export const PICK_FOLDER_CHANNEL = 'shell:pickFolder';

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
  maxHistoryKeyLength: 100,
  maxRunIdLength: 100,
  maxModelIdLength: 64,
} as const;

export type { AppErrorInfo, ExactMatch, ModelInfo, ModelProgress, TrackSummary, Tracklist, TracklistProgress };
