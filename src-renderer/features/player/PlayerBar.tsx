// The player bar: the app's one <audio> element, shared by the Library (Play, a double-click on a row) and a
// match's "Play from here". It follows the store's playRequest: a new request loads the track and starts it where
// asked (for Play from here: the match offset plus the time since the clip began, read when the audio is ready).
// Play/pause, a seekable playhead with the time, the title; errors in plain words. Hidden until something plays.
import { useEffect, useRef, useState } from 'react';
import { useBridge } from '../../app/bridgeContext';
import { formatClock } from '../../lib/format';
import { useAppStore } from '../../store/useAppStore';
import type { PlayStart } from '../../store/playerSlice';
import { describePlaybackFailure, PLAYBACK_FAILED_TEXT } from '../listen/playbackFailure';
import { playbackStartSeconds } from '../listen/playbackStart';

/** Where to start, in seconds, given the track's length (a start past the end would play nothing). */
function startSecondsFor(start: PlayStart, durationSeconds: number, nowMs: number): number {
  const wanted = start.kind === 'at' ? start.seconds : playbackStartSeconds(start.offsetSeconds, start.speedFactor, start.clipStartedAtMs, nowMs);
  return Number.isFinite(durationSeconds) ? Math.min(wanted, Math.max(0, durationSeconds - 0.5)) : wanted;
}

export function PlayerBar() {
  const bridge = useBridge();
  const audioRef = useRef<HTMLAudioElement>(null);
  const request = useAppStore((s) => s.playRequest);
  const state = useAppStore((s) => s.playerState);
  const error = useAppStore((s) => s.playerError);
  const setPlayerState = useAppStore((s) => s.setPlayerState);
  const closePlayer = useAppStore((s) => s.closePlayer);
  const [positionSeconds, setPositionSeconds] = useState(0);
  const [durationSeconds, setDurationSeconds] = useState(Number.NaN);
  /** The title and artist when the request came without them (Play from here names only the track). */
  const [looked, setLooked] = useState<{ trackId: string; title: string; artist: string | null } | null>(null);

  useEffect(() => {
    if (!request || request.title !== null) return;
    let alive = true;
    void bridge.getTrack(request.trackId).then((r) => {
      if (alive && r.ok) setLooked({ trackId: r.value.id, title: r.value.title, artist: r.value.artist });
    });
    return () => {
      alive = false;
    };
  }, [bridge, request]);
  const title = request?.title ?? (looked?.trackId === request?.trackId ? looked?.title : null) ?? '…';
  const artist = request?.title !== null ? request?.artist : looked?.trackId === request?.trackId ? looked?.artist : null;

  useEffect(() => {
    const audio = audioRef.current;
    if (!audio) return;
    if (!request) {
      audio.pause();
      audio.removeAttribute('src');
      audio.load();
      return;
    }
    let current = true;
    const fail = () => {
      if (!current) return;
      setPlayerState('error', PLAYBACK_FAILED_TEXT);
      void describePlaybackFailure(bridge, request.trackId).then((text) => current && setPlayerState('error', text));
    };
    const start = () => {
      audio.currentTime = startSecondsFor(request.start, audio.duration, Date.now());
      audio.play().then(
        () => current && setPlayerState('playing'),
        () => fail(),
      );
    };
    setPositionSeconds(0);
    setDurationSeconds(Number.NaN);
    const url = bridge.mediaUrl(request.trackId);
    if (audio.getAttribute('src') !== url || audio.readyState < HTMLMediaElement.HAVE_METADATA) {
      audio.addEventListener('loadedmetadata', start, { once: true });
      audio.addEventListener('error', fail, { once: true });
      audio.src = url;
      audio.load();
    } else start();
    return () => {
      current = false;
      audio.removeEventListener('loadedmetadata', start);
      audio.removeEventListener('error', fail);
    };
  }, [bridge, request, setPlayerState]);

  const toggle = () => {
    const audio = audioRef.current;
    if (!audio || !request) return;
    if (audio.paused)
      audio.play().then(
        () => setPlayerState('playing'),
        () => setPlayerState('error', PLAYBACK_FAILED_TEXT),
      );
    else audio.pause();
  };

  return (
    <div className={`player-bar${request ? '' : ' hidden'}`} data-testid="player-bar" data-state={state} role="region" aria-label="Player">
      <audio
        ref={audioRef}
        preload="none"
        data-testid="player-audio"
        data-state={state}
        onTimeUpdate={(e) => setPositionSeconds(e.currentTarget.currentTime)}
        onDurationChange={(e) => setDurationSeconds(e.currentTarget.duration)}
        onPause={() => state === 'playing' && setPlayerState('paused')}
        onPlay={() => state === 'paused' && setPlayerState('playing')}
        onEnded={() => setPlayerState('paused')}
      />
      {request && (
        <>
          <button
            type="button"
            className="player-toggle"
            data-testid="player-toggle"
            aria-label={state === 'playing' ? 'Pause' : 'Play'}
            disabled={state === 'loading' || state === 'error'}
            onClick={toggle}
          >
            <span aria-hidden="true">{state === 'playing' ? '❚❚' : '▶'}</span>
          </button>
          <div className="player-title ellipsis" data-testid="player-title">
            <strong>{title}</strong>
            {artist ? <span className="muted"> · {artist}</span> : null}
          </div>
          {state === 'error' ? (
            <span className="alert-inline player-error" role="alert" data-testid="play-error">
              {error}
            </span>
          ) : (
            <div className="player-seek">
              <span className="tabular small" data-testid="player-position">
                {formatClock(positionSeconds)}
              </span>
              <input
                type="range"
                className="player-playhead"
                data-testid="player-playhead"
                aria-label="Position in the track"
                aria-valuetext={`${formatClock(positionSeconds)} of ${formatClock(durationSeconds)}`}
                min={0}
                max={Number.isFinite(durationSeconds) ? durationSeconds : 0}
                step={0.1}
                value={Math.min(positionSeconds, Number.isFinite(durationSeconds) ? durationSeconds : 0)}
                disabled={!Number.isFinite(durationSeconds)}
                onChange={(e) => {
                  const audio = audioRef.current;
                  if (!audio) return;
                  audio.currentTime = Number(e.currentTarget.value);
                  setPositionSeconds(audio.currentTime);
                }}
              />
              <span className="tabular small muted">{formatClock(durationSeconds)}</span>
            </div>
          )}
          <button type="button" className="button-ghost" data-testid="player-close" aria-label="Close the player" onClick={closePlayer}>
            ✕
          </button>
        </>
      )}
    </div>
  );
}
