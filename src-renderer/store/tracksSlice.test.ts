// The tracks table's store: pages fetched on demand for the rows in view (100k tracks), a debounced search, stale
// answers dropped, and the selected track's detail.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrackQuery } from '../../src-preload/contract/api';
import { createTestStore } from './testDeps';
import { MAX_CACHED_PAGES, SEARCH_DEBOUNCE_MS, SIMILAR_TRACKS_SHOWN, trackAt, TRACKS_PER_PAGE } from './tracksSlice';

afterEach(() => vi.useRealTimers());

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
    expect(trackAt(store.getState().trackPages, 50_000)?.title).toBe(bridge.tracks[50_000].title);
    expect(trackAt(store.getState().trackPages, 70_000)).toBeUndefined();
  });

  it('keeps a bounded number of pages in memory', async () => {
    const { store } = createTestStore({ startScanned: true, extraTrackCount: 20_000 });
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
