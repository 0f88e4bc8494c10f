// The tracks table: a debounced search and a virtualised ARIA grid of fixed-height rows, sorted by the catalog.
// Only the rows in view (plus a few) are rendered, and only the pages of rows in view are fetched, so 100k tracks
// scroll like 100. Column headers are sort buttons (aria-sort); the grid is one tab stop and the arrow keys, Page
// Up/Down and Home/End move through the rows (roving tabindex); Enter opens the row's detail, a double-click plays it.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { TrackSortKey, TrackSummary } from '../../../src-preload/contract/library';
import { describeError } from '../../lib/errorText';
import { formatClock } from '../../lib/format';
import { movedRowIndex, scrollTopToShow } from '../../lib/gridKeys';
import { computeVirtualWindow } from '../../lib/virtualWindow';
import { trackAt } from '../../store/tracksSlice';
import { useAppStore } from '../../store/useAppStore';

export const ROW_HEIGHT_PX = 34;
const OVERSCAN_ROWS = 8;

/** The columns, in order; `sort` is the catalog key its header sorts by (none: not sortable). */
const COLUMNS: readonly { id: string; label: string; sort?: TrackSortKey; className?: string }[] = [
  { id: 'number', label: '#', className: 'num' },
  { id: 'title', label: 'Title', sort: 'title' },
  { id: 'artist', label: 'Artist', sort: 'artist' },
  { id: 'album', label: 'Album', sort: 'album' },
  { id: 'length', label: 'Length', sort: 'duration', className: 'num' },
  { id: 'format', label: 'Format', sort: 'format' },
];

export function TracksTable() {
  const searchText = useAppStore((s) => s.trackSearchText);
  const setTrackSearch = useAppStore((s) => s.setTrackSearch);
  const total = useAppStore((s) => s.trackTotal);
  const query = useAppStore((s) => s.trackQuery);
  const error = useAppStore((s) => s.tracksError);
  const filter = useAppStore((s) => s.trackFilter);
  const setTrackFilter = useAppStore((s) => s.setTrackFilter);
  const showLibraryView = useAppStore((s) => s.showLibraryView);
  const selectedRow = useAppStore((s) => s.selectedTrackRow);
  const showAllTracks = useAppStore((s) => s.showAllTracks);
  const heading = filter?.kind === 'album' ? filter.album : filter?.kind === 'artist' ? filter.artist : 'Tracks';
  return (
    <section className="card tracks-card" aria-labelledby="tracks-heading">
      <div className="tracks-head">
        {filter && (
          <button
            type="button"
            className="button-ghost"
            data-testid="tracks-filter-back"
            onClick={() => {
              setTrackFilter(null);
              showLibraryView(filter.kind === 'album' ? 'albums' : 'artists');
            }}
          >
            ← {filter.kind === 'album' ? 'Albums' : 'Artists'}
          </button>
        )}
        <h2 id="tracks-heading" className="ellipsis" data-testid="tracks-heading">
          {heading}
          {filter?.kind === 'album' && filter.albumArtist ? <span className="muted"> · {filter.albumArtist}</span> : null}
        </h2>
        <span className="muted tabular nowrap" data-testid="track-count" data-total={total ?? ''}>
          {total === null
            ? '…'
            : query
              ? `${total.toLocaleString()} matching`
              : filter
                ? `${total.toLocaleString()} tracks`
                : `${total.toLocaleString()} in the library`}
        </span>
        <input
          type="search"
          className="track-search"
          data-testid="track-search"
          placeholder="Search title, artist, album, file, format"
          aria-label="Search tracks"
          value={searchText}
          onChange={(e) => setTrackSearch(e.currentTarget.value)}
        />
      </div>
      {error && (
        <div className="alert alert-error" role="alert" data-testid="tracks-error">
          {describeError(error)}
        </div>
      )}
      {selectedRow?.row === null && (
        <div className="alert alert-warn alert-inline" role="status" data-testid="tracks-selected-missing">
          <span>
            The selected track is not in this list
            {query ? ' (the search leaves it out)' : filter ? (filter.kind === 'album' ? ' (it is not on this album)' : ' (it is by another artist)') : ''}.
          </span>{' '}
          <button type="button" className="button-link" data-testid="tracks-show-all" onClick={() => void showAllTracks()}>
            Show all tracks
          </button>
        </div>
      )}
      <TracksGrid rowCount={total ?? 0} />
    </section>
  );
}

function SortHeader() {
  const sort = useAppStore((s) => s.trackSort);
  const direction = useAppStore((s) => s.trackDirection);
  const setTrackSort = useAppStore((s) => s.setTrackSort);
  return (
    <div role="rowgroup" className="tracks-header-group">
      <div className="tracks-header-row" role="row" aria-rowindex={1}>
        {COLUMNS.map((column) => {
          const active = column.sort !== undefined && column.sort === sort;
          const ariaSort = active ? (direction === 'asc' ? 'ascending' : 'descending') : column.sort ? 'none' : undefined;
          return (
            <div key={column.id} role="columnheader" aria-sort={ariaSort} className={column.className} data-testid={`column-${column.id}`}>
              {column.sort ? (
                <button
                  type="button"
                  className={`sort-button${active ? ' active' : ''}`}
                  data-testid={`sort-${column.sort}`}
                  onClick={() => setTrackSort(column.sort!)}
                >
                  {column.label}
                  <span className="sort-arrow" aria-hidden="true">
                    {active ? (direction === 'asc' ? '▲' : '▼') : ''}
                  </span>
                </button>
              ) : (
                <span className="column-label">{column.label}</span>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function trackNumberText(track: TrackSummary): string {
  if (!track.trackNumber) return '';
  return track.discNumber && track.discNumber > 1 ? `${track.discNumber}-${String(track.trackNumber).padStart(2, '0')}` : String(track.trackNumber);
}

function TracksGrid({ rowCount }: { rowCount: number }) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const [scrollTopPx, setScrollTopPx] = useState(0);
  const [viewportHeightPx, setViewportHeightPx] = useState(400);
  /** The row that holds the grid's one tab stop (and the focus, when the grid has it). */
  const [activeRow, setActiveRow] = useState(0);
  const focusWanted = useRef(false);
  const pages = useAppStore((s) => s.trackPages);
  const generation = useAppStore((s) => s.trackGeneration);
  const resetKey = useAppStore((s) => s.trackResetKey);
  const ensureTrackRows = useAppStore((s) => s.ensureTrackRows);
  const selectedTrackId = useAppStore((s) => s.selectedTrackId);
  const selectTrack = useAppStore((s) => s.selectTrack);
  const playTrack = useAppStore((s) => s.playTrack);
  const playingId = useAppStore((s) => s.playRequest?.trackId ?? null);

  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewportHeightPx(el.clientHeight));
    observer.observe(el);
    setViewportHeightPx(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  // A new question (search, sort, filter) starts at the top.
  useEffect(() => {
    if (scrollerRef.current) scrollerRef.current.scrollTop = 0;
    setScrollTopPx(0);
    setActiveRow(0);
  }, [resetKey]);

  const win = computeVirtualWindow({ scrollTopPx, viewportHeightPx, rowHeightPx: ROW_HEIGHT_PX, rowCount, overscanRows: OVERSCAN_ROWS });

  useEffect(() => {
    ensureTrackRows(win.firstRow, win.endRow);
  }, [ensureTrackRows, win.firstRow, win.endRow, generation, pages]);

  // The selected row scrolls into view wherever it is in the list (the store found its row, loading its page when
  // it was not loaded: opened from History, a result or "More like this"), and takes the focus for keyboard users
  // unless they are typing in a field. Once per answer: a page arriving later must not yank the list back to it.
  const selectedRow = useAppStore((s) => s.selectedTrackRow);
  const handledSeq = useRef(0);
  const focusRowWanted = useRef<number | null>(null);
  useEffect(() => {
    if (!selectedRow || selectedRow.row === null || selectedRow.seq === handledSeq.current) return;
    if (selectedRow.row >= rowCount) return; // the list's length is not known yet: wait for it
    const el = scrollerRef.current;
    if (!el) return;
    handledSeq.current = selectedRow.seq;
    const row = selectedRow.row;
    setActiveRow(row);
    const top = scrollTopToShow(row, ROW_HEIGHT_PX, el.scrollTop, el.clientHeight);
    if (top !== el.scrollTop) {
      el.scrollTop = top;
      setScrollTopPx(top);
    }
    const typing = document.activeElement instanceof HTMLInputElement || document.activeElement instanceof HTMLTextAreaElement;
    if (!typing && !el.contains(document.activeElement)) focusRowWanted.current = row;
  }, [selectedRow, rowCount]);

  // After a key moved the active row: scroll it into view, then focus it once it is rendered. No dependency list on
  // purpose: a loading row is replaced when its page arrives, so it retries after every render until the real row has
  // the focus; it sets state only when the scroll position differs, so it settles.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- runs after every render by design (see above)
  useEffect(() => {
    if (focusRowWanted.current !== null && focusRowWanted.current === activeRow) {
      focusRowWanted.current = null;
      focusWanted.current = true;
    }
    if (!focusWanted.current) return;
    const el = scrollerRef.current;
    if (!el) return;
    const top = scrollTopToShow(activeRow, ROW_HEIGHT_PX, el.scrollTop, el.clientHeight);
    if (top !== el.scrollTop) {
      el.scrollTop = top;
      setScrollTopPx(top);
    }
    const row = el.querySelector<HTMLElement>(`[data-row-index="${activeRow}"]`);
    if (row) {
      row.focus({ preventScroll: true });
      // A row still loading is replaced when its page arrives: keep wanting the focus until the real row has it.
      if (row.dataset.testid !== 'track-row-loading') focusWanted.current = false;
    }
  });

  const safeActive = Math.min(activeRow, Math.max(0, rowCount - 1));
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const target = movedRowIndex(e.key, safeActive, rowCount, Math.max(1, Math.floor(viewportHeightPx / ROW_HEIGHT_PX) - 1));
    if (target !== null) {
      e.preventDefault();
      focusWanted.current = true;
      setActiveRow(target);
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      const track = trackAt(pages, safeActive);
      if (!track) return;
      e.preventDefault();
      void selectTrack(track.id);
    }
  };

  const rows = [];
  for (let index = win.firstRow; index < win.endRow; index++) {
    const track = trackAt(pages, index);
    const top = index * ROW_HEIGHT_PX;
    const tabIndex = index === safeActive ? 0 : -1;
    if (!track) {
      rows.push(
        <div
          key={`loading-${index}`}
          role="row"
          aria-rowindex={index + 2}
          aria-busy="true"
          tabIndex={tabIndex}
          className="track-row loading"
          style={{ transform: `translateY(${top}px)` }}
          data-testid="track-row-loading"
          data-row-index={index}
          onFocus={() => setActiveRow(index)}
        >
          <div role="gridcell" aria-colspan={COLUMNS.length} className="track-cell-wide">
            <span className="skeleton" aria-label="Loading" />
          </div>
        </div>,
      );
      continue;
    }
    const selected = track.id === selectedTrackId;
    rows.push(
      <div
        key={track.id}
        role="row"
        aria-rowindex={index + 2}
        aria-selected={selected}
        tabIndex={tabIndex}
        className={`track-row${selected ? ' selected' : ''}${track.id === playingId ? ' playing' : ''}`}
        style={{ transform: `translateY(${top}px)` }}
        data-testid="track-row"
        data-track-id={track.id}
        data-row-index={index}
        onFocus={() => setActiveRow(index)}
        onClick={() => {
          setActiveRow(index);
          void selectTrack(track.id);
        }}
        onDoubleClick={() => playTrack(track)}
      >
        <div role="gridcell" className="num tabular muted" data-testid="track-number">
          {trackNumberText(track)}
        </div>
        <div role="gridcell" className="ellipsis" data-testid="track-title">
          {track.title}
        </div>
        <div role="gridcell" className="ellipsis" data-testid="track-artist">
          {track.artist ?? '—'}
        </div>
        <div role="gridcell" className="ellipsis" data-testid="track-album">
          {track.album ?? '—'}
        </div>
        <div role="gridcell" className="num tabular" data-testid="track-length">
          {formatClock(track.durationSeconds)}
        </div>
        <div role="gridcell" className="muted">
          {track.format}
        </div>
      </div>,
    );
  }

  return (
    <div
      className="tracks-grid"
      role="grid"
      aria-labelledby="tracks-heading"
      aria-rowcount={rowCount + 1}
      aria-colcount={COLUMNS.length}
      data-testid="tracks-grid"
      onKeyDown={onKeyDown}
    >
      <SortHeader />
      <div ref={scrollerRef} className="tracks-scroller" data-testid="tracks-table" role="rowgroup" onScroll={(e) => setScrollTopPx(e.currentTarget.scrollTop)}>
        <div className="tracks-spacer" role="presentation" style={{ height: `${win.totalHeightPx}px` }}>
          {rows}
        </div>
        {rowCount === 0 && (
          <div className="tracks-empty muted" data-testid="tracks-empty" role="presentation">
            No tracks yet.
          </div>
        )}
      </div>
    </div>
  );
}
