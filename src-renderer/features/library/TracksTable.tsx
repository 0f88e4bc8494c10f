// The tracks table: a debounced search and a virtualised list of fixed-height rows. Only the rows in view (plus a
// few) are rendered, and only the pages of rows in view are fetched, so 100k tracks scroll like 100.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { formatClock } from '../../lib/format';
import { computeVirtualWindow } from '../../lib/virtualWindow';
import { trackAt } from '../../store/tracksSlice';
import { useAppStore } from '../../store/useAppStore';
import { describeError } from '../../lib/errorText';

export const ROW_HEIGHT_PX = 34;
const OVERSCAN_ROWS = 8;

export function TracksTable() {
  const searchText = useAppStore((s) => s.trackSearchText);
  const setTrackSearch = useAppStore((s) => s.setTrackSearch);
  const total = useAppStore((s) => s.trackTotal);
  const query = useAppStore((s) => s.trackQuery);
  const error = useAppStore((s) => s.tracksError);
  return (
    <section className="card tracks-card" aria-labelledby="tracks-heading">
      <div className="tracks-head">
        <h2 id="tracks-heading">Tracks</h2>
        <span className="muted tabular" data-testid="track-count" data-total={total ?? ''}>
          {total === null ? '…' : query ? `${total.toLocaleString()} matching` : `${total.toLocaleString()} in the library`}
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
      <div className="tracks-header-row" role="row">
        <span>Title</span>
        <span>Artist</span>
        <span>Album</span>
        <span className="num">Length</span>
        <span>Format</span>
      </div>
      <VirtualRows rowCount={total ?? 0} />
    </section>
  );
}

function VirtualRows({ rowCount }: { rowCount: number }) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const [scrollTopPx, setScrollTopPx] = useState(0);
  const [viewportHeightPx, setViewportHeightPx] = useState(400);
  const pages = useAppStore((s) => s.trackPages);
  const generation = useAppStore((s) => s.trackGeneration);
  const ensureTrackRows = useAppStore((s) => s.ensureTrackRows);
  const selectedTrackId = useAppStore((s) => s.selectedTrackId);
  const selectTrack = useAppStore((s) => s.selectTrack);

  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewportHeightPx(el.clientHeight));
    observer.observe(el);
    setViewportHeightPx(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  // A new query starts at the top.
  useEffect(() => {
    if (scrollerRef.current) scrollerRef.current.scrollTop = 0;
    setScrollTopPx(0);
  }, [generation]);

  const win = computeVirtualWindow({ scrollTopPx, viewportHeightPx, rowHeightPx: ROW_HEIGHT_PX, rowCount, overscanRows: OVERSCAN_ROWS });

  useEffect(() => {
    ensureTrackRows(win.firstRow, win.endRow);
  }, [ensureTrackRows, win.firstRow, win.endRow, generation, pages]);

  const rows = [];
  for (let index = win.firstRow; index < win.endRow; index++) {
    const track = trackAt(pages, index);
    const top = index * ROW_HEIGHT_PX;
    if (!track) {
      rows.push(
        <div key={`loading-${index}`} className="track-row loading" style={{ transform: `translateY(${top}px)` }} data-testid="track-row-loading">
          <span className="skeleton" />
        </div>,
      );
      continue;
    }
    const selected = track.id === selectedTrackId;
    rows.push(
      <div
        key={track.id}
        role="row"
        tabIndex={0}
        aria-selected={selected}
        className={`track-row${selected ? ' selected' : ''}`}
        style={{ transform: `translateY(${top}px)` }}
        data-testid="track-row"
        data-track-id={track.id}
        data-row-index={index}
        onClick={() => void selectTrack(track.id)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void selectTrack(track.id);
        }}
      >
        <span className="ellipsis" data-testid="track-title">
          {track.title}
        </span>
        <span className="ellipsis">{track.artist ?? '—'}</span>
        <span className="ellipsis">{track.album ?? '—'}</span>
        <span className="num tabular">{formatClock(track.durationSeconds)}</span>
        <span className="muted">{track.format}</span>
      </div>,
    );
  }

  return (
    <div
      ref={scrollerRef}
      className="tracks-scroller"
      data-testid="tracks-table"
      role="table"
      aria-rowcount={rowCount}
      style={{ height: `${Math.max(4, rowCount) * ROW_HEIGHT_PX + 2}px` }}
      onScroll={(e) => setScrollTopPx(e.currentTarget.scrollTop)}
    >
      <div className="tracks-spacer" style={{ height: `${win.totalHeightPx}px` }}>
        {rows}
      </div>
      {rowCount === 0 && (
        <div className="tracks-empty muted" data-testid="tracks-empty">
          No tracks yet.
        </div>
      )}
    </div>
  );
}
