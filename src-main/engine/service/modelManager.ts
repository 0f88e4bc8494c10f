// The vibe lane's models: the list the page shows (built-in, downloadable, each with its state), downloads (one at a
// time per model, cancellable, resumable, with modelProgress events), and which model the lane uses: remembered in
// the data folder, switched one call after another, a chosen model that cannot load falls back to the built-in one.
// The service's thread; downloads are async I/O, loading a model happens in the LibraryEngine.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { AppErrorInfo, ModelInfo, ModelProgress } from '../../../src-preload/contract/library.js';
import { readActiveModelId, writeActiveModelId } from '../embedding/activeModel.js';
import { BUILTIN_MODEL_ID, builtinManifestPath, readManifest } from '../embedding/embedderManifest.js';
import { installedManifestPath, installModel, modelDir, modelState, type DownloadableManifest } from '../embedding/modelRegistry.js';
import { AppError, toErrorInfo } from '../errors.js';
import type { LibraryEngine } from '../libraryEngine.js';
import type { Emit } from './serviceEvents.js';

/** modelProgress 'downloading' events: at most one per this many ms (phase changes always go out). */
const MODEL_PROGRESS_INTERVAL_MS = 250;

export interface ModelManagerDeps {
  readonly dataDir: string;
  /** The models offered for download. */
  readonly models: readonly DownloadableManifest[];
  /** The open library (throws the service's error when there is none). */
  readonly library: () => LibraryEngine;
  readonly emit: Emit;
  readonly log: (message: string, error?: unknown) => void;
  /** A switch left the lane on another model (or kept the current one after a failure): tell the page. */
  readonly emitStatus: () => void;
  /** A switch succeeded: the chosen model is in use and the library must be embedded with it. */
  readonly switched: () => void;
}

/** The model the data folder remembers, as LibraryEngine.open takes it; `fallback` says why it is not used. */
export interface RememberedModel {
  /** Its installed manifest (undefined: the built-in model). */
  readonly embedderManifest?: string;
  /** Set when a downloadable model was chosen. */
  readonly chosenId?: string;
  readonly fallback?: AppErrorInfo;
}

/** Which model the data folder remembers, among those this version offers (an unknown one falls back to the built-in one). */
export function rememberedModel(dataDir: string, models: readonly DownloadableManifest[]): RememberedModel {
  const id = readActiveModelId(dataDir);
  if (id === BUILTIN_MODEL_ID) return {};
  if (models.some((m) => m.id === id)) return { chosenId: id, embedderManifest: installedManifestPath(dataDir, id) };
  return { fallback: { code: 'model-missing', detail: `the vibe model ${id} is not offered by this version of the app; the built-in model is used instead` } };
}

/** After opening with the chosen model `chosenId`: when it could not be loaded, opens the built-in one and says why. */
export async function fallBackIfUnloaded(library: LibraryEngine, chosenId: string | undefined): Promise<AppErrorInfo | undefined> {
  if (chosenId === undefined || library.vibe) return undefined;
  const why = library.vibeError?.detail ?? 'it could not be loaded';
  await library.openVibe(undefined); // keep the lane working with the built-in model
  return { code: 'model-missing', detail: `the vibe model ${chosenId} could not be loaded (${why}); the built-in model is used instead` };
}

export class ModelManager {
  /** Running downloads, by model id. */
  private readonly installs = new Map<string, { readonly abort: AbortController; readonly done: Promise<void> }>();
  /** Installed models that failed to load (damaged since): listed as 'corrupt' until downloaded again. */
  private readonly loadFailures = new Map<string, AppErrorInfo>();
  /** useModel calls run one after another. */
  private switching: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly deps: ModelManagerDeps) {}

  async list(): Promise<ModelInfo[]> {
    const { dataDir, models } = this.deps;
    const activeId = this.deps.library().vibe?.modelId ?? null;
    const out: ModelInfo[] = [];
    try {
      const b = readManifest(builtinManifestPath());
      const { id, license, sizeBytes, dim } = b;
      const description = b.description ?? 'Built-in model (works offline)';
      out.push({ id, description, license, sizeBytes, dim, state: 'builtin', downloadedBytes: sizeBytes, active: activeId === id, installing: false });
    } catch (error) {
      this.deps.log('the built-in model is missing', error);
    }
    for (const m of models) {
      let state = await modelState(dataDir, m);
      if (state === 'installed' && this.loadFailures.has(m.id)) state = 'corrupt';
      out.push({
        id: m.id,
        description: m.description ?? m.id,
        license: m.license,
        sizeBytes: m.sizeBytes,
        dim: m.dim,
        state,
        downloadedBytes: state === 'installed' ? m.sizeBytes : state === 'partial' ? await partialBytes(dataDir, m) : 0,
        active: activeId === m.id,
        installing: this.installs.has(m.id),
      });
    }
    return out;
  }

  /** Starts downloading a model (nothing when it is already downloading); progress goes out as modelProgress. */
  install(modelId: string): void {
    const m = this.downloadable(modelId);
    if (this.installs.has(m.id) || this.closed) return;
    const abort = new AbortController();
    const done = this.runInstall(m, abort.signal).finally(() => this.installs.delete(m.id));
    this.installs.set(m.id, { abort, done });
  }

  /** Stops a download; resolves once the 'cancelled' event has gone out and the partial file is on disk. */
  async cancelInstall(modelId: string): Promise<void> {
    const job = this.installs.get(this.downloadable(modelId).id);
    if (!job) return;
    job.abort.abort();
    await job.done;
  }

  /** Makes the vibe lane use `modelId` (after any switch already asked for); the lane never goes dark. */
  use(modelId: string): Promise<void> {
    const next = this.switching.then(() => this.switchTo(modelId));
    this.switching = next.catch(() => undefined);
    return next;
  }

  /** Stops every download and waits for them. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.installs.values()) job.abort.abort();
    await Promise.all([...this.installs.values()].map((j) => j.done));
  }

  private async switchTo(modelId: string): Promise<void> {
    const { dataDir, log } = this.deps;
    const library = this.deps.library();
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
        if (!(error instanceof AppError)) log(`loading the vibe model ${modelId} failed`, error);
        if (modelId !== BUILTIN_MODEL_ID) this.loadFailures.set(modelId, info);
        if (!library.vibe) await library.openVibe(undefined); // never dark: the built-in model at least
        this.deps.emitStatus();
        const detail = `${modelId} could not be loaded (${info.detail ?? info.code}); the vibe lane keeps using ${library.vibe?.modelId ?? 'no model'}`;
        throw new AppError('model-missing', detail, { cause: error });
      }
    }
    this.loadFailures.delete(modelId);
    writeActiveModelId(dataDir, modelId);
    this.deps.switched();
  }

  private downloadable(modelId: string): DownloadableManifest {
    const m = this.deps.models.find((x) => x.id === modelId);
    if (!m) {
      throw new AppError('not-found', modelId === BUILTIN_MODEL_ID ? `${modelId} is built in: it needs no download` : `no downloadable model ${modelId}`);
    }
    return m;
  }

  /** Downloads, verifies and installs one model, telling the page how it goes; never throws. */
  private async runInstall(m: DownloadableManifest, signal: AbortSignal): Promise<void> {
    const { dataDir } = this.deps;
    const totalBytes = m.sizeBytes;
    let lastEmitMs = -Infinity;
    let lastPhase: ModelProgress['phase'] | undefined;
    const send = (phase: ModelProgress['phase'], receivedBytes: number, error?: AppErrorInfo): void => {
      const now = performance.now();
      if (phase === 'downloading' && phase === lastPhase && now - lastEmitMs < MODEL_PROGRESS_INTERVAL_MS) return;
      lastEmitMs = now;
      lastPhase = phase;
      this.deps.emit('modelProgress', { modelId: m.id, phase, receivedBytes, totalBytes, ...(error ? { error } : {}) });
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
        if (!(error instanceof AppError)) this.deps.log(`downloading ${m.id} failed`, error);
        send('failed', received, toErrorInfo(error));
      }
    }
  }
}

/** Bytes of a model on disk: its partial download, else its installed file, else 0. */
async function partialBytes(dataDir: string, m: DownloadableManifest): Promise<number> {
  const file = path.join(modelDir(dataDir, m.id), m.file);
  for (const candidate of [`${file}.part`, file]) {
    const size = await fsp.stat(candidate).then(
      (st) => st.size,
      () => -1,
    );
    if (size >= 0) return size;
  }
  return 0;
}
