// `audio-ident index <folder>...`: each folder added to the library (or its library folder scanned again) through
// the contract, as the app's Library screen and POST /api/v1/ingest do; progress on stderr, the summary JSON on
// stdout, the files that failed listed on stderr once the scan is done. Ctrl+C cancels the scan (exit 130).
import path from 'node:path';
import type { ScanSummary } from '../../src-preload/contract/library.js';
import { DEFAULT_FILE_DEADLINE_MS, DEFAULT_MAX_FILE_SECONDS } from '../engine/jobs/scanFolders.js';
import { CliFailure, contractArgs, EXIT, openCliLibrary, storeNotice, UsageError, valueOf, type CliRun } from './cliLibrary.js';
import { formatError, formatProgress } from './cliText.js';
import { failedFilesSince, scanFolder, sumScans, watchScans } from './scanWait.js';
import { terminalJson, terminalText as t } from './terminalText.js';

const MAX_FAILURES_LISTED = 1000;

export async function indexCommand(run: CliRun): Promise<number> {
  const { io, dataDir } = run;
  if (run.positionals.length === 0) throw new UsageError('index needs at least one folder');
  const maxFileMinutes = run.intOption('max-file-minutes', DEFAULT_MAX_FILE_SECONDS / 60);
  const fileTimeoutMinutes = run.intOption('file-timeout-minutes', DEFAULT_FILE_DEADLINE_MS / 60_000);
  const workerCount = run.values.workers === undefined ? undefined : run.intOption('workers', 1);
  const folders = run.positionals.map((folder) => contractArgs('addFolder', [path.resolve(folder)])[0]);
  const { library, status } = await openCliLibrary(io, {
    dataDir,
    access: 'index',
    workerCount,
    scanLimits: { maxFileSeconds: maxFileMinutes * 60, fileDeadlineMs: fileTimeoutMinutes * 60_000 },
  });
  let cancelled = false;
  const onSigint = (): void => {
    io.stderr('\ncancelling: finishing the files in flight (run index again to resume)...\n');
    cancelled = true;
    void library.cancelScan();
  };
  process.once('SIGINT', onSigint);
  const stopProgress = library.on('scanProgress', (p) => io.stderr(formatProgress(p, io.isTty)));
  try {
    const rebuilding = storeNotice(status);
    if (rebuilding) io.stderr(`${rebuilding}\n`);
    const startedAt = Date.now();
    const summaries: ScanSummary[] = [];
    for (const folder of folders) {
      if (cancelled) break;
      // One folder at a time: each is one scan, and its summary is known before the next starts.
      const watcher = watchScans(library, Infinity);
      try {
        valueOf(await scanFolder(library, folder));
        const outcome = await watcher.settled;
        if (outcome === 'timeout') throw new Error('unreachable: no time limit');
        if (outcome.failure) throw new CliFailure(outcome.failure);
        summaries.push(...outcome.summaries);
      } finally {
        watcher.stop();
      }
    }
    if (io.isTty) io.stderr('\n');
    for (const folder of folders) {
      for (const f of await failedFilesSince(library, folder, startedAt, MAX_FAILURES_LISTED)) io.stderr(`failed: ${t(f.path)}: ${formatError(f.error)}\n`);
    }
    const summary = sumScans(summaries);
    io.stdout(terminalJson({ dataDir, ...summary }) + '\n');
    return summary.cancelled || cancelled ? EXIT.cancelled : EXIT.ok;
  } finally {
    stopProgress();
    process.removeListener('SIGINT', onSigint);
    await library.close();
  }
}
