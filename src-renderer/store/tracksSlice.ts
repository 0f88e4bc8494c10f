// The tracks table: a debounced search, pages of rows fetched on demand as the virtualised list scrolls (the store
// keeps only the pages seen, never the catalog), and the selected track's detail. A new search or a library change
// starts a new generation; answers from an older generation are dropped. The selected track also gets its "more like
// this" list from the vibe lane. The list is sorted by the catalog (one of its whitelisted keys) and may be narrowed
// to one album or one artist (from the Albums and Artists views).
// Two kinds of reload: a new question (search, sort, filter) starts over at the top (trackResetKey changes); a library
// change (a scan adding tracks) re-reads the rows in view where they are, showing the old rows until the new arrive.
import type { TrackQuery } from '../../src-preload/contract/api';
import type { AppErrorInfo, SortDirection, TrackDetail, TrackId, TrackSortKey, TrackSummary, VibeMatch } from '../../src-preload/contract/library';
import { locateRow, pagesForRows } from '../lib/virtualWindow';
import type { SliceCreator } from './types';

export const TRACKS_PER_PAGE = 100;
export const SEARCH_DEBOUNCE_MS = 250;
/** Pages kept in memory; the ones farthest from the last request are dropped first. */
export const MAX_CACHED_PAGES = 60;
/** How many "more like this" tracks the detail panel shows. */
export const SIMILAR_TRACKS_SHOWN = 10;

/** What the list is narrowed to: one album (name + album artist, as the Albums view groups) or one artist. */
export type TrackFilter =
  { readonly kind: 'album'; readonly album: string; readonly albumArtist: string | null } | { readonly kind: 'artist'; readonly artist: string };

export const DEFAULT_TRACK_SORT: TrackSortKey = 'artist';

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
  /** The generation each loaded page was read in: an older one is shown until it is read again. */
  trackPageGenerations: Readonly<Record<number, number>>;
  /** Changes when the question changes (search, sort, filter): the table goes back to the top. */
  trackResetKey: number;
  trackSort: TrackSortKey;
  trackDirection: SortDirection;
  trackFilter: TrackFilter | null;
  tracksError: AppErrorInfo | null;
  selectedTrackId: TrackId | null;
  trackDetail: TrackDetail | null;
  trackDetailError: AppErrorInfo | null;
  /** "More like this" for the selected track; null while loading or when nothing is selected. */
  similarTracks: readonly VibeMatch[] | null;
  /** Why there is no "more like this" list (e.g. model-missing: the vibe lane is off; not-found: not embedded yet). */
  similarTracksError: AppErrorInfo | null;
  /**
   * Where the selected track stands in the list: its 0-based row (its page is loaded, the table scrolls to it), or
   * row null when it is not in this list (filtered or searched out). `seq` grows with each answer, so the table
   * scrolls once per answer. null: nothing selected, not asked yet, or the list changed since.
   */
  selectedTrackRow: { readonly trackId: TrackId; readonly row: number | null; readonly seq: number } | null;
  setTrackSearch: (text: string) => void;
  /** Sorts by this column: a new column starts ascending, the same one again flips the direction. */
  setTrackSort: (key: TrackSortKey, direction?: SortDirection) => void;
  /** Narrows the list to an album or an artist (null: the whole library). Albums list in album order. */
  setTrackFilter: (filter: TrackFilter | null) => void;
  /** Re-reads the rows (after a library change); `reset` starts over at the top (a new search, sort or filter). */
  reloadTracks: (options?: { reset?: boolean }) => Promise<void>;
  /** Fetches the pages covering rows [firstRow, endRow) that are not loaded or loading. */
  ensureTrackRows: (firstRow: number, endRow: number) => void;
  selectTrack: (trackId: TrackId | null) => Promise<void>;
  /** Shows a track on the Library screen (from a result's "More like this" or a vibe suggestion). */
  openTrack: (trackId: TrackId) => Promise<void>;
  /** Clears the search and the album/artist filter, then finds the selected track in the whole library. */
  showAllTracks: () => Promise<void>;
}

/** The listTracks question for a page: the defaults (artist order, whole library) are left out. */
export function trackQueryOf(state: Pick<TracksSlice, 'trackQuery' | 'trackSort' | 'trackDirection' | 'trackFilter'>, page: number): TrackQuery {
  return { page, perPage: TRACKS_PER_PAGE, ...trackListingOf(state) };
}

/** The list the table shows (search, sort, filter), without a page: what trackPosition finds a track in. */
export function trackListingOf(state: Pick<TracksSlice, 'trackQuery' | 'trackSort' | 'trackDirection' | 'trackFilter'>): Omit<TrackQuery, 'page' | 'perPage'> {
  const filter = state.trackFilter;
  return {
    search: state.trackQuery || undefined,
    ...(state.trackSort !== DEFAULT_TRACK_SORT || state.trackDirection !== 'asc' ? { sort: state.trackSort, direction: state.trackDirection } : {}),
    ...(filter?.kind === 'album' ? { album: filter.album, albumArtist: filter.albumArtist } : {}),
    ...(filter?.kind === 'artist' ? { artist: filter.artist } : {}),
  };
}

/** The row at `index`, or undefined while its page is not loaded. */
export function trackAt(pages: Readonly<Record<number, readonly TrackSummary[]>>, index: number, perPage = TRACKS_PER_PAGE): TrackSummary | undefined {
  const { page, slot } = locateRow(index, perPage);
  return pages[page]?.[slot];
}

/** The 0-based row of a loaded track, or null when its page is not loaded. */
function loadedRowOf(pages: Readonly<Record<number, readonly TrackSummary[]>>, trackId: TrackId): number | null {
  for (const [page, rows] of Object.entries(pages)) {
    const slot = rows.findIndex((t) => t.id === trackId);
    if (slot >= 0) return (Number(page) - 1) * TRACKS_PER_PAGE + slot;
  }
  return null;
}

export const createTracksSlice: SliceCreator<TracksSlice> = (deps) => (set, get) => {
  let debounce: ReturnType<typeof setTimeout> | null = null;
  const inFlight = new Set<string>();
  let locateSeq = 0;

  /**
   * Finds the selected track in the list: among the loaded rows, else by asking the catalog for its position (any
   * row of 100,000) and loading that page. Dropped when the selection or the question changed meanwhile.
   */
  async function locateSelected(trackId: TrackId): Promise<void> {
    const { trackPages, trackResetKey, trackGeneration } = get();
    const loaded = loadedRowOf(trackPages, trackId);
    if (loaded !== null) {
      set({ selectedTrackRow: { trackId, row: loaded, seq: ++locateSeq } });
      return;
    }
    const result = await deps.bridge.trackPosition({ ...trackListingOf(get()), trackId });
    if (get().selectedTrackId !== trackId || get().trackResetKey !== trackResetKey) return;
    if (!result.ok) return; // The detail panel says what went wrong with the track; the list stays where it is.
    const row = result.value;
    if (row !== null) await fetchPage(locateRow(row, TRACKS_PER_PAGE).page, trackGeneration);
    if (get().selectedTrackId !== trackId || get().trackResetKey !== trackResetKey) return;
    set({ selectedTrackRow: { trackId, row, seq: ++locateSeq } });
  }

  async function fetchPage(page: number, generation: number): Promise<void> {
    const key = `${generation}:${page}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    const result = await deps.bridge.listTracks(trackQueryOf(get(), page));
    inFlight.delete(key);
    if (get().trackGeneration !== generation) return;
    if (!result.ok) {
      set({ tracksError: result.error });
      return;
    }
    const pages: Record<number, readonly TrackSummary[]> = { ...get().trackPages, [page]: result.value.items };
    const pageGenerations: Record<number, number> = { ...get().trackPageGenerations, [page]: generation };
    const loaded = Object.keys(pages).map(Number);
    if (loaded.length > MAX_CACHED_PAGES) {
      loaded.sort((a, b) => Math.abs(b - page) - Math.abs(a - page));
      for (const stale of loaded.slice(0, loaded.length - MAX_CACHED_PAGES)) {
        delete pages[stale];
        delete pageGenerations[stale];
      }
    }
    // Pages past the new end (tracks were removed) go.
    const lastPage = Math.max(1, Math.ceil(result.value.total / TRACKS_PER_PAGE));
    for (const p of Object.keys(pages).map(Number)) {
      if (p > lastPage) {
        delete pages[p];
        delete pageGenerations[p];
      }
    }
    set({ trackPages: pages, trackPageGenerations: pageGenerations, trackTotal: result.value.total, tracksError: null });
  }

  /** A new question: drop the rows, go back to the top, read page 1. */
  function restart(): Promise<void> {
    return get().reloadTracks({ reset: true });
  }

  return {
    trackSearchText: '',
    trackQuery: '',
    trackTotal: null,
    trackPages: {},
    trackGeneration: 0,
    trackPageGenerations: {},
    trackResetKey: 0,
    trackSort: DEFAULT_TRACK_SORT,
    trackDirection: 'asc',
    trackFilter: null,
    tracksError: null,
    selectedTrackId: null,
    trackDetail: null,
    trackDetailError: null,
    similarTracks: null,
    similarTracksError: null,
    selectedTrackRow: null,

    setTrackSearch: (text) => {
      set({ trackSearchText: text });
      if (debounce !== null) clearTimeout(debounce);
      debounce = setTimeout(() => {
        debounce = null;
        if (get().trackQuery === text.trim()) return;
        set({ trackQuery: text.trim() });
        void restart();
      }, SEARCH_DEBOUNCE_MS);
    },

    setTrackSort: (key, direction) => {
      const { trackSort, trackDirection } = get();
      const next = direction ?? (key === trackSort ? (trackDirection === 'asc' ? 'desc' : 'asc') : 'asc');
      set({ trackSort: key, trackDirection: next });
      void restart();
    },

    setTrackFilter: (filter) => {
      // An album plays in album order; an artist's tracks list album by album; the whole library as it was sorted.
      const sort = filter ? 'album' : DEFAULT_TRACK_SORT;
      set({ trackFilter: filter, trackSort: sort, trackDirection: 'asc' });
      void restart();
    },

    reloadTracks: async (options = {}) => {
      const generation = get().trackGeneration + 1;
      if (options.reset) {
        set({
          trackGeneration: generation,
          trackPages: {},
          trackPageGenerations: {},
          trackTotal: null,
          trackResetKey: get().trackResetKey + 1,
          tracksError: null,
          selectedTrackRow: null,
        });
        await fetchPage(1, generation);
        return;
      }
      // A library change: the rows stay on screen (and in place) until their pages are read again.
      set({ trackGeneration: generation, tracksError: null });
      // Page 1 brings the new total; the table asks again for the other pages in view (their generation is old).
      await fetchPage(1, generation);
    },

    ensureTrackRows: (firstRow, endRow) => {
      const { trackPages, trackPageGenerations, trackGeneration } = get();
      for (const page of pagesForRows(firstRow, endRow, TRACKS_PER_PAGE)) {
        if (!trackPages[page] || trackPageGenerations[page] !== trackGeneration) void fetchPage(page, trackGeneration);
      }
    },

    selectTrack: async (trackId) => {
      // The same track again (a library change re-reading it): keep what is shown until the new answer comes.
      const isNew = trackId === null || trackId !== get().selectedTrackId;
      if (isNew) {
        set({ selectedTrackId: trackId, trackDetail: null, trackDetailError: null, similarTracks: null, similarTracksError: null, selectedTrackRow: null });
      }
      if (!trackId) return;
      // A newly selected track is found in the list, wherever it is (a re-read of the same one stays put).
      const located = isNew ? locateSelected(trackId) : Promise.resolve();
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
      await Promise.all([similar, located]);
    },

    openTrack: async (trackId) => {
      get().showScreen('library');
      set({ libraryView: 'tracks' });
      await get().selectTrack(trackId);
    },

    showAllTracks: async () => {
      if (debounce !== null) clearTimeout(debounce);
      debounce = null;
      const sort = get().trackFilter ? DEFAULT_TRACK_SORT : get().trackSort;
      const direction = get().trackFilter ? 'asc' : get().trackDirection;
      set({ trackSearchText: '', trackQuery: '', trackFilter: null, trackSort: sort, trackDirection: direction });
      await restart();
      const selected = get().selectedTrackId;
      if (selected) await locateSelected(selected);
    },
  };
};
