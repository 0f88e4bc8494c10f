// One vibe model: what it is (description, size, licence; its id and vector length under Details), its state, and
// what can be done with it: Download (a progress bar with bytes, Cancel, then "Verifying…"), "Use this model", or
// "In use". A failed download says to check the connection and that the model in use stays in use.
import type { ModelInfo } from '../../../src-preload/contract/library';
import { errorWords, modelDownloadFailedText } from '../../lib/errorText';
import { formatBytes, formatPercent } from '../../lib/format';
import { isDownloadEnded } from '../../store/modelsSlice';
import { useAppStore } from '../../store/useAppStore';
import { Details } from '../../ui/Details';

const STATE_TEXT: Record<ModelInfo['state'], string> = {
  builtin: 'Built in · works offline',
  installed: 'Downloaded',
  missing: 'Not downloaded',
  partial: 'Partly downloaded',
  corrupt: 'Damaged: download it again',
};

export function ModelCard({ model }: { model: ModelInfo }) {
  const progress = useAppStore((s) => s.modelProgress[model.id] ?? null);
  const error = useAppStore((s) => s.modelErrors[model.id] ?? null);
  const switching = useAppStore((s) => s.modelSwitching);
  const installModel = useAppStore((s) => s.installModel);
  const cancelModelInstall = useAppStore((s) => s.cancelModelInstall);
  const chooseModel = useAppStore((s) => s.useModel);
  const inUse = useAppStore((s) => s.models.find((m) => m.active) ?? null);

  const live = progress && !isDownloadEnded(progress) ? progress : null;
  // The last download ended in failure (not a refused "Use this model"): offline, a server error, a bad file.
  const downloadFailed = progress?.phase === 'failed' && error !== null && progress.error === error;
  const downloading = live !== null || model.installing;
  const received = live?.receivedBytes ?? model.downloadedBytes;
  const total = live?.totalBytes || model.sizeBytes;
  const fraction = total > 0 ? received / total : 0;
  const id = `model-${model.id}`;
  const canDownload = model.state === 'missing' || model.state === 'partial' || model.state === 'corrupt';
  const canUse = (model.state === 'installed' || model.state === 'builtin') && !model.active;

  return (
    <li className={`model-card${model.active ? ' active' : ''}`} data-testid={id} data-state={model.state} data-active={model.active}>
      <div className="model-head">
        <strong className="model-name">{model.description}</strong>
        {model.active && (
          <span className="chip chip-strong" data-testid={`${id}-active`}>
            In use
          </span>
        )}
      </div>
      <div className="model-facts muted small">
        <span data-testid={`${id}-size`}>{formatBytes(model.sizeBytes)}</span>
        <span data-testid={`${id}-license`}>Licence: {model.license}</span>
      </div>
      <div className="small" data-testid={`${id}-state`}>
        {downloading ? (live?.phase === 'verifying' ? 'Verifying…' : 'Downloading…') : STATE_TEXT[model.state]}
        {!downloading &&
          model.state === 'partial' &&
          ` (${formatBytes(model.downloadedBytes)} of ${formatBytes(model.sizeBytes)}; it resumes where it stopped)`}
      </div>
      {downloading && (
        <div className="model-progress" data-testid={`${id}-progress`} data-phase={live?.phase ?? 'downloading'}>
          <div
            className="progress"
            role="progressbar"
            aria-label={`Downloading ${model.description}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(fraction * 100)}
            data-testid={`${id}-progress-bar`}
          >
            <div className="progress-fill running" style={{ transform: `scaleX(${Math.min(1, fraction)})` }} />
          </div>
          <div className="scan-facts small">
            <span className="tabular" data-testid={`${id}-bytes`}>
              {formatBytes(received)} / {formatBytes(total)}
            </span>
            <span className="muted tabular">{formatPercent(fraction)}</span>
          </div>
        </div>
      )}
      {error && (
        <div className="alert alert-error small" role="alert" data-testid={`${id}-error`} data-code={error.code}>
          {downloadFailed ? modelDownloadFailedText(inUse && inUse.state !== 'builtin' ? inUse.description : null) : errorWords(error)}
        </div>
      )}
      <Details testId={`${id}-details`}>
        <span className="mono">{model.id}</span> · vectors of {model.dim} numbers
        {error?.detail && <div data-testid={`${id}-error-detail`}>{error.detail}</div>}
      </Details>
      <div className="button-row">
        {downloading ? (
          <button
            type="button"
            className="button-ghost"
            data-testid={`${id}-cancel`}
            disabled={live?.phase === 'verifying'}
            onClick={() => void cancelModelInstall(model.id)}
          >
            Cancel
          </button>
        ) : (
          canDownload && (
            <button type="button" className="button-primary" data-testid={`${id}-download`} onClick={() => void installModel(model.id)}>
              {model.state === 'partial' ? 'Resume download' : 'Download'} (
              {formatBytes(model.sizeBytes - (model.state === 'partial' ? model.downloadedBytes : 0))})
            </button>
          )
        )}
        {canUse && !downloading && (
          <button type="button" className="button-primary" data-testid={`${id}-use`} disabled={switching !== null} onClick={() => void chooseModel(model.id)}>
            {switching === model.id ? 'Switching…' : 'Use this model'}
          </button>
        )}
      </div>
    </li>
  );
}
