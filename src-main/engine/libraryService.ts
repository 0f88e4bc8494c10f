// The engine behind every door: implements the contract's LibraryApi (async, Result-wrapped) on one Library. A thin facade: each call checks the
// library is open, hands the work to the collaborator that owns it (service/: the scan scheduler, the model manager, History, the health notices,
// tracklist runs, listening sessions and the now-playing file, library folders) and wraps the outcome in a Result. Owns the LibraryEngine (catalog
// writer, landmark store) and the folder watcher: run it on one thread only, a worker in the app and in `serve` (library.worker.ts), in-process in tests.
import { existsSync } from 'node:fs';
import type {
  AppStatus,
  Artwork,
  FolderSummary,
  HistoryDetail,
  HistoryEntry,
  HistoryExport,
  HistoryExportRequest,
  HistoryQuery,
  IdentifyRequest,
  LibraryEventName,
  LibraryEvents,
  ListenPushRequest,
  ListenSessionRequest,
  ListenStartRequest,
  ListenState,
  NowPlayingFileSetting,
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
  Result,
  TrackDetail,
  TrackId,
  TrackPage,
  Tracklist,
  VibeMatch,
} from '../../src-preload/contract/library.js';
import { DOWNLOADABLE_MODELS } from './embedding/modelRegistry.js';
import { AppError, toErrorInfo } from './errors.js';
import { removeFolderFromLibrary } from './jobs/scanRemoval.js';
import type { LibraryEngine } from './libraryEngine.js';
import type { LibraryBackend, TracklistFileRequest } from './libraryBackend.js';
import { HistoryKeeper } from './service/historyKeeper.js';
import { identifyRequest } from './service/identifyRequest.js';
import { checkNewFolder, folderSummaries } from './service/libraryFolders.js';
import { albumsPage, artistsPage, failedFilesPage, trackArtwork, trackDetail, trackPosition, tracksPage } from './service/libraryPages.js';
import { ListenSessions } from './service/listenSessions.js';
import { ModelManager } from './service/modelManager.js';
import { NowPlayingFile } from './service/nowPlayingFile.js';
import { openOwnedLibrary } from './service/openOwnedLibrary.js';
import { ScanScheduler } from './service/scanScheduler.js';
import { ServiceEvents } from './service/serviceEvents.js';
import { ServiceHealth } from './service/serviceHealth.js';
import type { LibraryServiceOptions } from './service/serviceOptions.js';
import { TracklistRuns } from './service/tracklistRuns.js';
import { clearTempFiles } from './tempFiles.js';
import { FolderWatcher } from './watch/folderWatcher.js';

export { expandHome } from './service/libraryFolders.js';
export type { LibraryServiceOptions } from './service/serviceOptions.js';

/** What exists only when the catalog could be opened. */
interface OpenLibrary {
  readonly library: LibraryEngine;
  readonly scans: ScanScheduler;
  readonly history: HistoryKeeper;
}

export class LibraryService implements LibraryBackend {
  private readonly events: ServiceEvents;
  private readonly health = new ServiceHealth();
  private readonly opened: OpenLibrary | undefined;
  private readonly models: ModelManager;
  private readonly tracklists: TracklistRuns;
  private readonly listens: ListenSessions;
  private readonly nowPlaying: NowPlayingFile;
  private readonly watcher: FolderWatcher | undefined;
  private readonly log: (message: string, error?: unknown) => void;
  private closed = false;

  private constructor(
    private readonly options: LibraryServiceOptions,
    library: LibraryEngine | undefined,
    /** Why the catalog could not be opened (then every call but getStatus answers with it). */
    private readonly unavailable: AppErrorInfo | undefined,
  ) {
    this.log = options.log ?? ((message, error) => console.error(`audio-ident: ${message}`, error ?? ''));
    this.events = new ServiceEvents(this.log);
    const emit = this.events.emit;
    const emitStatus = (): void => this.emitStatus();
    if (library) {
      const { scanChangeIntervalMs } = options;
      const scans = new ScanScheduler({ library, health: this.health, emit, emitStatus, log: this.log, scanChangeIntervalMs, scanLimits: options.scanLimits });
      this.opened = { library, scans, history: new HistoryKeeper(library.catalog.history, emit) };
      if (options.watch ?? true) {
        this.watcher = new FolderWatcher({
          ...options.watcherOptions,
          onChange: (roots) => this.requestScan(roots, 'changed'),
          onError: (root, error) => this.log(`watching ${root} failed`, error),
        });
      }
    }
    this.models = new ModelManager({
      dataDir: options.dataDir,
      models: options.downloadableModels ?? DOWNLOADABLE_MODELS,
      library: () => this.ready().library,
      emit,
      log: this.log,
      emitStatus,
      switched: () => {
        this.health.modelAvailable();
        // Re-embed the library with the new model: a scan in progress (embedding with the old one) restarts.
        this.opened?.scans.restart(this.folderPaths());
        emitStatus();
      },
    });
    this.tracklists = new TracklistRuns(emit);
    const history = (): HistoryKeeper | undefined => (this.closed ? undefined : this.opened?.history);
    this.listens = new ListenSessions(options.listenIdleMs ?? LIMITS.listenSessionIdleMs, history, this.log, options.listenClock);
    this.nowPlaying = new NowPlayingFile({ dataDir: options.dataDir, log: this.log, owner: library !== undefined && options.lockAs !== null });
  }

  /**
   * Opens the library and runs the start-up checks. Never throws for a bad catalog: the service then reports it in
   * getStatus (catalog 'damaged', a 'catalog-unavailable' notice) and leaves the file untouched.
   */
  static async open(options: LibraryServiceOptions): Promise<LibraryService> {
    const { library, unavailable, modelFallback } = await openOwnedLibrary(options);
    const service = new LibraryService(options, library, unavailable);
    if (library && options.lockAs !== null) await clearTempFiles(options.dataDir); // uploads a crash left behind (this process holds the lock)
    await service.start(modelFallback);
    return service;
  }

  private async start(modelFallback: AppErrorInfo | undefined): Promise<void> {
    if (!this.opened) {
      this.health.catalogUnavailable(this.unavailable ?? { code: 'internal' });
      return;
    }
    const { library } = this.opened;
    if (modelFallback) this.health.modelUnavailable(modelFallback);
    this.health.storeOpened(library.opened);
    library.onStoreReplaced((replacement, count) => {
      this.log(`the fingerprint index was damaged (${replacement.reason}); moved to ${replacement.movedTo}`);
      this.health.storeReplaced(count);
      this.requestScan(this.folderPaths());
      this.emitStatus();
    });
    const folders = this.folderPaths();
    this.health.checkFolders(folders);
    for (const folder of folders) if (existsSync(folder)) await this.watcher?.add(folder);
    if ((this.options.scanOnOpen ?? true) && folders.length > 0) this.requestScan(folders);
    if (this.options.warmSearchHelper ?? true) library.keepSearchHelperWarm();
  }

  on<E extends LibraryEventName>(event: E, listener: (payload: LibraryEvents[E]) => void): Unsubscribe {
    return this.events.on(event, listener);
  }

  // ---- status and folders ----

  getStatus(): Promise<Result<AppStatus>> {
    return this.run(() => this.status(), { whenUnavailable: true });
  }

  listFolders(): Promise<Result<readonly FolderSummary[]>> {
    return this.run(() => folderSummaries(this.ready().library.catalog));
  }

  addFolder(folderPath: string): Promise<Result<FolderSummary>> {
    return this.run(async () => {
      const { catalog } = this.ready().library;
      const absolute = await checkNewFolder(catalog, folderPath);
      const row = catalog.getFolderByPath(absolute) ?? catalog.addFolder(absolute);
      await this.watcher?.add(absolute);
      this.events.emit('libraryChanged', { reason: 'folders' });
      this.requestScan([absolute]);
      return folderSummaries(catalog).find((f) => f.id === row.id)!;
    });
  }

  removeFolder(folderId: FolderId): Promise<Result<void>> {
    return this.run(async () => {
      const { library, scans } = this.ready();
      const folder = library.catalog.getFolderById(folderId);
      if (!folder) throw new AppError('not-found', `no library folder ${folderId}`);
      // A scan of this folder must not race the removal: cancel and wait for the scan loop first.
      const wasScanning = await scans.stopFor(folder.path);
      await this.watcher?.remove(folder.path);
      await removeFolderFromLibrary(library.catalog, library.store, folderId);
      library.vibe?.markStale();
      this.health.checkFolders(this.folderPaths()); // a removed folder that was missing is no longer a missing library folder
      this.events.emit('libraryChanged', { reason: 'folders' });
      this.emitStatus();
      if (wasScanning) this.requestScan(this.folderPaths());
    });
  }

  rescan(): Promise<Result<void>> {
    return this.run(() => this.requestScan(this.folderPaths()));
  }

  cancelScan(): Promise<Result<void>> {
    return this.run(() => this.ready().scans.cancel());
  }

  // ---- browsing (service/libraryPages.ts) ----

  listTracks(query: TrackQuery): Promise<Result<TrackPage>> {
    return this.run(() => tracksPage(this.ready().library, query));
  }

  trackPosition(query: TrackPositionQuery): Promise<Result<number | null>> {
    return this.run(() => trackPosition(this.ready().library.catalog, query));
  }

  listAlbums(query: PageQuery): Promise<Result<Page<AlbumSummary>>> {
    return this.run(() => albumsPage(this.ready().library.catalog, query));
  }

  listArtists(query: PageQuery): Promise<Result<Page<ArtistSummary>>> {
    return this.run(() => artistsPage(this.ready().library.catalog, query));
  }

  getTrack(trackId: TrackId): Promise<Result<TrackDetail>> {
    return this.run(() => trackDetail(this.ready().library, trackId));
  }

  getArtwork(trackId: TrackId): Promise<Result<Artwork | null>> {
    return this.run(() => trackArtwork(this.ready().library, trackId));
  }

  listFailedFiles(query: PageQuery): Promise<Result<Page<FailedFile>>> {
    return this.run(() => failedFilesPage(this.ready().library.catalog, query));
  }

  similarTracks(trackId: TrackId, limit: number): Promise<Result<readonly VibeMatch[]>> {
    return this.run(() => this.ready().library.similarTracks(trackId, limit));
  }

  // ---- identifying ----

  /** signal: aborting (an HTTP timeout, a cancel message) stops the identify's work and answers 'cancelled'. */
  identifyClip(request: IdentifyRequest, signal?: AbortSignal): Promise<Result<IdentifyResult>> {
    return this.run(async () => {
      const { library, history } = this.ready();
      const result = await identifyRequest(library, request, signal);
      if (request.historyKey !== undefined) history.rememberIdentify(request, result);
      return result;
    });
  }

  /** The songs of a long recording sent as bytes (see TracklistRuns.listBytes). */
  tracklistClip(request: TracklistRequest, signal?: AbortSignal): Promise<Result<Tracklist>> {
    return this.run(() => this.tracklists.listBytes(this.ready().library, this.options.dataDir, request, signal));
  }

  /** tracklistClip on a file a host already wrote (a streamed upload); the caller deletes it. */
  tracklistFile(request: TracklistFileRequest, signal?: AbortSignal): Promise<Result<Tracklist>> {
    return this.run(() => this.tracklists.run(this.ready().library, request.runId, signal, (list) => list(request.filePath)));
  }

  cancelTracklist(runId: string): Promise<Result<void>> {
    return this.run(() => this.tracklists.cancel(runId));
  }

  /**
   * Keep listening, or Listen's single answer (`clip`; see ListenSessions). Keep listening writes each confirmed song
   * to History once and the song now to the now-playing file; a clip session its answer, once, at listenStop.
   */
  listenStart(request: ListenStartRequest): Promise<Result<ListenState>> {
    return this.run(() => this.listens.start(this.ready().library, request));
  }

  listenPush(request: ListenPushRequest): Promise<Result<ListenState>> {
    return this.run(async () => this.nowPlaying.heard(await this.listens.push(request.sessionId, request.samples)));
  }

  listenStop(request: ListenSessionRequest): Promise<Result<ListenState>> {
    return this.run(async () => this.nowPlaying.heard(await this.listens.stop(request.sessionId))); // its final state hears nothing
  }

  // ---- History ----

  listHistory(query: HistoryQuery): Promise<Result<Page<HistoryEntry>>> {
    return this.run(() => this.ready().history.list(query));
  }

  getHistoryEntry(entryId: string): Promise<Result<HistoryDetail>> {
    return this.run(() => this.ready().history.get(entryId));
  }

  deleteHistoryEntries(entryIds: readonly string[]): Promise<Result<number>> {
    return this.run(() => this.ready().history.delete(entryIds));
  }

  exportHistory(request: HistoryExportRequest): Promise<Result<HistoryExport>> {
    return this.run(() => this.ready().history.export(request));
  }

  clearHistory(): Promise<Result<void>> {
    return this.run(() => this.ready().history.clear());
  }

  // ---- the vibe lane's models ----

  listModels(): Promise<Result<readonly ModelInfo[]>> {
    return this.run(() => this.models.list());
  }

  installModel(modelId: string): Promise<Result<void>> {
    return this.run(() => this.models.install(modelId));
  }

  cancelModelInstall(modelId: string): Promise<Result<void>> {
    return this.run(() => this.models.cancelInstall(modelId));
  }

  useModel(modelId: string): Promise<Result<void>> {
    return this.run(() => this.models.use(modelId));
  }

  getNowPlayingFile(): Promise<Result<NowPlayingFileSetting>> {
    return this.run(() => this.nowPlaying.setting());
  }

  setNowPlayingFile(filePath: string | null): Promise<Result<NowPlayingFileSetting>> {
    return this.run(() => this.nowPlaying.choose(filePath));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const scansStopped = this.opened?.scans.close(); // no scan starts from here on
    await Promise.all([this.models.close(), this.tracklists.close(), this.listens.close()]);
    this.nowPlaying.close(); // listening stops: the file is emptied
    await scansStopped;
    await this.watcher?.close();
    await this.opened?.library.close();
    this.events.clear();
  }

  // ---- helpers ----

  /** The open library and what works on it; throws why there is none (the catalog's error, or closed). */
  private ready(): OpenLibrary {
    if (!this.opened) throw new AppError(this.unavailable?.code ?? 'internal', this.unavailable?.detail);
    if (this.closed) throw new AppError('internal', 'the library is closed');
    return this.opened;
  }

  /** Runs a method body and wraps its outcome; AppErrors become their code, anything else is logged as internal. */
  private async run<T>(body: () => T | Promise<T>, opts: { whenUnavailable?: boolean } = {}): Promise<Result<T>> {
    try {
      if (!opts.whenUnavailable) this.ready();
      return { ok: true, value: await body() };
    } catch (error) {
      if (!(error instanceof AppError)) this.log('unexpected error', error);
      return { ok: false, error: toErrorInfo(error) };
    }
  }

  private requestScan(roots: readonly string[], why: 'asked' | 'changed' = 'asked'): void {
    if (!this.closed) this.opened?.scans.request(roots, why);
  }

  private folderPaths(): string[] {
    return this.opened?.library.catalog.listFolders().map((f) => f.path) ?? [];
  }

  private status(): AppStatus {
    const { appVersion = '0.0.0', dataDir } = this.options;
    const scans = this.opened?.scans;
    return this.health.status({
      appVersion,
      dataDir,
      library: this.opened?.library,
      unavailable: this.unavailable,
      scan: scans?.progress ?? null,
      lastScan: scans?.lastScan ?? null,
    });
  }

  private emitStatus(): void {
    this.events.emit('statusChanged', this.status());
  }
}
