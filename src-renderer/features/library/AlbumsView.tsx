// The Albums view: a grid of album tiles (cover, name, artist, tracks and length), a page at a time; a tile opens
// the album's tracks in disc and track order.
import { formatClock } from '../../lib/format';
import { useAppStore } from '../../store/useAppStore';
import { CoverImage } from './CoverImage';
import { GroupBrowseCard } from './GroupBrowseCard';

export function AlbumsView() {
  const albums = useAppStore((s) => s.albums);
  const total = useAppStore((s) => s.albumsTotal);
  const openAlbum = useAppStore((s) => s.openAlbum);
  return (
    <GroupBrowseCard
      group="albums"
      title="Albums"
      total={total}
      shown={albums.length}
      emptyText="No albums yet: tracks whose tags name an album are grouped here."
      emptyTestId="albums-empty"
    >
      <ul className="album-grid" data-testid="album-grid">
        {albums.map((album) => (
          <li key={`${album.album}\u0000${album.albumArtist ?? ''}`}>
            <button
              type="button"
              className="album-tile"
              data-testid="album-tile"
              aria-label={`${album.album}${album.albumArtist ? ` by ${album.albumArtist}` : ''}, ${album.trackCount} tracks`}
              onClick={() => openAlbum(album)}
            >
              <CoverImage trackId={album.coverTrackId} label="" className="album-cover" />
              <span className="album-name ellipsis" data-testid="album-name">
                {album.album}
              </span>
              <span className="muted small ellipsis">{album.albumArtist ?? 'Unknown artist'}</span>
              <span className="muted small tabular">
                {album.trackCount} {album.trackCount === 1 ? 'track' : 'tracks'} · {formatClock(album.durationSeconds)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </GroupBrowseCard>
  );
}
