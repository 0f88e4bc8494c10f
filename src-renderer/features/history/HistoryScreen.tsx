// History: every identification, newest first, under day headings ("Today", "Yesterday", then dates), searchable,
// each entry with its count when the same file came back ("×3"). Clicking an entry reopens its result beside the
// list; entries can be deleted one by one or all at once (after a confirmation); the list (or what a search found)
// exports as CSV or JSON.
import { useEffect, useState, useTransition } from 'react';
import type { HistoryEntry, HistoryExportFormat } from '../../../src-preload/contract/api';
import { describeError } from '../../lib/errorText';
import { formatDateTime } from '../../lib/format';
import { saveTextFile } from '../../lib/saveTextFile';
import { useAppStore } from '../../store/useAppStore';
import { EntrySummary, entryName } from './EntrySummary';
import { HistoryEntryPanel } from './HistoryEntryPanel';
import { formatTimeOfDay, groupHistoryByDay } from './historyDays';

export function HistoryScreen() {
  const loadHistory = useAppStore((s) => s.loadHistory);
  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);
  return (
    <div className="history-layout">
      <section className="card history-card" aria-labelledby="history-heading">
        <HistoryHead />
        <HistoryList />
      </section>
      <div className="history-detail-column">
        <HistoryEntryPanel />
      </div>
    </div>
  );
}

function HistoryHead() {
  const total = useAppStore((s) => s.historyTotal);
  const query = useAppStore((s) => s.historyQuery);
  const searchText = useAppStore((s) => s.historySearchText);
  const setSearch = useAppStore((s) => s.setHistorySearch);
  const error = useAppStore((s) => s.historyError);
  const exportHistory = useAppStore((s) => s.exportHistory);
  const [exporting, startExport] = useTransition();

  const download = (format: HistoryExportFormat) =>
    startExport(async () => {
      const file = await exportHistory(format);
      if (file) saveTextFile(file.fileName, file.mimeType, file.text);
    });

  return (
    <>
      <div className="history-head">
        <h2 id="history-heading">History</h2>
        <span className="muted" data-testid="history-count" aria-live="polite">
          {total === null ? '…' : query ? `${total.toLocaleString()} found` : `${total.toLocaleString()} identifications`}
        </span>
      </div>
      <div className="history-toolbar">
        <input
          type="search"
          className="history-search"
          data-testid="history-search"
          aria-label="Search history"
          placeholder="Search title, artist, file…"
          value={searchText}
          maxLength={200}
          onChange={(e) => setSearch(e.currentTarget.value)}
        />
        <button type="button" className="button-ghost" data-testid="history-export-csv" disabled={exporting || !total} onClick={() => download('csv')}>
          Export CSV
        </button>
        <button type="button" className="button-ghost" data-testid="history-export-json" disabled={exporting || !total} onClick={() => download('json')}>
          Export JSON
        </button>
        <ClearHistory />
      </div>
      {query && total !== null && total > 0 && <p className="muted small history-export-note">Exports hold the entries found.</p>}
      {error && (
        <div className="alert alert-error" role="alert">
          {describeError(error)}
        </div>
      )}
    </>
  );
}

/** "Clear history", then an inline confirmation (Cancel has focus): clearing cannot be undone. */
function ClearHistory() {
  const hasEntries = useAppStore((s) => s.historyEntries.length > 0);
  const clearHistory = useAppStore((s) => s.clearHistory);
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  if (!confirming) {
    return (
      <button type="button" className="button-ghost" data-testid="history-clear" disabled={pending || !hasEntries} onClick={() => setConfirming(true)}>
        Clear history
      </button>
    );
  }
  return (
    <div className="history-confirm" role="group" aria-labelledby="history-confirm-text" data-testid="history-clear-confirm">
      <span id="history-confirm-text">Delete every entry? This cannot be undone.</span>
      <button
        type="button"
        className="button-danger"
        data-testid="history-clear-yes"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            await clearHistory();
            setConfirming(false);
          })
        }
      >
        Clear all
      </button>
      <button type="button" className="button-ghost" data-testid="history-clear-no" autoFocus onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </div>
  );
}

function HistoryList() {
  const entries = useAppStore((s) => s.historyEntries);
  const total = useAppStore((s) => s.historyTotal);
  const query = useAppStore((s) => s.historyQuery);
  const loading = useAppStore((s) => s.historyLoading);
  const loadMoreHistory = useAppStore((s) => s.loadMoreHistory);
  const days = groupHistoryByDay(entries, new Date());
  return (
    <>
      {total === 0 &&
        (query ? (
          <p className="muted" data-testid="history-no-match">
            No entry matches “{query}”.
          </p>
        ) : (
          <p className="muted" data-testid="history-empty">
            Nothing yet: every Listen and every dropped file is kept here.
          </p>
        ))}
      <div data-testid="history-list">
        {days.map((day) => (
          <section key={day.key} className="history-day" aria-labelledby={`history-day-${day.key}`} data-testid="history-day" data-day={day.key}>
            <h3 id={`history-day-${day.key}`} className="history-day-heading">
              {day.label}
            </h3>
            <ol className="history-list">
              {day.entries.map((entry) => (
                <HistoryRow key={entry.id} entry={entry} />
              ))}
            </ol>
          </section>
        ))}
      </div>
      {total !== null && entries.length < total && (
        <button type="button" className="button-ghost" data-testid="history-more" disabled={loading} onClick={() => void loadMoreHistory()}>
          Show older
        </button>
      )}
    </>
  );
}

function HistoryRow({ entry }: { entry: HistoryEntry }) {
  const isOpen = useAppStore((s) => s.historyOpenId === entry.id);
  const openEntry = useAppStore((s) => s.openHistoryEntry);
  const deleteEntries = useAppStore((s) => s.deleteHistoryEntries);
  const [deleting, startDelete] = useTransition();
  const name = entryName(entry);
  return (
    <li
      className={`history-entry${isOpen ? ' open' : ''}`}
      data-testid="history-entry"
      data-entry-id={entry.id}
      data-source={entry.source}
      data-matched={entry.match !== null}
      data-count={entry.count}
    >
      <button
        type="button"
        className="history-entry-open"
        data-testid="history-entry-open"
        aria-current={isOpen ? 'true' : undefined}
        title={formatDateTime(entry.at)}
        onClick={() => void openEntry(entry.id)}
      >
        <span className="history-time muted small tabular">{formatTimeOfDay(entry.at)}</span>
        <span className={`chip history-source source-${entry.source}`}>{entry.source === 'mic' ? 'Microphone' : 'File'}</span>
        <EntrySummary entry={entry} />
        {entry.count > 1 && (
          <span className="chip history-count" data-testid="history-entry-count" title={`Identified ${entry.count} times`}>
            ×{entry.count}
          </span>
        )}
      </button>
      <button
        type="button"
        className="button-ghost history-delete"
        data-testid="history-delete"
        aria-label={`Delete from History: ${name}`}
        title="Delete"
        disabled={deleting}
        onClick={() => startDelete(async () => void (await deleteEntries([entry.id])))}
      >
        <span aria-hidden="true">✕</span>
      </button>
    </li>
  );
}
