// History: every identification, newest first, paged on demand ("load more"), and clearing it.
import type { HistoryEntry } from '../../src-preload/contract/api';
import type { AppErrorInfo } from '../../src-preload/contract/library';
import type { SliceCreator } from './types';

export const HISTORY_PER_PAGE = 50;

export interface HistorySlice {
  historyEntries: readonly HistoryEntry[];
  historyTotal: number | null;
  historyPagesLoaded: number;
  historyError: AppErrorInfo | null;
  historyLoading: boolean;
  /** Reloads from the newest entry. */
  loadHistory(): Promise<void>;
  loadMoreHistory(): Promise<void>;
  clearHistory(): Promise<void>;
}

export const createHistorySlice: SliceCreator<HistorySlice> = (deps) => (set, get) => {
  let generation = 0;
  async function loadPage(page: number): Promise<void> {
    const mine = ++generation;
    set({ historyLoading: true });
    const result = await deps.bridge.listHistory({ page, perPage: HISTORY_PER_PAGE });
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
  return {
    historyEntries: [],
    historyTotal: null,
    historyPagesLoaded: 0,
    historyError: null,
    historyLoading: false,
    loadHistory: () => loadPage(1),
    loadMoreHistory: async () => {
      const { historyTotal, historyEntries, historyPagesLoaded } = get();
      if (historyTotal !== null && historyEntries.length >= historyTotal) return;
      await loadPage(historyPagesLoaded + 1);
    },
    clearHistory: async () => {
      const result = await deps.bridge.clearHistory();
      if (!result.ok) set({ historyError: result.error });
      else {
        generation++;
        set({ historyEntries: [], historyTotal: 0, historyPagesLoaded: 0, historyError: null, historyLoading: false });
      }
    },
  };
};
