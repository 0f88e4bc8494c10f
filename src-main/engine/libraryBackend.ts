// What every door (Electron IPC handlers, the browser host, the HTTP API) forwards to: the contract's async,
// Result-wrapped LibraryApi plus its events. Served in-process by LibraryService (tests, CLI) or from a worker
// thread by LibraryClient (the app and `serve`, so the door's thread only routes).
import type { AsyncLibraryApi, IdentifyRequest, LibraryEventSource } from '../../src-preload/contract/api.js';
import type { IdentifyResult, Result } from '../../src-preload/contract/library.js';

export type LibraryBackend = Omit<AsyncLibraryApi, 'identifyClip'> &
  LibraryEventSource & {
    /**
     * The contract's identifyClip, plus a signal for the doors that give up (the HTTP API's search timeout): aborting
     * stops the work (decode, search steps, audio check) and the call answers 'cancelled'.
     */
    identifyClip(request: IdentifyRequest, signal?: AbortSignal): Promise<Result<IdentifyResult>>;
    /** Stops watchers and scans, closes the stores. */
    close(): Promise<void>;
  };
