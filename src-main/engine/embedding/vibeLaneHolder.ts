// Which vibe lane a library has open: at most one, or none with the reason (its model could not be loaded, or the
// lane is turned off). Opening replaces the lane; switching loads the new one first and swaps it in only once it
// works, so the lane never goes dark. Owned by the LibraryEngine on its owner thread.
import type { AppErrorInfo } from '../../../src-preload/contract/library.js';
import type { Catalog } from '../catalog/catalog.js';
import { AppError, toErrorInfo } from '../errors.js';
import { builtinManifestPath } from './embedderManifest.js';
import { VibeLane } from './vibeLane.js';

export class VibeLaneHolder {
  /** The open lane, or undefined when its model could not be loaded (see error) or it was turned off. */
  lane: VibeLane | undefined;
  /** Why the last open left no lane (undefined when it was turned off, or a lane is open). */
  error: AppErrorInfo | undefined;

  /** `indexDir`: where each model's HNSW indexes live (the data folder's vectors/). */
  constructor(
    private readonly catalog: Catalog,
    private readonly indexDir: string,
  ) {}

  /** Opens the lane for an embedder manifest (default: the built-in model; null: no lane); a failure leaves none. */
  async open(manifestPath: string | null | undefined): Promise<void> {
    const previous = this.lane;
    this.lane = undefined;
    this.error = undefined;
    await previous?.release();
    if (manifestPath === null) return;
    try {
      this.lane = await VibeLane.open(manifestPath ?? builtinManifestPath(), this.catalog, this.indexDir);
      this.lane.refresh();
    } catch (error) {
      this.error = toErrorInfo(error);
    }
  }

  /**
   * Switches to another embedder (undefined: the built-in one) without going dark: on failure the current lane stays
   * and the AppError ('model-missing': missing, damaged or unloadable model) is thrown.
   */
  async switchTo(manifestPath: string | undefined): Promise<void> {
    const next = await VibeLane.open(manifestPath ?? builtinManifestPath(), this.catalog, this.indexDir);
    try {
      next.refresh();
    } catch (error) {
      await next.release();
      throw error;
    }
    const previous = this.lane;
    this.lane = next;
    this.error = undefined;
    await previous?.release();
  }

  /** The open lane, or AppError 'model-missing' saying why there is none. */
  require(): VibeLane {
    if (!this.lane) throw new AppError('model-missing', this.error?.detail ?? 'the vibe lane is turned off');
    return this.lane;
  }

  async release(): Promise<void> {
    const lane = this.lane;
    this.lane = undefined;
    await lane?.release();
  }
}
