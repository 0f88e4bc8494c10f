// What every door (Electron IPC handlers, the browser host, the HTTP API) forwards to: the contract's async,
// Result-wrapped LibraryApi plus its events. Served in-process by LibraryService (tests, CLI) or from a worker
// thread by LibraryClient (the app and `serve`, so the door's thread only routes).
import type { AsyncLibraryApi, LibraryEventSource } from '../../src-preload/contract/api.js';

export type LibraryBackend = AsyncLibraryApi &
  LibraryEventSource & {
    /** Stops watchers and scans, closes the stores. */
    close(): Promise<void>;
  };
