// Composition for one-shot Node tools (CLI index/identify/tracks, benchmarks): the engine's Library on this thread
// with a fingerprint worker pool. Long-running doors (Electron main, `serve`) use openBackend instead.
import { Library } from '../engine/library.js';
import { workerRunners } from '../workers/fingerprintRunners.js';

export { workerRunners };

export function openLibrary(dataDir: string, workerCount?: number): Promise<Library> {
  return Library.open(dataDir, workerRunners(workerCount));
}
