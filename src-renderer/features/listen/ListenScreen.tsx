// The Listen screen: the big Listen button with its live level meter and elapsed time, picking a file, the search
// settings, and the answer beside it, also read out by a polite live region when it arrives.
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { LIMITS } from '../../../src-preload/contract/api';
import type { SearchMode } from '../../../src-preload/contract/library';
import { formatClock } from '../../lib/format';
import { MAX_LISTEN_LIMIT_SECONDS, MIN_LISTEN_LIMIT_SECONDS } from '../../store/settingsSlice';
import { useAppStore } from '../../store/useAppStore';
import { announceOutcome } from './announce';
import { clipFileOf } from './clipFile';
import { KeepListeningControl, KeepListeningView } from './KeepListening';
import { LevelMeter } from './LevelMeter';
import { ResultPanel } from './ResultPanel';

const BUTTON_TEXT = { idle: 'Listen', opening: 'Opening the microphone…', listening: 'Stop', finishing: 'Identifying…' } as const;

export function ListenScreen() {
  return (
    <div className="listen-layout">
      <section className="card listen-card" aria-label="Listen">
        <ListenControl />
        <KeepListeningControl />
        <FilePick />
        <ListenSettings />
      </section>
      <section className="result-column" aria-label="Result">
        <ResultAnnouncer />
        <KeepListeningView />
        <ResultOrKeep />
      </section>
    </div>
  );
}

/** The answer panel; its "press Listen" placeholder gives way to Keep listening's view while that has something. */
function ResultOrKeep() {
  const keepShown = useAppStore((s) => s.keep.phase !== 'idle' || s.keep.log.length > 0);
  const hasOutcome = useAppStore((s) => s.outcome !== null || s.fileBusy);
  return keepShown && !hasOutcome ? null : <ResultPanel />;
}

/** Always in the page (a live region must exist before its text changes); screen readers hear the answer once. */
function ResultAnnouncer() {
  const text = useAppStore((s) => announceOutcome(s.outcome));
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="result-announcer">
      {text}
    </div>
  );
}

function ListenControl() {
  const listen = useAppStore((s) => s.listen);
  const limitSeconds = useAppStore((s) => s.settings.listenLimitSeconds);
  const toggleListening = useAppStore((s) => s.toggleListening);
  const active = listen.phase !== 'idle';
  const keepOn = useAppStore((s) => s.keep.phase !== 'idle');
  return (
    <div className="listen-control">
      <button
        type="button"
        className={`listen-button phase-${listen.phase}`}
        data-testid="listen-button"
        data-phase={listen.phase}
        aria-pressed={active}
        disabled={listen.phase === 'finishing' || keepOn}
        onClick={toggleListening}
      >
        <span className="listen-button-icon" aria-hidden="true">
          {listen.phase === 'listening' ? '■' : '●'}
        </span>
        <span className="listen-button-text">{BUTTON_TEXT[listen.phase]}</span>
      </button>
      <LevelMeter levelRms={listen.levelRms} active={listen.phase === 'listening'} />
      <div className="listen-readout">
        <span data-testid="listen-elapsed" className="tabular">
          {formatClock(listen.elapsedSeconds)} / {formatClock(limitSeconds)}
        </span>
        <span className="muted" data-testid="listen-status">
          {listen.phase === 'listening'
            ? listen.askCount > 0
              ? `Listening… searched ${listen.askCount} time${listen.askCount === 1 ? '' : 's'}`
              : 'Listening…'
            : listen.phase === 'finishing'
              ? 'Searching the whole recording…'
              : 'Press Space or Ctrl+L'}
        </span>
      </div>
      {active && listen.silent && (
        <div className="alert alert-warn" data-testid="listen-silent" role="alert">
          The microphone is silent: no sound is reaching the app. Check that the right microphone is selected and not muted.
        </div>
      )}
    </div>
  );
}

function FilePick() {
  const inputRef = useRef<HTMLInputElement>(null);
  const openFiles = useAppStore((s) => s.openFiles);
  const fileBusy = useAppStore((s) => s.fileBusy);
  return (
    <div className="file-pick">
      <span className="muted">or drop an audio file anywhere on the window, or</span>{' '}
      <button type="button" className="button-link" data-testid="pick-file-button" disabled={fileBusy} onClick={() => inputRef.current?.click()}>
        choose files…
      </button>
      <input
        ref={inputRef}
        type="file"
        multiple
        accept="audio/*,video/*,.mp3,.flac,.wav,.ogg,.oga,.opus,.m4a,.aac,.aif,.aiff,.wma,.webm"
        className="visually-hidden"
        aria-label="Audio files to identify"
        data-testid="file-input"
        tabIndex={-1}
        onChange={(event) => {
          const files = Array.from(event.currentTarget.files ?? []);
          event.currentTarget.value = '';
          if (files.length > 0) void openFiles(files.map(clipFileOf));
        }}
      />
    </div>
  );
}

function ListenSettings() {
  const settings = useAppStore(useShallow((s) => s.settings));
  const setMode = useAppStore((s) => s.setMode);
  const setMaxResults = useAppStore((s) => s.setMaxResults);
  const setListenLimitSeconds = useAppStore((s) => s.setListenLimitSeconds);
  return (
    <details className="listen-settings">
      <summary>Search settings</summary>
      <div className="settings-grid">
        <label htmlFor="mode-select">Mode</label>
        <select id="mode-select" data-testid="mode-select" value={settings.mode} onChange={(e) => setMode(e.currentTarget.value as SearchMode)}>
          <option value="exact">Exact (this recording)</option>
          <option value="vibe">Vibe (sounds like)</option>
          <option value="both">Both</option>
        </select>
        <label htmlFor="max-results-input">Max results</label>
        <input
          id="max-results-input"
          data-testid="max-results-input"
          type="number"
          min={1}
          max={LIMITS.maxResults}
          value={settings.maxResults}
          onChange={(e) => setMaxResults(Number(e.currentTarget.value))}
        />
        <label htmlFor="listen-limit-input">Listen for at most (s)</label>
        <input
          id="listen-limit-input"
          data-testid="listen-limit-input"
          type="number"
          min={MIN_LISTEN_LIMIT_SECONDS}
          max={MAX_LISTEN_LIMIT_SECONDS}
          value={settings.listenLimitSeconds}
          onChange={(e) => setListenLimitSeconds(Number(e.currentTarget.value))}
        />
      </div>
    </details>
  );
}
