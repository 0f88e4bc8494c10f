// Messages between a door's thread (LibraryWorkerClient) and the library worker (library.worker.ts, which owns the
// LibraryService: catalog writer, landmark store, watcher, scans, identify DSP).
import type { LibraryEventName, LibraryEvents, LibraryMethod } from '../../src-preload/contract/api.js';
import type { AppErrorInfo, Result } from '../../src-preload/contract/library.js';
import type { DownloadableManifest } from '../engine/embedding/modelRegistry.js';

export interface LibraryWorkerData {
  readonly dataDir: string;
  readonly workerCount?: number;
  readonly watch?: boolean;
  readonly appVersion?: string;
  /** The models offered for download (default: the engine's registry). */
  readonly downloadableModels?: readonly DownloadableManifest[];
}

/** The contract's methods, plus the backend's own tracklistFile (a host's streamed upload; never the page's). */
export type LibraryWorkerMethod = LibraryMethod | 'tracklistFile';

export type ToLibraryWorker =
  | { readonly type: 'call'; readonly id: number; readonly method: LibraryWorkerMethod; readonly args: readonly unknown[] }
  /**
   * The door gave up on call `id` (identifyClip: an HTTP timeout; a tracklist: the HTTP client went away): its work
   * is aborted; it still answers (cancelled).
   */
  | { readonly type: 'cancel'; readonly id: number }
  /** Are you alive? (sent after a call went unanswered too long); answered by a 'pong' with the same id. */
  | { readonly type: 'ping'; readonly id: number }
  | { readonly type: 'close' };

export type FromLibraryWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'open-failed'; readonly error: AppErrorInfo }
  | { readonly type: 'result'; readonly id: number; readonly result: Result<unknown> }
  | { readonly type: 'pong'; readonly id: number }
  | { readonly [E in LibraryEventName]: { readonly type: 'event'; readonly name: E; readonly payload: LibraryEvents[E] } }[LibraryEventName]
  | { readonly type: 'closed' };
