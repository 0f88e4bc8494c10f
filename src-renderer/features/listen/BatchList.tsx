// Several files dropped at once: one line per file, in order, with its answer (the song and where in it, "not in
// your library", "sounds like", an error in words) or "waiting…"; the latest answer is shown in full below it.
import { describeError } from '../../lib/errorText';
import { formatClock } from '../../lib/format';
import { isNotInLibrary, type BatchEntry } from '../../store/identifySlice';
import { useAppStore } from '../../store/useAppStore';

function answerOf(entry: BatchEntry): { kind: string; text: string } {
  const outcome = entry.outcome;
  if (!outcome) return { kind: 'pending', text: 'waiting…' };
  if (outcome.error) return { kind: 'error', text: describeError(outcome.error) };
  const best = outcome.result?.exact[0];
  if (best) return { kind: 'matched', text: `${best.track.artist ?? 'Unknown artist'} - ${best.track.title} at ${formatClock(best.offsetSeconds)}` };
  const similar = outcome.result?.vibe[0];
  if (isNotInLibrary(outcome))
    return { kind: 'not-in-library', text: similar ? `Not in your library (sounds like ${similar.track.title})` : 'Not in your library' };
  return similar ? { kind: 'vibe-only', text: `Sounds like ${similar.track.title}` } : { kind: 'vibe-only', text: 'No similar-sounding tracks' };
}

export function BatchList() {
  const batch = useAppStore((s) => s.fileBatch);
  if (batch.length < 2) return null;
  const done = batch.filter((e) => e.outcome).length;
  return (
    <div className="card" data-testid="batch-list">
      <h3>
        {batch.length} files{done < batch.length ? ` · ${done} of ${batch.length} identified` : ''}
      </h3>
      <ol className="plain-list">
        {batch.map((entry, i) => {
          const answer = answerOf(entry);
          return (
            <li key={`${i}-${entry.clipName}`} data-testid="batch-entry" data-outcome={answer.kind}>
              <strong>{entry.clipName}</strong> <span className={answer.kind === 'matched' ? '' : 'muted'}>{answer.text}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
