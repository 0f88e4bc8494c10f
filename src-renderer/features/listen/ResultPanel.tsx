// The answer in plain words: the best exact match (artwork, tags, "at 1:23", "93% sure", "2% faster", a timeline
// with the matched region, Play from here), other matches, the songs that sound like it, "not in your library",
// a silent microphone, or an error. The figures behind it (aligned hashes, exact speed and pitch factors, search
// time) wait under a closed "Details" disclosure.
import type { ExactMatch, IdentifyResult, VibeMatch } from '../../../src-preload/contract/library';
import { errorWords, LISTEN_PROBLEM_TEXT } from '../../lib/errorText';
import { formatClock, formatPercent } from '../../lib/format';
import { isNotInLibrary, type IdentifyOutcome } from '../../store/identifySlice';
import { useAppStore } from '../../store/useAppStore';
import { Details } from '../../ui/Details';
import { Artwork } from './Artwork';
import { BatchList } from './BatchList';
import { MatchTimeline } from './MatchTimeline';
import { PlayFromHere } from './PlayFromHere';

export function ResultPanel() {
  return (
    <>
      <BatchList />
      <LatestResult />
    </>
  );
}

function LatestResult() {
  const outcome = useAppStore((s) => s.outcome);
  const fileBusy = useAppStore((s) => s.fileBusy);
  const listening = useAppStore((s) => s.listen.phase !== 'idle');
  if (fileBusy && !outcome) {
    return (
      <div className="card result-card placeholder" data-testid="file-busy">
        <div className="spinner" aria-hidden="true" /> Identifying the file…
      </div>
    );
  }
  if (!outcome) {
    return (
      <div className="card result-card placeholder" data-testid="result-empty">
        {listening ? 'Listening: the answer appears here as soon as the app is sure.' : 'Hold your device up to the music and press Listen, or drop a file.'}
      </div>
    );
  }
  return <OutcomeView outcome={outcome} />;
}

function clipLabel(outcome: IdentifyOutcome): string {
  return outcome.source === 'mic' ? 'From the microphone' : `From the file ${outcome.clipName ?? ''}`;
}

/** One answer in full; History reopens a stored one with it. */
export function OutcomeView({ outcome }: { outcome: IdentifyOutcome }) {
  if (outcome.listenProblem) {
    const text = LISTEN_PROBLEM_TEXT[outcome.listenProblem];
    return (
      <div className="card result-card" data-testid="result" data-outcome={outcome.listenProblem}>
        <h2>{text.title}</h2>
        <p data-testid="listen-problem" data-problem={outcome.listenProblem}>
          {text.advice}
        </p>
      </div>
    );
  }
  if (outcome.error) {
    return (
      <div className="card result-card" data-testid="result" data-outcome="error">
        <p className="muted">{clipLabel(outcome)}</p>
        <div className="alert alert-error" data-testid="result-error" data-code={outcome.error.code} role="alert">
          {errorWords(outcome.error)}
        </div>
        {outcome.error.detail && <Details testId="result-error-detail">{outcome.error.detail}</Details>}
      </div>
    );
  }
  if (outcome.silent && outcome.source === 'mic' && !outcome.result?.exact.length) {
    return (
      <div className="card result-card" data-testid="result" data-outcome="silent">
        <h2>The microphone is silent</h2>
        <p data-testid="listen-silent">
          Nothing was heard: the recording is pure silence, so it could not be searched. Check that the right microphone is selected, not muted, and that the
          app may use it.
        </p>
      </div>
    );
  }
  const result = outcome.result;
  const best = result?.exact[0];
  const notFound = isNotInLibrary(outcome);
  return (
    <div className="result-stack">
      <div className="card result-card" data-testid="result" data-outcome={best ? 'matched' : notFound ? 'not-in-library' : 'vibe-only'}>
        <p className="muted result-source">{clipLabel(outcome)}</p>
        {best && result ? (
          <BestMatch match={best} result={result} clipStartedAtMs={outcome.clipStartedAtMs} />
        ) : !notFound ? (
          <h2 data-testid="vibe-only">Songs in your library that sound like this</h2>
        ) : (
          <div className="not-in-library" data-testid="not-in-library">
            <h2>Not in your library</h2>
            <p>
              {outcome.source === 'mic'
                ? 'The app listened but found no track of your library in this recording. It may not be in a folder you added yet, or the music was too quiet or too noisy: try again closer to the speaker.'
                : 'No track of your library matches this file. If the song should be there, add its folder on the Library screen.'}
            </p>
          </div>
        )}
        {result && (
          <Details testId="result-details">
            <span data-testid="result-search-time">
              {result.clipSeconds.toFixed(1)} s of audio searched in {Math.round(result.durationMs)} ms
            </span>
            {best && (
              <>
                {' · '}
                <span data-testid="result-aligned">{best.alignedHashes} aligned hashes</span>
                {' · '}
                <span data-testid="result-factors">
                  speed ×{best.speedFactor.toFixed(3)} · pitch ×{best.pitchFactor.toFixed(3)}
                </span>
              </>
            )}
          </Details>
        )}
      </div>
      {result && result.exact.length > 1 && <OtherMatches matches={result.exact.slice(1)} />}
      {outcome.askedMode !== 'exact' && result && <VibeMatches result={result} />}
    </div>
  );
}

function BestMatch({ match, result, clipStartedAtMs }: { match: ExactMatch; result: IdentifyResult; clipStartedAtMs: number | null }) {
  const { track } = match;
  const openTrack = useAppStore((s) => s.openTrack);
  const speedChanged = Math.abs(match.speedFactor - 1) > 0.005;
  const pitchChanged = Math.abs(match.pitchFactor - 1) > 0.005;
  return (
    <div className="match">
      <div className="match-head">
        <Artwork trackId={track.id} title={track.title} />
        <div className="match-tags">
          <h2 className="match-title" data-testid="result-title">
            {track.title}
          </h2>
          <div className="match-artist" data-testid="result-artist">
            {track.artist ?? 'Unknown artist'}
          </div>
          <div className="match-album muted" data-testid="result-album">
            {track.album ?? 'Unknown album'}
          </div>
          <div className="match-facts">
            <span className="chip chip-strong" data-testid="result-offset" data-offset-seconds={match.offsetSeconds.toFixed(2)}>
              at {formatClock(match.offsetSeconds)}
            </span>
            <span className="chip" data-testid="result-confidence" data-confidence={match.confidence.toFixed(3)}>
              {formatPercent(match.confidence)} sure
            </span>
            {speedChanged && (
              <span className="chip" data-testid="result-speed">
                {changeWords(match.speedFactor, 'faster', 'slower')}
              </span>
            )}
            {pitchChanged && (
              <span className="chip" data-testid="result-pitch">
                {changeWords(match.pitchFactor, 'higher pitch', 'lower pitch')}
              </span>
            )}
          </div>
        </div>
      </div>
      <MatchTimeline
        durationSeconds={track.durationSeconds}
        matchStartSeconds={match.offsetSeconds}
        matchEndSeconds={match.offsetSeconds + result.clipSeconds * match.speedFactor}
      />
      <PlayFromHere trackId={track.id} offsetSeconds={match.offsetSeconds} speedFactor={match.speedFactor} clipStartedAtMs={clipStartedAtMs} />
      <button type="button" className="button-ghost" data-testid="result-more-like-this" onClick={() => void openTrack(track.id)}>
        More like this
      </button>
      <div className="muted small file-path" title={track.filePath}>
        {track.filePath}
      </div>
    </div>
  );
}

/** A speed or pitch factor in words: 1.02 -> "2% faster", 0.97 -> "3% slower". */
function changeWords(factor: number, up: string, down: string): string {
  const percent = Math.abs(factor - 1) * 100;
  return `${percent < 1 ? percent.toFixed(1) : Math.round(percent)}% ${factor > 1 ? up : down}`;
}

function OtherMatches({ matches }: { matches: readonly ExactMatch[] }) {
  return (
    <div className="card" data-testid="other-matches">
      <h3>Also matching</h3>
      <ul className="plain-list">
        {matches.map((m) => (
          <li key={m.track.id} data-testid="other-match">
            <strong>{m.track.title}</strong> {m.track.artist ? `· ${m.track.artist}` : ''}{' '}
            <span className="muted">
              at {formatClock(m.offsetSeconds)} · {formatPercent(m.confidence)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function VibeMatches({ result }: { result: IdentifyResult }) {
  const openTrack = useAppStore((s) => s.openTrack);
  const vibeAnswered = result.modeUsed === 'vibe' || result.modeUsed === 'both';
  return (
    <div className="card" data-testid="vibe-list">
      <h3>Sounds like</h3>
      {!vibeAnswered ? (
        <p className="muted" data-testid="vibe-not-installed">
          The vibe lane is not installed, so only exact matches are shown.
        </p>
      ) : result.vibe.length === 0 ? (
        <p className="muted">No similar-sounding tracks (is the library still being indexed?).</p>
      ) : (
        <ul className="plain-list">
          {result.vibe.map((v: VibeMatch) => (
            <li key={v.track.id} data-testid="vibe-item" data-similarity={v.similarity.toFixed(3)}>
              <button type="button" className="button-link" onClick={() => void openTrack(v.track.id)}>
                {v.track.title}
              </button>{' '}
              {v.track.artist ? `· ${v.track.artist}` : ''} <span className="muted">{formatPercent(v.similarity)} similar</span>
              {v.explanation && <div className="muted small">{v.explanation}</div>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
