// History as the engine keeps it (src-main/engine/catalog/history.ts), in memory, for the fake library
// (fakeLibrary.ts), which the conformance script (../libraryConformance.ts) holds to the real one. One entry per key
// (a Listen's growing clip), one per content (the same file dropped again, under a new key, bumps its count), newest
// first; search as historySearch.ts.
// Pure: no clock of its own (callers pass `now`), no I/O.
import type { HistoryDetail, HistoryEntry, HistoryExport, HistoryExportRequest, HistoryQuery, IdentifyRequest, Page } from '../api.js';
import type { IdentifyResult } from '../library.js';
import { buildHistoryExport } from '../historyExport.js';
import { matchesHistorySearch } from '../historySearch.js';
import { historyShown } from '../historyShown.js';

export interface FakeHistory {
  /** An identification made with a historyKey (the engine keeps nothing without one). */
  record(request: IdentifyRequest & { readonly historyKey: string }, result: IdentifyResult, now: Date): void;
  list(query: HistoryQuery): Page<HistoryEntry>;
  get(entryId: string): HistoryDetail | undefined;
  /** Deletes these entries (unknown ids skipped); how many were deleted. */
  delete(entryIds: readonly string[]): number;
  clear(): void;
  export(request: HistoryExportRequest, now: Date): HistoryExport;
}

/** A content digest good enough for a fake (length + FNV-1a): the engine uses SHA-256. */
function contentDigest(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return `${bytes.length}:${(hash >>> 0).toString(16)}`;
}

export function createFakeHistory(): FakeHistory {
  /** Newest first, with each entry's whole result (to reopen it). */
  const kept: { entry: HistoryEntry; result: IdentifyResult; key: string; clipDigest: string | null }[] = [];
  const matching = (search: string | undefined): HistoryEntry[] => kept.map((h) => h.entry).filter((e) => matchesHistorySearch(e, search));
  return {
    record(request, outcome, now) {
      const key = request.historyKey;
      const clipDigest = request.audio.kind === 'file' ? contentDigest(request.audio.bytes) : null;
      const at = now.toISOString();
      const index = kept.findIndex((h) => h.key === key || (clipDigest !== null && h.clipDigest === clipDigest));
      const previous = index >= 0 ? kept.splice(index, 1)[0] : undefined;
      const counted = previous !== undefined && previous.key !== key;
      const entry: HistoryEntry = {
        id: previous?.entry.id ?? key,
        at,
        firstAt: previous?.entry.firstAt ?? at,
        count: (previous?.entry.count ?? 0) + (counted || !previous ? 1 : 0),
        source: request.source,
        clipName: request.audio.kind === 'file' ? request.audio.fileName : null,
        clipSeconds: outcome.clipSeconds,
        mode: request.mode,
        ...historyShown(outcome),
      };
      kept.unshift({ entry, result: outcome, key, clipDigest });
    },
    list(query) {
      const perPage = query.perPage ?? 50;
      const page = query.page ?? 1;
      const hits = matching(query.search);
      return { items: hits.slice((page - 1) * perPage, page * perPage), total: hits.length, page, perPage };
    },
    get(entryId) {
      const found = kept.find((h) => h.entry.id === entryId);
      return found ? { entry: found.entry, result: found.result } : undefined;
    },
    delete(entryIds) {
      const before = kept.length;
      kept.splice(0, kept.length, ...kept.filter((h) => !entryIds.includes(h.entry.id)));
      return before - kept.length;
    },
    clear() {
      kept.splice(0);
    },
    export(request, now) {
      return buildHistoryExport(matching(request.search), request.format, now, request.search);
    },
  };
}
