// What LibraryService.open takes: the data folder, the runners, and the knobs hosts and tests turn (watching,
// scanning on open, the vibe model, the models offered for download, timings). Types only.
import type { DownloadableManifest } from '../embedding/modelRegistry.js';
import type { FileJobRunners } from '../fileJobRunners.js';
import type { FolderWatcherOptions } from '../watch/folderWatcher.js';

export interface LibraryServiceOptions {
  readonly dataDir: string;
  readonly runners: FileJobRunners;
  /** Watch library folders for changes (default true). */
  readonly watch?: boolean;
  /** Scan every folder incrementally right after opening (default true). */
  readonly scanOnOpen?: boolean;
  /**
   * Keep a fingerprint worker started from the first search on, so that the next searches get help on the second core
   * (default true: the app and serve; a one-shot CLI command says false and searches on one thread).
   */
  readonly warmSearchHelper?: boolean;
  readonly appVersion?: string;
  /** Test hooks for the watcher's timings. */
  readonly watcherOptions?: Partial<Omit<FolderWatcherOptions, 'onChange'>>;
  /**
   * The vibe lane's embedder manifest; null turns the lane off. Default: the model chosen with useModel (remembered
   * in the data folder), else the built-in one.
   */
  readonly embedderManifest?: string | null;
  /** The models offered for download (default DOWNLOADABLE_MODELS: CLAP); tests point this at a local server. */
  readonly downloadableModels?: readonly DownloadableManifest[];
  /**
   * Named in the data folder's writer lock (default 'app'; `serve` says 'serve'). null opens a reader (the CLI's
   * identify, tracks, similar, tracklist): no lock, no integrity check, no clearing of tmp/, so it runs beside the app.
   */
  readonly lockAs?: string | null;
  /** Per-file limits for scans (the CLI's index --max-file-minutes, --file-timeout-minutes); default the engine's. */
  readonly scanLimits?: { readonly maxFileSeconds?: number; readonly fileDeadlineMs?: number };
  /** Where unexpected errors are logged in full (default console.error). */
  readonly log?: (message: string, error?: unknown) => void;
  /**
   * While a scan adds tracks, libraryChanged ('scan') goes out at most this often (default 2000 ms), so the page lists
   * tracks as they are found instead of only at the end of the first scan.
   */
  readonly scanChangeIntervalMs?: number;
  /** A listening session with no push for this long is dropped (default LIMITS.listenSessionIdleMs); tests shorten it. */
  readonly listenIdleMs?: number;
  /** The clock listening sessions are timed by (default Date.now); tests move it instead of sleeping. */
  readonly listenClock?: () => number;
}
