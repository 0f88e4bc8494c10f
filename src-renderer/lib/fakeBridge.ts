// An in-memory LibraryBridge with a few tracks: what the unit tests drive the store against, and the page's dev mode
// (`?fake` in a Vite dev build; `?fake=100000` for a big library). Scans are simulated with timers; identification
// is scripted (by default a mic clip of >= 4 s that is not silent, or a file not named "unknown...", matches track 1).
// Vibe models: the built-in one (active) and a downloadable CLAP whose download is simulated in MODEL_STEPS steps.
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
  ListenLogEntry,
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
  ModelProgress,
  Result,
  ScanProgress,
  ScanSummary,
  TrackDetail,
  TrackId,
  TrackPage,
  TrackSummary,
  Tracklist,
  TracklistSegment,
  VibeMatch,
} from '../../src-preload/contract/library';
import { buildHistoryExport } from '../../src-preload/contract/historyExport';
import { matchesHistorySearch } from '../../src-preload/contract/historySearch';
import { browseListing, groupAlbums, groupArtists, positionInListing } from '../../src-preload/contract/trackBrowse';
import { matchesTrackSearch } from '../../src-preload/contract/trackSearchMatch';

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

/**
 * The default keep-listening script: the first two tracks play 30 s each (the second 4 % faster), then music not in
 * the library. A song shows once 5 s of it were heard (as the engine confirms after a few seconds).
 */
export function defaultFakeListen(heardSeconds: number, tracks: readonly TrackSummary[]): Pick<ListenState, 'playing' | 'log'> {
  const plan = [
    { track: tracks[0] ?? null, start: 0, end: 30, offset: 12, speed: 1 },
    { track: tracks[1] ?? null, start: 30, end: 60, offset: 3, speed: 1.04 },
  ];
  const log: ListenLogEntry[] = [];
  let playing: ListenState['playing'] = null;
  plan.forEach((p, i) => {
    if (!p.track || heardSeconds < p.start + 5) return;
    const ongoing = heardSeconds < p.end + 5;
    const end = Math.min(p.end, heardSeconds);
    log.push({ id: i + 1, startSeconds: p.start, endSeconds: end, track: p.track, offsetSeconds: p.offset, speedFactor: p.speed, confidence: 0.9, ongoing });
    if (heardSeconds < p.end) {
      playing = { track: p.track, positionSeconds: p.offset + (heardSeconds - p.start) * p.speed, speedFactor: p.speed, confidence: 0.9, entryId: i + 1 };
    }
  });
  if (heardSeconds >= 65) log.push({ id: 0, startSeconds: 60, endSeconds: heardSeconds, track: null, offsetSeconds: null, speedFactor: null, confidence: null, ongoing: false });
  return { playing, log };
}

/** Simulated tracklists report this many progress steps before answering. */
export const TRACKLIST_STEPS = 4;

/**
 * The default tracklist script: the recording is as long as its bytes at 128 kbit/s (at least 100 s); the library's
 * tracks follow each other in 40 s stretches (the second at 4 % faster), every fourth stretch not in the library.
 */
export function defaultFakeTracklist(request: TracklistRequest, tracks: readonly TrackSummary[]): Tracklist {
  const durationSeconds = Math.max(100, Math.round(request.audio.bytes.length / 16_000));
  const segments: TracklistSegment[] = [];
  for (let start = 0, i = 0; start < durationSeconds; start += 40, i++) {
    const end = Math.min(durationSeconds, start + 40);
    const track = i % 4 === 3 || tracks.length === 0 ? null : tracks[i % tracks.length];
    segments.push(
      track
        ? { start, end, track, offsetSeconds: 10 + i, speedFactor: i === 1 ? 1.04 : 1, pitchFactor: i === 1 ? 1.04 : 1, confidence: 0.9, alignedHashes: 50 }
        : { start, end, track: null, offsetSeconds: null, speedFactor: null, pitchFactor: null, confidence: null, alignedHashes: null },
    );
  }
  return { durationSeconds, segments, durationMs: 200 };
}

/** Simulated downloads take this many 'downloading' steps. */
export const MODEL_STEPS = 5;
export const FAKE_BUILTIN_MODEL_ID = 'builtin-descriptors-v2';
export const FAKE_CLAP_MODEL_ID = 'clap-htsat-unfused';

export interface FakeBridge extends LibraryBridge {
  /** Every call made, in order (method name and arguments), for assertions. */
  readonly calls: { method: string; args: unknown[] }[];
  /** Pushes an event as the engine would. */
  emit<E extends LibraryEventName>(event: E, payload: LibraryEvents[E]): void;
  readonly tracks: TrackSummary[];
}

const NAMED: readonly [string, string | null, string | null, string][] = [
  ['Alpha', 'The Synthetics', 'First Light', 'mp3'],
  ['Beta', 'The Synthetics', 'First Light', 'flac'],
  ['Gamma', 'Solo Voice', null, 'ogg'],
  ['Delta', null, null, 'wav'],
];

class FakeFailure {
  constructor(readonly error: AppErrorInfo) {}
}

function fakeId(n: number): TrackId {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}` as TrackId;
}

/** A content digest good enough for a fake (length + FNV-1a): the engine uses SHA-256. */
function contentDigest(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return `${bytes.length}:${(hash >>> 0).toString(16)}`;
}

function baseNameOf(filePath: string): string {
  return filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
}

function silentPeak(samples: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]));
  return peak;
}

/** The default script: mic clips match track 1 at 60 s once >= 4 s long and audible; files match unless named "unknown". */
export function defaultFakeIdentify(request: IdentifyRequest, tracks: readonly TrackSummary[]): IdentifyResult | AppErrorInfo {
  const audio = request.audio;
  let clipSeconds: number;
  let matches: boolean;
  if (audio.kind === 'pcm') {
    clipSeconds = audio.samples.length / audio.sampleRateHz;
    if (clipSeconds < 1) return { code: 'clip-too-short' };
    matches = clipSeconds >= 4 && silentPeak(audio.samples) > 1e-3;
  } else {
    clipSeconds = audio.bytes.length / 44_100;
    matches = !/unknown/i.test(audio.fileName) && tracks.length > 0;
  }
  const track = tracks[1] ?? tracks[0];
  const exact =
    matches && track && request.mode !== 'vibe'
      ? [{ track, confidence: 0.93, offsetSeconds: 60.2, alignedHashes: 48, speedFactor: 1, pitchFactor: 1 }]
      : [];
  // The vibe lane answers for any audible clip, known or not: the other tracks, most similar first.
  const vibe =
    request.mode !== 'exact' && (audio.kind === 'file' || silentPeak(audio.samples) > 1e-3)
      ? tracks
          .filter((t) => t.id !== exact[0]?.track.id)
          .slice(0, Math.min(request.maxResults, 5))
          .map((t, i) => fakeVibeMatch(t, i))
      : [];
  return { durationMs: 12, clipSeconds, exact, vibe, modeUsed: request.mode };
}

function fakeVibeMatch(track: TrackSummary, rank: number): VibeMatch {
  return { track, similarity: 0.86 - rank * 0.07, embeddingModel: 'builtin-descriptors-v2', explanation: rank % 2 ? 'similar tempo, same key area' : 'similar timbre' };
}

export function createFakeBridge(options: FakeBridgeOptions = {}): FakeBridge {
  const latencyMs = options.latencyMs ?? 0;
  const scanStepMs = options.scanStepMs ?? 200;
  const identify = options.identify ?? defaultFakeIdentify;
  const listeners = new Map<LibraryEventName, Set<(payload: never) => void>>();
  const calls: { method: string; args: unknown[] }[] = [];
  const folders: FolderSummary[] = [];
  const tracks: TrackSummary[] = [];
  const failed: FailedFile[] = [];
  /** Newest first, with each entry's whole result (to reopen it). */
  const history: { entry: HistoryEntry; result: IdentifyResult; key: string; clipDigest: string | null }[] = [];
  let scan: ScanProgress | null = null;
  let lastScan: ScanSummary | null = null;
  let scanTimer: ReturnType<typeof setTimeout> | null = null;
  let nextFolderId = 1;
  const modelStepMs = options.modelStepMs ?? 100;
  const models: ModelInfo[] = [
    { id: FAKE_BUILTIN_MODEL_ID, description: 'Built-in descriptors (timbre, harmony, rhythm)', license: 'MIT', sizeBytes: 180_000, dim: 79, state: 'builtin', downloadedBytes: 180_000, active: true, installing: false },
    { id: FAKE_CLAP_MODEL_ID, description: 'LAION CLAP (HTSAT, unfused) audio tower', license: 'Apache-2.0', sizeBytes: 117_528_416, dim: 512, state: 'missing', downloadedBytes: 0, active: false, installing: false },
  ];
  const downloads = new Map<string, ReturnType<typeof setTimeout>>();
  const tracklistStepMs = options.tracklistStepMs ?? 50;
  /** Running simulated tracklists: run id -> cancel. */
  const tracklistRuns = new Map<string, () => void>();
  /** Open keep-listening sessions: seconds heard so far. */
  const listenSessions = new Map<string, number>();
  const setModel = (id: string, patch: Partial<ModelInfo>): ModelInfo => {
    const i = models.findIndex((m) => m.id === id);
    models[i] = { ...models[i], ...patch };
    return models[i];
  };
  const progress = (m: ModelInfo, phase: ModelProgress['phase'], receivedBytes: number, error?: AppErrorInfo): void =>
    emit('modelProgress', { modelId: m.id, phase, receivedBytes, totalBytes: m.sizeBytes, ...(error ? { error } : {}) });

  function startDownload(m: ModelInfo): void {
    setModel(m.id, { installing: true });
    const stepBytes = Math.ceil(m.sizeBytes / MODEL_STEPS);
    const step = () => {
      const current = models.find((x) => x.id === m.id)!;
      const received = Math.min(m.sizeBytes, current.downloadedBytes + stepBytes);
      if (received < m.sizeBytes) {
        setModel(m.id, { downloadedBytes: received, state: 'partial' });
        progress(m, 'downloading', received);
        downloads.set(m.id, setTimeout(step, modelStepMs));
        return;
      }
      progress(m, 'verifying', m.sizeBytes);
      downloads.set(
        m.id,
        setTimeout(() => {
          downloads.delete(m.id);
          if (options.modelFailure) {
            setModel(m.id, { installing: false, downloadedBytes: 0, state: 'missing' });
            progress(m, 'failed', 0, options.modelFailure);
          } else {
            setModel(m.id, { installing: false, downloadedBytes: m.sizeBytes, state: 'installed' });
            progress(m, 'installed', m.sizeBytes);
          }
        }, modelStepMs),
      );
    };
    progress(m, 'downloading', m.downloadedBytes);
    downloads.set(m.id, setTimeout(step, modelStepMs));
  }

  const allTracks: TrackSummary[] = NAMED.map(([title, artist, album, format], i) => ({
    id: fakeId(i + 1),
    title,
    artist,
    album,
    durationSeconds: 75 + i * 10,
    format,
    filePath: `/music/${artist ?? 'Unknown'}/${title}.${format}`,
    discNumber: album ? 1 : null,
    trackNumber: album ? i + 1 : null,
  }));
  for (let i = 0; i < (options.extraTrackCount ?? 0); i++) {
    const n = NAMED.length + i + 1;
    allTracks.push({
      id: fakeId(n),
      title: `Track ${String(n).padStart(6, '0')}`,
      artist: `Artist ${n % 997}`,
      album: `Album ${n % 4001}`,
      durationSeconds: 120 + (n % 240),
      format: 'mp3',
      filePath: `/music/big/${n}.mp3`,
      discNumber: 1,
      trackNumber: 1 + Math.floor(n / 4001),
    });
  }

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

  function detailOf(track: TrackSummary): TrackDetail {
    return {
      ...track,
      sampleRateHz: 44_100,
      channelCount: 2,
      bitrate: 320_000,
      fileHashSha256: '0'.repeat(64),
      fileSizeBytes: Math.round(track.durationSeconds * 40_000),
      fileMtimeMs: 0,
      fingerprintStatus: 'indexed',
      fingerprintVersion: 3,
      landmarkCount: Math.round(track.durationSeconds * 120),
      embeddingModel: null,
      embeddingDim: null,
      embeddingStatus: 'none',
      ingestedAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
      duplicatePaths: [],
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
    lastScan = { added, updated: 0, unchanged: 0, rebuilt: 0, moved: 0, removed: 0, duplicates: 0, failed: cancelled ? 0 : 1, cancelled, audioSeconds: added * 80, wallSeconds };
    for (const folder of folders.splice(0)) folders.push({ ...folder, trackCount: tracks.length, lastScannedAt: new Date().toISOString() });
    emit('scanFinished', lastScan);
    emit('libraryChanged', { reason: 'scan' });
    emit('statusChanged', status());
  }

  if (options.startScanned) {
    folders.push({ id: nextFolderId++ as FolderId, path: '/music', exists: true, trackCount: allTracks.length, lastScannedAt: '2024-01-01T00:00:00.000Z' });
    tracks.push(...allTracks);
  }

  /** As the engine keeps History: one entry per key (a Listen), one per content (the same file dropped again counts). */
  function rememberIdentify(request: IdentifyRequest, key: string, outcome: IdentifyResult): void {
    const best = outcome.exact[0];
    const vibe = best ? undefined : outcome.vibe[0];
    const shown = best?.track ?? vibe?.track;
    const clipDigest = request.audio.kind === 'file' ? contentDigest(request.audio.bytes) : null;
    const now = new Date().toISOString();
    const index = history.findIndex((h) => h.key === key || (clipDigest !== null && h.clipDigest === clipDigest));
    const previous = index >= 0 ? history.splice(index, 1)[0] : undefined;
    const counted = previous !== undefined && previous.key !== key;
    const entry: HistoryEntry = {
      id: previous?.entry.id ?? key,
      at: now,
      firstAt: previous?.entry.firstAt ?? now,
      count: (previous?.entry.count ?? 0) + (counted || !previous ? 1 : 0),
      source: request.source,
      clipName: request.audio.kind === 'file' ? request.audio.fileName : null,
      clipSeconds: outcome.clipSeconds,
      mode: request.mode,
      match: best
        ? { trackId: best.track.id, title: best.track.title, artist: best.track.artist, album: best.track.album, offsetSeconds: best.offsetSeconds, confidence: best.confidence }
        : null,
      soundsLike: vibe ? { trackId: vibe.track.id, title: vibe.track.title, artist: vibe.track.artist, similarity: vibe.similarity } : null,
      trackFileName: shown ? baseNameOf(shown.filePath) : null,
    };
    history.unshift({ entry, result: outcome, key, clipDigest });
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
        if (!folderPath.startsWith('/')) return new FakeFailure({ code: 'folder-not-found', detail: folderPath });
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
        // Without a sort the tracks keep the order they were added in (the catalog's default is by artist).
        const hits = browseListing(tracks.filter((t) => matchesTrackSearch(t, query.search)), query);
        return { items: hits.slice((page - 1) * perPage, page * perPage), total: hits.length, page, perPage };
      }),
    trackPosition: (query: TrackPositionQuery) =>
      answer<number | null>('trackPosition', [query], () =>
        positionInListing(browseListing(tracks.filter((t) => matchesTrackSearch(t, query.search)), query), query.trackId),
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
        return track ? detailOf(track) : new FakeFailure({ code: 'not-found' });
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
        if (request.historyKey) rememberIdentify(request, request.historyKey, outcome);
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
          ? tracks.filter((t) => t.id !== trackId).slice(0, limit).map((t, i) => fakeVibeMatch(t, i))
          : new FakeFailure({ code: 'not-found' }),
      ),
    listHistory: (query: HistoryQuery) =>
      answer<Page<HistoryEntry>>('listHistory', [query], () => {
        const perPage = query.perPage ?? 50;
        const page = query.page ?? 1;
        const hits = history.map((h) => h.entry).filter((e) => matchesHistorySearch(e, query.search));
        return { items: hits.slice((page - 1) * perPage, page * perPage), total: hits.length, page, perPage };
      }),
    getHistoryEntry: (entryId) =>
      answer<HistoryDetail>('getHistoryEntry', [entryId], () => {
        const found = history.find((h) => h.entry.id === entryId);
        return found ? { entry: found.entry, result: found.result } : new FakeFailure({ code: 'not-found', detail: 'that History entry was deleted' });
      }),
    deleteHistoryEntries: (entryIds) =>
      answer<number>('deleteHistoryEntries', [entryIds], () => {
        const before = history.length;
        history.splice(0, history.length, ...history.filter((h) => !entryIds.includes(h.entry.id)));
        return before - history.length;
      }),
    clearHistory: () =>
      answer('clearHistory', [], () => {
        history.splice(0);
        return undefined;
      }),
    exportHistory: (request) =>
      answer<HistoryExport>('exportHistory', [request], () =>
        buildHistoryExport(
          history.map((h) => h.entry).filter((e) => matchesHistorySearch(e, request.search)),
          request.format,
          new Date(),
          request.search,
        ),
      ),
    listModels: () => answer<readonly ModelInfo[]>('listModels', [], () => models.map((m) => ({ ...m }))),
    installModel: (modelId) =>
      answer('installModel', [modelId], () => {
        const m = models.find((x) => x.id === modelId && x.state !== 'builtin');
        if (!m) return new FakeFailure({ code: 'not-found', detail: modelId });
        if (m.installing) return undefined;
        if (m.state === 'installed') queueMicrotask(() => progress(m, 'installed', m.sizeBytes));
        else queueMicrotask(() => startDownload(m));
        return undefined;
      }),
    cancelModelInstall: (modelId) =>
      answer('cancelModelInstall', [modelId], () => {
        const m = models.find((x) => x.id === modelId && x.state !== 'builtin');
        if (!m) return new FakeFailure({ code: 'not-found', detail: modelId });
        const timer = downloads.get(modelId);
        if (timer === undefined) return undefined;
        clearTimeout(timer);
        downloads.delete(modelId);
        const now = setModel(modelId, { installing: false });
        progress(now, 'cancelled', now.downloadedBytes);
        return undefined;
      }),
    useModel: (modelId) =>
      answer('useModel', [modelId], () => {
        const m = models.find((x) => x.id === modelId);
        if (!m) return new FakeFailure({ code: 'not-found', detail: modelId });
        if (m.state !== 'builtin' && m.state !== 'installed') return new FakeFailure({ code: 'model-missing', detail: `${modelId} is not downloaded (${m.state})` });
        for (const x of models) setModel(x.id, { active: x.id === modelId });
        queueMicrotask(() => startScan()); // the engine rescans to embed the library with the new model
        return undefined;
      }),
  };
  return bridge;
}
