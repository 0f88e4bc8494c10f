// Keep listening on the Listen screen: the switch and the input picker (in the Listen card), and the live view (in
// the result column): the song playing now with its position advancing between answers, and the room log with
// wall-clock times, where in each song and how fast, the stretches not in the library, its exports and Clear log.
// A recording held by two library files is one song, the other file named beside it (as a Tracklist row does).
import { useEffect, useState } from 'react';
import type { TrackSummary } from '../../../src-preload/contract/library';
import { errorWords, LISTEN_PROBLEM_TEXT } from '../../lib/errorText';
import { formatClock, formatPercent } from '../../lib/format';
import { saveTextFile } from '../../lib/saveTextFile';
import { useAppStore } from '../../store/useAppStore';
import { roomLogSessions } from './keepListeningSlice';
import { MicPicker } from './MicPicker';
import { roomLogCsv, roomLogFileName, roomLogJson, roomLogM3u8, wallClock, type RoomLogSession } from './roomLog';

const SWITCH_TEXT = { idle: 'Keep listening', starting: 'Starting…', on: 'Keep listening: on', stopping: 'Stopping…' } as const;

/** The switch, the input picker and what the notifications can do: beside Listen. */
export function KeepListeningControl() {
  const phase = useAppStore((s) => s.keep.phase);
  const notifications = useAppStore((s) => s.keep.notifications);
  const listenPhase = useAppStore((s) => s.listen.phase);
  const toggle = useAppStore((s) => s.toggleKeepListening);
  const on = phase === 'on' || phase === 'starting';
  return (
    <div className="keep-control">
      <button
        type="button"
        role="switch"
        aria-checked={on}
        className={`keep-switch${on ? ' keep-switch-on' : ''}`}
        data-testid="keep-listening-switch"
        data-phase={phase}
        disabled={phase === 'stopping' || listenPhase !== 'idle'}
        onClick={toggle}
      >
        <span className="keep-switch-track" aria-hidden="true">
          <span className="keep-switch-thumb" />
        </span>
        <span>{SWITCH_TEXT[phase]}</span>
      </button>
      <p className="muted keep-help">Names every song it hears until you switch it off, with a log of the room.</p>
      {notifications === 'denied' && (
        <p className="muted keep-help" data-testid="keep-notifications-denied">
          Song notifications are off: this page was not allowed to show notifications. Allow them in the site settings (or the system&apos;s notification
          settings) to get one per new song.
        </p>
      )}
      {notifications === 'unsupported' && (
        <p className="muted keep-help" data-testid="keep-notifications-unsupported">
          This window cannot show notifications; the songs still appear in the log below.
        </p>
      )}
      <MicPicker />
    </div>
  );
}

/** Re-renders every half second while `active`, so a position can advance between answers. */
function useTicker(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** "(also in your library as Title (format), …)": the other files of the song's recording, their paths on hover. */
function AlsoInLibrary({ tracks, testId }: { tracks: readonly TrackSummary[] | undefined; testId: string }) {
  if (!tracks || tracks.length === 0) return null;
  return (
    <span className="muted" data-testid={testId} title={tracks.map((t) => t.filePath).join('\n')}>
      {' '}
      (also in your library as {tracks.map((t) => (t.format ? `${t.title} (${t.format})` : t.title)).join(', ')})
    </span>
  );
}

const timeOfDay = (d: Date): string => d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The live view: shown while Keep listening runs, and afterwards while its log is there. */
export function KeepListeningView() {
  const keep = useAppStore((s) => s.keep);
  const now = useTicker(keep.phase === 'on' && keep.playing !== null);
  const sessions = roomLogSessions(keep);
  if (keep.phase === 'idle' && sessions.length === 0 && !keep.error && !keep.listenProblem) return null;
  const playing = keep.playing;
  const playingEntry = playing ? keep.log.find((e) => e.id === playing.entryId) : undefined;
  const position = playing ? playing.positionSeconds + Math.max(0, (now - keep.playingAtMs) / 1000) * playing.speedFactor : 0;
  const problem = keep.listenProblem ? LISTEN_PROBLEM_TEXT[keep.listenProblem] : null;
  return (
    <section className="card keep-view" aria-label="Keep listening" data-testid="keep-view">
      <h2 className="keep-title">Keep listening</h2>
      {keep.error && (
        <div className="alert alert-error" role="alert" data-testid="keep-error">
          Keep listening stopped: {errorWords(keep.error)}
          {keep.error.code === 'not-found' && ' The listening session ended on the app’s side; switch it on again to go on.'}
        </div>
      )}
      {problem && (
        <div className="alert alert-error" role="alert" data-testid="keep-problem">
          <strong>{problem.title}.</strong> {problem.advice}
        </div>
      )}
      {keep.phase !== 'idle' && (
        <div className="keep-now" data-testid="keep-now-playing" aria-live="polite">
          {playing ? (
            <>
              <div className="keep-now-title">
                <strong data-testid="keep-now-title">{playing.track.title}</strong>
                {playing.track.artist && <span className="muted"> — {playing.track.artist}</span>}
                <AlsoInLibrary tracks={playingEntry?.sameRecording} testId="keep-now-same-recording" />
              </div>
              <div className="muted tabular">
                <span data-testid="keep-now-position">{formatClock(position)}</span> / {formatClock(playing.track.durationSeconds)}
                {playing.speedFactor !== 1 && <> · x{playing.speedFactor.toFixed(3)}</>} · {formatPercent(playing.confidence)} sure
              </div>
            </>
          ) : (
            <span className="muted">
              {keep.phase === 'on' ? `Listening… nothing from your library right now (${formatClock(keep.heardSeconds)} heard)` : 'Starting…'}
            </span>
          )}
        </div>
      )}
      <RoomLog sessions={sessions} canClear={keep.phase === 'idle'} />
    </section>
  );
}

const dayAndTime = (ms: number): string => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function RoomLog({ sessions, canClear }: { sessions: readonly RoomLogSession[]; canClear: boolean }) {
  if (sessions.length === 0) return <p className="muted">The songs heard will be listed here.</p>;
  const startedAtMs = sessions[0].startedAtMs;
  return (
    <>
      <table className="room-log" data-testid="room-log">
        <caption className="visually-hidden">Room log: every stretch heard, in time order</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Heard</th>
            <th scope="col">In the song</th>
          </tr>
        </thead>
        {sessions.map((session, index) => (
          <tbody key={`${index}-${session.startedAtMs}`}>
            {sessions.length > 1 && (
              <tr className="room-log-session" data-testid="room-log-session">
                <th scope="colgroup" colSpan={4}>
                  Listening from {dayAndTime(session.startedAtMs)}
                </th>
              </tr>
            )}
            {session.log.map((e) => (
              <tr
                key={`${e.id}-${e.startSeconds}`}
                data-testid="room-log-row"
                data-kind={e.track ? 'song' : 'unknown'}
                className={e.track ? '' : 'room-log-unknown'}
              >
                <td className="tabular">{timeOfDay(wallClock(session.startedAtMs, e.startSeconds))}</td>
                <td className="tabular">{e.ongoing ? 'now' : timeOfDay(wallClock(session.startedAtMs, e.endSeconds))}</td>
                <td>
                  {e.track ? (
                    <>
                      <span data-testid="room-log-title">{e.track.title}</span>
                      {e.track.artist && <span className="muted"> — {e.track.artist}</span>}
                      <AlsoInLibrary tracks={e.sameRecording} testId="room-log-same-recording" />
                    </>
                  ) : (
                    <span className="muted" data-testid="room-log-title">
                      Not in your library
                    </span>
                  )}
                </td>
                <td className="tabular muted">
                  {e.offsetSeconds !== null && <>from {formatClock(e.offsetSeconds)}</>}
                  {e.speedFactor !== null && e.speedFactor !== 1 && <> · x{e.speedFactor.toFixed(3)}</>}
                  {e.confidence !== null && <> · {formatPercent(e.confidence)}</>}
                </td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
      <div className="keep-exports">
        <span className="muted">Export the log:</span>
        <button
          type="button"
          data-testid="room-log-export-csv"
          onClick={() => saveTextFile(roomLogFileName(startedAtMs, 'csv'), 'text/csv;charset=utf-8', roomLogCsv(sessions))}
        >
          CSV
        </button>
        <button
          type="button"
          data-testid="room-log-export-m3u8"
          disabled={!sessions.some((s) => s.log.some((e) => e.track))}
          onClick={() => saveTextFile(roomLogFileName(startedAtMs, 'm3u8'), 'audio/x-mpegurl;charset=utf-8', roomLogM3u8(sessions))}
        >
          M3U8 playlist
        </button>
        <button
          type="button"
          data-testid="room-log-export-json"
          onClick={() => saveTextFile(roomLogFileName(startedAtMs, 'json'), 'application/json;charset=utf-8', roomLogJson(sessions))}
        >
          JSON
        </button>
        <ClearRoomLog enabled={canClear} />
      </div>
    </>
  );
}

/** "Clear log" (while switched off), then an inline confirmation (Cancel has focus): clearing cannot be undone. */
function ClearRoomLog({ enabled }: { enabled: boolean }) {
  const clearRoomLog = useAppStore((s) => s.clearRoomLog);
  const [confirming, setConfirming] = useState(false);
  if (!confirming || !enabled) {
    return (
      <button
        type="button"
        className="button-ghost"
        data-testid="room-log-clear"
        disabled={!enabled}
        title={enabled ? undefined : 'Switch Keep listening off to clear its log'}
        onClick={() => setConfirming(true)}
      >
        Clear log
      </button>
    );
  }
  return (
    <span className="history-confirm" role="group" aria-labelledby="room-log-confirm-text" data-testid="room-log-clear-confirm">
      <span id="room-log-confirm-text">Forget every song in the room log? History keeps them.</span>
      <button
        type="button"
        className="button-danger"
        data-testid="room-log-clear-yes"
        onClick={() => {
          clearRoomLog();
          setConfirming(false);
        }}
      >
        Clear log
      </button>
      <button type="button" className="button-ghost" data-testid="room-log-clear-no" autoFocus onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </span>
  );
}
