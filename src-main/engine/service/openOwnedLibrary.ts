// Opens the LibraryEngine a LibraryService owns, with the app's start-up checks (catalog version and integrity before
// anything is written, the data folder's writer lock) and the vibe model the data folder remembers (falling back to
// the built-in one). Never throws for a catalog that cannot be opened: says why instead, and closes the runners.
import type { AppErrorInfo } from '../../../src-preload/contract/library.js';
import { DOWNLOADABLE_MODELS } from '../embedding/modelRegistry.js';
import { toErrorInfo } from '../errors.js';
import { LibraryEngine } from '../libraryEngine.js';
import { fallBackIfUnloaded, rememberedModel } from './modelManager.js';
import type { LibraryServiceOptions } from './serviceOptions.js';

export interface OwnedLibrary {
  /** Undefined when the catalog could not be opened (see unavailable). */
  readonly library: LibraryEngine | undefined;
  /** Why the catalog could not be opened (catalog-newer-than-app, catalog-corrupt, library-busy, ...). */
  readonly unavailable: AppErrorInfo | undefined;
  /** Why the remembered vibe model is not the one in use (the built-in model is). */
  readonly modelFallback: AppErrorInfo | undefined;
}

export async function openOwnedLibrary(options: LibraryServiceOptions): Promise<OwnedLibrary> {
  // The remembered vibe model, unless the caller named one.
  const remembered = options.embedderManifest === undefined ? rememberedModel(options.dataDir, options.downloadableModels ?? DOWNLOADABLE_MODELS) : {};
  const embedderManifest = options.embedderManifest === undefined ? remembered.embedderManifest : options.embedderManifest;
  try {
    const lockAs = options.lockAs === undefined ? 'app' : options.lockAs;
    const library = await LibraryEngine.open(options.dataDir, options.runners, undefined, { verifyIntegrity: lockAs !== null, embedderManifest, lockAs });
    // The chosen model is missing or damaged: say so, and keep the lane working with the built-in model.
    const modelFallback = (await fallBackIfUnloaded(library, remembered.chosenId)) ?? remembered.fallback;
    return { library, unavailable: undefined, modelFallback };
  } catch (error) {
    await options.runners.close();
    return { library: undefined, unavailable: toErrorInfo(error), modelFallback: remembered.fallback };
  }
}
