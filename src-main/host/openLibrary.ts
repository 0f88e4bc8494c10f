// Composition for Node-side doors (CLI, HTTP host, Electron main): the engine's Library with a fingerprint worker pool.
import { Library, type LibraryRunners } from '../engine/library.js';
import { FingerprintClient } from '../workers/fingerprintClient.js';

export function workerRunners(workerCount?: number): LibraryRunners {
  let client: FingerprintClient | undefined;
  const get = (): FingerprintClient => (client ??= new FingerprintClient(workerCount));
  return {
    probe: (p, signal) => get().probe(p, signal),
    fingerprint: (p, signal) => get().fingerprint(p, signal),
    // Two files in flight per worker: one decoding while the other's probe or write is under way.
    get concurrency() {
      return get().size * 2;
    },
    close: async () => {
      await client?.close();
    },
  };
}

export function openLibrary(dataDir: string, workerCount?: number): Promise<Library> {
  return Library.open(dataDir, workerRunners(workerCount));
}
