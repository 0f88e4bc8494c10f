// Files that could not be indexed, each with its error in plain words; the engine's technical detail (the decoder's
// raw message) waits under a closed "Details" disclosure.
import { errorWords } from '../../lib/errorText';
import { baseName } from '../../lib/format';
import { useAppStore } from '../../store/useAppStore';
import { Details } from '../../ui/Details';

export function FailedFilesPanel() {
  const failedFiles = useAppStore((s) => s.failedFiles);
  const failedTotal = useAppStore((s) => s.failedTotal);
  if (failedTotal === 0) return null;
  return (
    <section className="card" aria-labelledby="failed-heading" data-testid="failed-files">
      <h2 id="failed-heading">
        Could not index <span className="badge">{failedTotal}</span>
      </h2>
      <ul className="failed-list">
        {failedFiles.map((failed) => (
          <li key={failed.path} className="failed-item" data-testid="failed-file" data-code={failed.error.code}>
            <div className="failed-name" data-testid="failed-file-name" title={failed.path}>
              {baseName(failed.path)}
            </div>
            <div className="muted small ellipsis" title={failed.path}>
              {failed.path}
            </div>
            <div className="failed-error small" data-testid="failed-file-error">
              {errorWords(failed.error)}
            </div>
            {failed.error.detail && (
              <Details testId="failed-file-details">
                <span className="failed-detail" data-testid="failed-file-detail">
                  {failed.error.detail}
                </span>
              </Details>
            )}
          </li>
        ))}
      </ul>
      {failedTotal > failedFiles.length && <p className="muted small">and {failedTotal - failedFiles.length} more.</p>}
    </section>
  );
}
