// Composition for the benchmarks: the engine's Library itself on this thread with a fingerprint worker pool (the CLI
// goes through the contract instead: cliLibrary.ts; long-running doors use openBackend). Uses the vibe
// model chosen in the app's Settings (vibe-model.json), so the CLI and the app never re-embed the library back and
// forth; a chosen model that cannot be loaded falls back to the built-in one, as in the app.
import { readActiveModelId } from '../engine/embedding/activeModel.js';
import { BUILTIN_MODEL_ID } from '../engine/embedding/embedderManifest.js';
import { DOWNLOADABLE_MODELS, installedManifestPath } from '../engine/embedding/modelRegistry.js';
import { LibraryEngine } from '../engine/libraryEngine.js';
import { workerRunners } from '../workers/fingerprintRunners.js';

export { workerRunners };

/**
 * access: 'index' takes the data folder's writer lock ('library-busy' while another writer holds it) and checks the
 * catalog's integrity first; 'read' (identify, similar, tracks) takes no lock and runs beside a writer.
 */
export async function openLibrary(dataDir: string, workerCount?: number, access: 'index' | 'read' = 'read'): Promise<LibraryEngine> {
  const chosenId = readActiveModelId(dataDir);
  const chosen = chosenId !== BUILTIN_MODEL_ID && DOWNLOADABLE_MODELS.some((m) => m.id === chosenId) ? installedManifestPath(dataDir, chosenId) : undefined;
  const library = await LibraryEngine.open(dataDir, workerRunners(workerCount), undefined, {
    embedderManifest: chosen,
    lockAs: access === 'index' ? 'index' : null,
    verifyIntegrity: access === 'index',
  });
  if (chosen !== undefined && !library.vibe) await library.openVibe(undefined);
  return library;
}
