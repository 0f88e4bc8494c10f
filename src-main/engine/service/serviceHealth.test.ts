// The service's health notices and status, without a scan: what start-up findings, a store replaced at run time,
// finished and failed scans and missing folders leave for the page to show.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_SCAN_SUMMARY } from '../../../src-preload/contract/library.js';
import type { Catalog } from '../catalog/catalog.js';
import { openCatalog } from '../catalog/openCatalog.js';
import type { LibraryEngine } from '../libraryEngine.js';
import { ServiceHealth } from './serviceHealth.js';

const SUMMARY = EMPTY_SCAN_SUMMARY;
const CLEAN = { storeWasDamaged: false, storeWasMissing: false, repair: { orphansRemoved: 0, tracksToRefingerprint: 0 } };

let catalog: Catalog;
let health: ServiceHealth;
beforeEach(() => {
  catalog = openCatalog(':memory:');
  health = new ServiceHealth();
});
afterEach(() => catalog.close());

/** The status with an open library (its catalog only: no vibe lane) and no scan running. */
function status() {
  const library = { catalog, vibe: undefined } as unknown as LibraryEngine;
  return health.status({ appVersion: '1.2.3', dataDir: '/data', library, unavailable: undefined, scan: null, lastScan: null });
}
const codes = () => status().notices.map((n) => n.code);

describe('ServiceHealth', () => {
  it('reports a clean start as ok with no notice, and a damaged store as rebuilding until a full scan', () => {
    health.storeOpened(CLEAN);
    expect(status()).toMatchObject({ appVersion: '1.2.3', catalog: 'ok', landmarkStore: 'ok', vectorIndex: 'absent', modes: ['exact'], notices: [] });

    health.storeOpened({ ...CLEAN, storeWasDamaged: true, repair: { orphansRemoved: 0, tracksToRefingerprint: 7 } });
    expect(status().landmarkStore).toBe('rebuilding');
    expect(status().notices).toEqual([{ code: 'store-rebuilding', detail: expect.stringMatching(/damaged.*\(7 tracks\)/) }]);

    health.scanFinished({ ...SUMMARY, cancelled: true }, () => 0); // a cancelled scan proves nothing
    expect(status().landmarkStore).toBe('rebuilding');
    health.scanFinished(SUMMARY, () => 3); // tracks still pending
    expect(codes()).toEqual(['store-rebuilding']);
    health.scanFinished(SUMMARY, () => 0);
    expect(status().landmarkStore).toBe('ok');
    expect(codes()).toEqual(['store-rebuilt']);

    // Damage found later replaces "rebuilt" by a new "rebuilding".
    health.storeReplaced(4);
    expect(status().landmarkStore).toBe('rebuilding');
    expect(status().notices).toEqual([{ code: 'store-rebuilding', detail: expect.stringContaining('(4 tracks)') }]);
  });

  it('says why a store is rebuilt: missing, or only tracks to fingerprint again', () => {
    health.storeOpened({ ...CLEAN, storeWasMissing: true, repair: { orphansRemoved: 0, tracksToRefingerprint: 2 } });
    health.storeOpened({ ...CLEAN, repair: { orphansRemoved: 1, tracksToRefingerprint: 5 } });
    expect(status().notices.map((n) => n.detail)).toEqual([expect.stringMatching(/missing.*\(2 tracks\)/), '5 tracks are being fingerprinted again.']);
  });

  it('keeps one scan-failed notice, dropped by the next finished scan', () => {
    health.scanFailed({ code: 'internal', detail: 'one' });
    health.scanFailed({ code: 'internal', detail: 'two' });
    expect(status().notices).toEqual([{ code: 'scan-failed', error: { code: 'internal', detail: 'two' } }]);
    health.scanFinished(SUMMARY, () => 0);
    expect(codes()).toEqual([]);
  });

  it('lists each missing folder once, and forgets one that came back', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ai-health-'));
    try {
      const gone = path.join(root, 'gone');
      health.checkFolders([root, gone]);
      health.checkFolders([root, gone]);
      expect(status().notices).toEqual([{ code: 'folder-missing', detail: gone }]);
      health.checkFolders([root]);
      expect(codes()).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reports a catalog that could not be opened (absent when another process holds the folder), with no lanes', () => {
    health.catalogUnavailable({ code: 'catalog-corrupt' });
    const at = { appVersion: '1', dataDir: '/d', library: undefined, scan: null, lastScan: null };
    expect(health.status({ ...at, unavailable: { code: 'catalog-corrupt' } })).toMatchObject({
      catalog: 'damaged',
      landmarkStore: 'absent',
      trackCount: 0,
      modes: [],
      notices: [{ code: 'catalog-unavailable', error: { code: 'catalog-corrupt' } }],
    });
    expect(health.status({ ...at, unavailable: { code: 'library-busy' } }).catalog).toBe('absent');
  });

  it('drops the model-unavailable notice once the chosen model is in use', () => {
    health.modelUnavailable({ code: 'model-missing', detail: 'x' });
    expect(codes()).toEqual(['model-unavailable']);
    health.modelAvailable();
    expect(codes()).toEqual([]);
  });
});
