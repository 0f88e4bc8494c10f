// An in-memory LibraryBridge with a few tracks: what the unit tests drive the store against, and the page's dev mode
// (`?fake` in a Vite dev build; `?fake=100000` for a big library). Its music folder is /music (fakeTracks.ts); scans
// are simulated with timers; identification, tracklists and keep listening are scripted (fakeScripts.ts); models in
// fakeModels.ts. Browsing, search and History are the contract's shared fake semantics (trackBrowse, trackSearchMatch,
// fakeHistory), held to the real LibraryService by the conformance script (fakeBridge.conformance.test.ts).
import type {
  AppStatus,
  Artwork,
  FolderSummary,
  HistoryDetail,
  HistoryEntry,
  HistoryExport,
  HistoryQuery,
  IdentifyRequest,
  LibraryBridge,
  LibraryEventName,
  LibraryEvents,
  ListenState,
  Page,
  PageQuery,
  TrackPositionQuery,
  TrackQuery,
  TracklistRequest,
} from '../../src-preload/contract/api';
import { LIMITS } from '../../src-preload/contract/api';
import type {
  AlbumSummary,
  AppErrorInfo,
  ArtistSummary,
  FailedFile,
  FolderId,
  IdentifyResult,
  ModelInfo,
  Result,
  ScanProgress,
  ScanSummary,
  TrackPage,
  TrackSummary,
  Tracklist,
  VibeMatch,
} from '../../src-preload/contract/library';
import { createFakeHistory } from '../../src-preload/contract/fakeHistory';
import { browseListing, groupAlbums, groupArtists, positionInListing } from '../../src-preload/contract/trackBrowse';
import { matchesTrackSearch } from '../../src-preload/contract/trackSearchMatch';
import { EMPTY_SCAN_SUMMARY } from '../../src-preload/contract/library';
import { createFakeModels } from './fakeModels';
import { fakeFolderExists, fakeMusicFolder, fakeTrackDetail } from './fakeTracks';
import { defaultFakeIdentify, defaultFakeListen, defaultFakeTracklist, fakeVibeMatch, TRACKLIST_STEPS } from './fakeScripts';

export { defaultFakeIdentify, defaultFakeListen, defaultFakeTracklist, TRACKLIST_STEPS } from './fakeScripts';
export { FAKE_BUILTIN_MODEL_ID, FAKE_CLAP_MODEL_ID, MODEL_STEPS } from './fakeModels';

export interface FakeBridgeOptions {
  /** Extra generated tracks beyond the named few (for paging/virtualisation at scale). */
  readonly extraTrackCount?: number;
  /** Delay before each call answers, ms (0 answers on the next microtask). */
  readonly latencyMs?: number;
  /** Scripted identification: return a result or an error. */
  readonly identify?: (request: IdentifyRequest, tracks: readonly TrackSummary[]) => IdentifyResult | AppErrorInfo;
  /** Scripted tracklists (default: defaultFakeTracklist). */
  readonly tracklist?: (request: TracklistRequest, tracks: readonly TrackSummary[]) => Tracklist | AppErrorInfo;
  /** Milliseconds between simulated tracklist progress steps (default 50; TRACKLIST_STEPS steps, then the answer). */
  readonly tracklistStepMs?: number;
  /** Scripted keep listening: what a session hears after `heardSeconds` of audio (default: defaultFakeListen). */
  readonly listen?: (heardSeconds: number, tracks: readonly TrackSummary[]) => Pick<ListenState, 'playing' | 'log'>;
  /** Milliseconds between simulated scan steps (one file per step). */
  readonly scanStepMs?: number;
  /** Start with these folders already added and scanned. */
  readonly startScanned?: boolean;
  /** Milliseconds between simulated model download steps (default 100; MODEL_STEPS steps, then verifying). */
  readonly modelStepMs?: number;
  /** Makes every model download fail at verification with this error (e.g. a wrong SHA-256). */
  readonly modelFailure?: AppErrorInfo;
}

export interface FakeBridge extends LibraryBridge {
  /** Every call made, in order (method name and arguments), for assertions. */
  readonly calls: { method: string; args: unknown[] }[];
  /** Pushes an event as the engine would. */
  emit<E extends LibraryEventName>(event: E, payload: LibraryEvents[E]): void;
  readonly tracks: TrackSummary[];
}

class FakeFailure {
  constructor(readonly error: AppErrorInfo) {}
}

/** An error to refuse with, or undefined (the call answers nothing). */
const refusal = (error: AppErrorInfo | undefined): FakeFailure | undefined => (error ? new FakeFailure(error) : undefined);

export function createFakeBridge(options: FakeBridgeOptions = {}): FakeBridge {
  const latencyMs = options.latencyMs ?? 0;
  const scanStepMs = options.scanStepMs ?? 200;
  const identify = options.identify ?? defaultFakeIdentify;
  const listeners = new Map<LibraryEventName, Set<(payload: never) => void>>();
  const calls: { method: string; args: unknown[] }[] = [];
  const folders: FolderSummary[] = [];
  const tracks: TrackSummary[] = [];
  const failed: FailedFile[] = [];
  const history = createFakeHistory();
  let scan: ScanProgress | null = null;
  let lastScan: ScanSummary | null = null;
  let scanTimer: ReturnType<typeof setTimeout> | null = null;
  let nextFolderId = 1;
  const models = createFakeModels({ stepMs: options.modelStepMs ?? 100, failure: options.modelFailure, onProgress: (p) => emit('modelProgress', p) });
  const tracklistStepMs = options.tracklistStepMs ?? 50;
  /** Running simulated tracklists: run id -> cancel. */
  const tracklistRuns = new Map<string, () => void>();
  /** Open keep-listening sessions: seconds heard so far. */
  const listenSessions = new Map<string, number>();
  const allTracks = fakeMusicFolder(options.extraTrackCount ?? 0);

  function emit<E extends LibraryEventName>(event: E, payload: LibraryEvents[E]): void {
    for (const listener of listeners.get(event) ?? []) (listener as (p: LibraryEvents[E]) => void)(payload);
  }

  function answer<T>(method: string, args: unknown[], compute: () => T | FakeFailure): Promise<Result<T>> {
    calls.push({ method, args });
    return new Promise((resolve) => {
      const run = () => {
        const value = compute();
        resolve(value instanceof FakeFailure ? { ok: false, error: value.error } : { ok: true, value });
      };
      if (latencyMs > 0) setTimeout(run, latencyMs);
      else queueMicrotask(run);
    });
  }

  function status(): AppStatus {
    return {
      appVersion: '0.0.0-fake',
      dataDir: '/fake/data',
      catalog: 'ok',
      landmarkStore: 'ok',
      vectorIndex: 'absent',
      trackCount: tracks.length,
      failedFileCount: failed.length,
      scan,
      lastScan,
      notices: [],
      modes: ['exact'],
    };
  }

  function startScan(): void {
    if (scan) return;
    const known = new Set(tracks);
    const pending = allTracks.filter((t) => !known.has(t));
    let nextPending = 0;
    const filesTotal = pending.length + 1; // + one broken file
    let filesDone = 0;
    const startedMs = Date.now();
    scan = { phase: 'walking', filesDone: 0, filesTotal, currentFile: null, audioSecondsPerSecond: 0 };
    emit('scanProgress', scan);
    const step = () => {
      if (!scan) return;
      // Big fake libraries land in bulk so the dev mode stays quick.
      const batch = Math.max(1, Math.ceil((pending.length + 1) / 20));
      for (let i = 0; i < batch && filesDone < filesTotal; i++) {
        const next = pending[nextPending++];
        if (next) tracks.push(next);
        else if (!failed.some((f) => f.path.endsWith('broken.mp3'))) {
          failed.push({ path: '/music/broken.mp3', error: { code: 'unsupported-format', detail: 'not an audio file' }, at: new Date().toISOString() });
        }
        filesDone++;
      }
      const wallSeconds = Math.max(0.001, (Date.now() - startedMs) / 1000);
      scan = {
        phase: filesDone < filesTotal ? 'indexing' : 'done',
        filesDone,
        filesTotal,
        currentFile: tracks[tracks.length - 1]?.filePath ?? null,
        audioSecondsPerSecond: (filesDone * 80) / wallSeconds,
      };
      emit('scanProgress', scan);
      if (filesDone < filesTotal) {
        scanTimer = setTimeout(step, scanStepMs);
        return;
      }
      finishScan(false, filesTotal - 1, wallSeconds);
    };
    scanTimer = setTimeout(step, scanStepMs);
  }

  function finishScan(cancelled: boolean, added: number, wallSeconds: number): void {
    scan = null;
    scanTimer = null;
    lastScan = { ...EMPTY_SCAN_SUMMARY, added, failed: cancelled ? 0 : 1, cancelled, audioSeconds: added * 80, wallSeconds };
    for (const folder of folders.splice(0)) folders.push({ ...folder, trackCount: tracks.length, lastScannedAt: new Date().toISOString() });
    emit('scanFinished', lastScan);
    emit('libraryChanged', { reason: 'scan' });
    emit('statusChanged', status());
  }

  if (options.startScanned) {
    folders.push({ id: nextFolderId++ as FolderId, path: '/music', exists: true, trackCount: allTracks.length, lastScannedAt: '2024-01-01T00:00:00.000Z' });
    tracks.push(...allTracks);
  }

  const bridge: FakeBridge = {
    door: 'browser',
    calls,
    tracks,
    emit,
    mediaUrl: (trackId) => `fake-media/${trackId}`,
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    getStatus: () => answer('getStatus', [], status),
    listFolders: () => answer('listFolders', [], () => folders.slice()),
    addFolder: (folderPath) =>
      answer('addFolder', [folderPath], () => {
        if (folderPath === '~' || folderPath.startsWith('~/')) folderPath = `/home/fake${folderPath.slice(1)}`; // as the engine expands it
        if (!fakeFolderExists(folderPath)) return new FakeFailure({ code: 'folder-not-found', detail: folderPath });
        const folder: FolderSummary = { id: nextFolderId++ as FolderId, path: folderPath, exists: true, trackCount: 0, lastScannedAt: null };
        folders.push(folder);
        queueMicrotask(() => {
          emit('libraryChanged', { reason: 'folders' });
          startScan();
        });
        return folder;
      }),
    removeFolder: (folderId) =>
      answer('removeFolder', [folderId], () => {
        const index = folders.findIndex((f) => f.id === folderId);
        if (index < 0) return new FakeFailure({ code: 'not-found' });
        folders.splice(index, 1);
        if (folders.length === 0) tracks.splice(0);
        queueMicrotask(() => emit('libraryChanged', { reason: 'folders' }));
        return undefined;
      }),
    rescan: () => answer('rescan', [], () => (startScan(), undefined)),
    cancelScan: () =>
      answer('cancelScan', [], () => {
        if (scanTimer) clearTimeout(scanTimer);
        if (scan) finishScan(true, 0, 0);
        return undefined;
      }),
    listTracks: (query: TrackQuery) =>
      answer<TrackPage>('listTracks', [query], () => {
        const perPage = query.perPage ?? 50;
        const page = query.page ?? 1;
        const hits = browseListing(
          tracks.filter((t) => matchesTrackSearch(t, query.search)),
          query,
        );
        return { items: hits.slice((page - 1) * perPage, page * perPage), total: hits.length, page, perPage };
      }),
    trackPosition: (query: TrackPositionQuery) =>
      answer<number | null>('trackPosition', [query], () =>
        positionInListing(
          browseListing(
            tracks.filter((t) => matchesTrackSearch(t, query.search)),
            query,
          ),
          query.trackId,
        ),
      ),
    listAlbums: (query: PageQuery) =>
      answer<Page<AlbumSummary>>('listAlbums', [query], () => {
        const perPage = query.perPage ?? 50;
        const page = query.page ?? 1;
        const albums = groupAlbums(tracks);
        return { items: albums.slice((page - 1) * perPage, page * perPage), total: albums.length, page, perPage };
      }),
    listArtists: (query: PageQuery) =>
      answer<Page<ArtistSummary>>('listArtists', [query], () => {
        const perPage = query.perPage ?? 50;
        const page = query.page ?? 1;
        const artists = groupArtists(tracks);
        return { items: artists.slice((page - 1) * perPage, page * perPage), total: artists.length, page, perPage };
      }),
    getTrack: (trackId) =>
      answer('getTrack', [trackId], () => {
        const track = tracks.find((t) => t.id === trackId);
        return track ? fakeTrackDetail(track) : new FakeFailure({ code: 'not-found' });
      }),
    getArtwork: (trackId) => answer<Artwork | null>('getArtwork', [trackId], () => null),
    listFailedFiles: (query: PageQuery) =>
      answer<Page<FailedFile>>('listFailedFiles', [query], () => {
        const perPage = query.perPage ?? 50;
        const page = query.page ?? 1;
        return { items: failed.slice((page - 1) * perPage, page * perPage), total: failed.length, page, perPage };
      }),
    identifyClip: (request) =>
      answer<IdentifyResult>('identifyClip', [request], () => {
        const outcome = identify(request, tracks);
        if ('code' in outcome) return new FakeFailure(outcome);
        if (request.historyKey) history.record({ ...request, historyKey: request.historyKey }, outcome, new Date());
        return outcome;
      }),
    tracklistClip: (request) => {
      calls.push({ method: 'tracklistClip', args: [request] });
      return new Promise<Result<Tracklist>>((resolve) => {
        if (tracklistRuns.has(request.runId)) return resolve({ ok: false, error: { code: 'invalid-argument', detail: 'run id in use' } });
        const outcome = (options.tracklist ?? defaultFakeTracklist)(request, tracks);
        const total = 'code' in outcome ? null : outcome.durationSeconds;
        let step = 0;
        let timer: ReturnType<typeof setTimeout> | null = null;
        const finish = (result: Result<Tracklist>): void => {
          if (timer) clearTimeout(timer);
          tracklistRuns.delete(request.runId);
          resolve(result);
        };
        tracklistRuns.set(request.runId, () => finish({ ok: false, error: { code: 'cancelled', detail: 'tracklist cancelled' } }));
        const tick = (): void => {
          if ('code' in outcome) return finish({ ok: false, error: outcome });
          if (step < TRACKLIST_STEPS) {
            step++;
            const doneSeconds = (outcome.durationSeconds * step) / (TRACKLIST_STEPS + 1);
            const songs = outcome.segments.filter((s) => s.track && s.start < doneSeconds).length;
            emit('tracklistProgress', { runId: request.runId, doneSeconds, totalSeconds: total, songs });
            timer = setTimeout(tick, tracklistStepMs);
            return;
          }
          finish({ ok: true, value: outcome });
        };
        timer = setTimeout(tick, tracklistStepMs);
      });
    },
    listenStart: (request) =>
      answer<ListenState>('listenStart', [request], () => {
        if (listenSessions.has(request.sessionId)) return new FakeFailure({ code: 'invalid-argument', detail: 'session id in use' });
        listenSessions.set(request.sessionId, 0);
        return { sessionId: request.sessionId, heardSeconds: 0, playing: null, log: [] };
      }),
    listenPush: (request) =>
      answer<ListenState>('listenPush', [request], () => {
        const heard = listenSessions.get(request.sessionId);
        if (heard === undefined) return new FakeFailure({ code: 'not-found', detail: 'that listening session has ended' });
        const heardSeconds = heard + request.samples.length / LIMITS.listenSampleRateHz;
        listenSessions.set(request.sessionId, heardSeconds);
        return { sessionId: request.sessionId, heardSeconds, ...(options.listen ?? defaultFakeListen)(heardSeconds, tracks) };
      }),
    listenStop: (request) =>
      answer<ListenState>('listenStop', [request], () => {
        const heardSeconds = listenSessions.get(request.sessionId);
        if (heardSeconds === undefined) return new FakeFailure({ code: 'not-found', detail: 'that listening session has ended' });
        listenSessions.delete(request.sessionId);
        const { log } = (options.listen ?? defaultFakeListen)(heardSeconds, tracks);
        return { sessionId: request.sessionId, heardSeconds, playing: null, log: log.map((e) => ({ ...e, ongoing: false })) };
      }),
    cancelTracklist: (runId) =>
      answer('cancelTracklist', [runId], () => {
        tracklistRuns.get(runId)?.();
        return undefined;
      }),
    similarTracks: (trackId, limit) =>
      answer<readonly VibeMatch[]>('similarTracks', [trackId, limit], () =>
        tracks.some((t) => t.id === trackId)
          ? tracks
              .filter((t) => t.id !== trackId)
              .slice(0, limit)
              .map((t, i) => fakeVibeMatch(t, i))
          : new FakeFailure({ code: 'not-found' }),
      ),
    listHistory: (query: HistoryQuery) => answer<Page<HistoryEntry>>('listHistory', [query], () => history.list(query)),
    getHistoryEntry: (entryId) =>
      answer<HistoryDetail>(
        'getHistoryEntry',
        [entryId],
        () => history.get(entryId) ?? new FakeFailure({ code: 'not-found', detail: 'that History entry was deleted' }),
      ),
    deleteHistoryEntries: (entryIds) => answer<number>('deleteHistoryEntries', [entryIds], () => history.delete(entryIds)),
    clearHistory: () => answer('clearHistory', [], () => history.clear()),
    exportHistory: (request) => answer<HistoryExport>('exportHistory', [request], () => history.export(request, new Date())),
    listModels: () => answer<readonly ModelInfo[]>('listModels', [], () => models.list()),
    installModel: (modelId) => answer('installModel', [modelId], () => refusal(models.install(modelId))),
    cancelModelInstall: (modelId) => answer('cancelModelInstall', [modelId], () => refusal(models.cancel(modelId))),
    useModel: (modelId) =>
      answer('useModel', [modelId], () => {
        const refused = models.use(modelId);
        if (!refused) queueMicrotask(() => startScan()); // the engine rescans to embed the library with the new model
        return refusal(refused);
      }),
  };
  return bridge;
}
