// The selected track's panel beside the list: title, artist and album, Play and (in the desktop app) Show in folder,
// "More like this" from the vibe lane (a click opens that track here), then the file and fingerprint facts behind a
// Details disclosure. Sticky and no taller than the window, so "More like this" is seen without scrolling the page.
import { useState } from 'react';
import { useBridge } from '../../app/bridgeContext';
import { describeError } from '../../lib/errorText';
import { formatBytes, formatClock, formatDateTime, formatPercent } from '../../lib/format';
import { useAppStore } from '../../store/useAppStore';

const FINGERPRINT_WORDS = { pending: 'waiting to be fingerprinted', indexed: 'fingerprinted', failed: 'fingerprinting failed' } as const;
const EMBEDDING_WORDS = {
  none: 'no vibe embedding (vibe lane off)',
  pending: 'waiting for the vibe lane',
  indexed: 'embedded',
  failed: 'embedding failed',
} as const;

export function TrackDetailPanel() {
  const bridge = useBridge();
  const selectedTrackId = useAppStore((s) => s.selectedTrackId);
  const detail = useAppStore((s) => s.trackDetail);
  const error = useAppStore((s) => s.trackDetailError);
  const selectTrack = useAppStore((s) => s.selectTrack);
  const playTrack = useAppStore((s) => s.playTrack);
  const [folderProblem, setFolderProblem] = useState<string | null>(null);
  if (!selectedTrackId) return null;
  const showInFolder = bridge.showInFolder;
  return (
    <aside className="card track-detail" data-testid="track-detail" aria-labelledby="track-detail-title">
      <div className="track-detail-head">
        <h2 id="track-detail-title">{detail?.title ?? '…'}</h2>
        <button
          type="button"
          className="button-ghost"
          data-testid="track-detail-close"
          aria-label="Close the track panel"
          onClick={() => void selectTrack(null)}
        >
          Close
        </button>
      </div>
      {error && (
        <div className="alert alert-error" role="alert">
          {describeError(error)}
        </div>
      )}
      {detail && (
        <>
          <p className="track-detail-line" data-testid="track-detail-summary">
            {detail.artist ?? 'Unknown artist'}
            {detail.album ? ` · ${detail.album}` : ''}
            {detail.trackNumber ? ` · track ${detail.trackNumber}${detail.discNumber ? ` (disc ${detail.discNumber})` : ''}` : ''} ·{' '}
            {formatClock(detail.durationSeconds)}
          </p>
          <div className="button-row">
            <button type="button" className="button-primary" data-testid="track-play" onClick={() => playTrack(detail)}>
              ▶ Play
            </button>
            {showInFolder && (
              <button
                type="button"
                className="button-ghost"
                data-testid="track-show-in-folder"
                onClick={() => {
                  setFolderProblem(null);
                  void showInFolder(detail.id).then((shown) => {
                    if (!shown) setFolderProblem(`The file is no longer at ${detail.filePath}.`);
                  });
                }}
              >
                Show in folder
              </button>
            )}
          </div>
          {folderProblem && (
            <p className="alert-inline" role="alert">
              {folderProblem}
            </p>
          )}
        </>
      )}
      <SimilarTracks />
      {detail && (
        <details className="track-facts" data-testid="track-facts">
          <summary>Details</summary>
          <dl className="detail-grid">
            <dt>Fingerprint</dt>
            <dd data-testid="track-detail-fingerprint" data-status={detail.fingerprintStatus}>
              {FINGERPRINT_WORDS[detail.fingerprintStatus]}
              {detail.fingerprintVersion !== null ? ` · version ${detail.fingerprintVersion}` : ''} · {detail.landmarkCount.toLocaleString()} landmarks
            </dd>
            <dt>Vibe</dt>
            <dd data-testid="track-detail-embedding" data-status={detail.embeddingStatus}>
              {EMBEDDING_WORDS[detail.embeddingStatus]}
              {detail.embeddingModel ? ` · ${detail.embeddingModel}${detail.embeddingDim ? ` (${detail.embeddingDim}-d)` : ''}` : ''}
            </dd>
            <dt>File</dt>
            <dd className="break" data-testid="track-detail-path">
              {detail.filePath}
            </dd>
            <dt>Format</dt>
            <dd>
              {detail.format}
              {detail.sampleRateHz ? ` · ${(detail.sampleRateHz / 1000).toFixed(1)} kHz` : ''}
              {detail.channelCount ? ` · ${detail.channelCount === 1 ? 'mono' : detail.channelCount === 2 ? 'stereo' : `${detail.channelCount} channels`}` : ''}
              {detail.bitrate ? ` · ${Math.round(detail.bitrate / 1000)} kbit/s` : ''}
            </dd>
            <dt>Size</dt>
            <dd>{formatBytes(detail.fileSizeBytes)}</dd>
            <dt>Added</dt>
            <dd>{formatDateTime(detail.ingestedAt)}</dd>
            <dt>Duplicates</dt>
            <dd data-testid="track-detail-duplicates">
              {detail.duplicatePaths.length === 0 ? (
                'none'
              ) : (
                <ul className="plain-list">
                  {detail.duplicatePaths.map((p) => (
                    <li key={p} className="break">
                      {p}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>SHA-256</dt>
            <dd className="mono small break">{detail.fileHashSha256}</dd>
          </dl>
        </details>
      )}
    </aside>
  );
}

function SimilarTracks() {
  const similar = useAppStore((s) => s.similarTracks);
  const error = useAppStore((s) => s.similarTracksError);
  const selectTrack = useAppStore((s) => s.selectTrack);
  return (
    <div className="similar-tracks" data-testid="similar-tracks">
      <h3>More like this</h3>
      {error ? (
        <p className="muted" data-testid="similar-tracks-error" data-code={error.code}>
          {describeError(error)}
        </p>
      ) : similar === null ? (
        <p className="muted">Looking for tracks that sound like this one…</p>
      ) : similar.length === 0 ? (
        <p className="muted">No other track in your library has a vibe embedding yet.</p>
      ) : (
        <ol className="plain-list similar-list">
          {similar.map((m) => (
            <li key={m.track.id} data-testid="similar-track" data-similarity={m.similarity.toFixed(3)}>
              <button type="button" className="button-link" onClick={() => void selectTrack(m.track.id)}>
                {m.track.title}
              </button>{' '}
              {m.track.artist ? `· ${m.track.artist} ` : ''}
              <span className="muted">{formatPercent(m.similarity)} similar</span>
              {m.explanation && <div className="muted small">{m.explanation}</div>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
