// History: every identification, newest first, paged on demand ("load more"), searched (debounced), one entry
// reopened with its stored result, entries deleted one by one or all at once, and exports (the page saves the file).
// A new search, a reload or a clear starts a new generation; answers from an older one are dropped.
import type { HistoryDetail, HistoryEntry, HistoryExport, HistoryExportFormat } from '../../src-preload/contract/api';
import type { AppErrorInfo } from '../../src-preload/contract/library';
import type { IdentifyOutcome } from './identifySlice';
import type { SliceCreator } from './types';

export const HISTORY_PER_PAGE = 50;
export const HISTORY_SEARCH_DEBOUNCE_MS = 250;

export interface HistorySlice {
  historyEntries: readonly HistoryEntry[];
  historyTotal: number | null;
  historyPagesLoaded: number;
  historyError: AppErrorInfo | null;
  historyLoading: boolean;
  /** What the search field shows (the query follows it after HISTORY_SEARCH_DEBOUNCE_MS). */
  historySearchText: string;
  /** The search the listed entries belong to ('' for all). */
  historyQuery: string;
  /** The entry being reopened or shown (its id), or null. */
  historyOpenId: string | null;
  /** The reopened entry with its stored result; null while loading or when none is open. */
  historyDetail: HistoryDetail | null;
  historyDetailError: AppErrorInfo | null;
  /** Reloads from the newest entry (with the current search). */
  loadHistory: () => Promise<void>;
  loadMoreHistory: () => Promise<void>;
  setHistorySearch: (text: string) => void;
  openHistoryEntry: (entryId: string) => Promise<void>;
  closeHistoryEntry: () => void;
  /** Deletes entries; true when the engine did. */
  deleteHistoryEntries: (entryIds: readonly string[]) => Promise<boolean>;
  clearHistory: () => Promise<void>;
  /** The entries the current search finds (all without one), as a file to save; null (and historyError) on failure. */
  exportHistory: (format: HistoryExportFormat) => Promise<HistoryExport | null>;
}

/** A stored result as the result view shows it: a past answer, so Play starts at the match (no time since added). */
export function outcomeOfHistory(detail: HistoryDetail): IdentifyOutcome | null {
  if (!detail.result) return null;
  const { entry } = detail;
  return {
    source: entry.source,
    clipName: entry.clipName,
    clipStartedAtMs: null,
    askedMode: entry.mode,
    result: detail.result,
    error: null,
    silent: false,
    listenProblem: null,
  };
}

export const createHistorySlice: SliceCreator<HistorySlice> = (deps) => (set, get) => {
  let generation = 0;
  let debounce: ReturnType<typeof setTimeout> | null = null;
  let detailRequest = 0;

  async function loadPage(page: number): Promise<void> {
    const mine = ++generation;
    const search = get().historyQuery;
    set({ historyLoading: true });
    const result = await deps.bridge.listHistory({ page, perPage: HISTORY_PER_PAGE, ...(search ? { search } : {}) });
    if (mine !== generation) return;
    set({ historyLoading: false });
    if (!result.ok) {
      set({ historyError: result.error });
      return;
    }
    const before = page === 1 ? [] : get().historyEntries;
    const seen = new Set(before.map((e) => e.id));
    set({
      historyEntries: [...before, ...result.value.items.filter((e) => !seen.has(e.id))],
      historyTotal: result.value.total,
      historyPagesLoaded: page,
      historyError: null,
    });
  }

  function forget(ids: ReadonlySet<string>): void {
    const { historyEntries, historyTotal, historyOpenId } = get();
    const kept = historyEntries.filter((e) => !ids.has(e.id));
    set({
      historyEntries: kept,
      historyTotal: historyTotal === null ? null : Math.max(0, historyTotal - (historyEntries.length - kept.length)),
      historyError: null,
    });
    if (historyOpenId !== null && ids.has(historyOpenId)) get().closeHistoryEntry();
  }

  return {
    historyEntries: [],
    historyTotal: null,
    historyPagesLoaded: 0,
    historyError: null,
    historyLoading: false,
    historySearchText: '',
    historyQuery: '',
    historyOpenId: null,
    historyDetail: null,
    historyDetailError: null,

    loadHistory: () => loadPage(1),

    loadMoreHistory: async () => {
      const { historyTotal, historyEntries, historyPagesLoaded } = get();
      if (historyTotal !== null && historyEntries.length >= historyTotal) return;
      await loadPage(historyPagesLoaded + 1);
    },

    setHistorySearch: (text) => {
      set({ historySearchText: text });
      if (debounce !== null) clearTimeout(debounce);
      debounce = setTimeout(() => {
        debounce = null;
        const query = get().historySearchText.trim();
        if (query === get().historyQuery) return;
        set({ historyQuery: query });
        void loadPage(1);
      }, HISTORY_SEARCH_DEBOUNCE_MS);
    },

    openHistoryEntry: async (entryId) => {
      const mine = ++detailRequest;
      set({ historyOpenId: entryId, historyDetail: null, historyDetailError: null });
      const result = await deps.bridge.getHistoryEntry(entryId);
      if (mine !== detailRequest) return;
      if (result.ok) set({ historyDetail: result.value });
      else set({ historyDetailError: result.error });
    },

    closeHistoryEntry: () => {
      detailRequest++;
      set({ historyOpenId: null, historyDetail: null, historyDetailError: null });
    },

    deleteHistoryEntries: async (entryIds) => {
      if (entryIds.length === 0) return true;
      const result = await deps.bridge.deleteHistoryEntries(entryIds);
      if (!result.ok) {
        set({ historyError: result.error });
        return false;
      }
      forget(new Set(entryIds));
      return true;
    },

    clearHistory: async () => {
      const result = await deps.bridge.clearHistory();
      if (!result.ok) set({ historyError: result.error });
      else {
        generation++;
        set({ historyEntries: [], historyTotal: 0, historyPagesLoaded: 0, historyError: null, historyLoading: false });
        get().closeHistoryEntry();
      }
    },

    exportHistory: async (format) => {
      const search = get().historyQuery;
      const result = await deps.bridge.exportHistory({ format, ...(search ? { search } : {}) });
      if (!result.ok) {
        set({ historyError: result.error });
        return null;
      }
      return result.value;
    },
  };
};
