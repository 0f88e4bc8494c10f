// History: every identification, newest first (time, source, result, "sounds like" or "not in library"), paged,
// and clearing it.
import { useEffect, useTransition } from 'react';
import { describeError } from '../../lib/errorText';
import { formatClock, formatDateTime, formatPercent } from '../../lib/format';
import { useAppStore } from '../../store/useAppStore';

export function HistoryScreen() {
  const entries = useAppStore((s) => s.historyEntries);
  const total = useAppStore((s) => s.historyTotal);
  const error = useAppStore((s) => s.historyError);
  const loading = useAppStore((s) => s.historyLoading);
  const loadHistory = useAppStore((s) => s.loadHistory);
  const loadMoreHistory = useAppStore((s) => s.loadMoreHistory);
  const clearHistory = useAppStore((s) => s.clearHistory);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);

  return (
    <section className="card history-card" aria-labelledby="history-heading">
      <div className="history-head">
        <h2 id="history-heading">History</h2>
        <span className="muted" data-testid="history-count">
          {total === null ? '…' : `${total.toLocaleString()} identifications`}
        </span>
        <button
          type="button"
          className="button-ghost"
          data-testid="history-clear"
          disabled={pending || !entries.length}
          onClick={() => {
            if (window.confirm('Clear the whole history?')) startTransition(() => clearHistory());
          }}
        >
          Clear history
        </button>
      </div>
      {error && (
        <div className="alert alert-error" role="alert">
          {describeError(error)}
        </div>
      )}
      {total === 0 && (
        <p className="muted" data-testid="history-empty">
          Nothing yet: every Listen and every dropped file is kept here.
        </p>
      )}
      <ol className="history-list" data-testid="history-list">
        {entries.map((entry) => (
          <li key={entry.id} className="history-entry" data-testid="history-entry" data-source={entry.source} data-matched={entry.match !== null}>
            <span className="history-time muted small tabular">{formatDateTime(entry.at)}</span>
            <span className={`chip history-source source-${entry.source}`}>{entry.source === 'mic' ? 'Microphone' : 'File'}</span>
            <span className="history-result">
              {entry.match ? (
                <>
                  <strong>{entry.match.title}</strong>
                  {entry.match.artist ? ` · ${entry.match.artist}` : ''}
                  <span className="muted">
                    {' '}
                    at {formatClock(entry.match.offsetSeconds)} · {formatPercent(entry.match.confidence)}
                  </span>
                </>
              ) : entry.soundsLike ? (
                <span data-testid="history-sounds-like">
                  {entry.mode === 'vibe' ? 'sounds like ' : <span className="muted">not in library · sounds like </span>}
                  <strong>{entry.soundsLike.title}</strong>
                  {entry.soundsLike.artist ? ` · ${entry.soundsLike.artist}` : ''}
                  <span className="muted"> · {formatPercent(entry.soundsLike.similarity)} similar</span>
                </span>
              ) : (
                <span className="muted">not in library</span>
              )}
              {entry.clipName && <span className="muted small"> — {entry.clipName}</span>}
            </span>
          </li>
        ))}
      </ol>
      {total !== null && entries.length < total && (
        <button type="button" className="button-ghost" data-testid="history-more" disabled={loading} onClick={() => void loadMoreHistory()}>
          Show older
        </button>
      )}
    </section>
  );
}
