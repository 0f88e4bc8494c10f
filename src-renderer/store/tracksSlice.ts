// The tracks table: a debounced search, pages of rows fetched on demand as the virtualised list scrolls (the store
// keeps only the pages seen, never the catalog), and the selected track's detail. A new search or a library change
// starts a new generation; answers from an older generation are dropped. The selected track also gets its "more like
// this" list from the vibe lane.
import type { AppErrorInfo, TrackDetail, TrackId, TrackSummary, VibeMatch } from '../../src-preload/contract/library';
import { locateRow, pagesForRows } from '../lib/virtualWindow';
import type { SliceCreator } from './types';

export const TRACKS_PER_PAGE = 100;
export const SEARCH_DEBOUNCE_MS = 250;
/** Pages kept in memory; the ones farthest from the last request are dropped first. */
export const MAX_CACHED_PAGES = 60;
/** How many "more like this" tracks the detail panel shows. */
export const SIMILAR_TRACKS_SHOWN = 10;

export interface TracksSlice {
  /** What the search box shows (the query follows it after SEARCH_DEBOUNCE_MS). */
  trackSearchText: string;
  /** The query the rows belong to. */
  trackQuery: string;
  /** Rows matching trackQuery; null until the first page answered. */
  trackTotal: number | null;
  /** Loaded pages (1-based page number -> rows). */
  trackPages: Readonly<Record<number, readonly TrackSummary[]>>;
  trackGeneration: number;
  tracksError: AppErrorInfo | null;
  selectedTrackId: TrackId | null;
  trackDetail: TrackDetail | null;
  trackDetailError: AppErrorInfo | null;
  /** "More like this" for the selected track; null while loading or when nothing is selected. */
  similarTracks: readonly VibeMatch[] | null;
  /** Why there is no "more like this" list (e.g. model-missing: the vibe lane is off; not-found: not embedded yet). */
  similarTracksError: AppErrorInfo | null;
  setTrackSearch(text: string): void;
  /** Re-reads from page 1 (after a search or a library change). */
  reloadTracks(): Promise<void>;
  /** Fetches the pages covering rows [firstRow, endRow) that are not loaded or loading. */
  ensureTrackRows(firstRow: number, endRow: number): void;
  selectTrack(trackId: TrackId | null): Promise<void>;
  /** Shows a track on the Library screen (from a result's "More like this" or a vibe suggestion). */
  openTrack(trackId: TrackId): Promise<void>;
}

/** The row at `index`, or undefined while its page is not loaded. */
export function trackAt(pages: Readonly<Record<number, readonly TrackSummary[]>>, index: number, perPage = TRACKS_PER_PAGE): TrackSummary | undefined {
  const { page, slot } = locateRow(index, perPage);
  return pages[page]?.[slot];
}

export const createTracksSlice: SliceCreator<TracksSlice> = (deps) => (set, get) => {
  let debounce: ReturnType<typeof setTimeout> | null = null;
  const inFlight = new Set<string>();

  async function fetchPage(page: number, generation: number): Promise<void> {
    const key = `${generation}:${page}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    const result = await deps.bridge.listTracks({ page, perPage: TRACKS_PER_PAGE, search: get().trackQuery || undefined });
    inFlight.delete(key);
    if (get().trackGeneration !== generation) return;
    if (!result.ok) {
      set({ tracksError: result.error });
      return;
    }
    const pages: Record<number, readonly TrackSummary[]> = { ...get().trackPages, [page]: result.value.items };
    const loaded = Object.keys(pages).map(Number);
    if (loaded.length > MAX_CACHED_PAGES) {
      loaded.sort((a, b) => Math.abs(b - page) - Math.abs(a - page));
      for (const stale of loaded.slice(0, loaded.length - MAX_CACHED_PAGES)) delete pages[stale];
    }
    set({ trackPages: pages, trackTotal: result.value.total, tracksError: null });
  }

  return {
    trackSearchText: '',
    trackQuery: '',
    trackTotal: null,
    trackPages: {},
    trackGeneration: 0,
    tracksError: null,
    selectedTrackId: null,
    trackDetail: null,
    trackDetailError: null,
    similarTracks: null,
    similarTracksError: null,

    setTrackSearch: (text) => {
      set({ trackSearchText: text });
      if (debounce !== null) clearTimeout(debounce);
      debounce = setTimeout(() => {
        debounce = null;
        if (get().trackQuery === text.trim()) return;
        set({ trackQuery: text.trim() });
        void get().reloadTracks();
      }, SEARCH_DEBOUNCE_MS);
    },

    reloadTracks: async () => {
      const generation = get().trackGeneration + 1;
      // Keep showing the old rows until the first new page arrives only when the query is unchanged (a library change).
      set({ trackGeneration: generation, trackPages: {}, tracksError: null });
      await fetchPage(1, generation);
    },

    ensureTrackRows: (firstRow, endRow) => {
      const { trackPages, trackGeneration } = get();
      for (const page of pagesForRows(firstRow, endRow, TRACKS_PER_PAGE)) {
        if (!trackPages[page]) void fetchPage(page, trackGeneration);
      }
    },

    selectTrack: async (trackId) => {
      set({ selectedTrackId: trackId, trackDetail: null, trackDetailError: null, similarTracks: null, similarTracksError: null });
      if (!trackId) return;
      const similar = deps.bridge.similarTracks(trackId, SIMILAR_TRACKS_SHOWN).then((answer) => {
        if (get().selectedTrackId !== trackId) return;
        if (answer.ok) set({ similarTracks: answer.value });
        else set({ similarTracksError: answer.error });
      });
      const result = await deps.bridge.getTrack(trackId);
      if (get().selectedTrackId === trackId) {
        if (result.ok) set({ trackDetail: result.value });
        else set({ trackDetailError: result.error });
      }
      await similar;
    },

    openTrack: async (trackId) => {
      get().showScreen('library');
      await get().selectTrack(trackId);
    },
  };
};
