// Test helper: an in-memory LibraryBackend with scripted answers, recorded calls and an emit() for events, so the
// host's doors can be tested without the engine. Browsing, search and History are the contract's shared fake
// semantics (trackBrowse, trackSearchMatch, fakeHistory), as in the renderer's fake bridge; the conformance script
// holds it to the real LibraryService (fakeBackend.conformance.test.ts). For tests only.
import { readFileSync, statSync } from 'node:fs';
import type { AppStatus, FolderSummary, IdentifyRequest, LibraryEvents, Page } from '../../../src-preload/contract/api.js';
import type {
  FailedFile,
  FolderId,
  IdentifyResult,
  ModelInfo,
  Result,
  ScanSummary,
  TrackDetail,
  TrackId,
  Tracklist,
} from '../../../src-preload/contract/library.js';
import type { LibraryBackend } from '../../engine/libraryBackend.js';
import { EMPTY_SCAN_SUMMARY } from '../../../src-preload/contract/library.js';
import { createFakeHistory } from '../../../src-preload/contract/fakeHistory.js';
import { matchesTrackSearch } from '../../../src-preload/contract/trackSearchMatch.js';
import { browseListing, groupAlbums, groupArtists, positionInListing } from '../../../src-preload/contract/trackBrowse.js';

export interface FakeBackend extends LibraryBackend {
  /** Every call as [method, args]. */
  readonly calls: [string, unknown[]][];
  readonly tracks: TrackDetail[];
  /** What listFolders answers (addFolder appends); push to declare a library folder without a scan. */
  readonly folders: FolderSummary[];
  status: AppStatus;
  failedFiles: FailedFile[];
  /** Replace to script identifyClip. */
  identify: (request: IdentifyRequest, signal?: AbortSignal) => Promise<Result<IdentifyResult>>;
  /**
   * Replace to script tracklistClip / tracklistFile: gets the recording's bytes (a file's read when the call is
   * made, so a test sees what the host streamed to disk). Default: track 1 for 0-30 s, an unknown stretch, track 2,
   * with durationMs = the number of bytes received (so a test in another process sees the upload arrived whole).
   */
  tracklist: (bytes: Uint8Array, runId: string, signal?: AbortSignal) => Promise<Result<Tracklist>>;
  /** The files tracklistFile was given, with their bytes at the time. */
  readonly tracklistFiles: { filePath: string; bytes: Uint8Array }[];
  /** What listModels answers (the built-in model, active, by default). */
  models: ModelInfo[];
  /** What a scan after addFolder/rescan reports (emitted as scanFinished shortly after). */
  nextScan: ScanSummary;
  emit<E extends keyof LibraryEvents>(event: E, payload: LibraryEvents[E]): void;
  listenerCount(): number;
}

export function fakeTrack(index: number, filePath: string, overrides: Partial<TrackDetail> = {}): TrackDetail {
  const hex = index.toString(16).padStart(12, '0');
  return {
    id: `00000000-0000-4000-8000-${hex}` as TrackId,
    title: `Song ${index}`,
    artist: index % 2 ? 'Band' : null,
    album: index % 3 ? 'Album' : null,
    durationSeconds: 75 + index,
    format: 'mp3',
    filePath,
    sampleRateHz: 44100,
    channelCount: 2,
    bitrate: 192000,
    fileHashSha256: hex.padStart(64, 'a'),
    fileSizeBytes: 1234,
    fileMtimeMs: 1_700_000_000_000,
    fingerprintStatus: 'indexed',
    fingerprintVersion: 3,
    landmarkCount: 5000,
    embeddingModel: null,
    embeddingDim: null,
    embeddingStatus: 'none',
    ingestedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    duplicatePaths: [],
    ...overrides,
  };
}

export function createFakeBackend(tracks: TrackDetail[] = []): FakeBackend {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const folders: FolderSummary[] = [];
  const history = createFakeHistory();
  const listens = new Set<string>();
  const ok = <T>(value: T): Result<T> => ({ ok: true, value });
  const notFound: Result<never> = { ok: false, error: { code: 'not-found' } };

  const fake: FakeBackend = {
    calls: [],
    tracks,
    folders,
    failedFiles: [],
    nextScan: EMPTY_SCAN_SUMMARY,
    models: [
      {
        id: 'builtin-descriptors-v2',
        description: 'Built-in',
        license: 'MIT',
        sizeBytes: 1000,
        dim: 64,
        state: 'builtin',
        downloadedBytes: 1000,
        active: true,
        installing: false,
      },
    ],
    status: {
      appVersion: '9.9.9-test',
      dataDir: '/tmp/fake-data',
      catalog: 'ok',
      landmarkStore: 'ok',
      vectorIndex: 'absent',
      trackCount: tracks.length,
      failedFileCount: 0,
      scan: null,
      lastScan: null,
      notices: [],
      modes: ['exact'],
    },
    identify: async (request) =>
      ok({
        durationMs: 12,
        clipSeconds: request.audio.kind === 'pcm' ? request.audio.samples.length / request.audio.sampleRateHz : 5,
        exact: fake.tracks.length
          ? [{ track: summary(fake.tracks[0]), confidence: 0.93, offsetSeconds: 60.2, alignedHashes: 87, speedFactor: 1, pitchFactor: 1 }]
          : [],
        vibe: [],
        modeUsed: 'exact',
      }),
    tracklistFiles: [],
    tracklist: async (bytes) =>
      ok({
        durationSeconds: 95.5,
        durationMs: bytes.length,
        segments: [
          { start: 0, end: 30, track: summary(fake.tracks[0]), offsetSeconds: 12.5, speedFactor: 1, pitchFactor: 1, confidence: 0.91, alignedHashes: 60 },
          { start: 30, end: 45, track: null, offsetSeconds: null, speedFactor: null, pitchFactor: null, confidence: null, alignedHashes: null },
          {
            start: 45,
            end: 95.5,
            track: summary(fake.tracks[1] ?? fake.tracks[0]),
            offsetSeconds: 3,
            speedFactor: 1.04,
            pitchFactor: 1.04,
            confidence: 0.8,
            alignedHashes: 33,
          },
        ],
      }),
    async tracklistClip(request, signal) {
      record('tracklistClip', [request]);
      return fake.tracklist(request.audio.bytes, request.runId, signal);
    },
    async tracklistFile(request, signal) {
      record('tracklistFile', [request]);
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(request.filePath);
      } catch {
        return notFound;
      }
      fake.tracklistFiles.push({ filePath: request.filePath, bytes });
      return fake.tracklist(bytes, request.runId, signal);
    },
    async cancelTracklist(runId) {
      record('cancelTracklist', [runId]);
      return ok(undefined);
    },
    // Keep listening: the calls are recorded; the state stays empty (the doors' tests check what arrives, not matching).
    // A session that was not started (or was stopped) is 'not-found', as in the engine.
    async listenStart(request) {
      record('listenStart', [request]);
      listens.add(request.sessionId);
      return ok({ sessionId: request.sessionId, heardSeconds: 0, playing: null, log: [] });
    },
    async listenPush(request) {
      record('listenPush', [request]);
      if (!listens.has(request.sessionId)) return notFound;
      return ok({ sessionId: request.sessionId, heardSeconds: request.samples.length / 8000, playing: null, log: [] });
    },
    async listenStop(request) {
      record('listenStop', [request]);
      if (!listens.delete(request.sessionId)) return notFound;
      return ok({ sessionId: request.sessionId, heardSeconds: 0, playing: null, log: [] });
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    async close() {},
    async getStatus() {
      record('getStatus', []);
      return ok(fake.status);
    },
    async listFolders() {
      record('listFolders', []);
      return ok(folders);
    },
    async addFolder(folderPath) {
      record('addFolder', [folderPath]);
      if (!isDirectory(folderPath)) return { ok: false, error: { code: 'folder-not-found', detail: folderPath } };
      const existing = folders.find((f) => f.path === folderPath);
      const folder = existing ?? { id: (folders.length + 1) as FolderId, path: folderPath, exists: true, trackCount: 0, lastScannedAt: null };
      if (!existing) folders.push(folder);
      startScan();
      return ok(folder);
    },
    async removeFolder(folderId) {
      record('removeFolder', [folderId]);
      const index = folders.findIndex((f) => f.id === folderId);
      if (index < 0) return notFound;
      folders.splice(index, 1);
      return ok(undefined);
    },
    async rescan() {
      record('rescan', []);
      startScan();
      return ok(undefined);
    },
    async cancelScan() {
      record('cancelScan', []);
      return ok(undefined);
    },
    async listTracks(query) {
      record('listTracks', [query]);
      const page = query.page ?? 1;
      const perPage = query.perPage ?? 50;
      // Without a sort the tracks keep the order the test gave them (the catalog's default is by artist).
      const matching = browseListing(
        fake.tracks.filter((t) => matchesTrackSearch(t, query.search)),
        query,
      );
      return ok({ items: matching.slice((page - 1) * perPage, page * perPage).map(summary), total: matching.length, page, perPage });
    },
    async trackPosition(query) {
      record('trackPosition', [query]);
      return ok(
        positionInListing(
          browseListing(
            fake.tracks.filter((t) => matchesTrackSearch(t, query.search)),
            query,
          ),
          query.trackId,
        ),
      );
    },
    async listAlbums(query) {
      record('listAlbums', [query]);
      const page = query.page ?? 1;
      const perPage = query.perPage ?? 50;
      const albums = groupAlbums(fake.tracks);
      return ok({ items: albums.slice((page - 1) * perPage, page * perPage), total: albums.length, page, perPage });
    },
    async listArtists(query) {
      record('listArtists', [query]);
      const page = query.page ?? 1;
      const perPage = query.perPage ?? 50;
      const artists = groupArtists(fake.tracks);
      return ok({ items: artists.slice((page - 1) * perPage, page * perPage), total: artists.length, page, perPage });
    },
    async getTrack(trackId) {
      record('getTrack', [trackId]);
      const t = fake.tracks.find((x) => x.id === trackId);
      return t ? ok(t) : notFound;
    },
    async getArtwork(trackId) {
      record('getArtwork', [trackId]);
      if (!fake.tracks.some((x) => x.id === trackId)) return notFound;
      return ok({ mimeType: 'image/png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 7]) });
    },
    async listFailedFiles(query) {
      record('listFailedFiles', [query]);
      const page = query.page ?? 1;
      const perPage = query.perPage ?? 50;
      const result: Page<FailedFile> = { items: fake.failedFiles.slice((page - 1) * perPage, page * perPage), total: fake.failedFiles.length, page, perPage };
      return ok(result);
    },
    async identifyClip(request, signal) {
      record('identifyClip', [request]);
      const result = await fake.identify(request, signal);
      // As the engine: an identification made with a key is kept in History.
      if (result.ok && request.historyKey !== undefined) history.record({ ...request, historyKey: request.historyKey }, result.value, new Date());
      return result;
    },
    async similarTracks(trackId, limit) {
      record('similarTracks', [trackId, limit]);
      if (!fake.tracks.some((t) => t.id === trackId)) return notFound;
      // Deterministic neighbours: the other tracks in catalog order, similarity falling with distance.
      return ok(
        fake.tracks
          .filter((t) => t.id !== trackId)
          .slice(0, limit)
          .map((t, i) => ({ track: t, similarity: 0.9 - i * 0.05, embeddingModel: 'fake-model', explanation: 'similar tempo' })),
      );
    },
    async listHistory(query) {
      record('listHistory', [query]);
      return ok(history.list(query));
    },
    async getHistoryEntry(entryId) {
      record('getHistoryEntry', [entryId]);
      return history.get(entryId) ? ok(history.get(entryId)!) : notFound;
    },
    async deleteHistoryEntries(entryIds) {
      record('deleteHistoryEntries', [entryIds]);
      return ok(history.delete(entryIds));
    },
    async exportHistory(request) {
      record('exportHistory', [request]);
      return ok(history.export(request, new Date()));
    },
    async clearHistory() {
      record('clearHistory', []);
      history.clear();
      return ok(undefined);
    },
    async listModels() {
      record('listModels', []);
      return ok(fake.models);
    },
    async installModel(modelId) {
      record('installModel', [modelId]);
      return fake.models.some((m) => m.id === modelId) ? ok(undefined) : notFound;
    },
    async cancelModelInstall(modelId) {
      record('cancelModelInstall', [modelId]);
      return fake.models.some((m) => m.id === modelId) ? ok(undefined) : notFound;
    },
    async useModel(modelId) {
      record('useModel', [modelId]);
      if (!fake.models.some((m) => m.id === modelId)) return notFound;
      fake.models = fake.models.map((m) => ({ ...m, active: m.id === modelId }));
      return ok(undefined);
    },
  };

  let scanRunning = false;
  function startScan(): void {
    if (scanRunning) return;
    scanRunning = true;
    // The same order as LibraryService: statusChanged (scan running), ..., scanFinished, statusChanged (scan null).
    fake.status = { ...fake.status, scan: { phase: 'indexing', filesDone: 0, filesTotal: 1, currentFile: null, audioSecondsPerSecond: 0 } };
    fake.emit('statusChanged', fake.status);
    setTimeout(() => {
      scanRunning = false;
      fake.emit('scanFinished', fake.nextScan);
      fake.status = { ...fake.status, scan: null, lastScan: fake.nextScan };
      fake.emit('statusChanged', fake.status);
    }, 20);
  }

  function record(method: string, args: unknown[]): void {
    fake.calls.push([method, args]);
  }
  return fake;
}

function summary(t: TrackDetail) {
  return { id: t.id, title: t.title, artist: t.artist, album: t.album, durationSeconds: t.durationSeconds, format: t.format, filePath: t.filePath };
}

/** The fake runs in Node: a folder exists when the file system has it, as for the engine. */
function isDirectory(folderPath: string): boolean {
  try {
    return statSync(folderPath).isDirectory();
  } catch {
    return false;
  }
}
