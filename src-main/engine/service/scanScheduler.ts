// One scan at a time, fed by requests (add a folder, rescan, a model switch, a replaced store) and by the folder
// watcher: requests made while a scan runs are merged and run next. Tells the page how it goes (scanProgress,
// libraryChanged while tracks are added, scanFinished, statusChanged) and keeps the notices a scan settles (folders
// missing, a finished rebuild, a failed scan). The service's thread; the scan's work runs in the Library's runners.
import { statSync } from 'node:fs';
import type { ScanProgress, ScanSummary } from '../../../src-preload/contract/library.js';
import { toErrorInfo } from '../errors.js';
import type { LibraryEngine } from '../libraryEngine.js';
import type { Emit } from './serviceEvents.js';
import type { ServiceHealth } from './serviceHealth.js';

/** scanProgress events: at most one per this many ms (the walk's phases and 'done' always go out). */
export const PROGRESS_INTERVAL_MS = 250;
const SCAN_CHANGE_INTERVAL_MS = 2000;

export interface ScanSchedulerDeps {
  readonly library: LibraryEngine;
  readonly health: ServiceHealth;
  readonly emit: Emit;
  /** Sends statusChanged with the service's whole status. */
  readonly emitStatus: () => void;
  readonly log: (message: string, error?: unknown) => void;
  /** While a scan adds tracks, libraryChanged ('scan') goes out at most this often (default 2000 ms). */
  readonly scanChangeIntervalMs?: number;
  /** Per-file limits for every scan (LibraryServiceOptions.scanLimits). */
  readonly scanLimits?: { readonly maxFileSeconds?: number; readonly fileDeadlineMs?: number };
}

export class ScanScheduler {
  private readonly pendingRoots = new Set<string>();
  /** The roots of the scan in progress (empty when none runs). */
  private readonly scanningRoots = new Set<string>();
  private loop: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private closed = false;
  /** The scan in progress, or null. */
  progress: ScanProgress | null = null;
  /** The summary of the last scan that finished. */
  lastScan: ScanSummary | null = null;

  constructor(private readonly deps: ScanSchedulerDeps) {}

  /**
   * Queues an incremental scan of `roots`; one scan runs at a time, requests made meanwhile run next, merged.
   * `why`: 'asked' (add a folder, rescan: the folder must be scanned, so a root the running scan already covers is
   * not queued again, e.g. a repeated addFolder) or 'changed' (files changed: scan again after the running scan,
   * which may have walked past them).
   */
  request(roots: readonly string[], why: 'asked' | 'changed' = 'asked'): void {
    if (this.closed) return;
    for (const root of roots) {
      if (why === 'asked' && this.scanningRoots.has(root)) continue;
      this.pendingRoots.add(root);
    }
    if (this.pendingRoots.size === 0) return;
    this.loop ??= this.runScans().finally(() => {
      this.loop = undefined;
    });
  }

  /** Drops the queued scans and stops the running one. */
  cancel(): void {
    this.pendingRoots.clear();
    this.abort?.abort();
  }

  /** Scans `roots` again from the start: a running scan (working with what is now stale) stops, and this runs next. */
  restart(roots: readonly string[]): void {
    if (roots.length === 0) return;
    this.abort?.abort();
    this.request(roots, 'changed');
  }

  /**
   * Takes `root` out of the queue and, when a scan runs, stops it and waits for the loop to end (so a folder's
   * removal never races its scan). Returns whether a scan was running (the caller then requests the rest again).
   */
  async stopFor(root: string): Promise<boolean> {
    const wasScanning = this.loop !== undefined;
    this.pendingRoots.delete(root);
    if (wasScanning) {
      this.abort?.abort();
      await this.loop;
    }
    return wasScanning;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pendingRoots.clear();
    this.abort?.abort();
    await this.loop;
  }

  private async runScans(): Promise<void> {
    const { library, health, emit, emitStatus } = this.deps;
    const folderPaths = () => library.catalog.listFolders().map((f) => f.path);
    while (this.pendingRoots.size > 0 && !this.closed) {
      const asked = [...this.pendingRoots];
      this.pendingRoots.clear();
      // A folder that is gone (deleted, an unplugged drive) is not scanned: it is reported missing and its tracks are
      // kept until it comes back. No scan starts for it, so the page's progress card is left as it was.
      const roots = asked.filter((root) => isDirectory(root));
      if (roots.length < asked.length) {
        health.checkFolders(folderPaths());
        emitStatus();
      }
      if (roots.length === 0) continue;
      this.scanningRoots.clear();
      for (const root of roots) this.scanningRoots.add(root);
      const abort = new AbortController();
      this.abort = abort;
      this.progress = { phase: 'walking', filesDone: 0, filesTotal: 0, currentFile: null, audioSecondsPerSecond: 0 };
      emitStatus();
      try {
        // The walk's 'done' comes before the scan's last steps (compaction, the vibe index): it goes out with the
        // summary, so the page never shows "Done" beside the previous scan's summary.
        let done: ScanProgress | undefined;
        const onProgress = this.progressSender((progress) => (done = progress));
        const summary = await library.scan(roots, { ...this.deps.scanLimits, signal: abort.signal, progressIntervalMs: PROGRESS_INTERVAL_MS, onProgress });
        this.lastScan = summary;
        health.checkFolders(folderPaths());
        health.scanFinished(summary, () => library.catalog.listTrackNumsByFingerprintStatus('pending').length);
        if (done) {
          this.progress = done;
          emit('scanProgress', done);
        }
        emit('scanFinished', summary);
      } catch (error) {
        this.deps.log('a scan failed', error);
        health.scanFailed(toErrorInfo(error));
      } finally {
        this.abort = undefined;
        this.progress = null;
        this.scanningRoots.clear();
      }
      emit('libraryChanged', { reason: 'scan' });
      emitStatus();
    }
  }

  /**
   * The scan's onProgress: each step goes out as scanProgress (but 'done', handed to `onDone` to send with the
   * summary), and while files are being indexed, libraryChanged ('scan') at most every scanChangeIntervalMs, so the
   * page re-reads its list as tracks are found (they are in the catalog from the moment they are probed).
   */
  private progressSender(onDone: (done: ScanProgress) => void): (progress: ScanProgress) => void {
    const changeIntervalMs = this.deps.scanChangeIntervalMs ?? SCAN_CHANGE_INTERVAL_MS;
    let changeAt = performance.now();
    let changeFilesDone = 0;
    return (progress) => {
      if (progress.phase === 'done') return onDone(progress);
      this.progress = progress;
      this.deps.emit('scanProgress', progress);
      const now = performance.now();
      if (progress.phase === 'indexing' && progress.filesDone > changeFilesDone && now - changeAt >= changeIntervalMs) {
        changeAt = now;
        changeFilesDone = progress.filesDone;
        this.deps.emit('libraryChanged', { reason: 'scan' });
      }
    };
  }
}

function isDirectory(folderPath: string): boolean {
  try {
    return statSync(folderPath).isDirectory();
  } catch {
    return false;
  }
}
