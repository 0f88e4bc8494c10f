// A History entry reopened: when and how often it was identified, its stored result in the same view Listen shows
// (Play from here, More like this, the other matches, Sounds like), "Open track" (the Library with the track
// selected), Delete and Close. Entries kept before results were stored show their one-line summary instead.
import { useEffect, useRef } from 'react';
import { describeError } from '../../lib/errorText';
import { formatDateTime } from '../../lib/format';
import { outcomeOfHistory } from '../../store/historySlice';
import { useAppStore } from '../../store/useAppStore';
import { OutcomeView } from '../listen/ResultPanel';
import { PlayFromHere } from '../listen/PlayFromHere';
import { EntrySummary } from './EntrySummary';

export function HistoryEntryPanel() {
  const openId = useAppStore((s) => s.historyOpenId);
  const detail = useAppStore((s) => s.historyDetail);
  const error = useAppStore((s) => s.historyDetailError);
  const close = useAppStore((s) => s.closeHistoryEntry);
  const openTrack = useAppStore((s) => s.openTrack);
  const deleteEntries = useAppStore((s) => s.deleteHistoryEntries);
  const panelRef = useRef<HTMLElement>(null);

  // On a narrow window the panel sits above the list: bring it into view when an entry is opened.
  useEffect(() => {
    if (openId !== null) panelRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [openId]);

  if (openId === null) {
    return (
      <div className="card history-detail-empty muted" data-testid="history-detail-empty">
        Choose an entry to see its result again, play it or open the track.
      </div>
    );
  }
  const entry = detail?.entry;
  const outcome = detail ? outcomeOfHistory(detail) : null;
  const track = entry?.match ?? entry?.soundsLike ?? null;
  // The full result has its own Play from here (on the exact match); otherwise the panel offers one.
  const resultPlays = (outcome?.result?.exact.length ?? 0) > 0;
  return (
    <section className="history-detail" ref={panelRef} aria-labelledby="history-detail-heading" data-testid="history-detail" data-entry-id={openId}>
      <div className="card history-detail-head">
        <h2 id="history-detail-heading">{entry ? `Identified ${formatDateTime(entry.at)}` : 'History entry'}</h2>
        {entry && entry.count > 1 && (
          <p className="muted" data-testid="history-detail-count">
            {entry.count} times, first on {formatDateTime(entry.firstAt)}
          </p>
        )}
        {error && (
          <div className="alert alert-error" role="alert" data-testid="history-detail-error">
            {describeError(error)}
          </div>
        )}
        {!detail && !error && <p className="muted">Loading…</p>}
        <div className="button-row history-detail-actions">
          {track && (
            <button type="button" className="button-ghost" data-testid="history-open-track" onClick={() => void openTrack(track.trackId)}>
              Open track
            </button>
          )}
          {entry && (
            <button type="button" className="button-ghost" data-testid="history-detail-delete" onClick={() => void deleteEntries([entry.id])}>
              Delete
            </button>
          )}
          <button type="button" className="button-ghost" data-testid="history-detail-close" onClick={close}>
            Close
          </button>
        </div>
        {track && !resultPlays && (
          <PlayFromHere trackId={track.trackId} offsetSeconds={entry?.match?.offsetSeconds ?? 0} speedFactor={1} clipStartedAtMs={null} />
        )}
        {entry && !outcome && (
          <p data-testid="history-detail-summary">
            <EntrySummary entry={entry} />
            <br />
            <span className="muted small">The full result of this entry was not kept (it is older than this version of the app).</span>
          </p>
        )}
      </div>
      {outcome && <OutcomeView outcome={outcome} />}
    </section>
  );
}
