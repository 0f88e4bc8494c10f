// The tracklists being made (the songs of a long recording), by run id: one run per id at a time, progress events
// (tracklistProgress: the first, the last, and at most one per PROGRESS_INTERVAL_MS between), cancellation by the
// caller's signal, by cancel(runId) or by close. The service's thread; the decoding and search run in the Library.
import { promises as fsp } from 'node:fs';
import { LIMITS, type TracklistRequest } from '../../../src-preload/contract/api.js';
import type { Tracklist, TracklistProgress } from '../../../src-preload/contract/library.js';
import { AppError } from '../errors.js';
import type { LibraryEngine } from '../libraryEngine.js';
import { newTempPath, removeTempFile } from '../tempFiles.js';
import { PROGRESS_INTERVAL_MS } from './scanScheduler.js';
import type { Emit } from './serviceEvents.js';

export class TracklistRuns {
  private readonly runs = new Map<string, { readonly abort: AbortController; readonly done: Promise<unknown> }>();

  constructor(private readonly emit: Emit) {}

  /**
   * Registers the run `runId` (refused while one with that id runs), then lets `body` call `list(filePath)`: the
   * library's tracklist of the file, with progress events and cancellation. `body` owns the file (a temp copy of an
   * upload, written and deleted around the call).
   */
  async run(
    library: LibraryEngine,
    runId: string,
    signal: AbortSignal | undefined,
    body: (list: (filePath: string) => Promise<Tracklist>) => Promise<Tracklist>,
  ): Promise<Tracklist> {
    if (this.runs.has(runId)) throw new AppError('invalid-argument', `a tracklist with run id ${runId} is already running`);
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) controller.abort();
    let settle: () => void = () => undefined;
    this.runs.set(runId, { abort: controller, done: new Promise<unknown>((resolve) => (settle = () => resolve(undefined))) });
    let lastSentMs = -Infinity;
    const send = (progress: TracklistProgress, force = false): void => {
      const now = performance.now();
      if (!force && now - lastSentMs < PROGRESS_INTERVAL_MS) return;
      lastSentMs = now;
      this.emit('tracklistProgress', { runId, ...progress });
    };
    try {
      return await body(async (filePath) => {
        if (controller.signal.aborted) throw new AppError('cancelled', 'tracklist cancelled');
        send({ doneSeconds: 0, totalSeconds: null, songs: 0 }, true);
        const list = await library.tracklistFile(filePath, { signal: controller.signal, onProgress: (p) => send(p) });
        const songs = list.segments.filter((s) => s.track).length;
        send({ doneSeconds: list.durationSeconds, totalSeconds: list.durationSeconds, songs }, true);
        return list;
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.runs.delete(runId);
      settle();
    }
  }

  /**
   * The songs of a recording sent as bytes (a dropped file): written to the data folder's tmp/ (ffmpeg decodes it
   * streaming from there, so hours of audio never sit in memory as PCM), listed, deleted.
   */
  listBytes(library: LibraryEngine, dataDir: string, request: TracklistRequest, signal: AbortSignal | undefined): Promise<Tracklist> {
    const { bytes, fileName } = request.audio;
    if (bytes.byteLength > LIMITS.maxTracklistBytes) {
      throw new AppError('file-too-large', `the recording is ${Math.round(bytes.byteLength / 1e6)} MB; the limit is ${LIMITS.maxTracklistBytes / 2 ** 20} MB`);
    }
    // The run is registered before anything is awaited: its id is taken, and cancel reaches it, at once.
    return this.run(library, request.runId, signal, async (list) => {
      const filePath = await newTempPath(dataDir, fileName);
      try {
        await fsp.writeFile(filePath, bytes, { mode: 0o600 });
        return await list(filePath);
      } finally {
        await removeTempFile(filePath);
      }
    });
  }

  /** Stops the run `runId`, if one runs (it answers 'cancelled'). */
  cancel(runId: string): void {
    this.runs.get(runId)?.abort.abort();
  }

  /** Stops every run and waits for them to end. */
  async close(): Promise<void> {
    for (const run of this.runs.values()) run.abort.abort();
    await Promise.all([...this.runs.values()].map((r) => r.done));
  }
}
