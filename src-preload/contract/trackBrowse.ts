// The fakes' library browsing, as the real catalog browses (src-main/engine/catalog/catalog.ts, migration 0060):
// the sort whitelist (TRACK_SORT_KEYS, each key's tiebreaks, descending = the exact reverse), the artist and album
// filters, and the Albums and Artists groupings. Pure, and imports only types, so the fake library (fake/fakeLibrary.ts)
// browses with it; catalogBrowse.test.ts holds it and the real catalog to the same answers.
import type { AlbumSummary, ArtistSummary, SortDirection, TrackId, TrackSortKey } from './library.js';

export interface BrowsableTrack {
  readonly id: TrackId;
  readonly title: string;
  readonly artist: string | null;
  readonly album: string | null;
  readonly albumArtist?: string | null;
  readonly discNumber?: number | null;
  readonly trackNumber?: number | null;
  readonly durationSeconds: number;
  readonly format: string;
  /** The order the tracks entered the library: an ISO timestamp, or the list position when absent. */
  readonly ingestedAt?: string;
}

export interface BrowseFilter {
  readonly artist?: string;
  readonly album?: string;
  readonly albumArtist?: string | null;
}

type Key = string | number | null;

/** SQLite's NOCASE: ASCII letters folded, everything else compared as is. */
function nocase(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : value.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** SQL order: NULL first, then numbers, then text. */
function compareKey(a: Key, b: Key): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function sortKeys(track: BrowsableTrack, sort: TrackSortKey, position: number): Key[] {
  const artist = nocase(track.artist);
  const title = nocase(track.title);
  switch (sort) {
    case 'artist':
      return [artist, title, position];
    case 'title':
      return [title, artist, position];
    case 'album':
      return [nocase(track.album), track.discNumber ?? null, track.trackNumber ?? null, title, position];
    case 'duration':
      return [track.durationSeconds, position];
    case 'format':
      return [track.format, artist, title, position];
    case 'added':
      return [track.ingestedAt ?? null, position];
  }
}

/** The album-artist key albums group by: the album artist, else the artist, else ''. */
export function albumArtistKey(track: BrowsableTrack): string {
  return track.albumArtist ?? track.artist ?? '';
}

export function matchesBrowseFilter(track: BrowsableTrack, filter: BrowseFilter): boolean {
  if (filter.artist !== undefined && nocase(track.artist) !== nocase(filter.artist)) return false;
  if (filter.album !== undefined) {
    if (nocase(track.album) !== nocase(filter.album)) return false;
    if (filter.albumArtist !== undefined && nocase(albumArtistKey(track)) !== nocase(filter.albumArtist ?? '')) return false;
  }
  return true;
}

/** The tracks in catalog order for `sort`/`direction`; the list position stands for the catalog's track number. */
export function sortTracks<T extends BrowsableTrack>(tracks: readonly T[], sort: TrackSortKey = 'artist', direction: SortDirection = 'asc'): T[] {
  const keyed = tracks.map((track, position) => ({ track, keys: sortKeys(track, sort, position) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < a.keys.length; i++) {
      const c = compareKey(a.keys[i], b.keys[i]);
      if (c !== 0) return direction === 'asc' ? c : -c;
    }
    return 0;
  });
  return keyed.map((k) => k.track);
}

/** The Albums view: by album name, then album-artist key, each with its first track by disc and track number. */
export function groupAlbums(tracks: readonly BrowsableTrack[]): AlbumSummary[] {
  const groups = new Map<string, BrowsableTrack[]>();
  for (const track of tracks) {
    if (track.album === null) continue;
    const key = `${nocase(track.album)}\u0000${nocase(albumArtistKey(track))}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(track);
  }
  const albums = [...groups.values()].map((group) => {
    const first = sortTracks(group, 'album')[0];
    const artistKey = albumArtistKey(group[0]);
    return {
      album: group[0].album!,
      albumArtist: artistKey === '' ? null : artistKey,
      trackCount: group.length,
      durationSeconds: group.reduce((sum, t) => sum + t.durationSeconds, 0),
      coverTrackId: first.id,
    };
  });
  return albums.sort((a, b) => compareKey(nocase(a.album), nocase(b.album)) || compareKey(nocase(a.albumArtist ?? ''), nocase(b.albumArtist ?? '')));
}

/** The Artists view: by name, with track and album counts and the first track of the first album. */
export function groupArtists(tracks: readonly BrowsableTrack[]): ArtistSummary[] {
  const groups = new Map<string, BrowsableTrack[]>();
  for (const track of tracks) {
    if (track.artist === null) continue;
    const key = nocase(track.artist)!;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(track);
  }
  const artists = [...groups.values()].map((group) => {
    const withAlbum = group.filter((t) => t.album !== null);
    const first = withAlbum.length > 0 ? sortTracks(withAlbum, 'album')[0] : group[0];
    return {
      artist: group[0].artist!,
      trackCount: group.length,
      albumCount: new Set(withAlbum.map((t) => nocase(t.album))).size,
      coverTrackId: first.id,
    };
  });
  return artists.sort((a, b) => compareKey(nocase(a.artist), nocase(b.artist)));
}

/** What a fake's listing answers to: listTracks' question without its page. */
export interface BrowseListingQuery extends BrowseFilter {
  readonly sort?: TrackSortKey;
  readonly direction?: SortDirection;
}

/**
 * A fake's listing for a question, already narrowed by its search: filtered by artist or album, then in catalog
 * order, by artist when no sort is given (as the catalog; the conformance script, libraryConformance.ts, checks it).
 */
export function browseListing<T extends BrowsableTrack>(searched: readonly T[], query: BrowseListingQuery): T[] {
  return sortTracks(
    searched.filter((t) => matchesBrowseFilter(t, query)),
    query.sort,
    query.direction,
  );
}

/** trackPosition for the fakes: the track's 0-based row in the listing, null when it is not in it. */
export function positionInListing(listing: readonly BrowsableTrack[], trackId: TrackId): number | null {
  const index = listing.findIndex((t) => t.id === trackId);
  return index < 0 ? null : index;
}
