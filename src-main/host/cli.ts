// The audio-ident command line: index folders, identify clips, list tracks, serve the app to a browser.
// Progress goes to stderr, data to stdout. The first user interface of the engine; the app and the HTTP host use the same Library.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AppErrorInfo, IdentifyResult, ScanProgress, SearchMode, VibeMatch } from '../../src-preload/contract/library.js';
import { defaultDataDir } from '../engine/dataDir.js';
import { readModelRegistry } from '../engine/embedding/modelRegistry.js';
import { toErrorInfo } from '../engine/errors.js';
import { DEFAULT_FILE_DEADLINE_MS, DEFAULT_MAX_FILE_SECONDS } from '../engine/jobs/scanFolders.js';
import type { Library } from '../engine/library.js';
import { openBackend } from './openBackend.js';
import { openLibrary } from './openLibrary.js';
import { isValidToken, startHost } from './server.js';

const USAGE = `usage:
  audio-ident index <folder>... [--data DIR] [--workers N] [--max-file-minutes M] [--file-timeout-minutes T]
                                                                 index music folders (progress on stderr, summary JSON on stdout);
                                                                 a file decoding to more than M minutes of audio (default 240)
                                                                 or taking more than T minutes (default 15) is listed as failed
  audio-ident identify <clip>... [--data DIR] [--max-results N] [--mode exact|vibe|both] [--json]
                                                                 name the song in each clip, with the offset inside it (exact),
                                                                 and the library tracks that sound like it (vibe); default both
  audio-ident similar <track> [--data DIR] [--max-results N] [--json]
                                                                 library tracks that sound like a track (its id, or its file path)
  audio-ident tracks [--data DIR] [--search TEXT] [--page N] [--per-page N] [--json]
                                                                 list the library
  audio-ident serve [--data DIR] [--port N] [--token T] [--workers N]
                                                                 run the app for a browser on 127.0.0.1 (and the HTTP API
                                                                 for scripts); prints the URL with its token on stdout;
                                                                 --port 0 (default) picks a free port, --token defaults
                                                                 to a random one per run; Ctrl+C stops it
The library lives in --data DIR, else $AUDIO_IDENT_DATA, else ${defaultDataDir({})}.`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTty: boolean;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTty: Boolean(process.stderr.isTTY),
};

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE + '\n');
    return command ? 0 : 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        workers: { type: 'string' },
        'max-file-minutes': { type: 'string' },
        'file-timeout-minutes': { type: 'string' },
        'max-results': { type: 'string' },
        mode: { type: 'string' },
        json: { type: 'boolean', default: false },
        search: { type: 'string' },
        page: { type: 'string' },
        'per-page': { type: 'string' },
        port: { type: 'string' },
        token: { type: 'string' },
      },
    });
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const dataDir = values.data ? path.resolve(values.data) : defaultDataDir();
  const intOption = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
    return n;
  };

  let library: Library | undefined;
  try {
    switch (command) {
      case 'index': {
        if (positionals.length === 0) throw new UsageError('index needs at least one folder');
        const maxFileMinutes = intOption('max-file-minutes', values['max-file-minutes'], DEFAULT_MAX_FILE_SECONDS / 60);
        const fileTimeoutMinutes = intOption('file-timeout-minutes', values['file-timeout-minutes'], DEFAULT_FILE_DEADLINE_MS / 60_000);
        library = await openLibrary(dataDir, values.workers ? intOption('workers', values.workers, 1) : undefined);
        const controller = new AbortController();
        const onSigint = (): void => {
          io.stderr('\ncancelling: finishing the files in flight (run index again to resume)...\n');
          controller.abort();
        };
        process.once('SIGINT', onSigint);
        try {
          const summary = await library.scan(positionals, {
            signal: controller.signal,
            maxFileSeconds: maxFileMinutes * 60,
            fileDeadlineMs: fileTimeoutMinutes * 60_000,
            onProgress: (p) => io.stderr(formatProgress(p, io.isTty)),
            onError: (file, error) => io.stderr(`${io.isTty ? '\n' : ''}failed: ${file}: ${formatError(error)}\n`),
          });
          if (io.isTty) io.stderr('\n');
          io.stdout(JSON.stringify({ dataDir, ...summary }) + '\n');
          return summary.cancelled ? 130 : 0;
        } finally {
          process.removeListener('SIGINT', onSigint);
        }
      }
      case 'identify': {
        if (positionals.length === 0) throw new UsageError('identify needs at least one clip');
        const maxResults = intOption('max-results', values['max-results'], 5);
        const mode = (values.mode ?? 'both') as SearchMode;
        if (!['exact', 'vibe', 'both'].includes(mode)) throw new UsageError('--mode must be exact, vibe or both');
        library = await openLibrary(dataDir);
        for (const clip of positionals) {
          let line: Record<string, unknown>;
          try {
            const result = await library.identifyFile(clip, { maxResults, mode });
            line = identifyLine(clip, result);
            if (!values.json) io.stdout(formatIdentify(clip, result));
          } catch (err) {
            const error = toErrorInfo(err);
            line = { clip, error };
            if (!values.json) io.stdout(`${clip}: error: ${formatError(error)}\n`);
          }
          if (values.json) io.stdout(JSON.stringify(line) + '\n');
        }
        return 0;
      }
      case 'similar': {
        if (positionals.length !== 1) throw new UsageError('similar needs one track (its id or its file path)');
        const maxResults = intOption('max-results', values['max-results'], 10);
        library = await openLibrary(dataDir);
        const wanted = positionals[0];
        const row = library.catalog.getTrackById(wanted) ?? library.catalog.getFile(path.resolve(wanted))?.trackNum;
        const trackId = typeof row === 'number' ? library.catalog.getTrackByNum(row)?.id : row?.id;
        if (!trackId) {
          io.stderr(`error: not-found: no library track ${wanted}\n`);
          return 1;
        }
        const matches = library.similarTracks(trackId, maxResults);
        if (values.json) io.stdout(JSON.stringify({ trackId, vibe: matches.map(vibeLine) }) + '\n');
        else io.stdout(formatVibe(matches, '') || 'no similar tracks yet\n');
        return 0;
      }
      case 'tracks': {
        // Options first: a usage error must not open (or migrate) any catalog.
        const query = { search: values.search, page: intOption('page', values.page, 1), perPage: intOption('per-page', values['per-page'], 50) };
        library = await openLibrary(dataDir);
        const page = library.listTracks(query);
        if (values.json) io.stdout(JSON.stringify(page) + '\n');
        else {
          for (const t of page.items) io.stdout(`${t.id}  ${t.artist ?? '-'} - ${t.title}  [${t.album ?? '-'}]  ${formatTime(t.durationSeconds)}\n`);
          io.stdout(`page ${page.page} of ${Math.max(1, Math.ceil(page.total / page.perPage))}, ${page.total} tracks\n`);
        }
        return 0;
      }
      case 'serve': {
        if (positionals.length > 0) throw new UsageError('serve takes no positional arguments');
        const port = values.port === undefined ? 0 : Number(values.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be an integer in 0..65535');
        if (values.token !== undefined && !isValidToken(values.token)) throw new UsageError('--token must be 16..256 characters of A-Z a-z 0-9 . _ ~ -');
        return await serve(io, {
          dataDir,
          port,
          token: values.token,
          workerCount: values.workers ? intOption('workers', values.workers, 1) : undefined,
        });
      }
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    io.stderr(`error: ${formatError(toErrorInfo(err))}\n`);
    return 1;
  } finally {
    await library?.close();
  }
}

class UsageError extends Error {}

/** The version in the project's package.json (looked up from this file, compiled or source). */
export function appVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'audio-ident' && pkg.version) return pkg.version;
    } catch {
      // not here; look one folder up
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}

/** `serve`: the library in its worker, the browser host in front of it, until SIGINT/SIGTERM. */
async function serve(io: CliIo, options: { dataDir: string; port: number; token: string | undefined; workerCount: number | undefined }): Promise<number> {
  const version = appVersion();
  // Test-only: AUDIO_IDENT_MODEL_REGISTRY=/abs/registry.json replaces the downloadable vibe models (CLAP) with the
  // ones it lists (the e2e serves a small generated model from a local server), like AUDIO_IDENT_FAKE_MIC for the mic.
  const registryPath = process.env.AUDIO_IDENT_MODEL_REGISTRY;
  const downloadableModels = registryPath ? readModelRegistry(path.resolve(registryPath)) : undefined;
  const backend = await openBackend({ dataDir: options.dataDir, watch: true, appVersion: version, workerCount: options.workerCount, downloadableModels });
  let host;
  try {
    host = await startHost({ backend, port: options.port, token: options.token, appVersion: version });
  } catch (error) {
    await backend.close();
    throw error;
  }
  io.stdout(`audio-ident is running at ${host.url}\n`);
  io.stderr(`library data: ${options.dataDir}\nopen the URL above in a browser; Ctrl+C stops the server\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (s: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(s);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.stderr(`${signal}: stopping (finishing the files in flight)...\n`);
  await host.close();
  await backend.close();
  io.stderr('stopped\n');
  return 0;
}

function identifyLine(clip: string, result: IdentifyResult): Record<string, unknown> {
  return {
    clip,
    durationMs: result.durationMs,
    exact: result.exact.map((m) => ({
      trackId: m.track.id,
      path: m.track.filePath,
      title: m.track.title,
      artist: m.track.artist,
      album: m.track.album,
      confidence: m.confidence,
      offsetSeconds: m.offsetSeconds,
      alignedHashes: m.alignedHashes,
      speedFactor: m.speedFactor,
      pitchFactor: m.pitchFactor,
    })),
    vibe: result.vibe.map(vibeLine),
  };
}

function vibeLine(m: VibeMatch): Record<string, unknown> {
  return {
    trackId: m.track.id,
    path: m.track.filePath,
    title: m.track.title,
    artist: m.track.artist,
    similarity: m.similarity,
    embeddingModel: m.embeddingModel,
    explanation: m.explanation,
  };
}

function formatVibe(matches: readonly VibeMatch[], indent: string): string {
  return matches
    .map((m) => `${indent}${(m.similarity * 100).toFixed(0)}%  ${m.track.artist ?? 'unknown artist'} - ${m.track.title}${m.explanation ? `  (${m.explanation})` : ''}\n`)
    .join('');
}

function formatIdentify(clip: string, result: IdentifyResult): string {
  const vibe = result.vibe.length > 0 ? `  sounds like:\n${formatVibe(result.vibe, '    ')}` : '';
  if (result.exact.length === 0) {
    return result.modeUsed === 'vibe' ? `${clip}: (${Math.round(result.durationMs)} ms)\n${vibe}` : `${clip}: not in your library (${Math.round(result.durationMs)} ms)\n${vibe}`;
  }
  return result.exact
    .map((m, i) => {
      const speed = Math.abs(m.speedFactor - 1) > 1e-9 || Math.abs(m.pitchFactor - 1) > 1e-9
        ? ` (played at ${(m.speedFactor * 100).toFixed(0)}% tempo, ${(m.pitchFactor * 100).toFixed(0)}% pitch)` : '';
      const head = i === 0 ? `${clip}: ` : '  also: ';
      return `${head}${m.track.artist ?? 'unknown artist'} - ${m.track.title} at ${formatTime(m.offsetSeconds)}${speed}, confidence ${(m.confidence * 100).toFixed(0)}% (${m.alignedHashes} aligned hashes, ${result.durationMs} ms)\n`;
    })
    .join('') + vibe;
}

function formatProgress(p: ScanProgress, tty: boolean): string {
  const line = `${p.phase}: ${p.filesDone}/${p.filesTotal} files, ${p.audioSecondsPerSecond.toFixed(0)}x realtime${p.currentFile ? `  ${path.basename(p.currentFile)}` : ''}`;
  return tty ? `\r\x1b[K${line.slice(0, 150)}` : `${line}\n`;
}

function formatError(e: AppErrorInfo): string {
  return e.detail ? `${e.code}: ${e.detail}` : e.code;
}

function formatTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
