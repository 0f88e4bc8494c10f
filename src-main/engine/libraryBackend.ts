// What every door (Electron IPC handlers, the browser host, the HTTP API) forwards to: the contract's async,
// Result-wrapped LibraryApi plus its events. Served in-process by LibraryService (tests, CLI) or from a worker
// thread by LibraryWorkerClient (the app and `serve`, so the door's thread only routes).
import type { AsyncLibraryApi, IdentifyRequest, LibraryEventSource, TracklistRequest } from '../../src-preload/contract/api.js';
import type { IdentifyResult, Result, Tracklist } from '../../src-preload/contract/library.js';

/** A recording already on disk (an upload the host streamed to a temporary file) to list the songs of. */
export interface TracklistFileRequest {
  /** Absolute path; the caller owns the file (and deletes it afterwards). */
  readonly filePath: string;
  /** As the contract's TracklistRequest.runId: carried by tracklistProgress events, stopped by cancelTracklist. */
  readonly runId: string;
}

export type LibraryBackend = Omit<AsyncLibraryApi, 'identifyClip' | 'tracklistClip'> &
  LibraryEventSource & {
    /**
     * The contract's identifyClip, plus a signal for the doors that give up (the HTTP API's search timeout): aborting
     * stops the work (decode, search steps, audio check) and the call answers 'cancelled'.
     */
    identifyClip(request: IdentifyRequest, signal?: AbortSignal): Promise<Result<IdentifyResult>>;
    /** The contract's tracklistClip, plus a signal (aborted when an HTTP client goes away). */
    tracklistClip(request: TracklistRequest, signal?: AbortSignal): Promise<Result<Tracklist>>;
    /**
     * Not in the contract (the page never names a path): the hosts' streamed uploads. The same run as tracklistClip,
     * on a file the host wrote to the data folder's tmp/.
     */
    tracklistFile(request: TracklistFileRequest, signal?: AbortSignal): Promise<Result<Tracklist>>;
    /** Stops watchers and scans, closes the stores. */
    close(): Promise<void>;
  };
