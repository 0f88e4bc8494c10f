// The Albums view: a grid of album tiles (cover, name, artist, tracks and length), a page at a time; a tile opens
// the album's tracks in disc and track order.
import { formatClock } from '../../lib/format';
import { describeError } from '../../lib/errorText';
import { useAppStore } from '../../store/useAppStore';
import { CoverImage } from './CoverImage';

export function AlbumsView() {
  const albums = useAppStore((s) => s.albums);
  const total = useAppStore((s) => s.albumsTotal);
  const error = useAppStore((s) => s.browseError);
  const openAlbum = useAppStore((s) => s.openAlbum);
  const loadMore = useAppStore((s) => s.loadMoreGroups);
  return (
    <section className="card browse-card" aria-labelledby="albums-heading">
      <div className="tracks-head">
        <h2 id="albums-heading">Albums</h2>
        <span className="muted tabular" data-testid="album-count">
          {total === null ? '…' : `${total.toLocaleString()} albums`}
        </span>
      </div>
      {error && (
        <div className="alert alert-error" role="alert">
          {describeError(error)}
        </div>
      )}
      {total === 0 && (
        <p className="muted" data-testid="albums-empty">
          No albums yet: tracks whose tags name an album are grouped here.
        </p>
      )}
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
      {total !== null && albums.length < total && (
        <button type="button" className="button-ghost" data-testid="albums-more" onClick={() => void loadMore('albums')}>
          Show more albums
        </button>
      )}
    </section>
  );
}
