// The selected track's detail: tags, fingerprint status/version/landmarks, embedding status, duplicates and file info.
import { describeError } from '../../lib/errorText';
import { formatBytes, formatClock, formatDateTime } from '../../lib/format';
import { useAppStore } from '../../store/useAppStore';

const FINGERPRINT_WORDS = { pending: 'waiting to be fingerprinted', indexed: 'fingerprinted', failed: 'fingerprinting failed' } as const;
const EMBEDDING_WORDS = { none: 'no vibe embedding (vibe lane not installed)', pending: 'waiting for the vibe lane', indexed: 'embedded', failed: 'embedding failed' } as const;

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
    </section>
  );
}
