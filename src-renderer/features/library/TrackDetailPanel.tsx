// The selected track's detail: tags, fingerprint status/version/landmarks, embedding status, duplicates and file info,
// and "more like this" from the vibe lane (a click opens that track here).
import { describeError } from '../../lib/errorText';
import { formatBytes, formatClock, formatDateTime, formatPercent } from '../../lib/format';
import { useAppStore } from '../../store/useAppStore';

const FINGERPRINT_WORDS = { pending: 'waiting to be fingerprinted', indexed: 'fingerprinted', failed: 'fingerprinting failed' } as const;
const EMBEDDING_WORDS = { none: 'no vibe embedding (vibe lane off)', pending: 'waiting for the vibe lane', indexed: 'embedded', failed: 'embedding failed' } as const;

export function TrackDetailPanel() {
  const selectedTrackId = useAppStore((s) => s.selectedTrackId);
  const detail = useAppStore((s) => s.trackDetail);
  const error = useAppStore((s) => s.trackDetailError);
  const selectTrack = useAppStore((s) => s.selectTrack);
  if (!selectedTrackId) return null;
  return (
    <section className="card track-detail" data-testid="track-detail" aria-label="Track detail">
      <div className="track-detail-head">
        <h2>{detail?.title ?? '…'}</h2>
        <button type="button" className="button-ghost" data-testid="track-detail-close" onClick={() => void selectTrack(null)}>
          Close
        </button>
      </div>
      {error && (
        <div className="alert alert-error" role="alert">
          {describeError(error)}
        </div>
      )}
      {detail && (
        <dl className="detail-grid">
          <dt>Artist</dt>
          <dd>{detail.artist ?? '—'}</dd>
          <dt>Album</dt>
          <dd>{detail.album ?? '—'}</dd>
          <dt>Length</dt>
          <dd>{formatClock(detail.durationSeconds)}</dd>
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
      )}
      <SimilarTracks />
    </section>
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
