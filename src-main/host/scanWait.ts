// Adding a folder and waiting for its scan, through the contract: what POST /api/v1/ingest and `audio-ident index`
// both do. Subscribe (watchScans) before asking for the scan, so a quick one cannot slip past; then read which
// files failed (failedFilesSince) from the backend's failed-files list.
import path from 'node:path';
import { LIMITS, type FolderSummary } from '../../src-preload/contract/api.js';
import type { AppErrorInfo, FailedFile, Result, ScanSummary } from '../../src-preload/contract/library.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';

export type ScansOutcome = { summaries: ScanSummary[]; failure: AppErrorInfo | null } | 'timeout';

/**
 * Collects scanFinished summaries until the backend reports no scan running (statusChanged with scan = null) after
 * at least one scan finished or failed. timeoutMs: Infinity waits for ever.
 */
export function watchScans(backend: Pick<LibraryBackend, 'on'>, timeoutMs: number): { settled: Promise<ScansOutcome>; stop: () => void } {
  const summaries: ScanSummary[] = [];
  const unsubscribes: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  const settled = new Promise<ScansOutcome>((resolve) => {
    if (Number.isFinite(timeoutMs)) timer = setTimeout(() => resolve('timeout'), timeoutMs);
    unsubscribes.push(backend.on('scanFinished', (summary) => summaries.push(summary)));
    unsubscribes.push(
      backend.on('statusChanged', (status) => {
        if (status.scan !== null) return;
        const failed = status.notices.find((n) => n.code === 'scan-failed');
        if (summaries.length > 0) resolve({ summaries, failure: null });
        else if (failed) resolve({ summaries, failure: failed.error ?? { code: 'internal' } });
      }),
    );
  });
  return { settled, stop: () => (clearTimeout(timer), unsubscribes.forEach((u) => u())) };
}

export function isInsideOrSame(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Scans `folder`: a folder already in the library (or inside one) has that library folder scanned again (addFolder
 * on a known path scans it); a new one is added, which scans it. Answers the library folder.
 */
export async function scanFolder(backend: LibraryBackend, folder: string): Promise<Result<FolderSummary>> {
  const folders = await backend.listFolders();
  if (!folders.ok) return folders;
  const covering = folders.value.find((f) => isInsideOrSame(folder, f.path));
  return backend.addFolder(covering?.path ?? folder);
}

/** Sums the summaries of several scans (one per folder, or the rescans a wait saw). */
export function sumScans(summaries: readonly ScanSummary[]): ScanSummary {
  const sum = (key: Exclude<keyof ScanSummary, 'cancelled'>): number => summaries.reduce((n, s) => n + s[key], 0);
  return {
    added: sum('added'),
    updated: sum('updated'),
    unchanged: sum('unchanged'),
    rebuilt: sum('rebuilt'),
    moved: sum('moved'),
    removed: sum('removed'),
    duplicates: sum('duplicates'),
    failed: sum('failed'),
    cancelled: summaries.some((s) => s.cancelled),
    audioSeconds: sum('audioSeconds'),
    wallSeconds: sum('wallSeconds'),
  };
}

/** Files under `folder` that failed since `sinceMs` (epoch ms), from the backend's failed-files list; at most `max`. */
export async function failedFilesSince(backend: LibraryBackend, folder: string, sinceMs: number, max: number): Promise<FailedFile[]> {
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  const out: FailedFile[] = [];
  for (let page = 1; out.length < max; page++) {
    const result = await backend.listFailedFiles({ page, perPage: LIMITS.maxPerPage });
    if (!result.ok) break;
    const items: readonly FailedFile[] = result.value.items;
    for (const f of items) {
      if (!f.path.startsWith(prefix) || Date.parse(f.at) < sinceMs - 1000) continue;
      out.push(f);
    }
    if (items.length === 0 || page * result.value.perPage >= result.value.total) break;
  }
  return out.slice(0, max);
}
