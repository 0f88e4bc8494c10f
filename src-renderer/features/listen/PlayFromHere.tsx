// Play from here: plays the matched track from where the room is now, i.e. the match offset plus the time since
// the clip started recording (scaled by the speed factor), so the library copy continues in sync with the room.
import { useRef, useState } from 'react';
import type { TrackId } from '../../../src-preload/contract/library';
import { useBridge } from '../../app/bridgeContext';
import { describePlaybackFailure, PLAYBACK_FAILED_TEXT } from './playbackFailure';

/** Track seconds to start at: where the clip began in the track, plus how far the room has played since. */
export function playbackStartSeconds(offsetSeconds: number, speedFactor: number, clipStartedAtMs: number | null, nowMs: number): number {
  const sinceClipSeconds = clipStartedAtMs === null ? 0 : Math.max(0, (nowMs - clipStartedAtMs) / 1000);
  return Math.max(0, offsetSeconds + sinceClipSeconds * speedFactor);
}

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
  const bridge = useBridge();
  const audioRef = useRef<HTMLAudioElement>(null);
  const [state, setState] = useState<'idle' | 'loading' | 'playing' | 'error'>('idle');
  const [errorText, setErrorText] = useState(PLAYBACK_FAILED_TEXT);
  const fail = () => {
    setState('error');
    setErrorText(PLAYBACK_FAILED_TEXT);
    void describePlaybackFailure(bridge, trackId).then(setErrorText);
  };

  const play = () => {
    const audio = audioRef.current;
    if (!audio) return;
    setState('loading');
    const seekAndPlay = () => {
      const start = playbackStartSeconds(offsetSeconds, speedFactor, clipStartedAtMs, Date.now());
      audio.currentTime = Number.isFinite(audio.duration) ? Math.min(start, Math.max(0, audio.duration - 0.5)) : start;
      audio.play().then(
        () => setState('playing'),
        () => fail(),
      );
    };
    const url = bridge.mediaUrl(trackId);
    if (audio.getAttribute('src') !== url) {
      audio.src = url;
      audio.addEventListener('loadedmetadata', seekAndPlay, { once: true });
      audio.load();
    } else seekAndPlay();
  };

  return (
    <div className="play-from-here">
      <button type="button" className="button-primary" data-testid="play-from-here" onClick={play} disabled={state === 'loading'}>
        ▶ Play from here
      </button>
      <audio
        ref={audioRef}
        controls
        preload="none"
        data-testid="result-audio"
        data-state={state}
        onError={() => fail()}
        onPause={() => setState((s) => (s === 'playing' ? 'idle' : s))}
      />
      {state === 'error' && (
        <span className="alert-inline" data-testid="play-error">
          {errorText}
        </span>
      )}
    </div>
  );
}
