// The scan: a progress bar with files done/total, the time left and the current file, cancel while running; the
// last scan's summary and a rescan button when idle.
import { useEffect, useRef, useState } from 'react';
import type { ScanProgress } from '../../../src-preload/contract/library';
import { baseName, formatPercent } from '../../lib/format';
import { estimateSecondsLeft, formatTimeLeft, nextEtaAnchor, type EtaAnchor } from '../../lib/scanEta';
import { scanFraction } from '../../store/scanReducer';
import { useAppStore } from '../../store/useAppStore';

export function ScanPanel() {
  const scan = useAppStore((s) => s.scan);
  const cancelScan = useAppStore((s) => s.cancelScan);
  const rescan = useAppStore((s) => s.rescan);
  const hasFolders = useAppStore((s) => s.folders.length > 0);
  const { progress, running, lastSummary } = scan;
  const fraction = scanFraction(progress);
  return (
    <section className="card" aria-labelledby="scan-heading">
      <h2 id="scan-heading">Indexing</h2>
      {progress ? (
        <div className="scan-progress" data-testid="scan-progress" data-phase={running ? progress.phase : 'done'} data-running={running}>
          <div
            className="progress"
            role="progressbar"
            aria-label="Scan progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(fraction * 100)}
            data-testid="scan-progress-bar"
          >
            <div className={`progress-fill${running ? ' running' : ''}`} style={{ transform: `scaleX(${fraction})` }} />
          </div>
          <div className="scan-facts">
            <span data-testid="scan-files" className="tabular">
              {progress.phase === 'walking' && running
                ? 'Looking for files…'
                : `${progress.filesDone.toLocaleString()} / ${progress.filesTotal.toLocaleString()} files`}
            </span>
            <span className="muted tabular" data-testid="scan-time-left">
              {running ? <TimeLeft progress={progress} /> : formatPercent(fraction)}
            </span>
          </div>
          {running && progress.currentFile && (
            <div className="muted small ellipsis" data-testid="scan-current" title={progress.currentFile}>
              {baseName(progress.currentFile)}
            </div>
          )}
          {!running && (
            <div className="small" data-testid="scan-done">
              Done.
            </div>
          )}
        </div>
      ) : (
        <p className="muted" data-testid="scan-idle">
          {hasFolders ? 'Up to date.' : 'Nothing to index yet.'}
        </p>
      )}
      {lastSummary && !running && (
        <p className="muted small" data-testid="scan-summary">
          Last scan: {lastSummary.added} added, {lastSummary.updated} updated, {lastSummary.removed} removed, {lastSummary.duplicates} duplicates,{' '}
          {lastSummary.failed} failed{lastSummary.cancelled ? ' (cancelled)' : ''} in {lastSummary.wallSeconds.toFixed(1)} s.
        </p>
      )}
      <div className="button-row">
        {running ? (
          <button type="button" className="button-ghost" data-testid="scan-cancel" disabled={scan.cancelling} onClick={() => void cancelScan()}>
            {scan.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <button type="button" className="button-ghost" data-testid="rescan-button" disabled={!hasFolders} onClick={() => void rescan()}>
            Rescan
          </button>
        )}
      </div>
    </section>
  );
}

/** "about 3 minutes left", from the rate since indexing began; re-read every few seconds between pushes too. */
function TimeLeft({ progress }: { progress: ScanProgress }) {
  const anchor = useRef<EtaAnchor>(null);
  const [nowMs, setNowMs] = useState(() => Date.now());
  anchor.current = nextEtaAnchor(anchor.current, progress, Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), 5000);
    return () => clearInterval(timer);
  }, []);
  if (progress.phase === 'walking') return <>looking for files…</>;
  if (progress.phase === 'removing') return <>tidying up…</>;
  const seconds = estimateSecondsLeft(anchor.current, progress, Math.max(nowMs, Date.now()));
  return <>{seconds === null ? 'estimating time left…' : formatTimeLeft(seconds)}</>;
}
