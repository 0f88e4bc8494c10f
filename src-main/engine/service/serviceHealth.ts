// The service's health as the page sees it: the notices (start-up findings, a store being rebuilt, folders gone
// missing, a failed scan, a model that could not be loaded) and the landmark store's state, and the AppStatus built
// from them. Synchronous; the service's thread.
import { existsSync } from 'node:fs';
import type { AppStatus, ComponentHealth, Notice } from '../../../src-preload/contract/api.js';
import type { AppErrorInfo, ScanProgress, ScanSummary } from '../../../src-preload/contract/library.js';
import type { LibraryEngine } from '../libraryEngine.js';
import type { OpenReport } from '../storeConsistency.js';

export class ServiceHealth {
  private readonly notices: Notice[] = [];
  /** The landmark store: 'rebuilding' from a damaged or missing store until a scan has fingerprinted every track. */
  private storeHealth: ComponentHealth = 'ok';

  /** The catalog could not be opened: the only notice there will be. */
  catalogUnavailable(error: AppErrorInfo): void {
    this.notices.push({ code: 'catalog-unavailable', error });
  }

  /** The remembered vibe model is not the one in use (the built-in one is). */
  modelUnavailable(error: AppErrorInfo): void {
    this.notices.push({ code: 'model-unavailable', error });
  }

  /** The chosen model is in use again. */
  modelAvailable(): void {
    this.drop('model-unavailable');
  }

  /** What opening found about the store: a damaged or missing store, or tracks to fingerprint again, means a rebuild. */
  storeOpened({ storeWasDamaged, storeWasMissing, repair }: OpenReport): void {
    if (!storeWasDamaged && !storeWasMissing && repair.tracksToRefingerprint === 0) return;
    this.storeHealth = 'rebuilding';
    const count = repair.tracksToRefingerprint;
    this.notices.push({
      code: 'store-rebuilding',
      detail: storeWasDamaged
        ? `The fingerprint index was damaged; it was set aside and is being rebuilt from your files (${count} tracks).`
        : storeWasMissing
          ? `The fingerprint index was missing; it is being rebuilt from your files (${count} tracks).`
          : `${count} tracks are being fingerprinted again.`,
    });
  }

  /** Damage found later (a lookup or a write failed on a bad page): the store was replaced by an empty one. */
  storeReplaced(tracksToRefingerprint: number): void {
    this.storeHealth = 'rebuilding';
    this.drop('store-rebuilt');
    this.drop('store-rebuilding');
    this.notices.push({
      code: 'store-rebuilding',
      detail: `The fingerprint index was damaged; it was set aside and is being rebuilt from your files (${tracksToRefingerprint} tracks).`,
    });
  }

  /** A scan finished; `pendingTracks`: tracks still awaiting their fingerprints (a rebuild is over at 0). */
  scanFinished(summary: ScanSummary, pendingTracks: () => number): void {
    if (!summary.cancelled && this.storeHealth === 'rebuilding' && pendingTracks() === 0) {
      this.storeHealth = 'ok';
      this.drop('store-rebuilding');
      this.notices.push({ code: 'store-rebuilt', detail: 'The fingerprint index is complete again.' });
    }
    this.drop('scan-failed');
  }

  scanFailed(error: AppErrorInfo): void {
    this.drop('scan-failed');
    this.notices.push({ code: 'scan-failed', error });
  }

  /** One 'folder-missing' notice per library folder that is not there now (and none for the others). */
  checkFolders(folderPaths: readonly string[]): void {
    this.drop('folder-missing');
    for (const folderPath of folderPaths) if (!existsSync(folderPath)) this.notices.push({ code: 'folder-missing', detail: folderPath });
  }

  /** The status the page shows: `library` undefined when the catalog could not be opened (`unavailable` says why). */
  status(at: {
    readonly appVersion: string;
    readonly dataDir: string;
    readonly library: LibraryEngine | undefined;
    readonly unavailable: AppErrorInfo | undefined;
    readonly scan: ScanProgress | null;
    readonly lastScan: ScanSummary | null;
  }): AppStatus {
    const { library } = at;
    const trackCount = library?.catalog.countTracks() ?? 0;
    return {
      appVersion: at.appVersion,
      dataDir: at.dataDir,
      catalog: library ? 'ok' : at.unavailable?.code === 'library-busy' ? 'absent' : 'damaged',
      landmarkStore: library ? this.storeHealth : 'absent',
      vectorIndex: library?.vibe ? (library.vibe.indexedTrackCount < trackCount && at.scan ? 'rebuilding' : 'ok') : 'absent',
      trackCount,
      failedFileCount: library?.catalog.countFilesByStatus().failed ?? 0,
      scan: at.scan,
      lastScan: at.lastScan,
      notices: [...this.notices],
      modes: library ? (library.vibe ? ['exact', 'vibe', 'both'] : ['exact']) : [],
    };
  }

  private drop(code: Notice['code']): void {
    for (let i = this.notices.length - 1; i >= 0; i--) if (this.notices[i].code === code) this.notices.splice(i, 1);
  }
}
