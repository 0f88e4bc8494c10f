// The Library screen: folders (add, remove), the scan's progress and the files that failed to index on the side;
// the Tracks / Albums / Artists views in the middle; the selected track's detail with "More like this" beside the
// list (a drawer on narrow windows).
import type { LibraryView } from '../../store/browseSlice';
import { useAppStore } from '../../store/useAppStore';
import { AlbumsView } from './AlbumsView';
import { ArtistsView } from './ArtistsView';
import { FailedFilesPanel } from './FailedFilesPanel';
import { FoldersPanel } from './FoldersPanel';
import { ScanPanel } from './ScanPanel';
import { TrackDetailPanel } from './TrackDetailPanel';
import { TracksTable } from './TracksTable';

const VIEWS: readonly [LibraryView, string][] = [
  ['tracks', 'Tracks'],
  ['albums', 'Albums'],
  ['artists', 'Artists'],
];

export function LibraryScreen() {
  const view = useAppStore((s) => s.libraryView);
  const showLibraryView = useAppStore((s) => s.showLibraryView);
  const hasDetail = useAppStore((s) => s.selectedTrackId !== null && s.libraryView === 'tracks');
  return (
    <div className={`library-layout${hasDetail ? ' with-detail' : ''}`}>
      <div className="library-side">
        <FoldersPanel />
        <ScanPanel />
        <FailedFilesPanel />
      </div>
      <div className="library-main">
        <div className="view-switch" role="group" aria-label="Browse by">
          {VIEWS.map(([id, label]) => (
            <button
              key={id}
              type="button"
              className={`view-tab${view === id ? ' active' : ''}`}
              aria-pressed={view === id}
              data-testid={`view-${id}`}
              onClick={() => showLibraryView(id)}
            >
              {label}
            </button>
          ))}
        </div>
        {view === 'tracks' && <TracksTable />}
        {view === 'albums' && <AlbumsView />}
        {view === 'artists' && <ArtistsView />}
      </div>
      {hasDetail && <TrackDetailPanel />}
    </div>
  );
}
