// The one fake library: the whole contract (AsyncLibraryApi and its events) in memory, for the renderer's tests and
// dev mode (src-renderer/lib/fakeBridge.ts adds the page's door and a latency) and the host's door tests
// (src-main/host/testing/fakeBackend.ts adds streamed tracklist files and the real file system's folders). Browsing,
// search, History and the errors for bad input are the real catalog's (trackBrowse, trackSearchMatch, fakeHistory),
// and the conformance script holds this fake to the real LibraryService (fakeLibrary.conformance.test.ts);
// identification, tracklists, keep listening and covers are scripted (fakeScripts.ts), scans walk a fake disk
// (fakeScan.ts), model downloads are simulated (fakeModels.ts). Pure: no I/O, and time only through the caller's clock.
import type {
  AppStatus,
  AsyncLibraryApi,
  FolderSummary,
  IdentifyRequest,
  LibraryEventName,
  LibraryEvents,
  LibraryEventSource,
  TrackQuery,
  TracklistRequest,
} from '../api.js';
import { LIBRARY_METHODS } from '../api.js';
import type { AppErrorInfo, FailedFile, FolderId, IdentifyResult, Result, ScanSummary, TrackDetail, TrackSummary, Tracklist } from '../library.js';
import { browseListing, groupAlbums, groupArtists, positionInListing } from '../trackBrowse.js';
import { matchesTrackSearch } from '../trackSearchMatch.js';
import { soon, type FakeClock } from './fakeClock.js';
import { createFakeHistory } from './fakeHistory.js';
import { createFakeModels } from './fakeModels.js';
import { createFakeRuns } from './fakeRuns.js';
import { createFakeScanner } from './fakeScan.js';
import {
  defaultFakeIdentify,
  defaultFakeListen,
  defaultFakeTracklist,
  fakeVibeMatch,
  noFakeArtwork,
  type AbortSignalLike,
  type FakeScripts,
} from './fakeScripts.js';
import { fakeMusicDisk, isInsideFolder, summaryOf, type FakeDisk } from './fakeTracks.js';

export interface FakeLibraryOptions {
  readonly clock: FakeClock;
  /** The disk scans walk and addFolder checks (default: fakeMusicDisk(0), the conformance library in /music). */
  readonly disk?: FakeDisk;
  /** Tracks already in the catalog (the array is kept: push to add one later). */
  readonly tracks?: TrackDetail[];
  /** Library folders already added and scanned: their files on the disk start in the catalog. */
  readonly scanned?: readonly string[];
  /** Milliseconds between scan steps (default 200). */
  readonly scanStepMs?: number;
  /** Milliseconds between tracklist progress steps (default 50). */
  readonly tracklistStepMs?: number;
  /** Milliseconds between model download steps (default 100). */
  readonly modelStepMs?: number;
  /** Makes every model download fail at verification with this error (e.g. a wrong SHA-256). */
  readonly modelFailure?: AppErrorInfo;
  /** Scripted answers in place of the defaults (fakeScripts.ts). */
  readonly scripts?: Partial<FakeScripts>;
}

/** The component health a status reports (a test sets a store 'rebuilding' or 'damaged'). */
export type FakeHealth = { -readonly [K in 'catalog' | 'landmarkStore' | 'vectorIndex' | 'notices' | 'modes']: AppStatus[K] };

/** One call as it arrived. */
export interface FakeCall {
  readonly method: string;
  readonly args: unknown[];
}

export type FakeLibraryApi = Omit<AsyncLibraryApi, 'identifyClip' | 'tracklistClip'> & {
  /** Aborting `signal` is passed to the script (the doors that give up on a search). */
  identifyClip(request: IdentifyRequest, signal?: AbortSignalLike): Promise<Result<IdentifyResult>>;
  /** Aborting `signal` cancels the run. */
  tracklistClip(request: TracklistRequest, signal?: AbortSignalLike): Promise<Result<Tracklist>>;
};

export interface FakeLibrary extends FakeLibraryApi, LibraryEventSource {
  /** Every contract call, in order, as it arrived (the doors' tests check what reached the engine). */
  readonly calls: FakeCall[];
  /** The catalog, in the order tracks entered it. */
  readonly tracks: TrackDetail[];
  /** The library folders (push one to declare a folder without a scan). */
  readonly folders: FolderSummary[];
  failedFiles: FailedFile[];
  readonly health: FakeHealth;
  /** What the next scans report instead of what they found (null: what they found). */
  nextScan: ScanSummary | null;
  /** Replace a member to script that answer. */
  readonly scripts: FakeScripts;
  /** What getStatus answers now. */
  readonly status: AppStatus;
  /** Pushes an event as the engine would. */
  emit: <E extends LibraryEventName>(event: E, payload: LibraryEvents[E]) => void;
  /** Listeners subscribed through on(), all events together. */
  listenerCount: () => number;
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (error: AppErrorInfo): Result<never> => ({ ok: false, error });
const NOT_FOUND = fail({ code: 'not-found' });
const page = <T>(items: readonly T[], query: { page?: number; perPage?: number }) => {
  const perPage = query.perPage ?? 50;
  const pageNumber = query.page ?? 1;
  return { items: items.slice((pageNumber - 1) * perPage, pageNumber * perPage), total: items.length, page: pageNumber, perPage };
};

export function createFakeLibrary(options: FakeLibraryOptions): FakeLibrary {
  const { clock } = options;
  const disk = options.disk ?? fakeMusicDisk(0);
  const listeners = new Map<LibraryEventName, Set<(payload: never) => void>>();
  const history = createFakeHistory();
  const scripts: FakeScripts = {
    identify: defaultFakeIdentify,
    tracklist: defaultFakeTracklist,
    listen: defaultFakeListen,
    artwork: noFakeArtwork,
    ...options.scripts,
  };
  const emit = <E extends LibraryEventName>(event: E, payload: LibraryEvents[E]): void => {
    for (const listener of listeners.get(event) ?? []) (listener as (p: LibraryEvents[E]) => void)(payload);
  };
  const catalog = (): TrackSummary[] => lib.tracks.map(summaryOf);
  const findTrack = (trackId: string): TrackDetail | undefined => lib.tracks.find((t) => t.id === trackId);
  // The last listing, kept while the same tracks (the same objects, in the same order) answer the same question: a
  // list of 100,000 rows is sorted once, not again for every page the list asks for, as the catalog's index spares it.
  let lastListing: { readonly searched: readonly TrackDetail[]; readonly key: string; readonly rows: TrackDetail[] } | undefined;
  const listing = (query: Omit<TrackQuery, 'page' | 'perPage'>): TrackDetail[] => {
    const searched = lib.tracks.filter((t) => matchesTrackSearch(t, query.search));
    const key = JSON.stringify([query.sort, query.direction, query.artist, query.album, query.albumArtist]);
    const last = lastListing;
    if (last && last.key === key && last.searched.length === searched.length && searched.every((t, i) => t === last.searched[i])) return last.rows;
    const rows = browseListing(searched, query);
    lastListing = { searched, key, rows };
    return rows;
  };
  const status = (): AppStatus => ({
    appVersion: '0.0.0-fake',
    dataDir: '/fake/data',
    ...lib.health,
    trackCount: lib.tracks.length,
    failedFileCount: lib.failedFiles.length,
    scan: scanner.progress,
    lastScan: scanner.last,
  });
  const scanner = createFakeScanner({ clock, disk, stepMs: options.scanStepMs ?? 200, target: () => lib, emit, status });
  const models = createFakeModels({ clock, stepMs: options.modelStepMs ?? 100, failure: options.modelFailure, onProgress: (p) => emit('modelProgress', p) });
  const runs = createFakeRuns({
    clock,
    tracklistStepMs: options.tracklistStepMs ?? 50,
    scripts,
    catalog,
    emit,
    remember: (request, result) => history.record(request, result, clock.now()),
  });
  const refusal = (error: AppErrorInfo | undefined): Result<void> => (error ? fail(error) : ok(undefined));
  /** The now-playing file's path (the fake writes nothing: it refuses the data folder, as the engine does). */
  let nowPlayingPath: string | null = null;

  const lib: FakeLibrary = {
    calls: [],
    tracks: options.tracks ?? [],
    folders: [],
    failedFiles: [],
    health: { catalog: 'ok', landmarkStore: 'ok', vectorIndex: 'absent', notices: [], modes: ['exact'] },
    nextScan: null,
    scripts,
    get status() {
      return status();
    },
    emit,
    listenerCount: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => void set.delete(entry);
    },
    getStatus: async () => ok(status()),
    listFolders: async () => ok(lib.folders.map((f) => ({ ...f, trackCount: lib.tracks.filter((t) => isInsideFolder(t.filePath, f.path)).length }))),
    async addFolder(folderPath) {
      // As the engine: `~` is the home folder; a folder already in the library is scanned again, not added twice.
      if (folderPath === '~' || folderPath.startsWith('~/')) folderPath = `${disk.homeDir}${folderPath.slice(1)}`;
      if (!disk.folderExists(folderPath)) return fail({ code: 'folder-not-found', detail: folderPath });
      let folder = lib.folders.find((f) => f.path === folderPath);
      if (!folder) {
        const id = (Math.max(0, ...lib.folders.map((f) => f.id)) + 1) as FolderId;
        lib.folders.push((folder = { id, path: folderPath, exists: true, trackCount: 0, lastScannedAt: null }));
      }
      soon(() => {
        emit('libraryChanged', { reason: 'folders' });
        scanner.start();
      });
      return ok(folder);
    },
    async removeFolder(folderId) {
      const index = lib.folders.findIndex((f) => f.id === folderId);
      if (index < 0) return NOT_FOUND;
      const [removed] = lib.folders.splice(index, 1);
      // Its tracks leave the catalog (filtered in place: the array is the one callers hold).
      let keptCount = 0;
      for (const track of lib.tracks) if (!isInsideFolder(track.filePath, removed.path)) lib.tracks[keptCount++] = track;
      lib.tracks.length = keptCount;
      soon(() => emit('libraryChanged', { reason: 'folders' }));
      return ok(undefined);
    },
    rescan: async () => (scanner.start(), ok(undefined)),
    cancelScan: async () => (scanner.cancel(), ok(undefined)),
    listTracks: async (query) => {
      const { items, ...rest } = page(listing(query), query);
      return ok({ items: items.map(summaryOf), ...rest });
    },
    trackPosition: async (query) => ok(positionInListing(listing(query), query.trackId)),
    listAlbums: async (query) => ok(page(groupAlbums(lib.tracks), query)),
    listArtists: async (query) => ok(page(groupArtists(lib.tracks), query)),
    async getTrack(trackId) {
      const track = findTrack(trackId);
      return track ? ok(track) : NOT_FOUND;
    },
    async getArtwork(trackId) {
      const track = findTrack(trackId);
      return track ? ok(scripts.artwork(summaryOf(track))) : NOT_FOUND;
    },
    listFailedFiles: async (query) => ok(page(lib.failedFiles, query)),
    async identifyClip(request, signal) {
      const outcome = await scripts.identify(request, catalog(), signal);
      if ('code' in outcome) return fail(outcome);
      // As the engine: an identification made with a key is kept in History.
      if (request.historyKey) history.record({ ...request, historyKey: request.historyKey }, outcome, clock.now());
      return ok(outcome);
    },
    tracklistClip: (request, signal) => runs.tracklist(request, signal),
    cancelTracklist: async (runId) => (runs.cancelTracklist(runId), ok(undefined)),
    listenStart: async (request) => runs.listenStart(request),
    listenPush: (request) => runs.listenPush(request),
    listenStop: (request) => runs.listenStop(request),
    async similarTracks(trackId, limit) {
      if (!findTrack(trackId)) return NOT_FOUND;
      return ok(
        catalog()
          .filter((t) => t.id !== trackId)
          .slice(0, limit)
          .map((t, i) => fakeVibeMatch(t, i)),
      );
    },
    listHistory: async (query) => ok(history.list(query)),
    async getHistoryEntry(entryId) {
      const entry = history.get(entryId);
      return entry ? ok(entry) : fail({ code: 'not-found', detail: 'that History entry was deleted' });
    },
    deleteHistoryEntries: async (entryIds) => ok(history.delete(entryIds)),
    clearHistory: async () => (history.clear(), ok(undefined)),
    exportHistory: async (request) => ok(history.export(request, clock.now())),
    listModels: async () => ok(models.list()),
    installModel: async (modelId) => refusal(models.install(modelId)),
    cancelModelInstall: async (modelId) => refusal(models.cancel(modelId)),
    async useModel(modelId) {
      const refused = models.use(modelId);
      if (!refused) soon(() => scanner.start()); // the engine rescans to embed the library with the new model
      return refusal(refused);
    },
    getNowPlayingFile: async () => ok({ path: nowPlayingPath, lastError: null }),
    async setNowPlayingFile(filePath) {
      if (filePath !== null && (filePath === status().dataDir || filePath.startsWith(`${status().dataDir}/`)))
        return fail({ code: 'file-not-writable', detail: `${filePath} is inside the app's data folder` });
      nowPlayingPath = filePath;
      return ok({ path: nowPlayingPath, lastError: null });
    },
  };

  // Every contract call is recorded as it arrives.
  const methods = lib as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of LIBRARY_METHODS) {
    const answer = methods[method];
    methods[method] = (...args: unknown[]) => {
      lib.calls.push({ method, args });
      return answer(...args);
    };
  }

  for (const root of options.scanned ?? []) {
    lib.folders.push({ id: (lib.folders.length + 1) as FolderId, path: root, exists: true, trackCount: 0, lastScannedAt: '2024-01-01T00:00:00.000Z' });
    for (const file of disk.filesUnder(root)) if ('track' in file) lib.tracks.push(file.track);
  }
  return lib;
}
