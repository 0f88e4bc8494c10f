// The library engine's front door: one catalog (SQLite, the source of truth), one landmark store (LMDB, a cache
// rebuildable from the catalog and the files) and the runners that probe/fingerprint files (a worker pool in the
// app and CLI, in-process in tests). Used by the CLI, the HTTP host and the Electron IPC handlers alike.
// Opening, scanning and identifying live here; the store's consistency with the catalog in storeConsistency.ts,
// reading a clip in clipInput.ts, the runners in fileJobRunners.ts (re-exported: callers name them with the LibraryEngine).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type {
  AppErrorInfo,
  IdentifyResult,
  ScanSummary,
  SearchMode,
  TrackDetail,
  Tracklist,
  TrackPage,
  VibeMatch,
} from '../../src-preload/contract/library.js';
import { toTrackDetail, toTrackSummary, type Catalog, type TrackListQuery } from './catalog/catalog.js';
import { openCatalog } from './catalog/openCatalog.js';
import { readAudioInfo } from './audio/readTags.js';
import { statRegularFile } from './audio/regularFile.js';
import { pcmClip, type ClipAudio } from './audio/clipAudio.js';
import type { VibeLane } from './embedding/vibeLane.js';
import { VibeLaneHolder } from './embedding/vibeLaneHolder.js';
import { acquireDataLock, lockHolder, type DataLock } from './dataLock.js';
import { AppError } from './errors.js';
import { checkFingerprintConfig, FINGERPRINT_CONFIG, type FingerprintConfig } from './fingerprint/config.js';
import type { DecisionRule } from './fingerprint/decisionRule.js';
import { checkClipLength, identifyClip, type IdentifyDeps } from './jobs/identifyClip.js';
import { tracklistFile, type TracklistOptions } from './jobs/tracklist.js';
import { trackAudioReader } from './jobs/tracklistParts.js';
import { scanFolders, type ScanOptions } from './jobs/scanFolders.js';
import { isWorthCompacting, type CompactionResult } from './landmarkStore/landmarkStore.js';
import { openRecoveringLandmarkStore, removeDamagedStores, type RecoveringLandmarkStore, type StoreReplacement } from './landmarkStore/storeRecovery.js';
import { readClipBytes, readClipFile } from './clipInput.js';
import type { FileJobRunners } from './fileJobRunners.js';
import {
  checkStoreAgainstCatalog,
  checkStoreAtOpen,
  markAllForRefingerprint,
  mergeSummaries,
  repairStore,
  type OpenReport,
  type RepairReport,
} from './storeConsistency.js';

export { inProcessRunners, type FileJobRunners } from './fileJobRunners.js';

export interface IdentifyOptions {
  readonly maxResults?: number;
  /**
   * exact (default here): landmarks only; vibe: embeddings only ('model-missing' without a vibe lane); both: the two
   * lanes in one call, the exact matches left out of the vibe list, and modeUsed 'exact' when no vibe lane is open.
   */
  readonly mode?: SearchMode;
  /** Clip files larger than this are refused with 'file-too-large'. */
  readonly maxClipBytes?: number;
  /** Aborting stops the work between stages and search steps and kills ffmpeg; the call rejects with 'cancelled'. */
  readonly signal?: AbortSignal;
  /**
   * The clip as it arrived, which the vibe lane reads at its model's rate (clipAudio.ts). Without it the lane gets
   * the PCM given to identify resampled: only the fingerprint rate's band.
   */
  readonly clip?: ClipAudio;
}

export interface LibraryOpenOptions {
  /** The vibe lane's embedder manifest: default the built-in model; null turns the lane off. */
  readonly embedderManifest?: string | null;
  /** Run the catalog's integrity check (quick_check) before anything is written: the app's start-up check. */
  readonly verifyIntegrity?: boolean;
  /**
   * Who opens it, for the data folder's writer lock (dataLock.ts): a writer (default 'library') takes the lock or
   * fails with 'library-busy'; null opens as a reader: no lock, and no repairs while a writer holds the folder
   * (identify, similar and tracks run beside an index or the app).
   */
  readonly lockAs?: string | null;
}

export const MAX_RESULTS_LIMIT = 50;

export class LibraryEngine {
  readonly catalog: Catalog;
  readonly store: RecoveringLandmarkStore;
  readonly config: FingerprintConfig;
  readonly dataDir: string;
  private readonly runners: FileJobRunners;
  /** The data folder's writer lock (undefined for a reader). */
  private lock: DataLock | undefined;
  rule: DecisionRule | undefined;
  /** The vibe lane in use, if any. */
  private readonly vibeLanes: VibeLaneHolder;
  /** What opening found: a damaged or missing store (being rebuilt), and what the repair did. */
  opened: OpenReport = { storeWasDamaged: false, storeWasMissing: false, repair: { orphansRemoved: 0, tracksToRefingerprint: 0 } };
  /** Told when a store found damaged at run time was replaced by an empty one (every track then awaits a rescan). */
  private readonly storeListeners = new Set<(replacement: StoreReplacement, tracksToRefingerprint: number) => void>();

  private constructor(dataDir: string, catalog: Catalog, store: RecoveringLandmarkStore, runners: FileJobRunners, config: FingerprintConfig) {
    this.dataDir = dataDir;
    this.catalog = catalog;
    this.store = store;
    this.runners = runners;
    this.config = config;
    this.vibeLanes = new VibeLaneHolder(catalog, path.join(dataDir, 'vectors'));
  }

  /** Listens for run-time store replacements (see storeRecovery.ts); returns the unsubscribe function. */
  onStoreReplaced(listener: (replacement: StoreReplacement, tracksToRefingerprint: number) => void): () => void {
    this.storeListeners.add(listener);
    return () => this.storeListeners.delete(listener);
  }

  /** The landmark store directory. */
  get landmarksDir(): string {
    return path.join(this.dataDir, 'landmarks');
  }

  /** Opens (creating if needed) the library in `dataDir`; checks the two stores agree and repairs the cache side. */
  static async open(
    dataDir: string,
    runners: FileJobRunners,
    config: FingerprintConfig = FINGERPRINT_CONFIG,
    options: LibraryOpenOptions = {},
  ): Promise<LibraryEngine> {
    checkFingerprintConfig(config); // a config whose values do not fit the hash layout would index wrong hashes
    mkdirSync(dataDir, { recursive: true });
    const lockAs = options.lockAs === undefined ? 'library' : options.lockAs;
    const lock = lockAs === null ? undefined : acquireDataLock(dataDir, lockAs);
    /** A reader repairs nothing while a writer holds the folder (the writer does). */
    const canRepair = (): boolean => lock !== undefined || lockHolder(dataDir) === undefined;
    let catalog: Catalog;
    try {
      catalog = openCatalog(path.join(dataDir, 'catalog.sqlite'), { verifyIntegrity: options.verifyIntegrity });
    } catch (err) {
      lock?.release();
      throw err;
    }
    // The store is a cache: a damaged one (found at open, or later by any call) is moved aside and replaced by an
    // empty one, and every track is fingerprinted again by the next scan (storeRecovery.ts).
    let library: LibraryEngine | undefined;
    let opened;
    try {
      opened = await openRecoveringLandmarkStore(path.join(dataDir, 'landmarks'), {
        canRepair,
        onReplaced: (replacement) => library?.storeReplaced(replacement),
      });
    } catch (err) {
      catalog.close();
      lock?.release();
      throw err;
    }
    library = new LibraryEngine(dataDir, catalog, opened.store, runners, config);
    library.lock = lock;
    try {
      await library.openVibe(options.embedderManifest);
      library.opened = await checkStoreAtOpen(catalog, opened, config.version, canRepair());
    } catch (err) {
      await library.close().catch(() => undefined);
      throw err;
    }
    return library;
  }

  /** A damaged store was replaced at run time: every fingerprinted track must be fingerprinted again. */
  private storeReplaced(replacement: StoreReplacement): void {
    const count = markAllForRefingerprint(this.catalog);
    for (const listener of this.storeListeners) listener(replacement, count);
  }

  /** The vibe lane, or undefined when its model could not be loaded (see vibeError) or it was turned off. */
  get vibe(): VibeLane | undefined {
    return this.vibeLanes.lane;
  }

  get vibeError(): AppErrorInfo | undefined {
    return this.vibeLanes.error;
  }

  /** Opens the vibe lane for an embedder manifest (default: the built-in model); a failure leaves the lane off. */
  openVibe(manifestPath: string | null | undefined): Promise<void> {
    return this.vibeLanes.open(manifestPath);
  }

  /** Switches the vibe lane to another embedder without going dark (see VibeLaneHolder.switchTo); throws why not. */
  switchVibe(manifestPath: string | undefined): Promise<void> {
    return this.vibeLanes.switchTo(manifestPath);
  }

  /** Library tracks that sound like the clip, read at the lane's model's rate; 'model-missing' without a lane. */
  async identifyVibe(clip: ClipAudio, limit: number, excludeTrackNums?: ReadonlySet<number>): Promise<VibeMatch[]> {
    const vibe = this.vibeLanes.require();
    return vibe.searchClip(await clip.at(vibe.embedder.manifest.sampleRateHz), { limit, excludeTrackNums });
  }

  /** "More like this" for a library track. */
  similarTracks(trackId: string, limit: number): VibeMatch[] {
    checkLimit(limit, 'limit');
    const vibe = this.vibeLanes.require();
    const row = this.catalog.getTrackById(trackId);
    if (!row) throw new AppError('not-found', `no track ${trackId}`);
    return vibe.similarTo(row.num, limit);
  }

  /** Makes the store agree with the catalog (the source of truth); a store found damaged meanwhile is replaced first. */
  repair(): Promise<RepairReport> {
    return repairStore(this.catalog, this.store, this.config.version);
  }

  /**
   * Scans, then compacts the store if the scan changed anything and was not cancelled (see compactIfBloated). When
   * the store was found damaged and replaced during the scan, the folders are scanned once more, so the files the
   * first pass had already settled are fingerprinted into the new store. Once no track awaits fingerprinting,
   * damaged stores moved aside earlier are deleted.
   */
  async scan(folderPaths: readonly string[], options: ScanOptions = {}): Promise<ScanSummary> {
    const replacementsBefore = this.store.replacementCount;
    let summary = await this.scanOnce(folderPaths, options);
    if (!summary.cancelled && this.store.replacementCount !== replacementsBefore) {
      summary = mergeSummaries(summary, await this.scanOnce(folderPaths, options));
    }
    if (!summary.cancelled && this.lock !== undefined && this.catalog.listTrackNumsByFingerprintStatus('pending').length === 0) {
      await removeDamagedStores(this.landmarksDir);
    }
    return summary;
  }

  private async scanOnce(folderPaths: readonly string[], options: ScanOptions): Promise<ScanSummary> {
    const summary = await scanFolders(
      {
        catalog: this.catalog,
        store: this.store,
        probe: (p, s) => this.runners.probe(p, s),
        fingerprint: (p, s, m, maxSeconds) => this.runners.fingerprint(p, s, m, maxSeconds),
        embed: this.runners.embed && ((p, s, m) => this.runners.embed!(p, s, m)),
        fingerprintVersion: this.config.version,
        concurrency: this.runners.concurrency,
        embedder: this.vibe && {
          id: this.vibe.modelId,
          manifestPath: this.vibe.manifestPath,
          write: (trackNum, embedding) => this.vibe?.embeddings.write(trackNum, embedding),
          // The lane's own session embeds what the runners prepared: one session per model, whoever decoded.
          embed: (input) => this.vibeLanes.require().embedInput(input),
        },
      },
      folderPaths,
      options,
    );
    const changed = summary.added + summary.updated + summary.removed + summary.moved > 0;
    if (changed && !summary.cancelled) await this.compactIfBloated();
    // Vectors written (or tracks removed) by the scan: bring the HNSW indexes in line and persist them.
    this.vibe?.refresh();
    return summary;
  }

  /** Compacts the landmark store when its file holds mostly freed pages; undefined when it did not. */
  async compactIfBloated(): Promise<CompactionResult | undefined> {
    return isWorthCompacting(this.store.stats()) ? this.store.compact() : undefined;
  }

  /** Identifies a clip file of any format ffmpeg reads. */
  async identifyFile(clipPath: string, options: IdentifyOptions = {}): Promise<IdentifyResult> {
    const started = performance.now();
    const { pcm, clip } = await readClipFile(clipPath, { ...options, sampleRateHz: this.config.sampleRateHz });
    return this.identify(pcm, { ...options, clip }, started);
  }

  /**
   * The tracklist of a long recording (a DJ mix, a radio show): every library song heard in it, in time order, with
   * the unknown stretches between. Decoded streaming (hours of audio stay out of memory); cancellable.
   */
  async tracklistFile(filePath: string, options: TracklistOptions = {}): Promise<Tracklist> {
    await statRegularFile(filePath);
    const totalSeconds =
      options.totalSeconds ??
      (await readAudioInfo(filePath)
        .then((i) => i.durationSeconds ?? null)
        .catch(() => null));
    const parts = this.runners.tracklistParts;
    return tracklistFile(this.identifyDeps(), filePath, { ...(parts ? { parts: { runner: parts, dataDir: this.dataDir } } : {}), ...options, totalSeconds });
  }

  /** Identifies encoded clip bytes (an upload, a recording). */
  async identifyBytes(bytes: Uint8Array, options: IdentifyOptions = {}): Promise<IdentifyResult> {
    const started = performance.now();
    const { pcm, clip } = await readClipBytes(bytes, { ...options, sampleRateHz: this.config.sampleRateHz });
    return this.identify(pcm, { ...options, clip }, started);
  }

  /**
   * Identifies mono PCM at config.sampleRateHz in the lanes options.mode asks for. With 'both', a damaged landmark
   * store (AppError 'store-damaged', being replaced) leaves the vibe lane to answer alone: modeUsed 'vibe'.
   */
  async identify(pcm: Float32Array, options: IdentifyOptions = {}, started = performance.now()): Promise<IdentifyResult> {
    const mode = options.mode ?? 'exact';
    const maxResults = checkLimit(options.maxResults ?? 5, 'max results');
    if (mode === 'vibe') this.vibeLanes.require();
    checkClipLength(pcm.length, this.config.sampleRateHz);
    let exact: IdentifyResult | undefined;
    let exactFailed = false;
    if (mode !== 'vibe') {
      try {
        exact = await this.identifyExact(pcm, options, started);
        if (exact.exact.length === 0) await checkStoreAgainstCatalog(this.catalog, this.store, this.config.version);
      } catch (err) {
        const damaged = err instanceof AppError && err.code === 'store-damaged';
        // The store is being replaced (a few ms): answer once the owner has been told (notice, rescan).
        if (damaged) await this.store.settled().catch(() => undefined);
        if (!(mode === 'both' && this.vibe && damaged)) throw err;
        exactFailed = true;
      }
    }
    if (options.signal?.aborted) throw new AppError('cancelled', 'identify cancelled');
    if (mode === 'exact' || (mode === 'both' && !this.vibe)) return { ...(exact as IdentifyResult), modeUsed: 'exact' };
    const exclude = new Set<number>();
    for (const m of exact?.exact ?? []) {
      const row = this.catalog.getTrackById(m.track.id);
      if (row) exclude.add(row.num);
    }
    const vibe = await this.identifyVibe(options.clip ?? pcmClip(pcm, this.config.sampleRateHz), maxResults, exclude);
    return {
      durationMs: Math.round(performance.now() - started),
      clipSeconds: exact?.clipSeconds ?? pcm.length / this.config.sampleRateHz,
      exact: exact?.exact ?? [],
      vibe,
      modeUsed: exactFailed ? 'vibe' : mode,
    };
  }

  /** Identifies mono PCM already at config.sampleRateHz, exact lane only. */
  identifyExact(pcm: Float32Array, options: IdentifyOptions = {}, started = performance.now()): Promise<IdentifyResult> {
    const maxResults = checkLimit(options.maxResults ?? 5, 'max results');
    return identifyClip(this.identifyDeps(), pcm, maxResults, started, options.signal);
  }

  /**
   * From the first search on, keeps a fingerprint worker started, so that searches find one idle to help them on the
   * second core (hosts that stay open; a one-shot command would pay the worker's start for one search). Not at once:
   * the start-up of the library is not the place to start a thread nobody may need.
   */
  keepSearchHelperWarm(): void {
    this.warmSearchHelper = true;
  }
  private warmSearchHelper = false;

  /** What the exact lane's search needs: the stores, the rule, and the track audio its check hears. */
  identifyDeps(): IdentifyDeps {
    const sampleRateHz = this.config.sampleRateHz;
    if (this.warmSearchHelper) this.runners.keepWarm?.(); // at most one start (warm starts none while one is alive)
    const help = this.runners.searchHelp?.bind(this.runners);
    return {
      catalog: this.catalog,
      store: this.store,
      config: this.config,
      rule: this.rule,
      trackAudio: trackAudioReader(sampleRateHz),
      ...(help ? { searchHelper: (request, signal) => help({ ...request, dataDir: this.dataDir }, signal) } : {}),
    };
  }

  listTracks(query: Omit<TrackListQuery, 'page' | 'perPage'> & { page?: number; perPage?: number }): TrackPage {
    const page = query.page ?? 1;
    const perPage = query.perPage ?? 50;
    const { items, total } = this.catalog.listTracks({ ...query, page, perPage });
    return { items: items.map(toTrackSummary), total, page, perPage };
  }

  getTrack(trackId: string): TrackDetail {
    const row = this.catalog.getTrackById(trackId);
    if (!row) throw new AppError('not-found', `no track ${trackId}`);
    return toTrackDetail(row, this.catalog.duplicatePathsOf(row.num));
  }

  async close(): Promise<void> {
    try {
      await this.runners.close();
      await this.vibeLanes.release();
      await this.store.close();
      this.catalog.close();
    } finally {
      this.lock?.release();
      this.lock = undefined;
    }
  }
}

function checkLimit(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_RESULTS_LIMIT)
    throw new AppError('invalid-argument', `${what} must be an integer from 1 to ${MAX_RESULTS_LIMIT}`);
  return n;
}
