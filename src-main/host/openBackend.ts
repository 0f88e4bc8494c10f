// Opens the library backend for a long-running door (Electron main, `serve`): the LibraryService in its own worker
// thread, so the door's thread only routes (no decode, DSP or SQLite writes on it).
import type { DownloadableManifest } from '../engine/embedding/modelRegistry.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';
import { LibraryWorkerClient } from '../workers/libraryWorkerClient.js';

export interface BackendOptions {
  /** The data folder (catalog.sqlite, landmarks/, history). */
  readonly dataDir: string;
  /** Fingerprint workers; default: cores. */
  readonly workerCount?: number;
  /** Watch the library folders with chokidar (the app and `serve`: yes; one-shot tools: no). Default true. */
  readonly watch?: boolean;
  /** Shown in getStatus(). */
  readonly appVersion?: string;
  /** The vibe models offered for download (default: the engine's registry, i.e. CLAP); tests inject a local server's. */
  readonly downloadableModels?: readonly DownloadableManifest[];
}

/** Resolves once the library is open and its start-up checks ran (a bad catalog is reported by getStatus, not thrown). */
export function openBackend(options: BackendOptions): Promise<LibraryBackend> {
  return LibraryWorkerClient.start({
    dataDir: options.dataDir,
    workerCount: options.workerCount,
    watch: options.watch ?? true,
    appVersion: options.appVersion,
    downloadableModels: options.downloadableModels,
  });
}
