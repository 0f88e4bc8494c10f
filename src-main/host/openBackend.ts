// Opens the library backend for a door (Electron main, `serve`): LibraryService running in its own worker thread,
// so the door's thread only routes. PLACEHOLDER until LibraryService lands: the exported signature is final.
import type { LibraryBackend } from '../engine/libraryBackend.js';

export interface BackendOptions {
  /** The data folder (catalog.sqlite, landmarks/, history). */
  readonly dataDir: string;
  /** Fingerprint workers; default: cores. */
  readonly workerCount?: number;
  /** Watch the library folders with chokidar (the app and `serve`: yes; one-shot tools: no). Default true. */
  readonly watch?: boolean;
  /** Shown in getStatus(). */
  readonly appVersion?: string;
}

export async function openBackend(options: BackendOptions): Promise<LibraryBackend> {
  void options;
  throw new Error('LibraryService is not built yet');
}
