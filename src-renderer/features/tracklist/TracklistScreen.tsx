// The Tracklist view: the songs of one long recording (a DJ mix, a radio show) in time order. While the engine
// searches: a progress bar and Cancel. Then a timeline with one coloured block per song (grey for stretches not in
// the library), a row per stretch (time, title, artist, where in the song, speed change) playable from that point in
// the library's copy, and Export CUE / CSV (written by the same code as the CLI's --cue / --csv).
import { useRef, useState } from 'react';
import type { TracklistSegment, TrackId } from '../../../src-preload/contract/library';
import { tracklistCsv, tracklistCue } from '../../../src-preload/contract/tracklistFormats';
import { useBridge } from '../../app/bridgeContext';
import { describeError } from '../../lib/errorText';
import { formatClock } from '../../lib/format';
import { useAppStore } from '../../store/useAppStore';
import { describePlaybackFailure, PLAYBACK_FAILED_TEXT } from '../listen/playbackFailure';
import { playbackStartSeconds } from '../listen/PlayFromHere';
import { downloadText } from './downloadText';
import { exportFileName, speedText, timelineBlocks, type TimelineBlock } from './tracklistLayout';
import { tracklistFraction, type TracklistRun } from './tracklistSlice';

export function TracklistScreen() {
  const run = useAppStore((s) => s.tracklist);
  if (!run) {
    return (
      <section className="card tracklist-card" aria-label="Tracklist">
        <h2>Tracklist</h2>
        <p className="muted">Drop a recording longer than a minute (a DJ mix, a radio show) to list the songs of your library in it.</p>
      </section>
    );
  }
  return (
    <section className="card tracklist-card" aria-label="Tracklist" data-testid="tracklist" data-phase={run.phase}>
      <TracklistHeader run={run} />
      {(run.phase === 'reading' || run.phase === 'running') && <TracklistProgressBar run={run} />}
      {run.phase === 'failed' && run.error && (
        <div className="alert alert-error" role="alert" data-testid="tracklist-error">
          {describeError(run.error)}
        </div>
      )}
      {run.phase === 'cancelled' && (
        <p className="muted" data-testid="tracklist-cancelled">
          Cancelled. Drop the recording again to start over.
        </p>
      )}
      {run.result && <TracklistResult run={run} />}
    </section>
  );
}

function TracklistHeader({ run }: { run: TracklistRun }) {
  const list = run.result;
  const length = list?.durationSeconds ?? run.progress?.totalSeconds ?? run.probedSeconds;
  const exportAs = (format: 'cue' | 'csv') => {
    if (!list) return;
    if (format === 'cue') downloadText(exportFileName(run.fileName, 'cue'), tracklistCue(run.fileName, list), 'application/x-cue');
    else downloadText(exportFileName(run.fileName, 'csv'), tracklistCsv(list), 'text/csv');
  };
  return (
    <header className="tracklist-header">
      <div>
        <h2>Tracklist</h2>
        <div className="muted" data-testid="tracklist-file">
          {run.fileName}
          {length ? ` · ${formatClock(length)}` : ''}
        </div>
      </div>
      <div className="tracklist-actions">
        <button type="button" data-testid="tracklist-export-cue" disabled={!list} onClick={() => exportAs('cue')}>
          Export CUE
        </button>
        <button type="button" data-testid="tracklist-export-csv" disabled={!list} onClick={() => exportAs('csv')}>
          Export CSV
        </button>
      </div>
    </header>
  );
}

function TracklistProgressBar({ run }: { run: TracklistRun }) {
  const cancelTracklist = useAppStore((s) => s.cancelTracklist);
  const fraction = tracklistFraction(run);
  const total = run.progress?.totalSeconds ?? run.probedSeconds;
  const songs = run.progress?.songs ?? 0;
  const words =
    run.phase === 'reading'
      ? 'Reading the file…'
      : run.progress && run.progress.doneSeconds > 0
        ? `Searched ${formatClock(run.progress.doneSeconds)}${total ? ` of ${formatClock(total)}` : ''} · ${songs} song${songs === 1 ? '' : 's'} so far`
        : 'Sending the recording to the library…';
  return (
    <div className="tracklist-progress" data-testid="tracklist-progress">
      <div
        className="progress"
        role="progressbar"
        aria-label="Searched so far"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fraction * 100)}
      >
        <div className="progress-fill running" style={{ transform: `scaleX(${fraction})` }} />
      </div>
      <div className="tracklist-progress-row">
        <span className="muted" data-testid="tracklist-progress-text" aria-live="polite">
          {run.cancelling ? 'Cancelling…' : words}
        </span>
        <button type="button" data-testid="tracklist-cancel" disabled={run.cancelling} onClick={cancelTracklist}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function TracklistResult({ run }: { run: TracklistRun }) {
  const list = run.result!;
  const blocks = timelineBlocks(list);
  const songs = blocks.filter((b) => b.segment.track).length;
  const player = useTracklistPlayer();
  return (
    <>
      <p data-testid="tracklist-summary">
        {songs === 0
          ? 'No song of your library is in this recording.'
          : `${songs} song${songs === 1 ? '' : 's'} of your library in ${formatClock(list.durationSeconds)}.`}
      </p>
      <TracklistTimeline blocks={blocks} durationSeconds={list.durationSeconds} />
      <ol className="tracklist-rows" data-testid="tracklist-rows">
        {blocks.map((block) => (
          <TracklistRow key={block.index} block={block} onPlay={player.play} playing={player.playingIndex === block.index} />
        ))}
      </ol>
      <div className="tracklist-player">
        <audio
          ref={player.audioRef}
          controls
          preload="none"
          data-testid="tracklist-audio"
          data-state={player.state}
          onError={player.fail}
          onPause={player.paused}
        />
        {player.state === 'error' && (
          <span className="alert-inline" data-testid="tracklist-play-error">
            {player.errorText}
          </span>
        )}
      </div>
    </>
  );
}

function blockStyle(block: TimelineBlock) {
  return {
    left: `${block.leftPercent}%`,
    width: `${Math.max(0.4, block.widthPercent)}%`,
    ...(block.hue === null ? {} : { background: `hsl(${block.hue} 65% 52%)` }),
  };
}

function TracklistTimeline({ blocks, durationSeconds }: { blocks: readonly TimelineBlock[]; durationSeconds: number }) {
  return (
    <div className="tracklist-timeline" data-testid="tracklist-timeline">
      <div className="tracklist-timeline-bar" role="img" aria-label={`Timeline of the recording, ${formatClock(durationSeconds)}`}>
        {blocks.map((block) => {
          const { segment } = block;
          const what = segment.track
            ? `${segment.track.title} (from ${formatClock(segment.offsetSeconds ?? 0)}${speedText(segment.speedFactor) ? `, ${speedText(segment.speedFactor)}` : ''})`
            : 'not in your library';
          return (
            <div
              key={block.index}
              className={`tracklist-block${block.hue === null ? ' unknown' : ''}`}
              data-testid="tracklist-block"
              data-kind={segment.track ? 'song' : 'unknown'}
              style={blockStyle(block)}
              title={`${formatClock(segment.start)}–${formatClock(segment.end)}  ${what}`}
            >
              {segment.track && block.widthPercent >= 8 && <span className="tracklist-block-label">{segment.track.title}</span>}
            </div>
          );
        })}
      </div>
      <div className="timeline-labels muted small">
        <span>0:00</span>
        <span>{formatClock(durationSeconds)}</span>
      </div>
    </div>
  );
}

function TracklistRow({ block, onPlay, playing }: { block: TimelineBlock; onPlay: (block: TimelineBlock) => void; playing: boolean }) {
  const { segment } = block;
  const time = `${formatClock(segment.start)}–${formatClock(segment.end)}`;
  if (!segment.track) {
    return (
      <li className="tracklist-row unknown" data-testid="tracklist-row" data-kind="unknown">
        <span className="tracklist-swatch unknown" aria-hidden="true" />
        <span className="tracklist-time tabular" data-testid="tracklist-row-time">
          {time}
        </span>
        <span className="tracklist-title muted" data-testid="tracklist-row-title">
          Not in your library
        </span>
      </li>
    );
  }
  const speed = speedText(segment.speedFactor);
  const from = formatClock(segment.offsetSeconds ?? 0);
  return (
    <li className={`tracklist-row${playing ? ' playing' : ''}`} data-testid="tracklist-row" data-kind="song">
      <span className="tracklist-swatch" aria-hidden="true" style={{ background: `hsl(${block.hue} 65% 52%)` }} />
      <span className="tracklist-time tabular" data-testid="tracklist-row-time">
        {time}
      </span>
      <span className="tracklist-title">
        <strong data-testid="tracklist-row-title">{segment.track.title}</strong>
        {segment.track.artist && (
          <span className="muted" data-testid="tracklist-row-artist">
            {' '}
            — {segment.track.artist}
          </span>
        )}
        {segment.sameRecording && segment.sameRecording.length > 0 && (
          <span className="muted" data-testid="tracklist-row-same-recording" title={segment.sameRecording.map((t) => t.filePath).join('\n')}>
            {' '}
            (also in your library as {segment.sameRecording.map((t) => `${t.title} (${t.format})`).join(', ')})
          </span>
        )}
      </span>
      <span className="tracklist-from muted" data-testid="tracklist-row-from">
        from {from}
      </span>
      <span className="tracklist-speed" data-testid="tracklist-row-speed">
        {speed ?? ''}
      </span>
      <button
        type="button"
        className="button-link"
        data-testid="tracklist-row-play"
        aria-label={`Play ${segment.track.title} from ${from}`}
        onClick={() => onPlay(block)}
      >
        ▶ Play
      </button>
    </li>
  );
}

/** One <audio> for the whole list: a row's Play loads its track and starts where the recording was in it. */
function useTracklistPlayer() {
  const bridge = useBridge();
  const audioRef = useRef<HTMLAudioElement>(null);
  const [state, setState] = useState<'idle' | 'loading' | 'playing' | 'error'>('idle');
  const [playingIndex, setPlayingIndex] = useState<number | null>(null);
  const [errorText, setErrorText] = useState(PLAYBACK_FAILED_TEXT);
  const trackRef = useRef<TrackId | null>(null);

  const fail = () => {
    setState('error');
    setErrorText(PLAYBACK_FAILED_TEXT);
    const trackId = trackRef.current;
    if (trackId) void describePlaybackFailure(bridge, trackId).then(setErrorText);
  };

  const play = (block: TimelineBlock) => {
    const audio = audioRef.current;
    const segment: TracklistSegment = block.segment;
    if (!audio || !segment.track) return;
    trackRef.current = segment.track.id;
    setPlayingIndex(block.index);
    setState('loading');
    const seekAndPlay = () => {
      // Where the recording entered the track (no clock running: the recording is not playing in the room).
      const start = playbackStartSeconds(segment.offsetSeconds ?? 0, segment.speedFactor ?? 1, null, Date.now());
      audio.currentTime = Number.isFinite(audio.duration) ? Math.min(start, Math.max(0, audio.duration - 0.5)) : start;
      audio.play().then(
        () => setState('playing'),
        () => fail(),
      );
    };
    const url = bridge.mediaUrl(segment.track.id);
    if (audio.getAttribute('src') !== url) {
      audio.src = url;
      audio.addEventListener('loadedmetadata', seekAndPlay, { once: true });
      audio.load();
    } else seekAndPlay();
  };

  const paused = () => setState((s) => (s === 'playing' ? 'idle' : s));
  return { audioRef, state, playingIndex, errorText, play, fail, paused };
}
