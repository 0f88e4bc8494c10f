// The fake library's scan: walks the library folders on the fake disk (FakeDisk), indexes the files the catalog does
// not hold yet in timed steps (a twentieth of them per step), counts the files it fails on, and reports as the
// engine does: statusChanged (a scan running), scanProgress walking .. indexing .. done, then scanFinished,
// libraryChanged and statusChanged (no scan). One scan at a time; a second start is a no-op, as in LibraryService.
import type { FolderSummary, LibraryEvents } from '../api.js';
import type { FailedFile, ScanProgress, ScanSummary, TrackDetail } from '../library.js';
import { EMPTY_SCAN_SUMMARY } from '../library.js';
import type { FakeClock } from './fakeClock.js';
import type { FakeDisk, FakeFile } from './fakeTracks.js';

/** What the scan reads and writes of the library. */
export interface FakeScanTarget {
  readonly tracks: TrackDetail[];
  readonly folders: FolderSummary[];
  readonly failedFiles: FailedFile[];
  /** A summary to report instead of what the scan found (a test's script), or null. */
  readonly nextScan: ScanSummary | null;
}

export interface FakeScanner {
  /** The running scan's latest progress, or null. */
  readonly progress: ScanProgress | null;
  /** The summary of the last finished scan, or null. */
  readonly last: ScanSummary | null;
  start(): void;
  /** Stops the running scan (it finishes as cancelled); a no-op when none runs. */
  cancel(): void;
}

export interface FakeScanOptions {
  readonly clock: FakeClock;
  readonly disk: FakeDisk;
  /** Milliseconds between steps. */
  readonly stepMs: number;
  readonly target: () => FakeScanTarget;
  readonly emit: <E extends keyof LibraryEvents>(event: E, payload: LibraryEvents[E]) => void;
  /** The status to push with statusChanged (read after the scan's state changed). */
  readonly status: () => LibraryEvents['statusChanged'];
}

/** Each fake track is this many seconds of audio to the scan's throughput figures. */
const AUDIO_SECONDS_PER_FILE = 80;

export function createFakeScanner(options: FakeScanOptions): FakeScanner {
  const { clock } = options;
  let progress: ScanProgress | null = null;
  let last: ScanSummary | null = null;
  let stopStep: (() => void) | null = null;

  function finish(found: ScanSummary): void {
    const target = options.target();
    progress = null;
    stopStep = null;
    last = target.nextScan ?? found;
    const at = clock.now().toISOString();
    target.folders.forEach((folder, i) => (target.folders[i] = { ...folder, lastScannedAt: at }));
    options.emit('scanFinished', last);
    options.emit('libraryChanged', { reason: 'scan' });
    options.emit('statusChanged', options.status());
  }

  function start(): void {
    if (progress) return;
    const target = options.target();
    const known = new Set(target.tracks.map((t) => t.filePath));
    // New audio files, and every file that cannot be read (tried again each scan, as the engine does).
    const pending: FakeFile[] = target.folders
      .flatMap((folder) => options.disk.filesUnder(folder.path))
      .filter((file) => !('track' in file) || !known.has(file.track.filePath));
    const filesTotal = pending.length;
    const startedMs = clock.now().getTime();
    let filesDone = 0;
    let added = 0;
    let failed = 0;
    progress = { phase: 'walking', filesDone: 0, filesTotal, currentFile: null, audioSecondsPerSecond: 0 };
    options.emit('statusChanged', options.status());
    options.emit('scanProgress', progress);
    const step = (): void => {
      const batch = Math.max(1, Math.ceil(filesTotal / 20));
      for (let i = 0; i < batch && filesDone < filesTotal; i++) {
        const file = pending[filesDone++];
        if ('track' in file) {
          target.tracks.push(file.track);
          added++;
        } else {
          failed++;
          const entry: FailedFile = { path: file.path, error: file.error, at: clock.now().toISOString() };
          const index = target.failedFiles.findIndex((f) => f.path === file.path);
          if (index >= 0) target.failedFiles[index] = entry;
          else target.failedFiles.push(entry);
        }
      }
      const wallSeconds = Math.max(0.001, (clock.now().getTime() - startedMs) / 1000);
      progress = {
        phase: filesDone < filesTotal ? 'indexing' : 'done',
        filesDone,
        filesTotal,
        currentFile: target.tracks.at(-1)?.filePath ?? null,
        audioSecondsPerSecond: (filesDone * AUDIO_SECONDS_PER_FILE) / wallSeconds,
      };
      options.emit('scanProgress', progress);
      if (filesDone < filesTotal) stopStep = clock.after(options.stepMs, step);
      else finish({ ...EMPTY_SCAN_SUMMARY, added, failed, audioSeconds: added * AUDIO_SECONDS_PER_FILE, wallSeconds });
    };
    stopStep = clock.after(options.stepMs, step);
  }

  return {
    get progress() {
      return progress;
    },
    get last() {
      return last;
    },
    start,
    cancel() {
      stopStep?.();
      if (progress) finish({ ...EMPTY_SCAN_SUMMARY, cancelled: true });
    },
  };
}
