// The library read as the page asks for it: a page of tracks (searched, sorted, filtered) and where a track stands in
// one, pages of albums, artists and failed files, a track with whether its file is still there, its artwork. Reads
// the catalog (and a track's file for its picture); the service's thread.
import { existsSync } from 'node:fs';
import type { Artwork, Page, PageQuery, TrackPositionQuery, TrackQuery } from '../../../src-preload/contract/api.js';
import type { AlbumSummary, ArtistSummary, FailedFile, TrackDetail, TrackPage } from '../../../src-preload/contract/library.js';
import { readFolderCover } from '../audio/folderCover.js';
import { readArtwork } from '../audio/readTags.js';
import { toFailedFile, type Catalog } from '../catalog/catalog.js';
import type { LibraryEngine } from '../libraryEngine.js';

const DEFAULT_PER_PAGE = 50;

export function tracksPage(library: LibraryEngine, query: TrackQuery | undefined): TrackPage {
  const { page = 1, perPage = DEFAULT_PER_PAGE } = query ?? {};
  return library.listTracks({ ...listingOf(query ?? {}), page, perPage });
}

export function trackPosition(catalog: Catalog, query: TrackPositionQuery): number | null {
  return catalog.trackPosition({ trackId: query.trackId, ...listingOf(query) });
}

export function albumsPage(catalog: Catalog, query: PageQuery | undefined): Page<AlbumSummary> {
  const { page = 1, perPage = DEFAULT_PER_PAGE } = query ?? {};
  return { ...catalog.listAlbums({ page, perPage }), page, perPage };
}

export function artistsPage(catalog: Catalog, query: PageQuery | undefined): Page<ArtistSummary> {
  const { page = 1, perPage = DEFAULT_PER_PAGE } = query ?? {};
  return { ...catalog.listArtists({ page, perPage }), page, perPage };
}

/** Files that could not be read, newest first. */
export function failedFilesPage(catalog: Catalog, query: PageQuery | undefined): Page<FailedFile> {
  const { page = 1, perPage = DEFAULT_PER_PAGE } = query ?? {};
  const items = catalog.listFailedFiles(perPage, (page - 1) * perPage).map(toFailedFile);
  return { items, total: catalog.countFilesByStatus().failed, page, perPage };
}

/** A track's details, saying whether its file is missing (so the page can say where it was). */
export function trackDetail(library: LibraryEngine, trackId: string): TrackDetail {
  const track = library.getTrack(trackId);
  return { ...track, fileMissing: !existsSync(track.filePath) };
}

/** The picture in the track's tags, else the cover image in its folder, else null. */
export async function trackArtwork(library: LibraryEngine, trackId: string): Promise<Artwork | null> {
  const track = library.getTrack(trackId);
  const art = (await readArtwork(track.filePath).catch(() => null)) ?? (await readFolderCover(track.filePath));
  return art ? { mimeType: art.mime, bytes: art.data } : null;
}

/** The contract's listing (search, sort, direction, filters) as the catalog takes it: absent keys stay absent. */
function listingOf(query: Omit<TrackQuery, 'page' | 'perPage'>): Omit<TrackQuery, 'page' | 'perPage'> {
  const { search, sort, direction, artist, album, albumArtist } = query;
  return {
    search: search || undefined,
    ...(sort !== undefined ? { sort } : {}),
    ...(direction !== undefined ? { direction } : {}),
    ...(artist !== undefined ? { artist } : {}),
    ...(album !== undefined ? { album } : {}),
    ...(album !== undefined && albumArtist !== undefined ? { albumArtist } : {}),
  };
}
