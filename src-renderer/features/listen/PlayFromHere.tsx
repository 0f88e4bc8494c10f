// Play from here: plays the matched track in the app's player bar from where the room is now (the match offset plus
// the time since the clip started recording, scaled by the speed factor), so the library copy continues in sync.
// The bar reads the track's title itself.
import type { TrackId } from '../../../src-preload/contract/library';
import { useAppStore } from '../../store/useAppStore';

export { playbackStartSeconds } from './playbackStart';

export function PlayFromHere({
  trackId,
  offsetSeconds,
  speedFactor,
  clipStartedAtMs,
}: {
  trackId: TrackId;
  offsetSeconds: number;
  speedFactor: number;
  clipStartedAtMs: number | null;
}) {
  const playTrack = useAppStore((s) => s.playTrack);
  const loading = useAppStore((s) => s.playRequest?.trackId === trackId && s.playerState === 'loading');
  return (
    <div className="play-from-here">
      <button
        type="button"
        className="button-primary"
        data-testid="play-from-here"
        disabled={loading}
        onClick={() => playTrack({ id: trackId }, { kind: 'sync', offsetSeconds, speedFactor, clipStartedAtMs })}
      >
        ▶ Play from here
      </button>
    </div>
  );
}
