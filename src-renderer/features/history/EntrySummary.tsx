// One History entry's answer in a line: the song and where in it, "sounds like X", or "not in library", with the
// dropped file's name. Used by the list and by the reopened entry when no full result was kept.
import type { HistoryEntry } from '../../../src-preload/contract/api';
import { formatClock, formatPercent } from '../../lib/format';

export function EntrySummary({ entry }: { entry: HistoryEntry }) {
  return (
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
  );
}

/** Words for a screen reader naming an entry (its delete button, its open button). */
export function entryName(entry: HistoryEntry): string {
  const what = entry.match?.title ?? (entry.soundsLike ? `sounds like ${entry.soundsLike.title}` : 'not in library');
  return entry.clipName ? `${what}, ${entry.clipName}` : `${what}, from the microphone`;
}
