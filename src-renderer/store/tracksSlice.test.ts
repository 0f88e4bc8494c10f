// The tracks table's store: pages fetched on demand for the rows in view (100k tracks), a debounced search, stale
// answers dropped, and the selected track's detail.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrackQuery } from '../../src-preload/contract/api';
import { sortTracks } from '../../src-preload/contract/trackBrowse';
import { createTestStore } from './testDeps';
import { MAX_CACHED_PAGES, SEARCH_DEBOUNCE_MS, SIMILAR_TRACKS_SHOWN, trackAt, TRACKS_PER_PAGE } from './tracksSlice';

afterEach(() => vi.useRealTimers());

/** The whole library in the catalog's default order (by artist), as the fake lists it. */
const byArtist = <T extends Parameters<typeof sortTracks>[0][number]>(tracks: readonly T[]): T[] => sortTracks(tracks, 'artist');

const listCalls = (calls: { method: string; args: unknown[] }[]) => calls.filter((c) => c.method === 'listTracks').map((c) => c.args[0] as TrackQuery);

describe('tracks paging', () => {
  it('loads page 1 with the total, then only the pages covering the rows in view', async () => {
    const { store, bridge } = createTestStore({ startScanned: true, extraTrackCount: 100_000 });
    await store.getState().reloadTracks();
    expect(store.getState().trackTotal).toBe(100_004);
    expect(store.getState().trackPages[1]).toHaveLength(TRACKS_PER_PAGE);

    store.getState().ensureTrackRows(49_990, 50_020);
    store.getState().ensureTrackRows(49_990, 50_020); // asked twice while in flight: fetched once
    await vi.waitFor(() => expect(store.getState().trackPages[501]).toBeDefined());
    const pages = listCalls(bridge.calls).map((q) => q.page);
    expect(pages).toEqual([1, 500, 501]);
    expect(listCalls(bridge.calls).every((q) => q.perPage === TRACKS_PER_PAGE)).toBe(true);
    expect(trackAt(store.getState().trackPages, 50_000)?.id).toBe(byArtist(bridge.tracks)[50_000].id);
    expect(trackAt(store.getState().trackPages, 70_000)).toBeUndefined();
  });

  it('keeps a bounded number of pages in memory', async () => {
    // Just enough tracks for 20 pages past the cache's bound.
    const { store } = createTestStore({ startScanned: true, extraTrackCount: (MAX_CACHED_PAGES + 20) * TRACKS_PER_PAGE });
    await store.getState().reloadTracks();
    for (let page = 1; page <= MAX_CACHED_PAGES + 20; page++) store.getState().ensureTrackRows((page - 1) * TRACKS_PER_PAGE, page * TRACKS_PER_PAGE);
    await vi.waitFor(() => expect(store.getState().trackPages[MAX_CACHED_PAGES + 20]).toBeDefined());
    expect(Object.keys(store.getState().trackPages).length).toBeLessThanOrEqual(MAX_CACHED_PAGES);
  });

  it('debounces the search and drops pages of an older query', async () => {
    vi.useFakeTimers();
    const { store, bridge } = createTestStore({ startScanned: true, latencyMs: 100 });
    const first = store.getState().reloadTracks();
    store.getState().setTrackSearch('s');
    store.getState().setTrackSearch('so');
    store.getState().setTrackSearch('solo');
    expect(store.getState().trackSearchText).toBe('solo');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 1);
    expect(listCalls(bridge.calls).map((q) => q.search)).toEqual([undefined]);
    await vi.advanceTimersByTimeAsync(500);
    await first;
    expect(listCalls(bridge.calls).map((q) => q.search)).toEqual([undefined, 'solo']);
    expect(store.getState().trackQuery).toBe('solo');
    expect(store.getState().trackTotal).toBe(1);
    expect(store.getState().trackPages[1].map((t) => t.title)).toEqual(['Gamma']);
  });

  it('loads the selected track detail and ignores an answer for a track no longer selected', async () => {
    const { store, bridge } = createTestStore({ startScanned: true, latencyMs: 5 });
    const [a, b] = bridge.tracks;
    const pending = store.getState().selectTrack(a.id);
    void store.getState().selectTrack(b.id);
    await pending;
    await vi.waitFor(() => expect(store.getState().trackDetail?.id).toBe(b.id));
    expect(store.getState().trackDetail?.fingerprintStatus).toBe('indexed');
    await store.getState().selectTrack(null);
    expect(store.getState().trackDetail).toBeNull();
  });

  it('loads "more like this" for the selected track, without the track itself, and keeps the error words when the lane is off', async () => {
    const { store, bridge } = createTestStore({ startScanned: true, latencyMs: 5 });
    const [a, b] = bridge.tracks;
    const pending = store.getState().selectTrack(a.id);
    void store.getState().selectTrack(b.id);
    await pending;
    await vi.waitFor(() => expect(store.getState().similarTracks).not.toBeNull());
    const similar = store.getState().similarTracks!;
    expect(similar.length).toBeGreaterThan(0);
    expect(similar.map((m) => m.track.id)).not.toContain(b.id);
    expect(bridge.calls.filter((c) => c.method === 'similarTracks').map((c) => c.args)).toEqual([
      [a.id, SIMILAR_TRACKS_SHOWN],
      [b.id, SIMILAR_TRACKS_SHOWN],
    ]);

    bridge.similarTracks = async () => ({ ok: false, error: { code: 'model-missing' } });
    await store.getState().selectTrack(a.id);
    expect(store.getState().similarTracks).toBeNull();
    expect(store.getState().similarTracksError?.code).toBe('model-missing');
    expect(store.getState().trackDetail?.id).toBe(a.id);
  });
});

describe('the selected track in a 100,000-track list', () => {
  const positionCalls = (calls: { method: string; args: unknown[] }[]) => calls.filter((c) => c.method === 'trackPosition').map((c) => c.args[0]);

  it('opened from elsewhere: asks its position, loads that page and gives the row to scroll to', async () => {
    const { store, bridge } = createTestStore({ startScanned: true, extraTrackCount: 20_000 });
    await store.getState().reloadTracks();
    const target = byArtist(bridge.tracks)[13_456];
    await store.getState().openTrack(target.id);
    expect(positionCalls(bridge.calls)).toEqual([{ search: undefined, trackId: target.id }]);
    expect(store.getState().selectedTrackRow).toMatchObject({ trackId: target.id, row: 13_456 });
    expect(trackAt(store.getState().trackPages, 13_456)?.id).toBe(target.id);
    expect(listCalls(bridge.calls).map((q) => q.page)).toEqual([1, 135]);
  });

  it('finds it in the current order (sort, direction) and asks nothing when its row is loaded', async () => {
    const { store, bridge } = createTestStore({ startScanned: true, extraTrackCount: 20_000 });
    store.getState().setTrackSort('duration', 'desc');
    await vi.waitFor(() => expect(store.getState().trackPages[1]).toBeDefined());
    const target = bridge.tracks[12_345];
    await store.getState().selectTrack(target.id);
    const row = store.getState().selectedTrackRow!.row!;
    expect(positionCalls(bridge.calls)).toEqual([{ search: undefined, sort: 'duration', direction: 'desc', trackId: target.id }]);
    expect(row).toBeGreaterThanOrEqual(TRACKS_PER_PAGE); // not on the first page: the catalog had to be asked
    expect(trackAt(store.getState().trackPages, row)?.id).toBe(target.id);

    const onFirstPage = store.getState().trackPages[1][7];
    await store.getState().selectTrack(onFirstPage.id);
    expect(store.getState().selectedTrackRow).toMatchObject({ trackId: onFirstPage.id, row: 7 });
    expect(positionCalls(bridge.calls)).toHaveLength(1);
  });

  it('says when the track is not in the filtered list, and finds it after the filter is cleared', async () => {
    const { store, bridge } = createTestStore({ startScanned: true, extraTrackCount: 5_000 });
    store.getState().setTrackFilter({ kind: 'artist', artist: 'Artist 5' });
    await vi.waitFor(() => expect(store.getState().trackPages[1]).toBeDefined());
    const target = bridge.tracks.find((t) => t.artist === 'Artist 6')!;
    await store.getState().openTrack(target.id);
    expect(store.getState().selectedTrackRow).toMatchObject({ trackId: target.id, row: null });
    expect(positionCalls(bridge.calls)[0]).toMatchObject({ artist: 'Artist 5', trackId: target.id });

    await store.getState().showAllTracks();
    expect(store.getState().trackFilter).toBeNull();
    const row = byArtist(bridge.tracks).indexOf(target); // the whole library, by artist (the catalog's default order)
    expect(store.getState().selectedTrackRow).toMatchObject({ trackId: target.id, row });
    expect(trackAt(store.getState().trackPages, row)?.id).toBe(target.id);
  });

  it('drops a position that answers after the selection or the question changed', async () => {
    const { store, bridge } = createTestStore({ startScanned: true, extraTrackCount: 5_000, latencyMs: 5 });
    await store.getState().reloadTracks();
    const first = store.getState().selectTrack(bridge.tracks[4_000].id);
    await store.getState().selectTrack(null);
    await first;
    expect(store.getState().selectedTrackRow).toBeNull();
    const again = store.getState().selectTrack(bridge.tracks[2_000].id);
    store.getState().setTrackSort('title'); // a new question while it is being found: its answer is for the old one
    await again;
    expect(store.getState().selectedTrackRow).toBeNull();
  });
});
