// The audio-ident command line: index folders, identify clips, list tracks, serve the app to a browser.
// Progress goes to stderr, data to stdout; exit codes 0 done/found, 1 not found, 2 usage or input error, 3 other
// failure (see EXIT_CODES). The first user interface of the engine; the app and the HTTP host use the same Library.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AppErrorInfo, IdentifyResult, ScanProgress, SearchMode, Tracklist, TracklistProgress, VibeMatch } from '../../src-preload/contract/library.js';
import { tracklistClock, tracklistCsv, tracklistCue, tracklistJson } from '../../src-preload/contract/tracklistFormats.js';
import { defaultDataDir } from '../engine/dataDir.js';
import { readModelRegistry } from '../engine/embedding/modelRegistry.js';
import { toErrorInfo } from '../engine/errors.js';
import { DEFAULT_FILE_DEADLINE_MS, DEFAULT_MAX_FILE_SECONDS } from '../engine/jobs/scanFolders.js';
import type { Library } from '../engine/library.js';
import { openBackend } from './openBackend.js';
import { openLibrary } from './openLibrary.js';
import { isValidToken, startHost } from './server.js';
import { terminalJson, terminalText as t } from './terminalText.js';

/** The options each command takes; any other option is refused (exit 2). --help/-h works everywhere. */
const COMMANDS = {
  index: {
    options: ['data', 'workers', 'max-file-minutes', 'file-timeout-minutes'],
    usage: `  audio-ident index <folder>... [--data DIR] [--workers N] [--max-file-minutes M] [--file-timeout-minutes T]
                                                                 index music folders (progress on stderr, summary JSON on stdout);
                                                                 a file decoding to more than M minutes of audio (default 240)
                                                                 or taking more than T minutes (default 15) is listed as failed`,
  },
  identify: {
    options: ['data', 'max-results', 'mode', 'json'],
    usage: `  audio-ident identify <clip>... [--data DIR] [--max-results N] [--mode exact|vibe|both] [--json]
                                                                 name the song in each clip, with the offset inside it (exact),
                                                                 and the library tracks that sound like it (vibe); default both`,
  },
  tracklist: {
    options: ['data', 'json', 'cue', 'csv'],
    usage: `  audio-ident tracklist <recording>... [--data DIR] [--json | --cue | --csv]
                                                                 the songs of a long recording (a DJ mix, a radio show), in
                                                                 time order: where each plays, where in the song, its speed,
                                                                 and the stretches not in your library; --json one line per
                                                                 recording, --cue a CUE sheet, --csv a header and one row per
                                                                 stretch (--cue and --csv take one recording); progress on
                                                                 stderr in a terminal; exit 0 when every recording named a
                                                                 song, 1 when one named none; Ctrl+C cancels (130)`,
  },
  similar: {
    options: ['data', 'max-results', 'json'],
    usage: `  audio-ident similar <track> [--data DIR] [--max-results N] [--json]
                                                                 library tracks that sound like a track (its id, or its file path)`,
  },
  tracks: {
    options: ['data', 'search', 'page', 'per-page', 'json'],
    usage: `  audio-ident tracks [--data DIR] [--search TEXT] [--page N] [--per-page N] [--json]
                                                                 list the library`,
  },
  serve: {
    options: ['data', 'port', 'token', 'workers'],
    usage: `  audio-ident serve [--data DIR] [--port N] [--token T] [--workers N]
                                                                 run the app for a browser on 127.0.0.1 (and the HTTP API
                                                                 for scripts); prints the URL with its token on stdout;
                                                                 --port 0 (default) picks a free port, --token defaults
                                                                 to a random one per run; Ctrl+C stops it`,
  },
} as const;
type Command = keyof typeof COMMANDS;

const EXIT_CODES = `exit codes:
  0  done; for identify: every clip was named (an exact match, or with --mode vibe a similar track)
  1  not found: some clip named nothing (identify), some recording named no song (tracklist), or no such track
     (similar)
  2  usage or input error: a wrong command or option, a clip or folder that is missing, unreadable, too short
     or too large (identify still answers the other clips)
  3  any other failure (the library could not be opened, ffmpeg is missing, an internal error)
  130 index or tracklist was cancelled with Ctrl+C (run index again to resume)`;

const dataNote = (): string => `The library lives in --data DIR, else $AUDIO_IDENT_DATA, else ${defaultDataDir({})}.`;

function usage(command?: Command): string {
  const lines = command ? [COMMANDS[command].usage] : Object.values(COMMANDS).map((c) => c.usage);
  return `usage:\n${lines.join('\n')}\n  audio-ident <command> --help                                  this help for one command\n${dataNote()}\n${EXIT_CODES}`;
}

function isCommand(name: string): name is Command {
  return Object.hasOwn(COMMANDS, name);
}

/** Error codes that mean the input (a clip, a folder, a path) is the problem, not the app: exit 2. */
const INPUT_ERROR_CODES: ReadonlySet<AppErrorInfo['code']> = new Set([
  'not-found', 'folder-not-found', 'unsupported-format', 'clip-too-short', 'file-too-large', 'decode-failed', 'permission-denied', 'invalid-argument',
]);

const EXIT = { ok: 0, notFound: 1, usage: 2, failure: 3 } as const;

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
  if (!command) {
    io.stderr(usage() + '\n');
    return EXIT.usage;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    const about = rest[0];
    io.stdout(usage(about !== undefined && isCommand(about) ? about : undefined) + '\n');
    return EXIT.ok;
  }
  if (!isCommand(command)) {
    io.stderr(`unknown command: ${t(command)} (commands: ${Object.keys(COMMANDS).join(', ')}; see audio-ident --help)\n`);
    return EXIT.usage;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        data: { type: 'string' },
        workers: { type: 'string' },
        'max-file-minutes': { type: 'string' },
        'file-timeout-minutes': { type: 'string' },
        'max-results': { type: 'string' },
        mode: { type: 'string' },
        json: { type: 'boolean' },
        cue: { type: 'boolean' },
        csv: { type: 'boolean' },
        search: { type: 'string' },
        page: { type: 'string' },
        'per-page': { type: 'string' },
        port: { type: 'string' },
        token: { type: 'string' },
      },
    });
  } catch (err) {
    io.stderr(`${t(plainParseError(err, command))}\n`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout(usage(command) + '\n');
    return EXIT.ok;
  }
  const allowed: readonly string[] = COMMANDS[command].options;
  const foreign = Object.keys(parsed.values).filter((name) => name !== 'help' && !allowed.includes(name));
  if (foreign.length > 0) {
    io.stderr(`${command} does not take ${t(foreign.map((f) => `--${f}`).join(', '))} (it takes ${allowed.map((o) => `--${o}`).join(', ')}; see audio-ident ${command} --help)\n`);
    return EXIT.usage;
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
        library = await openLibrary(dataDir, values.workers ? intOption('workers', values.workers, 1) : undefined, 'index');
        const rebuilding = storeNotice(library);
        if (rebuilding) io.stderr(`${rebuilding}; rebuilding it now\n`);
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
            onError: (file, error) => io.stderr(`${io.isTty ? '\n' : ''}failed: ${t(file)}: ${formatError(error)}\n`),
          });
          if (io.isTty) io.stderr('\n');
          io.stdout(terminalJson({ dataDir, ...summary }) + '\n');
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
        // The worst clip decides: another failure (3) over an input error (2) over a clip that named nothing (1).
        let exitCode: number = EXIT.ok;
        const rebuilding = storeNotice(library);
        if (rebuilding) io.stderr(`warning: ${rebuilding}; exact matches are missing until you run: audio-ident index <your music folders>\n`);
        for (const clip of positionals) {
          let line: Record<string, unknown>;
          try {
            const result = await library.identifyFile(clip, { maxResults, mode });
            line = identifyLine(clip, result);
            if (!values.json) io.stdout(formatIdentify(clip, result));
            const named = result.exact.length > 0 || (mode === 'vibe' && result.vibe.length > 0);
            if (!named) exitCode = Math.max(exitCode, EXIT.notFound);
          } catch (err) {
            const error = toErrorInfo(err);
            line = { clip, error };
            if (!values.json) io.stdout(`${t(clip)}: error: ${formatError(error)}\n`);
            exitCode = Math.max(exitCode, INPUT_ERROR_CODES.has(error.code) ? EXIT.usage : EXIT.failure);
          }
          if (values.json) io.stdout(terminalJson(line) + '\n');
        }
        return exitCode;
      }
      case 'tracklist': {
        if (positionals.length === 0) throw new UsageError('tracklist needs at least one recording');
        const formats = (['json', 'cue', 'csv'] as const).filter((f) => values[f]);
        if (formats.length > 1) throw new UsageError(`choose one of --json, --cue and --csv (got ${formats.map((f) => `--${f}`).join(' and ')})`);
        const format = formats[0] ?? 'text';
        if ((format === 'cue' || format === 'csv') && positionals.length > 1) throw new UsageError(`--${format} takes one recording (run it once per file)`);
        library = await openLibrary(dataDir);
        const rebuilding = storeNotice(library);
        if (rebuilding) io.stderr(`warning: ${rebuilding}; songs are missing until you run: audio-ident index <your music folders>\n`);
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
            try {
              const list = await library.tracklistFile(file, {
                signal: controller.signal,
                onProgress: io.isTty ? (p) => io.stderr(formatTracklistProgress(file, p)) : undefined,
              });
              if (io.isTty) io.stderr('\r\x1b[K');
              const songs = list.segments.filter((seg) => seg.track !== null).length;
              if (songs === 0) exitCode = Math.max(exitCode, EXIT.notFound);
              if (format === 'json') io.stdout(terminalJson(tracklistJson(file, list)) + '\n');
              else if (format === 'cue') io.stdout(tracklistCue(file, list));
              else if (format === 'csv') io.stdout(tracklistCsv(list));
              else io.stdout(formatTracklist(file, list));
            } catch (err) {
              if (io.isTty) io.stderr('\r\x1b[K');
              const error = toErrorInfo(err);
              if (error.code === 'cancelled' && controller.signal.aborted) return 130;
              if (format === 'json') io.stdout(terminalJson({ file, error }) + '\n');
              else io.stderr(`${t(file)}: error: ${formatError(error)}\n`);
              exitCode = Math.max(exitCode, INPUT_ERROR_CODES.has(error.code) ? EXIT.usage : EXIT.failure);
            }
          }
        } finally {
          process.removeListener('SIGINT', onSigint);
        }
        return exitCode;
      }
      case 'similar': {
        if (positionals.length !== 1) throw new UsageError('similar needs one track (its id or its file path)');
        const maxResults = intOption('max-results', values['max-results'], 10);
        library = await openLibrary(dataDir);
        const wanted = positionals[0];
        const row = library.catalog.getTrackById(wanted) ?? library.catalog.getFile(path.resolve(wanted))?.trackNum;
        const trackId = typeof row === 'number' ? library.catalog.getTrackByNum(row)?.id : row?.id;
        if (!trackId) {
          io.stderr(`error: not-found: no library track ${t(wanted)}\n`);
          return EXIT.notFound;
        }
        const matches = library.similarTracks(trackId, maxResults);
        if (values.json) io.stdout(terminalJson({ trackId, vibe: matches.map(vibeLine) }) + '\n');
        else io.stdout(formatVibe(matches, '') || 'no similar tracks yet\n');
        return 0;
      }
      case 'tracks': {
        // Options first: a usage error must not open (or migrate) any catalog.
        const query = { search: values.search, page: intOption('page', values.page, 1), perPage: intOption('per-page', values['per-page'], 50) };
        library = await openLibrary(dataDir);
        const page = library.listTracks(query);
        if (values.json) io.stdout(terminalJson(page) + '\n');
        else {
          for (const track of page.items) io.stdout(`${track.id}  ${t(track.artist ?? '-')} - ${t(track.title)}  [${t(track.album ?? '-')}]  ${formatTime(track.durationSeconds)}\n`);
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
        throw new UsageError(`unknown command: ${String(command satisfies never)}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${t(err.message)} (see audio-ident ${command} --help)\n`);
      return EXIT.usage;
    }
    const error = toErrorInfo(err);
    io.stderr(`error: ${formatError(error)}\n`);
    return INPUT_ERROR_CODES.has(error.code) ? EXIT.usage : EXIT.failure;
  } finally {
    await library?.close();
  }
}

class UsageError extends Error {}

/** node:util parseArgs's complaint (an unknown option, a missing value) in plain words. */
function plainParseError(err: unknown, command: Command): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const option = /'(-{1,2}[\w-]+)/.exec(message)?.[1] ?? /(--?[\w-]+)/.exec(message)?.[1];
  const see = `see audio-ident ${command} --help`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `${command} does not take ${option} (${see})`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `${option} needs a value (${see})`;
  return `${message} (${see})`;
}

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
    host = await startHost({ backend, port: options.port, token: options.token, appVersion: version, dataDir: options.dataDir });
  } catch (error) {
    await backend.close();
    throw error;
  }
  io.stdout(`audio-ident is running at ${host.url}\n`);
  io.stderr(`library data: ${t(options.dataDir)}\nopen the URL above in a browser; Ctrl+C stops the server\n`);
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

/** What opening found wrong with the fingerprint index (landmarks/), in words, or undefined when nothing. */
function storeNotice(library: Library): string | undefined {
  const { storeWasDamaged, storeWasMissing, repair } = library.opened;
  const count = repair.tracksToRefingerprint;
  if (storeWasDamaged) return `the fingerprint index was damaged and set aside: ${count} tracks must be fingerprinted again`;
  if (storeWasMissing) return `the fingerprint index is missing: ${count} tracks must be fingerprinted again`;
  if (count > 0) return `${count} tracks must be fingerprinted again`;
  return undefined;
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
    .map((m) => `${indent}${(m.similarity * 100).toFixed(0)}%  ${t(m.track.artist ?? 'unknown artist')} - ${t(m.track.title)}${m.explanation ? `  (${t(m.explanation)})` : ''}\n`)
    .join('');
}

function formatIdentify(rawClip: string, result: IdentifyResult): string {
  const clip = t(rawClip);
  const vibe = result.vibe.length > 0 ? `  sounds like:\n${formatVibe(result.vibe, '    ')}` : '';
  if (result.exact.length === 0) {
    return result.modeUsed === 'vibe' ? `${clip}: (${Math.round(result.durationMs)} ms)\n${vibe}` : `${clip}: not in your library (${Math.round(result.durationMs)} ms)\n${vibe}`;
  }
  return result.exact
    .map((m, i) => {
      const speed = Math.abs(m.speedFactor - 1) > 1e-9 || Math.abs(m.pitchFactor - 1) > 1e-9
        ? ` (played at ${(m.speedFactor * 100).toFixed(0)}% tempo, ${(m.pitchFactor * 100).toFixed(0)}% pitch)` : '';
      const head = i === 0 ? `${clip}: ` : '  also: ';
      return `${head}${t(m.track.artist ?? 'unknown artist')} - ${t(m.track.title)} at ${formatTime(m.offsetSeconds)}${speed}, confidence ${(m.confidence * 100).toFixed(0)}% (${m.alignedHashes} aligned hashes, ${result.durationMs} ms)\n`;
    })
    .join('') + vibe;
}

/** One recording's tracklist for people: a header, then one line per stretch ("0:00-0:30  Beta — Artist  (from 0:10)"). */
function formatTracklist(file: string, list: Tracklist): string {
  const songs = list.segments.filter((s) => s.track !== null).length;
  const lines = [`${t(file)}: ${songs === 0 ? 'no song of your library' : `${songs} song${songs === 1 ? '' : 's'}`} in ${formatTime(list.durationSeconds)} (${list.durationMs} ms)`];
  for (const s of list.segments) {
    const when = `${tracklistClock(s.start)}-${tracklistClock(s.end)}`;
    if (!s.track) {
      lines.push(`${when}  not in your library`);
      continue;
    }
    const who = s.track.artist ? `${t(s.track.title)} — ${t(s.track.artist)}` : t(s.track.title);
    const speed = s.speedFactor !== null && Math.abs(s.speedFactor - 1) >= 0.005 ? `, played at ${(s.speedFactor * 100).toFixed(0)}% speed` : '';
    lines.push(`${when}  ${who}  (from ${tracklistClock(s.offsetSeconds ?? 0)}${speed})`);
  }
  return lines.join('\n') + '\n';
}

function formatTracklistProgress(file: string, p: TracklistProgress): string {
  const of = p.totalSeconds ? ` of ${tracklistClock(p.totalSeconds)}` : '';
  return `\r\x1b[K${`${t(path.basename(file))}: ${tracklistClock(p.doneSeconds)}${of} searched, ${p.songs} song${p.songs === 1 ? '' : 's'} so far`.slice(0, 150)}`;
}

function formatProgress(p: ScanProgress, tty: boolean): string {
  const line = `${p.phase}: ${p.filesDone}/${p.filesTotal} files, ${p.audioSecondsPerSecond.toFixed(0)}x realtime${p.currentFile ? `  ${t(path.basename(p.currentFile))}` : ''}`;
  return tty ? `\r\x1b[K${line.slice(0, 150)}` : `${line}\n`;
}

function formatError(e: AppErrorInfo): string {
  return e.detail ? `${e.code}: ${t(e.detail)}` : e.code;
}

function formatTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
