// Keep listening's "now playing" text file, for streaming overlays (OBS "text from file"): one line, "Artist - Title"
// of the song a listening session hears now, empty when none does (the song stopped, music not in the library,
// listening stopped, or no audio for NOW_PLAYING_STALE_MS). Written atomically (a temp file beside it, then rename),
// and only when the line changes. The chosen path is remembered in <dataDir>/now-playing.json, as vibe-model.json
// is (a setting, not library data: no catalog migration for it). Sync fs, on the service's thread.
import { lstatSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ListenState, NowPlayingFileSetting } from '../../../src-preload/contract/api.js';
import type { AppErrorInfo, TrackSummary } from '../../../src-preload/contract/library.js';
import { AppError } from '../errors.js';
import { expandHome } from './libraryFolders.js';

export const NOW_PLAYING_SETTING_FILE = 'now-playing.json';
/** An existing file larger than this is refused: it holds something else than a now-playing line (a document). */
export const NOW_PLAYING_MAX_EXISTING_BYTES = 4096;
/** A session with no push for this long hears nothing any more (the page pushes about once a second). */
export const NOW_PLAYING_STALE_MS = 15_000;
const MAX_LINE_LENGTH = 300;

/** "Artist - Title" (the title alone when untagged), on one line: tag text is untrusted, control characters go. */
export function nowPlayingLine(track: TrackSummary): string {
  const text = track.artist ? `${track.artist} - ${track.title}` : track.title;
  const line = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > MAX_LINE_LENGTH ? `${line.slice(0, MAX_LINE_LENGTH - 1)}…` : line;
}

let tmpCount = 0;
/** Writes `text` to `file` so that a reader sees the old content or the new, never half of it. */
export function writeTextAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++tmpCount}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

const refuse = (detail: string, cause?: unknown): never => {
  throw new AppError('file-not-writable', detail, { cause });
};

function isInsideOrSame(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function realOrResolved(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** Refuses what the file at `file` may not be replaced as (a folder, a link, a document); absent is fine. */
function checkReplaceable(file: string): void {
  let stats;
  try {
    stats = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    return refuse(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  if (stats.isSymbolicLink()) refuse(`${file} is a link: choose the file it points to, or a new file`);
  if (!stats.isFile()) refuse(`${file} is a folder or not a plain file`);
  if (stats.size > NOW_PLAYING_MAX_EXISTING_BYTES) refuse(`${file} already holds more than a now-playing line: choose a new file or an empty one`);
}

/**
 * The path the now-playing file may be written at, resolved: absolute (or under "~"), a plain small file or none yet,
 * in a folder that exists, outside the data folder. Throws 'file-not-writable' saying which rule it breaks.
 */
export function checkNowPlayingPath(filePath: string, dataDir: string): string {
  const expanded = expandHome(filePath);
  if (!path.isAbsolute(expanded)) refuse(`${filePath} is not an absolute path`);
  if (/[\\/]$/.test(expanded)) refuse(`${filePath} names a folder, not a file`);
  const file = path.resolve(expanded);
  const folder = path.dirname(file);
  let folderIsDirectory = false;
  try {
    folderIsDirectory = statSync(folder).isDirectory();
  } catch {
    // Checked below.
  }
  if (!folderIsDirectory) refuse(`the folder ${folder} does not exist`);
  const data = realOrResolved(dataDir);
  if (isInsideOrSame(realOrResolved(folder), data) || isInsideOrSame(file, data)) refuse(`${file} is inside the app's data folder`);
  checkReplaceable(file);
  return file;
}

function readSetting(dataDir: string): string | null {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dataDir, NOW_PLAYING_SETTING_FILE), 'utf8')) as { path?: unknown };
    return typeof parsed.path === 'string' && path.isAbsolute(parsed.path) ? parsed.path : null;
  } catch {
    return null;
  }
}

export interface NowPlayingFileOptions {
  readonly dataDir: string;
  readonly log: (message: string, error?: unknown) => void;
  /** Whether this process owns the data folder (it empties a file a crash left full); readers never write. */
  readonly owner: boolean;
  /** Default NOW_PLAYING_STALE_MS. */
  readonly staleMs?: number;
  /** Default Date.now. */
  readonly now?: () => number;
}

/** The file and what the open listening sessions hear; the service feeds it every session's state. */
export class NowPlayingFile {
  private filePath: string | null;
  /** What the file holds as far as we know; null: unknown (not written by us yet). */
  private written: string | null = null;
  private lastError: AppErrorInfo | null = null;
  /** Sessions that hear a song: their line and when they last said so; the latest song to start is shown. */
  private readonly heardBy = new Map<string, { line: string; atMs: number }>();
  private staleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly staleMs: number;
  private readonly now: () => number;

  constructor(private readonly options: NowPlayingFileOptions) {
    this.staleMs = options.staleMs ?? NOW_PLAYING_STALE_MS;
    this.now = options.now ?? Date.now;
    this.filePath = readSetting(options.dataDir);
    this.render();
  }

  setting(): NowPlayingFileSetting {
    return { path: this.filePath, lastError: this.lastError };
  }

  /** Turns the file on at `filePath` (checked, and written at once) or off (null); the file left behind is emptied. */
  choose(filePath: string | null): NowPlayingFileSetting {
    const next = filePath === null ? null : checkNowPlayingPath(filePath, this.options.dataDir);
    if (next !== null) {
      try {
        writeTextAtomically(next, this.line());
      } catch (error) {
        refuse(`${next} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
      }
    }
    const previous = this.filePath;
    writeTextAtomically(path.join(this.options.dataDir, NOW_PLAYING_SETTING_FILE), `${JSON.stringify({ path: next }, null, 2)}\n`);
    this.filePath = next;
    this.written = next === null ? null : this.line();
    this.lastError = null;
    if (previous !== null && previous !== next) this.empty(previous);
    return this.setting();
  }

  /** A session's answer (a push, or its stop: playing null): what it hears now. Returns `state`. */
  heard(state: ListenState): ListenState {
    const line = state.playing ? nowPlayingLine(state.playing.track) : null;
    const before = this.heardBy.get(state.sessionId);
    if (line === null) this.heardBy.delete(state.sessionId);
    else if (before?.line === line) before.atMs = this.now();
    else {
      // A new song: moved to the end, so the file shows it even while another session hears an older one.
      this.heardBy.delete(state.sessionId);
      this.heardBy.set(state.sessionId, { line, atMs: this.now() });
    }
    this.render();
    return state;
  }

  /** Listening stops with the service: the file is emptied. */
  close(): void {
    clearTimeout(this.staleTimer);
    this.heardBy.clear();
    this.render();
  }

  private line(): string {
    let line = '';
    for (const heard of this.heardBy.values()) line = heard.line;
    return line;
  }

  private render(): void {
    if (!this.options.owner) return;
    this.dropStale();
    const line = this.line();
    if (this.filePath === null || (line === this.written && this.lastError === null)) return;
    const file = this.filePath;
    try {
      checkReplaceable(file);
      writeTextAtomically(file, line);
      this.written = line;
      this.lastError = null;
    } catch (error) {
      const info: AppErrorInfo =
        error instanceof AppError
          ? error.toInfo()
          : { code: 'file-not-writable', detail: `${file} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
      if (info.detail !== this.lastError?.detail) this.options.log(`the now-playing file could not be written: ${info.detail ?? ''}`, error);
      this.lastError = info;
    }
  }

  /** Forgets sessions quiet for staleMs (a page reloaded or closed without stopping) and sets a timer for the next. */
  private dropStale(): void {
    clearTimeout(this.staleTimer);
    this.staleTimer = undefined;
    const now = this.now();
    for (const [id, heard] of this.heardBy) if (now - heard.atMs >= this.staleMs) this.heardBy.delete(id);
    if (this.heardBy.size === 0) return;
    const oldest = Math.min(...[...this.heardBy.values()].map((h) => h.atMs));
    this.staleTimer = setTimeout(() => this.render(), Math.max(1, oldest + this.staleMs - now));
    this.staleTimer.unref?.();
  }

  private empty(file: string): void {
    try {
      checkReplaceable(file);
      writeTextAtomically(file, '');
    } catch (error) {
      this.options.log(`the previous now-playing file ${file} could not be emptied`, error);
    }
  }
}
