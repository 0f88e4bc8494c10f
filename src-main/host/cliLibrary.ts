// How a CLI command reaches the library: through the same contract as the app and the HTTP API (LibraryService, the
// LibraryBackend every door forwards to), in this process. Also the CLI's exit codes and how errors map to them.
import { inspect } from 'node:util';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppStatus, LibraryApi, LibraryMethod } from '../../src-preload/contract/api.js';
import type { AppErrorInfo, Result } from '../../src-preload/contract/library.js';
import { parseArgs } from '../../src-preload/contract/parseArgs.js';
import { LibraryService } from '../engine/libraryService.js';
import { workerRunners } from '../workers/fingerprintRunners.js';
import { terminalText as t } from './terminalText.js';

export const EXIT = { ok: 0, notFound: 1, usage: 2, failure: 3, cancelled: 130 } as const;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTty: boolean;
}

/** A wrong command line: exit 2 with the message and a pointer to --help. */
export class UsageError extends Error {}

/** The library refused a call the command cannot go on without: exit 2 (input) or 3 (anything else). */
export class CliFailure extends Error {
  constructor(readonly error: AppErrorInfo) {
    super(error.detail ?? error.code);
  }
}

/** Error codes that mean the input (a clip, a folder, a path) is the problem, not the app: exit 2. */
const INPUT_ERROR_CODES: ReadonlySet<AppErrorInfo['code']> = new Set([
  'not-found',
  'folder-not-found',
  'unsupported-format',
  'clip-too-short',
  'file-too-large',
  'decode-failed',
  'permission-denied',
  'invalid-argument',
]);

export function exitCodeOf(error: AppErrorInfo): number {
  return INPUT_ERROR_CODES.has(error.code) ? EXIT.usage : EXIT.failure;
}

/** A call's value, or a CliFailure with its error. */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new CliFailure(result.error);
  return result.value;
}

export interface CliLibraryOptions {
  readonly dataDir: string;
  /**
   * 'index' takes the data folder's writer lock ('library-busy' while another writer holds it) and checks the catalog's
   * integrity first; 'read' (identify, tracklist, similar, tracks) takes no lock and runs beside a writer (the app).
   */
  readonly access: 'index' | 'read';
  readonly workerCount?: number;
  readonly scanLimits?: { readonly maxFileSeconds?: number; readonly fileDeadlineMs?: number };
}

/**
 * The library for one command: a LibraryService that neither watches nor scans by itself. A catalog it cannot open
 * (busy, newer than this app, damaged) throws a CliFailure with its error. The vibe model is the one chosen in the
 * app's Settings, as in the app (a chosen model that cannot be loaded falls back to the built-in one).
 */
export async function openCliLibrary(io: CliIo, options: CliLibraryOptions): Promise<{ library: LibraryService; status: AppStatus }> {
  const library = await LibraryService.open({
    dataDir: options.dataDir,
    runners: workerRunners(options.workerCount),
    watch: false,
    scanOnOpen: false,
    warmSearchHelper: false, // one command: a worker's start would cost more than it saves
    appVersion: appVersion(),
    lockAs: options.access === 'index' ? 'index' : null,
    ...(options.scanLimits ? { scanLimits: options.scanLimits } : {}),
    log: (message, error) => io.stderr(`audio-ident: ${t(message)}${error ? `: ${t(error instanceof Error ? error.message : inspect(error))}` : ''}\n`),
  });
  const status = valueOf(await library.getStatus());
  const unavailable = status.notices.find((n) => n.code === 'catalog-unavailable');
  if (unavailable) {
    await library.close();
    throw new CliFailure(unavailable.error ?? { code: 'internal' });
  }
  return { library, status };
}

/** What the library found wrong with the fingerprint index (landmarks/) on opening, in words, or undefined. */
export function storeNotice(status: AppStatus): string | undefined {
  return status.notices.find((n) => n.code === 'store-rebuilding')?.detail;
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

/** What a command gets: where to write, the data folder, and its parsed command line. */
export interface CliRun {
  readonly io: CliIo;
  readonly dataDir: string;
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  /** --name as a positive integer; `fallback` when absent; a UsageError when it is not one. */
  intOption(name: string, fallback: number): number;
}

/** The contract's names for what the CLI calls options, for parseArgs's complaints. */
const OPTION_NAMES: Readonly<Record<string, string>> = {
  maxResults: '--max-results',
  limit: '--max-results',
  perPage: '--per-page',
  page: '--page',
  search: '--search',
  mode: '--mode',
};

/**
 * A call's arguments checked by the contract's parseArgs, as every door checks them; a refusal is a UsageError in
 * the CLI's words (its option names). Run before the library is opened, so a usage error opens (or migrates) nothing.
 */
export function contractArgs<M extends LibraryMethod>(method: M, args: readonly unknown[]): Parameters<LibraryApi[M]> {
  const parsed = parseArgs(method, args);
  if (!parsed.ok) {
    const why = (parsed.error.detail ?? 'invalid argument').replace(`${method}: `, '').replace(/^(\w+)/, (word) => OPTION_NAMES[word] ?? word);
    throw new UsageError(why);
  }
  return parsed.value;
}
