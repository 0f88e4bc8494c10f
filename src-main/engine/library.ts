// The library engine's front door: one catalog (SQLite, the source of truth), one landmark store (LMDB, a cache
// rebuildable from the catalog and the files) and the runners that probe/fingerprint files (a worker pool in the
// app and CLI, in-process in tests). Used by the CLI, the HTTP host and the Electron IPC handlers alike.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AppErrorInfo, IdentifyResult, ScanSummary, SearchMode, TrackDetail, Tracklist, TrackPage, VibeMatch } from '../../src-preload/contract/library.js';
import { toTrackDetail, toTrackSummary, type Catalog, type TrackListQuery } from './catalog/catalog.js';
import { openCatalog } from './catalog/openCatalog.js';
import { decodeAudio, type DecodeOptions } from './audio/decodeAudio.js';
import { decodeClipBytes, decodeClipFile } from './audio/decodeClip.js';
import { readAudioInfo } from './audio/readTags.js';
import { statRegularFile } from './audio/regularFile.js';
import { resamplePcm } from './audio/resample.js';
import { builtinManifestPath } from './embedding/embedderManifest.js';
import { VibeLane } from './embedding/vibeLane.js';
import { acquireDataLock, lockHolder, type DataLock } from './dataLock.js';
import { AppError, toErrorInfo } from './errors.js';
import { FINGERPRINT_CONFIG, type FingerprintConfig } from './fingerprint/config.js';
import type { DecisionRule } from './fingerprint/searchClip.js';
import { embedFile, fingerprintFile, type FileEmbedding, type FileFingerprint } from './jobs/fingerprintFile.js';
import { checkClipLength, identifyPcm, MAX_CLIP_SECONDS, type IdentifyDeps } from './jobs/identifyClip.js';
import { probeFile, type FileProbe } from './jobs/probeFile.js';
import { tracklistFile, type TracklistOptions } from './jobs/tracklist.js';
import { scanFolders, type ScanOptions } from './jobs/scanFolders.js';
import { isWorthCompacting, type CompactionResult } from './landmarkStore/landmarkStore.js';
import { isStoreDamageError, openRecoveringLandmarkStore, removeDamagedStores, type RecoveringLandmarkStore, type StoreReplacement } from './landmarkStore/storeRecovery.js';

export interface LibraryRunners {
  probe(filePath: string, signal: AbortSignal): Promise<FileProbe>;
  /** embedderManifest: also embed the file with that model (the vibe lane), from the same decode; maxSeconds: the per-file cap. */
  fingerprint(filePath: string, signal: AbortSignal, embedderManifest?: string, maxSeconds?: number): Promise<FileFingerprint>;
  /** The embedding alone, for a track whose fingerprint is current (optional: without it such a track is fingerprinted again). */
  embed?(filePath: string, signal: AbortSignal, embedderManifest: string): Promise<FileEmbedding>;
  /** Files in flight at once during a scan. */
  readonly concurrency: number;
  close(): Promise<void>;
}

/** Runs probe/fingerprint on the calling thread (tests, tools); the app and CLI use a worker pool instead. */
export function inProcessRunners(concurrency = 2): LibraryRunners {
  const cache: Record<string, Promise<import('./embedding/onnxEmbedder.js').OnnxEmbedder>> = {};
  return {
    probe: (p, signal) => probeFile(p, signal),
    fingerprint: (p, signal, embedderManifest, maxSeconds) => {
      const embedder = embedderManifest ? () => (cache[embedderManifest] ??= import('./embedding/onnxEmbedder.js').then((m) => m.OnnxEmbedder.load(embedderManifest))) : undefined;
      return fingerprintFile(p, { signal, embedder, maxSeconds });
    },
    embed: (p, signal, embedderManifest) =>
      embedFile(p, { signal, embedder: () => (cache[embedderManifest] ??= import('./embedding/onnxEmbedder.js').then((m) => m.OnnxEmbedder.load(embedderManifest))) }),
    concurrency,
    close: async () => {},
  };
}

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

export const DEFAULT_MAX_CLIP_BYTES = 100 * 1024 * 1024;
export const MAX_RESULTS_LIMIT = 50;

/** What opening found about the landmark store. */
export interface OpenReport {
  /** The store was damaged (failed to open or failed the start-up check): it was moved aside and is rebuilt. */
  readonly storeWasDamaged: boolean;
  /** The catalog had fingerprinted tracks but the store held none of them (deleted, or emptied): it is rebuilt. */
  readonly storeWasMissing: boolean;
  /** What was wrong with a damaged store, and where it went. */
  readonly storeReplacement?: StoreReplacement;
  readonly repair: RepairReport;
}

export interface RepairReport {
  /** Store entries without a catalog track, deleted. */
  readonly orphansRemoved: number;
  /** Catalog tracks marked indexed that the store lacks (or has at another version): set back to pending. */
  readonly tracksToRefingerprint: number;
}

export class Library {
  readonly catalog: Catalog;
  readonly store: RecoveringLandmarkStore;
  readonly config: FingerprintConfig;
  readonly dataDir: string;
  private readonly runners: LibraryRunners;
  /** The data folder's writer lock (undefined for a reader). */
  private lock: DataLock | undefined;
  rule: DecisionRule | undefined;
  /** The vibe lane, or undefined when its model could not be loaded (see vibeError) or it was turned off. */
  vibe: VibeLane | undefined;
  vibeError: AppErrorInfo | undefined;
  /** What opening found: a damaged or missing store (being rebuilt), and what the repair did. */
  opened: OpenReport = { storeWasDamaged: false, storeWasMissing: false, repair: { orphansRemoved: 0, tracksToRefingerprint: 0 } };
  /** Told when a store found damaged at run time was replaced by an empty one (every track then awaits a rescan). */
  private readonly storeListeners = new Set<(replacement: StoreReplacement, tracksToRefingerprint: number) => void>();

  private constructor(dataDir: string, catalog: Catalog, store: RecoveringLandmarkStore, runners: LibraryRunners, config: FingerprintConfig) {
    this.dataDir = dataDir;
    this.catalog = catalog;
    this.store = store;
    this.runners = runners;
    this.config = config;
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
    runners: LibraryRunners,
    config: FingerprintConfig = FINGERPRINT_CONFIG,
    options: LibraryOpenOptions = {},
  ): Promise<Library> {
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
    let library: Library | undefined;
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
    library = new Library(dataDir, catalog, opened.store, runners, config);
    library.lock = lock;
    try {
      await library.openVibe(options.embedderManifest);
      const indexedCount = catalog.listTrackNumsByFingerprintStatus('indexed').length;
      const storeWasMissing = opened.replaced === undefined && indexedCount > 0 && library.storeIsEmpty();
      const replacementsBefore = opened.store.replacementCount;
      const repair = canRepair() ? await library.repair() : { orphansRemoved: 0, tracksToRefingerprint: storeWasMissing ? indexedCount : 0 };
      const replacedWhileRepairing = opened.store.replacementCount !== replacementsBefore;
      library.opened = {
        storeWasDamaged: opened.replaced !== undefined || replacedWhileRepairing,
        storeWasMissing,
        ...(opened.replaced ? { storeReplacement: opened.replaced } : {}),
        repair,
      };
    } catch (err) {
      await library.close().catch(() => undefined);
      throw err;
    }
    return library;
  }

  /** Whether the landmark store holds no track at all. */
  private storeIsEmpty(): boolean {
    try {
      return this.store.trackNums().length === 0;
    } catch (err) {
      if (isStoreDamageError(err)) return false;
      throw err;
    }
  }

  /** A damaged store was replaced at run time: every fingerprinted track must be fingerprinted again. */
  private storeReplaced(replacement: StoreReplacement): void {
    const count = this.markAllForRefingerprint();
    for (const listener of this.storeListeners) listener(replacement, count);
  }

  /** Sets every indexed track back to pending (its landmarks are gone); returns how many. */
  private markAllForRefingerprint(): number {
    let count = 0;
    this.catalog.transaction(() => {
      for (const num of this.catalog.listTrackNumsByFingerprintStatus('indexed')) {
        this.catalog.setFingerprintStatus(num, 'pending', null, 0);
        count++;
      }
    });
    return count;
  }

  /** Opens the vibe lane for an embedder manifest (default: the built-in model); a failure leaves the lane off. */
  async openVibe(manifestPath: string | null | undefined): Promise<void> {
    const previous = this.vibe;
    this.vibe = undefined;
    this.vibeError = undefined;
    await previous?.release();
    if (manifestPath === null) return;
    try {
      this.vibe = await VibeLane.open(manifestPath ?? builtinManifestPath(), this.catalog, path.join(this.dataDir, 'vectors'));
      this.vibe.refresh();
    } catch (error) {
      this.vibeError = toErrorInfo(error);
    }
  }

  /**
   * Switches the vibe lane to another embedder (undefined: the built-in one) without going dark: the new lane is
   * loaded first and swapped in only once it works; on failure the current lane stays and the AppError
   * ('model-missing': missing, damaged or unloadable model) is thrown.
   */
  async switchVibe(manifestPath: string | undefined): Promise<void> {
    const next = await VibeLane.open(manifestPath ?? builtinManifestPath(), this.catalog, path.join(this.dataDir, 'vectors'));
    try {
      next.refresh();
    } catch (error) {
      await next.release();
      throw error;
    }
    const previous = this.vibe;
    this.vibe = next;
    this.vibeError = undefined;
    await previous?.release();
  }

  /** Library tracks that sound like the clip (mono PCM at config.sampleRateHz); 'model-missing' without a lane. */
  async identifyVibePcm(pcm: Float32Array, limit: number, excludeTrackNums?: ReadonlySet<number>): Promise<VibeMatch[]> {
    const vibe = this.requireVibe();
    const rate = vibe.embedder.manifest.sampleRateHz;
    const input = rate === this.config.sampleRateHz ? pcm : resamplePcm(pcm, this.config.sampleRateHz, rate);
    return vibe.searchClip(input, { limit, excludeTrackNums });
  }

  /** "More like this" for a library track. */
  similarTracks(trackId: string, limit: number): VibeMatch[] {
    checkLimit(limit, 'limit');
    const vibe = this.requireVibe();
    const row = this.catalog.getTrackById(trackId);
    if (!row) throw new AppError('not-found', `no track ${trackId}`);
    return vibe.similarTo(row.num, limit);
  }

  private requireVibe(): VibeLane {
    if (!this.vibe) throw new AppError('model-missing', this.vibeError?.detail ?? 'the vibe lane is turned off');
    return this.vibe;
  }

  /** Makes the store agree with the catalog (the source of truth); a store found damaged meanwhile is replaced first. */
  async repair(): Promise<RepairReport> {
    try {
      return await this.repairOnce();
    } catch (err) {
      if (!isStoreDamageError(err)) throw err;
      await this.store.settled(); // replaced by an empty store (or it throws why it could not be)
      return this.repairOnce();
    }
  }

  private async repairOnce(): Promise<RepairReport> {
    const storeNums = new Set(this.store.trackNums());
    const catalogRows = this.catalog.getTracksByNums([...storeNums]);
    const orphans = [...storeNums].filter((n) => !catalogRows.has(n));
    if (orphans.length > 0) await this.store.deleteTracks(orphans);
    let stale = 0;
    this.catalog.transaction(() => {
      for (const num of this.catalog.listTrackNumsByFingerprintStatus('indexed')) {
        if (this.store.trackVersion(num) !== this.config.version) {
          this.catalog.setFingerprintStatus(num, 'pending', null, 0);
          stale++;
        }
      }
    });
    return { orphansRemoved: orphans.length, tracksToRefingerprint: stale };
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
    // Regular files only (a FIFO would block for ever); EACCES/EPERM say permission-denied, not not-found.
    const { size } = await statRegularFile(clipPath);
    const limit = options.maxClipBytes ?? DEFAULT_MAX_CLIP_BYTES;
    if (size > limit) throw new AppError('file-too-large', `the clip is ${mb(size)} MB; the limit is ${mb(limit)} MB`);
    const pcm = await decodeClipFile(clipPath, this.clipDecodeOptions(options.signal));
    checkClipLength(pcm.length, this.config.sampleRateHz);
    return this.identify(pcm, options, started);
  }

  /**
   * The tracklist of a long recording (a DJ mix, a radio show): every library song heard in it, in time order, with
   * the unknown stretches between. Decoded streaming (hours of audio stay out of memory); cancellable.
   */
  async tracklistFile(filePath: string, options: TracklistOptions = {}): Promise<Tracklist> {
    await statRegularFile(filePath);
    const totalSeconds = options.totalSeconds ?? (await readAudioInfo(filePath).then((i) => i.durationSeconds ?? null).catch(() => null));
    return tracklistFile(this.identifyDeps(), filePath, { ...options, totalSeconds });
  }

  /** Identifies encoded clip bytes (an upload, a recording). */
  async identifyBytes(bytes: Uint8Array, options: IdentifyOptions = {}): Promise<IdentifyResult> {
    const started = performance.now();
    const limit = options.maxClipBytes ?? DEFAULT_MAX_CLIP_BYTES;
    if (bytes.byteLength > limit) throw new AppError('file-too-large', `the clip is ${mb(bytes.byteLength)} MB; the limit is ${mb(limit)} MB`);
    const pcm = await decodeClipBytes(bytes, this.clipDecodeOptions(options.signal));
    checkClipLength(pcm.length, this.config.sampleRateHz);
    return this.identify(pcm, options, started);
  }

  /** A clip is decoded to at most a second past MAX_CLIP_SECONDS: enough to tell it is too long, never hours. */
  private clipDecodeOptions(signal: AbortSignal | undefined): DecodeOptions {
    return { sampleRateHz: this.config.sampleRateHz, maxSeconds: MAX_CLIP_SECONDS + 1, ...(signal ? { signal } : {}) };
  }

  /**
   * Identifies mono PCM at config.sampleRateHz in the lanes options.mode asks for. With 'both', a damaged landmark
   * store (AppError 'store-damaged', being replaced) leaves the vibe lane to answer alone: modeUsed 'vibe'.
   */
  async identify(pcm: Float32Array, options: IdentifyOptions = {}, started = performance.now()): Promise<IdentifyResult> {
    const mode = options.mode ?? 'exact';
    const maxResults = checkLimit(options.maxResults ?? 5, 'max results');
    if (mode === 'vibe') this.requireVibe();
    checkClipLength(pcm.length, this.config.sampleRateHz);
    let exact: IdentifyResult | undefined;
    let exactFailed = false;
    if (mode !== 'vibe') {
      try {
        exact = await this.identifyPcm(pcm, options, started);
        if (exact.exact.length === 0) await this.checkStoreAgainstCatalog();
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
    const vibe = await this.identifyVibePcm(pcm, maxResults, exclude);
    return {
      durationMs: Math.round(performance.now() - started),
      clipSeconds: exact?.clipSeconds ?? pcm.length / this.config.sampleRateHz,
      exact: exact?.exact ?? [],
      vibe,
      modeUsed: exactFailed ? 'vibe' : mode,
    };
  }

  /**
   * A miss is also what a damaged store answers when a scribbled page reads as an empty one. So after a miss, a few
   * tracks the catalog says are fingerprinted (at this version) are looked up: when none is in the store, the store
   * is replaced (see storeRecovery.ts) and the lookup answers AppError 'store-damaged'. A few ms; misses only.
   */
  private async checkStoreAgainstCatalog(): Promise<void> {
    // Runs after every miss (most of what continuous listening hears): four primary-key seeks from random points,
    // not an ORDER BY random() that would read the whole table.
    const db = this.catalog.db;
    const range = db.prepare('SELECT min(num) AS lo, max(num) AS hi FROM tracks').get() as { lo: number | null; hi: number | null };
    if (range.lo === null || range.hi === null) return;
    const seek = db.prepare(`SELECT num FROM tracks WHERE num >= ? AND fingerprint_status = 'indexed' AND fingerprint_version = ? ORDER BY num LIMIT 1`).pluck();
    const found = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const from = range.lo + Math.floor(Math.random() * (range.hi - range.lo + 1));
      const num = (seek.get(from, this.config.version) ?? seek.get(range.lo, this.config.version)) as number | undefined;
      if (num !== undefined) found.add(num);
    }
    const sample = [...found];
    if (sample.length === 0) return;
    // A track being removed leaves the store a moment before the catalog: one missing track is not damage.
    if (sample.length < 2 && this.catalog.countTracks() > 1) return;
    if (sample.some((num) => this.store.hasTrack(num))) return;
    const reason = `the catalog's fingerprinted tracks ${sample.join(', ')} are missing from the store`;
    await this.store.reportDamage(reason).catch(() => undefined);
    throw new AppError('store-damaged', `the fingerprint index was damaged (${reason}); it is being rebuilt from your files`);
  }

  /** Identifies mono PCM already at config.sampleRateHz, exact lane only. */
  identifyPcm(pcm: Float32Array, options: IdentifyOptions = {}, started = performance.now()): Promise<IdentifyResult> {
    const maxResults = options.maxResults ?? 5;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS_LIMIT) {
      throw new AppError('invalid-argument', `max results must be an integer from 1 to ${MAX_RESULTS_LIMIT}`);
    }
    return identifyPcm(this.identifyDeps(), pcm, maxResults, started, options.signal);
  }

  /** What the exact lane's search needs: the stores, the rule, and the track audio its check hears. */
  identifyDeps(): IdentifyDeps {
    const sampleRateHz = this.config.sampleRateHz;
    return {
      catalog: this.catalog,
      store: this.store,
      config: this.config,
      rule: this.rule,
      trackAudio: (filePath, startSeconds, seconds, signal) => decodeAudio(filePath, { sampleRateHz, startSeconds, maxSeconds: seconds, ...(signal ? { signal } : {}) }),
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
      await this.vibe?.release();
      await this.store.close();
      this.catalog.close();
    } finally {
      this.lock?.release();
      this.lock = undefined;
    }
  }
}

/**
 * One summary for a scan that ran twice (the store was replaced during the first pass): each file as the second pass
 * saw it, less the files the first pass added, updated or moved (the second pass counts them as unchanged, or as
 * rebuilt when their landmarks went with the damaged store; which of the two is not known, so unchanged goes first).
 */
function mergeSummaries(a: ScanSummary, b: ScanSummary): ScanSummary {
  const changedByFirst = a.added + a.updated + a.moved;
  const unchanged = Math.max(0, b.unchanged - changedByFirst);
  return {
    added: a.added + b.added,
    updated: a.updated + b.updated,
    unchanged,
    rebuilt: Math.max(0, b.rebuilt - Math.max(0, changedByFirst - b.unchanged)),
    moved: a.moved + b.moved,
    removed: a.removed + b.removed,
    duplicates: b.duplicates,
    failed: b.failed,
    cancelled: b.cancelled,
    audioSeconds: a.audioSeconds + b.audioSeconds,
    wallSeconds: a.wallSeconds + b.wallSeconds,
  };
}

function checkLimit(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_RESULTS_LIMIT) throw new AppError('invalid-argument', `${what} must be an integer from 1 to ${MAX_RESULTS_LIMIT}`);
  return n;
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
