// The Artists view: each track artist with a cover from their first album, album and track counts, a page at a time;
// a click lists the artist's tracks album by album.
import { useAppStore } from '../../store/useAppStore';
import { CoverImage } from './CoverImage';
import { GroupBrowseCard } from './GroupBrowseCard';

export function ArtistsView() {
  const artists = useAppStore((s) => s.artists);
  const total = useAppStore((s) => s.artistsTotal);
  const openArtist = useAppStore((s) => s.openArtist);
  return (
    <GroupBrowseCard
      group="artists"
      title="Artists"
      total={total}
      shown={artists.length}
      emptyText="No artists yet: tracks whose tags name an artist are grouped here."
    >
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
    </GroupBrowseCard>
  );
}
