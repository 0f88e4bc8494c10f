// The audio-ident command line: index folders, identify clips, list the songs of a recording, list tracks, serve the
// app to a browser. Each command (cliIndex, cliIdentify, cliTracklist, cliBrowse, cliServe) goes through the same
// contract as the app and the HTTP API: arguments checked by its parseArgs, calls made to LibraryService, History kept
// as the app keeps it, --json in the HTTP API's JSON shape (apiJson.ts). Progress goes to stderr, data to stdout;
// exit codes 0 done/found, 1 not found, 2 usage or input error, 3 other failure, 130 cancelled (see EXIT_CODES).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../engine/dataDir.js';
import { toErrorInfo } from '../engine/errors.js';
import { similarCommand, tracksCommand } from './cliBrowse.js';
import { identifyCommand } from './cliIdentify.js';
import { indexCommand } from './cliIndex.js';
import { CliFailure, EXIT, exitCodeOf, UsageError, type CliIo, type CliRun } from './cliLibrary.js';
import { serve } from './cliServe.js';
import { formatError } from './cliText.js';
import { tracklistCommand } from './cliTracklist.js';
import { isValidToken } from './server.js';
import { terminalText as t } from './terminalText.js';

export type { CliIo } from './cliLibrary.js';
export { appVersion } from './cliLibrary.js';

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

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: Boolean(process.stderr.isTTY),
};

const OPTIONS = {
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
} as const;

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
    parsed = parseArgs({ args: [...rest], allowPositionals: true, options: OPTIONS });
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
    io.stderr(
      `${command} does not take ${t(foreign.map((f) => `--${f}`).join(', '))} (it takes ${allowed.map((o) => `--${o}`).join(', ')}; see audio-ident ${command} --help)\n`,
    );
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const run: CliRun = {
    io,
    dataDir: values.data ? path.resolve(values.data) : defaultDataDir(),
    positionals,
    values,
    intOption(name, fallback) {
      const raw = (values as Record<string, string | boolean | undefined>)[name];
      if (raw === undefined) return fallback;
      const n = Number(raw);
      if (typeof raw !== 'string' || !Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
      return n;
    },
  };
  try {
    switch (command) {
      case 'index':
        return await indexCommand(run);
      case 'identify':
        return await identifyCommand(run);
      case 'tracklist':
        return await tracklistCommand(run);
      case 'similar':
        return await similarCommand(run);
      case 'tracks':
        return await tracksCommand(run);
      case 'serve': {
        if (positionals.length > 0) throw new UsageError('serve takes no positional arguments');
        const port = values.port === undefined ? 0 : Number(values.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be an integer in 0..65535');
        if (values.token !== undefined && !isValidToken(values.token)) throw new UsageError('--token must be 16..256 characters of A-Z a-z 0-9 . _ ~ -');
        return await serve(io, { dataDir: run.dataDir, port, token: values.token, workerCount: values.workers ? run.intOption('workers', 1) : undefined });
      }
      default:
        throw new UsageError(`unknown command: ${String(command satisfies never)}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${t(err.message)} (see audio-ident ${command} --help)\n`);
      return EXIT.usage;
    }
    const error = err instanceof CliFailure ? err.error : toErrorInfo(err);
    io.stderr(`error: ${formatError(error)}\n`);
    return exitCodeOf(error);
  }
}

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
