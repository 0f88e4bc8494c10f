// The engine behind every door: implements the contract's LibraryApi (async, Result-wrapped) on one Library, with
// start-up health checks, one scan at a time fed by requests and by the folder watcher, History, and events.
// Also the vibe lane's models: on-demand downloads (one at a time per model, cancellable, resumable) and which
// embedder is active (remembered in the data folder; a chosen model that cannot load falls back to the built-in one).
// Owns the Library (catalog writer, landmark store) and the watcher: run it on one thread only, a worker in the
// app and in `serve` (see workers/library.worker.ts), in-process in tests.
import { createHash } from 'node:crypto';
import { existsSync, promises as fsp, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  AppStatus,
  Artwork,
  ComponentHealth,
  FolderSummary,
  HistoryDetail,
  HistoryEntry,
  HistoryExport,
  HistoryExportRequest,
  HistoryQuery,
  IdentifyRequest,
  LibraryEventName,
  ListenLogEntry,
  ListenPushRequest,
  ListenSessionRequest,
  ListenState,
  LibraryEvents,
  Notice,
  Page,
  PageQuery,
  TrackPositionQuery,
  TrackQuery,
  TracklistRequest,
  Unsubscribe,
} from '../../src-preload/contract/api.js';
import { LIMITS } from '../../src-preload/contract/api.js';
import type {
  AlbumSummary,
  AppErrorInfo,
  ArtistSummary,
  FailedFile,
  FolderId,
  IdentifyResult,
  ModelInfo,
  ModelProgress,
  Result,
  ScanProgress,
  ScanSummary,
  TrackDetail,
  TrackId,
  TrackPage,
  Tracklist,
  TracklistProgress,
  VibeMatch,
} from '../../src-preload/contract/library.js';
import { readFolderCover } from './audio/folderCover.js';
import { readArtwork } from './audio/readTags.js';
import { resamplePcm } from './audio/resample.js';
import { toFailedFile } from './catalog/catalog.js';
import { HistoryLog } from './catalog/history.js';
import { readActiveModelId, writeActiveModelId } from './embedding/activeModel.js';
import { BUILTIN_MODEL_ID, builtinManifestPath, readManifest } from './embedding/embedderManifest.js';
import { DOWNLOADABLE_MODELS, installedManifestPath, installModel, modelDir, modelState, type DownloadableManifest } from './embedding/modelRegistry.js';
import { AppError, toErrorInfo } from './errors.js';
import { checkClipLength } from './jobs/identifyClip.js';
import { ListenSession } from './jobs/listenSession.js';
import { removeFolderFromLibrary } from './jobs/scanFolders.js';
import { Library, type LibraryRunners } from './library.js';
import type { LibraryBackend, TracklistFileRequest } from './libraryBackend.js';
import { clearTempFiles, newTempPath, removeTempFile } from './tempFiles.js';
import { FolderWatcher, type FolderWatcherOptions } from './watch/folderWatcher.js';

export interface LibraryServiceOptions {
  readonly dataDir: string;
  readonly runners: LibraryRunners;
  /** Watch library folders for changes (default true). */
  readonly watch?: boolean;
  /** Scan every folder incrementally right after opening (default true). */
  readonly scanOnOpen?: boolean;
  readonly appVersion?: string;
  /** Test hooks for the watcher's timings. */
  readonly watcherOptions?: Partial<Omit<FolderWatcherOptions, 'onChange'>>;
  /**
   * The vibe lane's embedder manifest; null turns the lane off. Default: the model chosen with useModel (remembered
   * in the data folder), else the built-in one.
   */
  readonly embedderManifest?: string | null;
  /** The models offered for download (default DOWNLOADABLE_MODELS: CLAP); tests point this at a local server. */
  readonly downloadableModels?: readonly DownloadableManifest[];
  /** Named in the data folder's writer lock (default 'app'; `serve` says 'serve'). */
  readonly lockAs?: string;
  /** Where unexpected errors are logged in full (default console.error). */
  readonly log?: (message: string, error?: unknown) => void;
  /**
   * While a scan adds tracks, libraryChanged ('scan') goes out at most this often (default 2000 ms), so the page lists
   * tracks as they are found instead of only at the end of the first scan.
   */
  readonly scanChangeIntervalMs?: number;
  /** A listening session with no push for this long is dropped (default LIMITS.listenSessionIdleMs); tests shorten it. */
  readonly listenIdleMs?: number;
}

const DEFAULT_PER_PAGE = 50;
const PROGRESS_INTERVAL_MS = 250;
const SCAN_CHANGE_INTERVAL_MS = 2000;
/** modelProgress 'downloading' events: at most one per this many ms (phase changes always go out). */
const MODEL_PROGRESS_INTERVAL_MS = 250;

interface InstallJob {
  readonly abort: AbortController;
  readonly done: Promise<void>;
}

type Listener = (payload: never) => void;

export class LibraryService implements LibraryBackend {
  private readonly listeners = new Map<LibraryEventName, Set<Listener>>();
  private readonly notices: Notice[] = [];
  private readonly pendingRoots = new Set<string>();
  /** The roots of the scan in progress (empty when none runs). */
  private readonly scanningRoots = new Set<string>();
  private scanLoop: Promise<void> | undefined;
  private scanAbort: AbortController | undefined;
  private progress: ScanProgress | null = null;
  private lastScan: ScanSummary | null = null;
  private storeHealth: ComponentHealth = 'ok';
  private closed = false;
  private readonly watcher: FolderWatcher | undefined;
  private readonly history: HistoryLog | undefined;
  private readonly log: (message: string, error?: unknown) => void;
  private readonly models: readonly DownloadableManifest[];
  /** Running downloads, by model id. */
  private readonly installs = new Map<string, InstallJob>();
  /** Installed models that failed to load (damaged since): listed as 'corrupt' until downloaded again. */
  private readonly loadFailures = new Map<string, AppErrorInfo>();
  /** useModel calls run one after another. */
  private modelSwitch: Promise<unknown> = Promise.resolve();
  /** Running tracklists, by run id (cancelTracklist aborts one; close aborts and awaits them all). */
  private readonly tracklists = new Map<string, { readonly abort: AbortController; done: Promise<unknown> }>();
  /** Keep-listening sessions, by session id: calls on one session run one after another (`queue`). */
  private readonly listens = new Map<string, { readonly session: ListenSession; lastUsedMs: number; queue: Promise<unknown> }>();
  private listenSweep: ReturnType<typeof setInterval> | undefined;

  private constructor(
    private readonly options: LibraryServiceOptions,
    private readonly library: Library | undefined,
    /** Why the catalog could not be opened (then every call but getStatus answers with it). */
    private readonly unavailable: AppErrorInfo | undefined,
    /** Why the remembered vibe model is not the one in use (it fell back to the built-in model). */
    private readonly modelFallback: AppErrorInfo | undefined,
  ) {
    this.models = options.downloadableModels ?? DOWNLOADABLE_MODELS;
    this.log = options.log ?? ((message, error) => console.error(`audio-ident: ${message}`, error ?? ''));
    if (library) {
      this.history = new HistoryLog(library.catalog.db);
      if (options.watch ?? true) {
        this.watcher = new FolderWatcher({
          ...options.watcherOptions,
          onChange: (roots) => this.requestScan(roots, 'changed'),
          onError: (root, error) => this.log(`watching ${root} failed`, error),
        });
      }
    }
  }

  /**
   * Opens the library and runs the start-up checks. Never throws for a bad catalog: the service then reports it in
   * getStatus (catalog 'damaged', a 'catalog-unavailable' notice) and leaves the file untouched.
   */
  static async open(options: LibraryServiceOptions): Promise<LibraryService> {
    let library: Library | undefined;
    let unavailable: AppErrorInfo | undefined;
    let modelFallback: AppErrorInfo | undefined;
    // The remembered vibe model, unless the caller named one.
    let embedderManifest = options.embedderManifest;
    let chosenId: string | undefined;
    if (embedderManifest === undefined) {
      const id = readActiveModelId(options.dataDir);
      if (id !== BUILTIN_MODEL_ID) {
        if ((options.downloadableModels ?? DOWNLOADABLE_MODELS).some((m) => m.id === id)) {
          chosenId = id;
          embedderManifest = installedManifestPath(options.dataDir, id);
        } else {
          modelFallback = { code: 'model-missing', detail: `the vibe model ${id} is not offered by this version of the app; the built-in model is used instead` };
        }
      }
    }
    try {
      // The app's start-up check: version and integrity (quick_check) before anything is written.
      library = await Library.open(options.dataDir, options.runners, undefined, { verifyIntegrity: true, embedderManifest, lockAs: options.lockAs ?? 'app' });
      if (chosenId !== undefined && !library.vibe) {
        // The chosen model is missing or damaged: say so, and keep the lane working with the built-in model.
        const why = library.vibeError?.detail ?? 'it could not be loaded';
        modelFallback = { code: 'model-missing', detail: `the vibe model ${chosenId} could not be loaded (${why}); the built-in model is used instead` };
        await library.openVibe(undefined);
      }
    } catch (error) {
      unavailable = toErrorInfo(error);
      await options.runners.close();
    }
    const service = new LibraryService(options, library, unavailable, modelFallback);
    if (library) await clearTempFiles(options.dataDir); // uploads a crash left behind (this process holds the lock)
    await service.start();
    return service;
  }

  private async start(): Promise<void> {
    if (this.unavailable) {
      this.notices.push({ code: 'catalog-unavailable', error: this.unavailable });
      return;
    }
    const library = this.library!;
    if (this.modelFallback) this.notices.push({ code: 'model-unavailable', error: this.modelFallback });
    const { storeWasDamaged, storeWasMissing, repair } = library.opened;
    if (storeWasDamaged || storeWasMissing || repair.tracksToRefingerprint > 0) {
      this.storeHealth = 'rebuilding';
      const count = repair.tracksToRefingerprint;
      this.notices.push({
        code: 'store-rebuilding',
        detail: storeWasDamaged
          ? `The fingerprint index was damaged; it was set aside and is being rebuilt from your files (${count} tracks).`
          : storeWasMissing
            ? `The fingerprint index was missing; it is being rebuilt from your files (${count} tracks).`
            : `${count} tracks are being fingerprinted again.`,
      });
    }
    // Damage found later (a lookup or a write fails on a bad page): the store was replaced by an empty one.
    library.onStoreReplaced((replacement, count) => {
      this.log(`the fingerprint index was damaged (${replacement.reason}); moved to ${replacement.movedTo}`);
      this.storeHealth = 'rebuilding';
      this.dropNotices('store-rebuilt');
      this.dropNotices('store-rebuilding');
      this.notices.push({
        code: 'store-rebuilding',
        detail: `The fingerprint index was damaged; it was set aside and is being rebuilt from your files (${count} tracks).`,
      });
      this.requestScan(library.catalog.listFolders().map((f) => f.path));
      this.emitStatus();
    });
    const folders = library.catalog.listFolders();
    for (const folder of folders) {
      if (!existsSync(folder.path)) {
        this.notices.push({ code: 'folder-missing', detail: folder.path });
        continue;
      }
      await this.watcher?.add(folder.path);
    }
    if ((this.options.scanOnOpen ?? true) && folders.length > 0) this.requestScan(folders.map((f) => f.path));
  }

  // ---- events ----

  on<E extends LibraryEventName>(event: E, listener: (payload: LibraryEvents[E]) => void): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private emit<E extends LibraryEventName>(event: E, payload: LibraryEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (p: LibraryEvents[E]) => void)(payload);
      } catch (error) {
        this.log(`a ${event} listener threw`, error);
      }
    }
  }

  private emitStatus(): void {
    this.emit('statusChanged', this.status());
  }

  // ---- the contract ----

  getStatus(): Promise<Result<AppStatus>> {
    return this.run(() => this.status(), { whenUnavailable: true });
  }

  listFolders(): Promise<Result<readonly FolderSummary[]>> {
    return this.run(() => this.folderSummaries());
  }

  addFolder(folderPath: string): Promise<Result<FolderSummary>> {
    return this.run(async () => {
      const library = this.lib();
      const absolute = path.resolve(expandHome(folderPath));
      let stat;
      try {
        stat = await fsp.stat(absolute);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EACCES' || code === 'EPERM') throw new AppError('permission-denied', `cannot read ${absolute}`, { cause: error });
        throw new AppError('folder-not-found', `there is no folder at ${absolute}`, { cause: error });
      }
      if (!stat.isDirectory()) throw new AppError('folder-not-found', `${absolute} is a file, not a folder`);
      for (const other of library.catalog.listFolders()) {
        if (other.path === absolute) continue;
        if (isInside(absolute, other.path)) throw new AppError('invalid-argument', `${absolute} is already inside the library folder ${other.path}`);
        if (isInside(other.path, absolute)) {
          throw new AppError('invalid-argument', `the library folder ${other.path} is inside ${absolute}; remove it first, then add ${absolute}`);
        }
      }
      const row = library.catalog.getFolderByPath(absolute) ?? library.catalog.addFolder(absolute);
      await this.watcher?.add(absolute);
      this.emit('libraryChanged', { reason: 'folders' });
      this.requestScan([absolute]);
      return this.folderSummaries().find((f) => f.id === row.id)!;
    });
  }

  removeFolder(folderId: FolderId): Promise<Result<void>> {
    return this.run(async () => {
      const library = this.lib();
      const folder = library.catalog.getFolderById(folderId);
      if (!folder) throw new AppError('not-found', `no library folder ${folderId}`);
      // A scan of this folder must not race the removal: cancel and wait for the scan loop first.
      const wasScanning = this.scanLoop !== undefined;
      this.pendingRoots.delete(folder.path);
      if (wasScanning) {
        this.scanAbort?.abort();
        await this.scanLoop;
      }
      await this.watcher?.remove(folder.path);
      await removeFolderFromLibrary(library.catalog, library.store, folderId);
      library.vibe?.markStale();
      this.updateFolderNotices(); // a removed folder that was missing is no longer a missing library folder
      this.emit('libraryChanged', { reason: 'folders' });
      this.emitStatus();
      if (wasScanning) this.requestScan(library.catalog.listFolders().map((f) => f.path));
    });
  }

  rescan(): Promise<Result<void>> {
    return this.run(() => {
      this.requestScan(this.lib().catalog.listFolders().map((f) => f.path));
    });
  }

  cancelScan(): Promise<Result<void>> {
    return this.run(() => {
      this.pendingRoots.clear();
      this.scanAbort?.abort();
    });
  }

  listTracks(query: TrackQuery): Promise<Result<TrackPage>> {
    return this.run(() =>
      this.lib().listTracks({
        search: query?.search || undefined,
        page: query?.page ?? 1,
        perPage: query?.perPage ?? DEFAULT_PER_PAGE,
        ...(query?.sort !== undefined ? { sort: query.sort } : {}),
        ...(query?.direction !== undefined ? { direction: query.direction } : {}),
        ...(query?.artist !== undefined ? { artist: query.artist } : {}),
        ...(query?.album !== undefined ? { album: query.album } : {}),
        ...(query?.album !== undefined && query.albumArtist !== undefined ? { albumArtist: query.albumArtist } : {}),
      }),
    );
  }

  trackPosition(query: TrackPositionQuery): Promise<Result<number | null>> {
    return this.run(() =>
      this.lib().catalog.trackPosition({
        trackId: query.trackId,
        search: query.search || undefined,
        ...(query.sort !== undefined ? { sort: query.sort } : {}),
        ...(query.direction !== undefined ? { direction: query.direction } : {}),
        ...(query.artist !== undefined ? { artist: query.artist } : {}),
        ...(query.album !== undefined ? { album: query.album } : {}),
        ...(query.album !== undefined && query.albumArtist !== undefined ? { albumArtist: query.albumArtist } : {}),
      }),
    );
  }

  listAlbums(query: PageQuery): Promise<Result<Page<AlbumSummary>>> {
    return this.run(() => {
      const page = query?.page ?? 1;
      const perPage = query?.perPage ?? DEFAULT_PER_PAGE;
      return { ...this.lib().catalog.listAlbums({ page, perPage }), page, perPage };
    });
  }

  listArtists(query: PageQuery): Promise<Result<Page<ArtistSummary>>> {
    return this.run(() => {
      const page = query?.page ?? 1;
      const perPage = query?.perPage ?? DEFAULT_PER_PAGE;
      return { ...this.lib().catalog.listArtists({ page, perPage }), page, perPage };
    });
  }

  getTrack(trackId: TrackId): Promise<Result<TrackDetail>> {
    return this.run(() => {
      const track = this.lib().getTrack(trackId);
      return { ...track, fileMissing: !existsSync(track.filePath) };
    });
  }

  getArtwork(trackId: TrackId): Promise<Result<Artwork | null>> {
    return this.run(async () => {
      const track = this.lib().getTrack(trackId);
      const art = (await readArtwork(track.filePath).catch(() => null)) ?? (await readFolderCover(track.filePath));
      return art ? { mimeType: art.mime, bytes: art.data } : null;
    });
  }

  listFailedFiles(query: PageQuery): Promise<Result<Page<FailedFile>>> {
    return this.run(() => {
      const catalog = this.lib().catalog;
      const page = query?.page ?? 1;
      const perPage = query?.perPage ?? DEFAULT_PER_PAGE;
      const items = catalog.listFailedFiles(perPage, (page - 1) * perPage).map(toFailedFile);
      return { items, total: catalog.countFilesByStatus().failed, page, perPage };
    });
  }

  /** signal: aborting (an HTTP timeout, a cancel message) stops the identify's work and answers 'cancelled'. */
  identifyClip(request: IdentifyRequest, signal?: AbortSignal): Promise<Result<IdentifyResult>> {
    return this.run(async () => {
      const library = this.lib();
      const started = performance.now();
      const options = { maxResults: request.maxResults, mode: request.mode, ...(signal ? { signal } : {}) };
      let result: IdentifyResult;
      if (request.audio.kind === 'pcm') {
        const { samples, sampleRateHz } = request.audio;
        // Refused before resampling: hours of PCM must not be resampled only to be turned down.
        checkClipLength(samples.length, sampleRateHz);
        const pcm = sampleRateHz === library.config.sampleRateHz ? samples : resamplePcm(samples, sampleRateHz, library.config.sampleRateHz);
        result = await library.identify(pcm, options, started);
      } else {
        result = await library.identifyBytes(request.audio.bytes, options);
      }
      if (request.historyKey !== undefined) this.remember(request, result);
      return result;
    });
  }

  /**
   * The songs of a long recording sent as bytes (a dropped file): written to the data folder's tmp/ (ffmpeg decodes
   * it streaming from there, so hours of audio never sit in memory as PCM), listed, deleted.
   */
  tracklistClip(request: TracklistRequest, signal?: AbortSignal): Promise<Result<Tracklist>> {
    return this.run(async () => {
      const { bytes, fileName } = request.audio;
      if (bytes.byteLength > LIMITS.maxTracklistBytes) {
        throw new AppError('file-too-large', `the recording is ${Math.round(bytes.byteLength / 1e6)} MB; the limit is ${LIMITS.maxTracklistBytes / 2 ** 20} MB`);
      }
      // The run is registered before anything is awaited: its id is taken, and cancelTracklist reaches it, at once.
      return this.listSongs(request.runId, signal, async (run) => {
        const filePath = await newTempPath(this.options.dataDir, fileName);
        try {
          await fsp.writeFile(filePath, bytes, { mode: 0o600 });
          return await run(filePath);
        } finally {
          await removeTempFile(filePath);
        }
      });
    });
  }

  /** tracklistClip on a file a host already wrote (a streamed upload); the caller deletes it. */
  tracklistFile(request: TracklistFileRequest, signal?: AbortSignal): Promise<Result<Tracklist>> {
    return this.run(() => this.listSongs(request.runId, signal, (run) => run(request.filePath)));
  }

  cancelTracklist(runId: string): Promise<Result<void>> {
    return this.run(() => {
      this.tracklists.get(runId)?.abort.abort();
    });
  }

  /**
   * Registers the run `runId` (refused while one with that id runs), then lets `body` call `run(filePath)`: the
   * library's tracklist of the file, with progress events (at most one per PROGRESS_INTERVAL_MS, plus the first and
   * the last) and cancellation by the caller's signal, cancelTracklist or close.
   */
  private async listSongs(runId: string, signal: AbortSignal | undefined, body: (run: (filePath: string) => Promise<Tracklist>) => Promise<Tracklist>): Promise<Tracklist> {
    const library = this.lib();
    if (this.tracklists.has(runId)) throw new AppError('invalid-argument', `a tracklist with run id ${runId} is already running`);
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) controller.abort();
    let settle: () => void = () => undefined;
    const job = { abort: controller, done: new Promise<unknown>((resolve) => (settle = () => resolve(undefined))) };
    this.tracklists.set(runId, job);
    let lastSentMs = -Infinity;
    const send = (progress: TracklistProgress, force = false): void => {
      const now = performance.now();
      if (!force && now - lastSentMs < PROGRESS_INTERVAL_MS) return;
      lastSentMs = now;
      this.emit('tracklistProgress', { runId, ...progress });
    };
    try {
      return await body(async (filePath) => {
        if (controller.signal.aborted) throw new AppError('cancelled', 'tracklist cancelled');
        send({ doneSeconds: 0, totalSeconds: null, songs: 0 }, true);
        const list = await library.tracklistFile(filePath, { signal: controller.signal, onProgress: (p) => send(p) });
        send({ doneSeconds: list.durationSeconds, totalSeconds: list.durationSeconds, songs: list.segments.filter((s) => s.track).length }, true);
        return list;
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.tracklists.delete(runId);
      settle();
    }
  }

  /**
   * Keep listening. A session is a stream matcher over the library (ListenSession); each push adds only the new audio
   * (8 kHz mono from the page's worklet). Each song is written to History once, when it is confirmed. At most
   * LIMITS.maxListenSessions at once ('library-busy' beyond); one with no call for listenIdleMs is dropped.
   */
  listenStart(request: ListenSessionRequest): Promise<Result<ListenState>> {
    return this.run(() => {
      const library = this.lib();
      this.sweepListens();
      const { sessionId } = request;
      if (this.listens.has(sessionId)) throw new AppError('invalid-argument', `a listening session with id ${sessionId} is already open`);
      if (this.listens.size >= LIMITS.maxListenSessions) {
        throw new AppError('library-busy', `${LIMITS.maxListenSessions} listening sessions are open already; stop one first`);
      }
      const session = new ListenSession(library.identifyDeps(), (entry) => this.rememberHeard(sessionId, entry));
      this.listens.set(sessionId, { session, lastUsedMs: Date.now(), queue: Promise.resolve() });
      this.listenSweep ??= setInterval(() => this.sweepListens(), Math.max(1000, Math.min(15_000, this.listenIdleMs() / 4)));
      this.listenSweep.unref?.();
      return { sessionId, ...session.state() };
    });
  }

  listenPush(request: ListenPushRequest): Promise<Result<ListenState>> {
    return this.run(() => this.onListen(request.sessionId, async (session) => ({ sessionId: request.sessionId, ...(await session.push(request.samples)) })));
  }

  listenStop(request: ListenSessionRequest): Promise<Result<ListenState>> {
    return this.run(() =>
      this.onListen(request.sessionId, async (session) => {
        try {
          return { sessionId: request.sessionId, ...(await session.stop()) };
        } finally {
          this.listens.delete(request.sessionId);
        }
      }),
    );
  }

  /** Runs `body` on the session after the calls already made on it. */
  private onListen<T>(sessionId: string, body: (session: ListenSession) => Promise<T>): Promise<T> {
    this.lib();
    this.sweepListens();
    const entry = this.listens.get(sessionId);
    if (!entry) throw new AppError('not-found', 'that listening session has ended (stopped, or no audio for a minute)');
    entry.lastUsedMs = Date.now();
    const next = entry.queue.then(() => body(entry.session));
    entry.queue = next.catch(() => undefined);
    return next.finally(() => (entry.lastUsedMs = Date.now()));
  }

  private listenIdleMs(): number {
    return this.options.listenIdleMs ?? LIMITS.listenSessionIdleMs;
  }

  private sweepListens(): void {
    const now = Date.now();
    for (const [id, entry] of this.listens) if (now - entry.lastUsedMs > this.listenIdleMs()) this.listens.delete(id);
    if (this.listens.size === 0 && this.listenSweep) {
      clearInterval(this.listenSweep);
      this.listenSweep = undefined;
    }
  }

  /** A song a listening session confirmed: one History entry (not one per push). */
  private rememberHeard(sessionId: string, entry: ListenLogEntry): void {
    if (!entry.track || this.closed) return;
    try {
      this.history!.record({
        key: `listen:${sessionId}:${entry.id}`,
        source: 'mic',
        clipName: null,
        clipSeconds: Math.max(0, entry.endSeconds - entry.startSeconds),
        mode: 'exact',
        match: {
          trackId: entry.track.id,
          title: entry.track.title,
          artist: entry.track.artist,
          album: entry.track.album,
          offsetSeconds: entry.offsetSeconds ?? 0,
          confidence: entry.confidence ?? 0,
        },
        result: null,
        trackFileName: lastPathComponent(entry.track.filePath),
      });
      this.emit('libraryChanged', { reason: 'history' });
    } catch (error) {
      this.log('keep listening: the song could not be written to History', error);
    }
  }

  similarTracks(trackId: TrackId, limit: number): Promise<Result<readonly VibeMatch[]>> {
    return this.run(() => this.lib().similarTracks(trackId, limit));
  }

  listHistory(query: HistoryQuery): Promise<Result<Page<HistoryEntry>>> {
    return this.run(() => {
      this.lib();
      return this.history!.list(query?.page ?? 1, query?.perPage ?? DEFAULT_PER_PAGE, query?.search);
    });
  }

  getHistoryEntry(entryId: string): Promise<Result<HistoryDetail>> {
    return this.run(() => {
      this.lib();
      const detail = this.history!.get(entryId);
      if (!detail) throw new AppError('not-found', 'that History entry was deleted');
      return detail;
    });
  }

  deleteHistoryEntries(entryIds: readonly string[]): Promise<Result<number>> {
    return this.run(() => {
      this.lib();
      const deleted = this.history!.delete(entryIds);
      if (deleted > 0) this.emit('libraryChanged', { reason: 'history' });
      return deleted;
    });
  }

  exportHistory(request: HistoryExportRequest): Promise<Result<HistoryExport>> {
    return this.run(() => {
      this.lib();
      return this.history!.export(request.format, request.search);
    });
  }

  clearHistory(): Promise<Result<void>> {
    return this.run(() => {
      this.lib();
      this.history!.clear();
      this.emit('libraryChanged', { reason: 'history' });
    });
  }

  // ---- the vibe lane's models ----

  listModels(): Promise<Result<readonly ModelInfo[]>> {
    return this.run(async () => {
      const activeId = this.lib().vibe?.modelId ?? null;
      const out: ModelInfo[] = [];
      try {
        const b = readManifest(builtinManifestPath());
        out.push({
          id: b.id,
          description: b.description ?? 'Built-in model (works offline)',
          license: b.license,
          sizeBytes: b.sizeBytes,
          dim: b.dim,
          state: 'builtin',
          downloadedBytes: b.sizeBytes,
          active: activeId === b.id,
          installing: false,
        });
      } catch (error) {
        this.log('the built-in model is missing', error);
      }
      for (const m of this.models) {
        let state = await modelState(this.options.dataDir, m);
        if (state === 'installed' && this.loadFailures.has(m.id)) state = 'corrupt';
        out.push({
          id: m.id,
          description: m.description ?? m.id,
          license: m.license,
          sizeBytes: m.sizeBytes,
          dim: m.dim,
          state,
          downloadedBytes: state === 'installed' ? m.sizeBytes : state === 'partial' ? await partialBytes(this.options.dataDir, m) : 0,
          active: activeId === m.id,
          installing: this.installs.has(m.id),
        });
      }
      return out;
    });
  }

  installModel(modelId: string): Promise<Result<void>> {
    return this.run(() => {
      const m = this.downloadable(modelId);
      if (this.installs.has(m.id) || this.closed) return;
      const abort = new AbortController();
      const done = this.runInstall(m, abort.signal).finally(() => this.installs.delete(m.id));
      this.installs.set(m.id, { abort, done });
    });
  }

  cancelModelInstall(modelId: string): Promise<Result<void>> {
    return this.run(async () => {
      const job = this.installs.get(this.downloadable(modelId).id);
      if (!job) return;
      job.abort.abort();
      await job.done; // the 'cancelled' event has gone out and the partial file is on disk
    });
  }

  useModel(modelId: string): Promise<Result<void>> {
    const body = () =>
      this.run(async () => {
        const library = this.lib();
        const dataDir = this.options.dataDir;
        let manifestPath: string | undefined;
        if (modelId !== BUILTIN_MODEL_ID) {
          const m = this.downloadable(modelId);
          if (this.installs.has(m.id)) throw new AppError('model-missing', `${m.id} is still downloading`);
          const state = await modelState(dataDir, m);
          if (state !== 'installed') throw new AppError('model-missing', `${m.id} is not downloaded (${state}): download it first`);
          manifestPath = installedManifestPath(dataDir, m.id);
        }
        if (library.vibe?.modelId !== modelId) {
          try {
            await library.switchVibe(manifestPath);
          } catch (error) {
            const info = toErrorInfo(error);
            if (!(error instanceof AppError)) this.log(`loading the vibe model ${modelId} failed`, error);
            if (modelId !== BUILTIN_MODEL_ID) this.loadFailures.set(modelId, info);
            if (!library.vibe) await library.openVibe(undefined); // never dark: the built-in model at least
            this.emitStatus();
            throw new AppError(
              'model-missing',
              `${modelId} could not be loaded (${info.detail ?? info.code}); the vibe lane keeps using ${library.vibe?.modelId ?? 'no model'}`,
              { cause: error },
            );
          }
        }
        this.loadFailures.delete(modelId);
        writeActiveModelId(dataDir, modelId);
        this.dropNotices('model-unavailable');
        // Re-embed the library with the new model: a scan in progress (embedding with the old one) restarts.
        const roots = library.catalog.listFolders().map((f) => f.path);
        if (roots.length > 0) {
          this.scanAbort?.abort();
          this.requestScan(roots, 'changed'); // the running scan embeds with the old model: scan again
        }
        this.emitStatus();
      });
    const next = this.modelSwitch.then(body, body);
    this.modelSwitch = next;
    return next;
  }

  private downloadable(modelId: string): DownloadableManifest {
    const m = this.models.find((x) => x.id === modelId);
    if (!m) {
      throw new AppError('not-found', modelId === BUILTIN_MODEL_ID ? `${modelId} is built in: it needs no download` : `no downloadable model ${modelId}`);
    }
    return m;
  }

  /** Downloads, verifies and installs one model, telling the page how it goes; never throws. */
  private async runInstall(m: DownloadableManifest, signal: AbortSignal): Promise<void> {
    const dataDir = this.options.dataDir;
    const totalBytes = m.sizeBytes;
    let lastEmitMs = -Infinity;
    let lastPhase: ModelProgress['phase'] | undefined;
    const send = (phase: ModelProgress['phase'], receivedBytes: number, error?: AppErrorInfo): void => {
      const now = performance.now();
      if (phase === 'downloading' && phase === lastPhase && now - lastEmitMs < MODEL_PROGRESS_INTERVAL_MS) return;
      lastEmitMs = now;
      lastPhase = phase;
      this.emit('modelProgress', { modelId: m.id, phase, receivedBytes, totalBytes, ...(error ? { error } : {}) });
    };
    const have = await partialBytes(dataDir, m);
    send(have >= totalBytes ? 'verifying' : 'downloading', have);
    try {
      await installModel(dataDir, m, {
        signal,
        onProgress: (p) => send(p.receivedBytes >= p.totalBytes ? 'verifying' : 'downloading', p.receivedBytes),
      });
      this.loadFailures.delete(m.id);
      send('installed', totalBytes);
    } catch (error) {
      const received = await partialBytes(dataDir, m);
      if (error instanceof AppError && error.code === 'cancelled') send('cancelled', received);
      else {
        if (!(error instanceof AppError)) this.log(`downloading ${m.id} failed`, error);
        send('failed', received, toErrorInfo(error));
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of [...this.installs.values(), ...this.tracklists.values()]) job.abort.abort();
    if (this.listenSweep) clearInterval(this.listenSweep);
    this.listenSweep = undefined;
    await Promise.all([...this.listens.values()].map((l) => l.queue));
    this.listens.clear();
    await Promise.all([...this.installs.values(), ...this.tracklists.values()].map((j) => j.done));
    this.pendingRoots.clear();
    this.scanAbort?.abort();
    await this.scanLoop;
    await this.watcher?.close();
    await this.library?.close();
    this.listeners.clear();
  }

  // ---- scanning ----

  /**
   * Queues an incremental scan of `roots`; one scan runs at a time, requests made meanwhile run next, merged.
   * `why`: 'asked' (add a folder, rescan: the folder must be scanned, so a root the running scan already covers is
   * not queued again, e.g. a repeated addFolder) or 'changed' (the watcher saw files change: scan again after the
   * running scan, which may have walked past them).
   */
  private requestScan(roots: readonly string[], why: 'asked' | 'changed' = 'asked'): void {
    if (this.closed || !this.library) return;
    for (const root of roots) {
      if (why === 'asked' && this.scanningRoots.has(root)) continue;
      this.pendingRoots.add(root);
    }
    if (this.pendingRoots.size === 0) return;
    this.scanLoop ??= this.runScans().finally(() => {
      this.scanLoop = undefined;
    });
  }

  private async runScans(): Promise<void> {
    const library = this.library!;
    while (this.pendingRoots.size > 0 && !this.closed) {
      const asked = [...this.pendingRoots];
      this.pendingRoots.clear();
      // A folder that is gone (deleted, an unplugged drive) is not scanned: it is reported missing and its tracks are
      // kept until it comes back. No scan starts for it, so the page's progress card is left as it was.
      const roots = asked.filter((root) => isDirectory(root));
      if (roots.length < asked.length) {
        this.updateFolderNotices();
        this.emitStatus();
      }
      if (roots.length === 0) continue;
      this.scanningRoots.clear();
      for (const root of roots) this.scanningRoots.add(root);
      const abort = new AbortController();
      this.scanAbort = abort;
      this.progress = { phase: 'walking', filesDone: 0, filesTotal: 0, currentFile: null, audioSecondsPerSecond: 0 };
      this.emitStatus();
      try {
        // The walk's 'done' comes before the scan's last steps (compaction, the vibe index): it goes out with the
        // summary, so the page never shows "Done" beside the previous scan's summary.
        let done: ScanProgress | undefined;
        const changeIntervalMs = this.options.scanChangeIntervalMs ?? SCAN_CHANGE_INTERVAL_MS;
        let changeAt = performance.now();
        let changeFilesDone = 0;
        const summary = await library.scan(roots, {
          signal: abort.signal,
          progressIntervalMs: PROGRESS_INTERVAL_MS,
          onProgress: (progress) => {
            if (progress.phase === 'done') {
              done = progress;
              return;
            }
            this.progress = progress;
            this.emit('scanProgress', progress);
            // Files were handled since the last change push (new tracks are in the catalog from the moment they are
            // probed): let the page re-read its list now, not only when the whole scan ends.
            const now = performance.now();
            if (progress.phase === 'indexing' && progress.filesDone > changeFilesDone && now - changeAt >= changeIntervalMs) {
              changeAt = now;
              changeFilesDone = progress.filesDone;
              this.emit('libraryChanged', { reason: 'scan' });
            }
          },
        });
        this.lastScan = summary;
        this.updateFolderNotices();
        if (!summary.cancelled && this.storeHealth === 'rebuilding' && library.catalog.listTrackNumsByFingerprintStatus('pending').length === 0) {
          this.storeHealth = 'ok';
          this.dropNotices('store-rebuilding');
          this.notices.push({ code: 'store-rebuilt', detail: 'The fingerprint index is complete again.' });
        }
        this.dropNotices('scan-failed');
        if (done) {
          this.progress = done;
          this.emit('scanProgress', done);
        }
        this.emit('scanFinished', summary);
      } catch (error) {
        this.log('a scan failed', error);
        this.dropNotices('scan-failed');
        this.notices.push({ code: 'scan-failed', error: toErrorInfo(error) });
      } finally {
        this.scanAbort = undefined;
        this.progress = null;
        this.scanningRoots.clear();
      }
      this.emit('libraryChanged', { reason: 'scan' });
      this.emitStatus();
    }
  }

  // ---- helpers ----

  private lib(): Library {
    if (!this.library) throw new AppError(this.unavailable?.code ?? 'internal', this.unavailable?.detail);
    if (this.closed) throw new AppError('internal', 'the library is closed');
    return this.library;
  }

  /** Runs a method body and wraps its outcome; AppErrors become their code, anything else is logged as internal. */
  private async run<T>(body: () => T | Promise<T>, opts: { whenUnavailable?: boolean } = {}): Promise<Result<T>> {
    try {
      if (!opts.whenUnavailable) this.lib();
      return { ok: true, value: await body() };
    } catch (error) {
      if (!(error instanceof AppError)) this.log('unexpected error', error);
      return { ok: false, error: toErrorInfo(error) };
    }
  }

  private status(): AppStatus {
    const library = this.library;
    const counts = library?.catalog.countFilesByStatus();
    return {
      appVersion: this.options.appVersion ?? '0.0.0',
      dataDir: this.options.dataDir,
      catalog: library ? 'ok' : this.unavailable?.code === 'library-busy' ? 'absent' : 'damaged',
      landmarkStore: library ? this.storeHealth : 'absent',
      vectorIndex: library?.vibe ? (library.vibe.indexedTrackCount < (library.catalog.countTracks() ?? 0) && this.progress ? 'rebuilding' : 'ok') : 'absent',
      trackCount: library?.catalog.countTracks() ?? 0,
      failedFileCount: counts?.failed ?? 0,
      scan: this.progress,
      lastScan: this.lastScan,
      notices: [...this.notices],
      modes: library ? (library.vibe ? ['exact', 'vibe', 'both'] : ['exact']) : [],
    };
  }

  private folderSummaries(): FolderSummary[] {
    const catalog = this.lib().catalog;
    const counts = new Map(
      (catalog.db.prepare(`SELECT folder_id AS id, COUNT(*) AS n FROM files WHERE status = 'track' GROUP BY folder_id`).all() as { id: number; n: number }[]).map(
        (r) => [r.id, r.n],
      ),
    );
    return catalog.listFolders().map((f) => ({
      id: f.id,
      path: f.path,
      exists: existsSync(f.path),
      trackCount: counts.get(f.id) ?? 0,
      lastScannedAt: f.lastScanAt,
    }));
  }

  private updateFolderNotices(): void {
    this.dropNotices('folder-missing');
    for (const folder of this.library!.catalog.listFolders()) {
      if (!existsSync(folder.path)) this.notices.push({ code: 'folder-missing', detail: folder.path });
    }
  }

  private dropNotices(code: Notice['code']): void {
    for (let i = this.notices.length - 1; i >= 0; i--) if (this.notices[i].code === code) this.notices.splice(i, 1);
  }

  private remember(request: IdentifyRequest, result: IdentifyResult): void {
    const best = result.exact[0];
    const vibe = best ? undefined : result.vibe[0];
    const shown = best?.track ?? vibe?.track;
    this.history!.record({
      key: request.historyKey ?? null,
      source: request.source,
      clipName: request.audio.kind === 'file' ? request.audio.fileName : null,
      // The same bytes dropped again count on one entry (why bytes, not path + mtime: see migration 0070).
      clipSha256: request.audio.kind === 'file' ? createHash('sha256').update(request.audio.bytes).digest('hex') : null,
      result,
      trackFileName: shown ? lastPathComponent(shown.filePath) : null,
      clipSeconds: result.clipSeconds,
      mode: request.mode,
      match: best
        ? {
            trackId: best.track.id,
            title: best.track.title,
            artist: best.track.artist,
            album: best.track.album,
            offsetSeconds: best.offsetSeconds,
            confidence: best.confidence,
          }
        : null,
      // What a vibe Listen showed ("sounds like X"), so it is not remembered as "not in library".
      soundsLike: vibe ? { trackId: vibe.track.id, title: vibe.track.title, artist: vibe.track.artist, similarity: vibe.similarity } : null,
    });
    this.emit('libraryChanged', { reason: 'history' });
  }
}

/** The file name of a path written on any system ('/' or '\\' separated). */
function lastPathComponent(filePath: string): string {
  return filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
}

/** Bytes of a model on disk: its partial download, else its installed file, else 0. */
async function partialBytes(dataDir: string, m: DownloadableManifest): Promise<number> {
  const file = path.join(modelDir(dataDir, m.id), m.file);
  for (const candidate of [`${file}.part`, file]) {
    const size = await fsp.stat(candidate).then((st) => st.size, () => -1);
    if (size >= 0) return size;
  }
  return 0;
}

/** "~" and "~/x" name the user's home folder (the page cannot know it, so the engine expands it). */
export function expandHome(folderPath: string): string {
  if (folderPath === '~') return os.homedir();
  if (folderPath.startsWith('~/') || folderPath.startsWith('~\\')) return path.join(os.homedir(), folderPath.slice(2));
  return folderPath;
}

function isDirectory(folderPath: string): boolean {
  try {
    return statSync(folderPath).isDirectory();
  } catch {
    return false;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
