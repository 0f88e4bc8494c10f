// `audio-ident tracklist <recording>...`: the contract's tracklist run on each file where it lies (the backend's
// tracklistFile, as POST /api/v1/tracklist does with its upload), with its progress events on stderr in a terminal.
// Words, --json (apiJson.ts), --cue or --csv (the contract's tracklistFormats). Ctrl+C cancels (exit 130).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { tracklistCsv, tracklistCue } from '../../src-preload/contract/tracklistFormats.js';
import { tracklistJson } from './apiJson.js';
import { EXIT, exitCodeOf, openCliLibrary, storeNotice, UsageError, type CliRun } from './cliLibrary.js';
import { formatError, formatTracklist, formatTracklistProgress } from './cliText.js';
import { terminalJson, terminalText as t } from './terminalText.js';

export async function tracklistCommand(run: CliRun): Promise<number> {
  const { io, values, positionals } = run;
  if (positionals.length === 0) throw new UsageError('tracklist needs at least one recording');
  const formats = (['json', 'cue', 'csv'] as const).filter((f) => values[f]);
  if (formats.length > 1) throw new UsageError(`choose one of --json, --cue and --csv (got ${formats.map((f) => `--${f}`).join(' and ')})`);
  const format = formats[0] ?? 'text';
  if ((format === 'cue' || format === 'csv') && positionals.length > 1) throw new UsageError(`--${format} takes one recording (run it once per file)`);
  const { library, status } = await openCliLibrary(io, { dataDir: run.dataDir, access: 'read' });
  const rebuilding = storeNotice(status);
  if (rebuilding) io.stderr(`warning: ${rebuilding} Songs are missing until you run: audio-ident index <your music folders>\n`);
  const controller = new AbortController();
  const onSigint = (): void => {
    io.stderr('\ncancelling...\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  // The worst recording decides, as for identify; Ctrl+C stops at once with 130.
  let exitCode: number = EXIT.ok;
  try {
    for (const file of positionals) {
      const runId = randomUUID();
      const stopProgress = library.on('tracklistProgress', (p) => {
        if (io.isTty && p.runId === runId) io.stderr(formatTracklistProgress(file, p));
      });
      const result = await library.tracklistFile({ filePath: path.resolve(file), runId }, controller.signal).finally(stopProgress);
      if (io.isTty) io.stderr('\r\x1b[K');
      if (!result.ok) {
        const { error } = result;
        if (error.code === 'cancelled' && controller.signal.aborted) return EXIT.cancelled;
        if (format === 'json') io.stdout(terminalJson({ file, error }) + '\n');
        else io.stderr(`${t(file)}: error: ${formatError(error)}\n`);
        exitCode = Math.max(exitCode, exitCodeOf(error));
        continue;
      }
      const list = result.value;
      if (list.segments.every((seg) => seg.track === null)) exitCode = Math.max(exitCode, EXIT.notFound);
      if (format === 'json') io.stdout(terminalJson(tracklistJson(file, list)) + '\n');
      else if (format === 'cue') io.stdout(tracklistCue(file, list));
      else if (format === 'csv') io.stdout(tracklistCsv(list));
      else io.stdout(formatTracklist(file, list));
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
    await library.close();
  }
  return exitCode;
}
