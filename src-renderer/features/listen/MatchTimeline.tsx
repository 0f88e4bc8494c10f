// A timeline bar of the whole track with the matched region marked, and the playback position when playing.
import { formatClock } from '../../lib/format';

export function MatchTimeline({
  durationSeconds,
  matchStartSeconds,
  matchEndSeconds,
  playheadSeconds,
}: {
  durationSeconds: number;
  matchStartSeconds: number;
  matchEndSeconds: number;
  playheadSeconds?: number | null;
}) {
  const total = Math.max(1, durationSeconds);
  const start = Math.max(0, Math.min(total, matchStartSeconds));
  const end = Math.max(start, Math.min(total, matchEndSeconds));
  return (
    <div className="timeline" data-testid="result-timeline">
      <div className="timeline-bar">
        <div
          className="timeline-match"
          data-testid="result-timeline-match"
          style={{ left: `${(start / total) * 100}%`, width: `${Math.max(0.6, ((end - start) / total) * 100)}%` }}
          title={`${formatClock(start)}–${formatClock(end)}`}
        />
        {playheadSeconds != null && <div className="timeline-playhead" style={{ left: `${(Math.min(total, playheadSeconds) / total) * 100}%` }} />}
      </div>
      <div className="timeline-labels muted small">
        <span>0:00</span>
        <span>
          matched {formatClock(start)}–{formatClock(end)}
        </span>
        <span>{formatClock(durationSeconds)}</span>
      </div>
    </div>
  );
}
