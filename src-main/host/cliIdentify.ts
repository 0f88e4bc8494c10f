// `audio-ident identify <clip>...`: each clip's bytes sent to the contract's identifyClip, as a file dropped on the
// app (and remembered in History the same way: one entry per clip, the same bytes again count on it). One line per
// clip, in order: words, or with --json the one JSON shape (apiJson.ts). The worst clip decides the exit code.
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { LIMITS, type IdentifyRequest } from '../../src-preload/contract/api.js';
import type { SearchMode } from '../../src-preload/contract/library.js';
import { statRegularFile } from '../engine/audio/regularFile.js';
import { AppError, fileSystemError, toErrorInfo } from '../engine/errors.js';
import { identifyJson } from './apiJson.js';
import { CliFailure, contractArgs, EXIT, exitCodeOf, openCliLibrary, storeNotice, UsageError, valueOf, type CliRun } from './cliLibrary.js';
import { formatError, formatIdentify } from './cliText.js';
import { terminalJson, terminalText as t } from './terminalText.js';

/** A clip's bytes: regular files only (a FIFO would block for ever), at most LIMITS.maxClipBytes, checked before reading. */
async function readClip(clip: string): Promise<Uint8Array> {
  const { size } = await statRegularFile(clip);
  const mb = (n: number): number => Math.round(n / 1e6);
  if (size > LIMITS.maxClipBytes) throw new AppError('file-too-large', `the clip is ${mb(size)} MB; the limit is ${mb(LIMITS.maxClipBytes)} MB`);
  try {
    return await fsp.readFile(clip);
  } catch (err) {
    throw fileSystemError(err, clip);
  }
}

export async function identifyCommand(run: CliRun): Promise<number> {
  const { io, values } = run;
  if (run.positionals.length === 0) throw new UsageError('identify needs at least one clip');
  const maxResults = run.intOption('max-results', 5);
  const mode = (values.mode ?? 'both') as SearchMode;
  if (!['exact', 'vibe', 'both'].includes(mode)) throw new UsageError('--mode must be exact, vibe or both');
  const request = (fileName: string, bytes: Uint8Array): IdentifyRequest => ({
    audio: { kind: 'file', fileName, bytes },
    source: 'file',
    mode,
    maxResults,
    historyKey: randomUUID(),
  });
  contractArgs('identifyClip', [request('clip', new Uint8Array(0))]); // the options, before anything is opened
  const { library, status } = await openCliLibrary(io, { dataDir: run.dataDir, access: 'read' });
  try {
    // The worst clip decides: another failure (3) over an input error (2) over a clip that named nothing (1).
    let exitCode: number = EXIT.ok;
    const rebuilding = storeNotice(status);
    if (rebuilding) io.stderr(`warning: ${rebuilding} Exact matches are missing until you run: audio-ident index <your music folders>\n`);
    for (const clip of run.positionals) {
      let line: Record<string, unknown>;
      try {
        const [args] = contractArgs('identifyClip', [request(path.basename(clip) || 'clip', await readClip(clip))]);
        const result = valueOf(await library.identifyClip(args));
        line = { clip, query_duration_ms: result.durationMs, ...identifyJson(result) };
        if (!values.json) io.stdout(formatIdentify(clip, result));
        const named = result.exact.length > 0 || (mode === 'vibe' && result.vibe.length > 0);
        if (!named) exitCode = Math.max(exitCode, EXIT.notFound);
      } catch (err) {
        const error = err instanceof CliFailure ? err.error : toErrorInfo(err);
        line = { clip, error };
        if (!values.json) io.stdout(`${t(clip)}: error: ${formatError(error)}\n`);
        exitCode = Math.max(exitCode, exitCodeOf(error));
      }
      if (values.json) io.stdout(terminalJson(line) + '\n');
    }
    return exitCode;
  } finally {
    await library.close();
  }
}
