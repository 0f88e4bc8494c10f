// The Library's runners backed by the fingerprint worker pool (probe and fingerprint off the calling thread).
import type { FileJobRunners } from '../engine/libraryEngine.js';
import { FingerprintClient } from './fingerprintClient.js';

export function workerRunners(workerCount?: number): FileJobRunners {
  let client: FingerprintClient | undefined;
  const get = (): FingerprintClient => (client ??= new FingerprintClient(workerCount));
  return {
    probe: (p, signal) => get().probe(p, signal),
    fingerprint: (p, signal, embedderManifest, maxSeconds) => get().fingerprint(p, signal, embedderManifest, maxSeconds),
    embed: (p, signal, embedderManifest) => get().embed(p, embedderManifest, signal),
    // Two files in flight per worker: one decoding while the other's probe or write is under way.
    get concurrency() {
      return get().size * 2;
    },
    searchHelp: (request, signal) => get().searchHelp(request, signal),
    keepWarm: () => get().keepWarm(),
    tracklistParts: {
      get count() {
        return get().size;
      },
      run: (part, signal, onProgress) => get().tracklistPart(part, signal, onProgress),
    },
    close: async () => {
      await client?.close();
    },
  };
}
