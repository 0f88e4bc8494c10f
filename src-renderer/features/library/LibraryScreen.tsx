// The Library screen: folders (add, remove), the scan's progress, the tracks table with search and the selected
// track's detail, and the files that failed to index.
import { FailedFilesPanel } from './FailedFilesPanel';
import { FoldersPanel } from './FoldersPanel';
import { ScanPanel } from './ScanPanel';
import { TrackDetailPanel } from './TrackDetailPanel';
import { TracksTable } from './TracksTable';

export function LibraryScreen() {
  return (
    <div className="library-layout">
      <div className="library-side">
        <FoldersPanel />
        <ScanPanel />
        <FailedFilesPanel />
      </div>
      <div className="library-main">
        <TracksTable />
        <TrackDetailPanel />
      </div>
    </div>
  );
}
