// Browsing the library from the store, against the fake bridge (which browses as the catalog does): sorting by a
// column (a new column ascending, the same one again descending), Albums and Artists pages, opening an album (album
// order, the list back at the top), a library change that keeps the rows in place, the shared player, first run.
import { describe, expect, it, vi } from 'vitest';
import type { TrackQuery } from '../../src-preload/contract/api';
import { showsWelcome } from '../features/welcome/firstRun';
import { createTestStore } from './testDeps';
import { trackAt } from './tracksSlice';

const listCalls = (calls: { method: string; args: unknown[] }[]) => calls.filter((c) => c.method === 'listTracks').map((c) => c.args[0] as TrackQuery);
const titles = (store: ReturnType<typeof createTestStore>['store']) => (store.getState().trackPages[1] ?? []).map((t) => t.title);

describe('sorting', () => {
  it('asks the catalog for the column, flips the direction on a second click, and starts over at the top', async () => {
    const { store, bridge } = createTestStore({ startScanned: true });
    await store.getState().reloadTracks();
    const resetKey = store.getState().trackResetKey;
    store.getState().setTrackSort('title');
    await vi.waitFor(() => expect(titles(store)).toEqual(['Alpha', 'Beta', 'Delta', 'Gamma']));
    expect(store.getState().trackResetKey).toBe(resetKey + 1);
    expect(listCalls(bridge.calls).at(-1)).toMatchObject({ page: 1, sort: 'title', direction: 'asc' });
    store.getState().setTrackSort('title');
    await vi.waitFor(() => expect(titles(store)).toEqual(['Gamma', 'Delta', 'Beta', 'Alpha']));
    expect(store.getState().trackDirection).toBe('desc');
    store.getState().setTrackSort('duration');
    await vi.waitFor(() => expect(listCalls(bridge.calls).at(-1)).toMatchObject({ sort: 'duration', direction: 'asc' }));
  });
});

describe('albums and artists', () => {
  it('lists albums, and opening one lists its tracks in album order; going back lists the library', async () => {
    const { store, bridge } = createTestStore({ startScanned: true });
    store.getState().showLibraryView('albums');
    await vi.waitFor(() => expect(store.getState().albumsTotal).toBe(1));
    const [album] = store.getState().albums;
    expect(album).toMatchObject({ album: 'First Light', albumArtist: 'The Synthetics', trackCount: 2 });
    store.getState().openAlbum(album);
    expect(store.getState().libraryView).toBe('tracks');
    await vi.waitFor(() => expect(titles(store)).toEqual(['Alpha', 'Beta']));
    expect(listCalls(bridge.calls).at(-1)).toMatchObject({ album: 'First Light', albumArtist: 'The Synthetics', sort: 'album' });
    expect(store.getState().trackTotal).toBe(2);

    store.getState().showLibraryView('artists');
    await vi.waitFor(() => expect(store.getState().artists.map((a) => a.artist)).toEqual(['Solo Voice', 'The Synthetics']));
    store.getState().openArtist(store.getState().artists[0]);
    await vi.waitFor(() => expect(titles(store)).toEqual(['Gamma']));

    store.getState().showLibraryView('tracks');
    await vi.waitFor(() => expect(store.getState().trackTotal).toBe(4));
    expect(store.getState().trackFilter).toBeNull();
  });
});

describe('a library change', () => {
  it('re-reads the rows in view where they are, showing the old ones meanwhile (no jump to the top)', async () => {
    const { store, bridge } = createTestStore({ startScanned: true, extraTrackCount: 500, latencyMs: 20 });
    await store.getState().reloadTracks();
    store.getState().ensureTrackRows(300, 340);
    await vi.waitFor(() => expect(store.getState().trackPages[4]).toBeDefined());
    const resetKey = store.getState().trackResetKey;
    const reload = store.getState().reloadTracks();
    // The old rows stay while page 1 is read again.
    expect(trackAt(store.getState().trackPages, 320)).toBeDefined();
    await reload;
    expect(store.getState().trackResetKey).toBe(resetKey);
    bridge.calls.length = 0;
    store.getState().ensureTrackRows(300, 340); // the table asks again for the rows in view: their page is stale
    await vi.waitFor(() => expect(listCalls(bridge.calls).map((q) => q.page)).toEqual([4]));
  });
});

describe('the player', () => {
  it('one request at a time; a new request replaces the track; Play from here starts in sync', () => {
    const { store, bridge } = createTestStore({ startScanned: true });
    const [a, b] = bridge.tracks;
    store.getState().playTrack(a);
    const first = store.getState().playRequest!;
    expect(first).toMatchObject({ trackId: a.id, title: a.title, start: { kind: 'at', seconds: 0 } });
    expect(store.getState().playerState).toBe('loading');
    store.getState().playTrack({ id: b.id }, { kind: 'sync', offsetSeconds: 60, speedFactor: 1.02, clipStartedAtMs: 1000 });
    expect(store.getState().playRequest).toMatchObject({ serial: first.serial + 1, trackId: b.id, title: null });
    store.getState().setPlayerState('error', 'The file is missing.');
    expect(store.getState().playerError).toBe('The file is missing.');
    store.getState().closePlayer();
    expect(store.getState().playRequest).toBeNull();
  });
});

describe('first run', () => {
  it('opens on the welcome while the library has no folder and no track, and not once Listen started', async () => {
    const empty = createTestStore();
    expect(showsWelcome(empty.store.getState())).toBe(false); // nothing known yet: no flash of the welcome
    await Promise.all([empty.store.getState().loadStatus(), empty.store.getState().loadFolders()]);
    expect(showsWelcome(empty.store.getState())).toBe(true);
    empty.store.getState().showScreen('library');
    expect(showsWelcome(empty.store.getState())).toBe(false);
    empty.store.getState().showScreen('listen');
    void empty.store.getState().startListening();
    await vi.waitFor(() => expect(empty.store.getState().listen.phase).not.toBe('idle'));
    expect(showsWelcome(empty.store.getState())).toBe(false);
    empty.store.getState().stopListening();

    const scanned = createTestStore({ startScanned: true });
    await Promise.all([scanned.store.getState().loadStatus(), scanned.store.getState().loadFolders()]);
    expect(showsWelcome(scanned.store.getState())).toBe(false);
  });
});
