// The Library's views (Tracks, Albums, Artists) and the pages of albums and artists the catalog groups. Opening an
// album or an artist narrows the tracks list to it (tracksSlice's filter) and shows the Tracks view.
import type { AlbumSummary, AppErrorInfo, ArtistSummary } from '../../src-preload/contract/library';
import type { SliceCreator } from './types';

export type LibraryView = 'tracks' | 'albums' | 'artists';
/** Albums or artists read per "Show more". */
export const GROUPS_PER_PAGE = 120;

export interface BrowseSlice {
  libraryView: LibraryView;
  albums: readonly AlbumSummary[];
  albumsTotal: number | null;
  artists: readonly ArtistSummary[];
  artistsTotal: number | null;
  browseError: AppErrorInfo | null;
  showLibraryView: (view: LibraryView) => void;
  /** Reads the first page of the view's groups again (on showing it, and after a library change). */
  loadGroups: (view: 'albums' | 'artists') => Promise<void>;
  /** Appends the next page. */
  loadMoreGroups: (view: 'albums' | 'artists') => Promise<void>;
  openAlbum: (album: AlbumSummary) => void;
  openArtist: (artist: ArtistSummary) => void;
}

export const createBrowseSlice: SliceCreator<BrowseSlice> = (deps) => (set, get) => {
  /** Answers for an older load of the same view are dropped. */
  const generation = { albums: 0, artists: 0 };

  async function readPage(view: 'albums' | 'artists', page: number, append: boolean): Promise<void> {
    const mine = ++generation[view];
    const query = { page, perPage: GROUPS_PER_PAGE };
    const result = view === 'albums' ? await deps.bridge.listAlbums(query) : await deps.bridge.listArtists(query);
    if (generation[view] !== mine) return;
    if (!result.ok) {
      set({ browseError: result.error });
      return;
    }
    if (view === 'albums') {
      const items = result.value.items as readonly AlbumSummary[];
      set({ albums: append ? [...get().albums, ...items] : items, albumsTotal: result.value.total, browseError: null });
    } else {
      const items = result.value.items as readonly ArtistSummary[];
      set({ artists: append ? [...get().artists, ...items] : items, artistsTotal: result.value.total, browseError: null });
    }
  }

  return {
    libraryView: 'tracks',
    albums: [],
    albumsTotal: null,
    artists: [],
    artistsTotal: null,
    browseError: null,

    showLibraryView: (view) => {
      set({ libraryView: view });
      if (view === 'albums' || view === 'artists') void get().loadGroups(view);
      else if (get().trackFilter) get().setTrackFilter(null);
    },

    loadGroups: (view) => readPage(view, 1, false),

    loadMoreGroups: (view) => {
      const loaded = view === 'albums' ? get().albums.length : get().artists.length;
      return readPage(view, Math.floor(loaded / GROUPS_PER_PAGE) + 1, true);
    },

    openAlbum: (album) => {
      set({ libraryView: 'tracks' });
      get().setTrackFilter({ kind: 'album', album: album.album, albumArtist: album.albumArtist });
    },

    openArtist: (artist) => {
      set({ libraryView: 'tracks' });
      get().setTrackFilter({ kind: 'artist', artist: artist.artist });
    },
  };
};
