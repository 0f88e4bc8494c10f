// The Artists view: each track artist with a cover from their first album, album and track counts, a page at a time;
// a click lists the artist's tracks album by album.
import { describeError } from '../../lib/errorText';
import { useAppStore } from '../../store/useAppStore';
import { CoverImage } from './CoverImage';

export function ArtistsView() {
  const artists = useAppStore((s) => s.artists);
  const total = useAppStore((s) => s.artistsTotal);
  const error = useAppStore((s) => s.browseError);
  const openArtist = useAppStore((s) => s.openArtist);
  const loadMore = useAppStore((s) => s.loadMoreGroups);
  return (
    <section className="card browse-card" aria-labelledby="artists-heading">
      <div className="tracks-head">
        <h2 id="artists-heading">Artists</h2>
        <span className="muted tabular" data-testid="artist-count">
          {total === null ? '…' : `${total.toLocaleString()} artists`}
        </span>
      </div>
      {error && (
        <div className="alert alert-error" role="alert">
          {describeError(error)}
        </div>
      )}
      {total === 0 && <p className="muted">No artists yet: tracks whose tags name an artist are grouped here.</p>}
      <ul className="artist-list" data-testid="artist-list">
        {artists.map((artist) => (
          <li key={artist.artist}>
            <button type="button" className="artist-item" data-testid="artist-item" onClick={() => openArtist(artist)}>
              <CoverImage trackId={artist.coverTrackId} label="" className="artist-cover" />
              <span className="artist-text">
                <span className="artist-name ellipsis" data-testid="artist-name">
                  {artist.artist}
                </span>
                <span className="muted small">
                  {artist.albumCount} {artist.albumCount === 1 ? 'album' : 'albums'} · {artist.trackCount} {artist.trackCount === 1 ? 'track' : 'tracks'}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      {total !== null && artists.length < total && (
        <button type="button" className="button-ghost" data-testid="artists-more" onClick={() => void loadMore('artists')}>
          Show more artists
        </button>
      )}
    </section>
  );
}
