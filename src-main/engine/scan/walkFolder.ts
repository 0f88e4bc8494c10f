// Lists the audio files under a folder, recursively: follows symlinks but never loops, skips hidden and system
// entries, reports unreadable folders through onError and files it cannot reach (broken links, over-long paths,
// permissions) through onFileError, and carries on. Regular files only: a FIFO or a device is never listed, whatever
// its name. Output sorted by path; async fs only.
import type { Dirent, Stats } from 'node:fs';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { AppErrorInfo } from '../../../src-preload/contract/library.js';
import { AppError, fileSystemError } from '../errors.js';

export interface WalkedFile {
  /** Absolute path as reached from the root (through symlinks, not resolved). */
  readonly path: string;
  readonly sizeBytes: number;
  /** Modification time, ms since the epoch. */
  readonly mtimeMs: number;
}

export interface WalkFolderOptions {
  /** Aborting makes walkFolder reject with AppError('cancelled'). */
  readonly signal?: AbortSignal;
  /** Told about each folder that could not be listed ('permission-denied' or 'not-found'); the walk goes on. */
  readonly onError?: (path: string, error: AppErrorInfo) => void;
  /**
   * Told about each entry that looks like audio (or, for a broken link, might have been a folder: no extension) but
   * could not be reached: a broken symlink, a path too long for the system (ENAMETOOLONG), a stat refused (EACCES),
   * a link loop (ELOOP). A sub-folder whose stat fails this way goes to onError. The walk goes on.
   */
  readonly onFileError?: (path: string, error: AppErrorInfo) => void;
}

/** Lowercase extensions, without the dot, of files worth decoding. */
export const AUDIO_EXTENSIONS: ReadonlySet<string> = new Set([
  'mp3',
  'mp2',
  'flac',
  'ogg',
  'oga',
  'opus',
  'm4a',
  'm4b',
  'mp4',
  'aac',
  'wav',
  'wave',
  'aif',
  'aiff',
  'aifc',
  'wma',
  'ape',
  'wv',
  'mpc',
  'alac',
  'mka',
  'webm',
  'caf',
  'mod',
  'xm',
  'it',
  's3m',
]);

/** Folders and files made by NAS boxes, recycle bins and OSes, matched case-insensitively. */
const SYSTEM_NAMES: ReadonlySet<string> = new Set(['@eadir', '$recycle.bin', 'system volume information', 'lost+found', 'thumbs.db', 'desktop.ini']);

/** True when the path's extension (case-insensitive) is one of AUDIO_EXTENSIONS. */
export function isAudioPath(filePath: string): boolean {
  const ext = path.extname(filePath);
  return ext.length > 1 && AUDIO_EXTENSIONS.has(ext.slice(1).toLowerCase());
}

/** Hidden (dot) names, which include `.Trash-1000` and AppleDouble `._x`, and known system names. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || SYSTEM_NAMES.has(name.toLowerCase());
}

/**
 * Walks `root` and returns its audio files. Real folders are walked before any symlink is followed, so a folder
 * reached both directly and through a link is listed under its real path; each folder (by device and inode) is
 * listed once, and a symlinked file whose target was already listed is not listed again.
 * Throws AppError('folder-not-found') when root is missing or not a folder, 'permission-denied' when root itself
 * cannot be listed, 'cancelled' on abort.
 */
export async function walkFolder(root: string, options: WalkFolderOptions = {}): Promise<WalkedFile[]> {
  const { signal, onError, onFileError } = options;
  const rootPath = path.resolve(root);
  let rootStats: Stats;
  try {
    rootStats = await fsp.stat(rootPath);
  } catch (err) {
    throw new AppError('folder-not-found', rootPath, { cause: err });
  }
  if (!rootStats.isDirectory()) throw new AppError('folder-not-found', `${rootPath} is not a folder`);

  const visitedDirs = new Set<string>();
  const listedFiles = new Set<string>();
  const files: WalkedFile[] = [];
  /** Folders waiting to be listed; `linked` ones were already marked visited when their link was followed. */
  const dirQueue: { path: string; linked: boolean }[] = [{ path: rootPath, linked: false }];
  let dirHead = 0;
  /** Symlinks seen while listing, followed only once no real folder is left to list. */
  const symlinks: string[] = [];
  let symlinkHead = 0;

  const addFile = (filePath: string, stats: Stats): void => {
    listedFiles.add(inodeKey(stats));
    files.push({ path: filePath, sizeBytes: stats.size, mtimeMs: stats.mtimeMs });
  };

  while (dirHead < dirQueue.length || symlinkHead < symlinks.length) {
    throwIfAborted(signal);
    if (dirHead < dirQueue.length) {
      const { path: dirPath, linked } = dirQueue[dirHead++];
      if (!linked) {
        let dirStats: Stats | null = rootStats;
        if (dirPath !== rootPath) {
          try {
            dirStats = await fsp.stat(dirPath);
          } catch (err) {
            // Gone since it was listed: nothing to say. Too long a path, or refused: say so.
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onError?.(dirPath, fileSystemError(err, dirPath, 'internal').toInfo());
            dirStats = null;
          }
        }
        if (dirStats === null || visitedDirs.has(inodeKey(dirStats))) continue;
        visitedDirs.add(inodeKey(dirStats));
      }
      let entries: Dirent[];
      try {
        entries = await fsp.readdir(dirPath, { withFileTypes: true });
      } catch (err) {
        const info = listingError(err, dirPath);
        if (dirPath === rootPath) throw new AppError(info.code, info.detail, { cause: err });
        onError?.(dirPath, info);
        continue;
      }
      entries.sort((a, b) => compareStrings(a.name, b.name));
      const audioFiles: string[] = [];
      for (const entry of entries) {
        if (isIgnoredName(entry.name)) continue;
        const entryPath = path.join(dirPath, entry.name);
        if (entry.isSymbolicLink()) symlinks.push(entryPath);
        else if (entry.isDirectory()) dirQueue.push({ path: entryPath, linked: false });
        else if (entry.isFile() && isAudioPath(entry.name)) audioFiles.push(entryPath);
      }
      // One folder's files are stat'ed together; a file that vanished meanwhile is simply not listed, one that cannot
      // be reached (too long a path, refused) is reported.
      const stats = await Promise.all(audioFiles.map((filePath) => fsp.stat(filePath).catch((err: unknown) => err as NodeJS.ErrnoException)));
      for (let i = 0; i < audioFiles.length; i++) {
        const fileStats = stats[i];
        if (!(fileStats instanceof Error)) {
          if (fileStats.isFile()) addFile(audioFiles[i], fileStats);
        } else if (fileStats.code !== 'ENOENT') {
          onFileError?.(audioFiles[i], fileSystemError(fileStats, audioFiles[i], 'internal').toInfo());
        }
      }
      continue;
    }

    const linkPath = symlinks[symlinkHead++];
    let target: Stats;
    try {
      target = await fsp.stat(linkPath);
    } catch (err) {
      // A dangling or unreadable link: reported when it was meant as audio, or may have been a folder (no extension).
      if (isAudioPath(linkPath) || path.extname(linkPath) === '') onFileError?.(linkPath, linkError(err, linkPath));
      continue;
    }
    if (target.isDirectory()) {
      const key = inodeKey(target);
      if (visitedDirs.has(key)) continue;
      visitedDirs.add(key);
      dirQueue.push({ path: linkPath, linked: true });
    } else if (target.isFile() && isAudioPath(linkPath) && !listedFiles.has(inodeKey(target))) {
      addFile(linkPath, target);
    }
  }

  files.sort((a, b) => compareStrings(a.path, b.path));
  return files;
}

function inodeKey(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function listingError(err: unknown, dirPath: string): AppErrorInfo {
  return fileSystemError(err, dirPath, 'internal').toInfo();
}

function linkError(err: unknown, linkPath: string): AppErrorInfo {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { code: 'not-found', detail: `broken symbolic link (its target is missing): ${linkPath}` };
  return fileSystemError(err, linkPath, 'internal').toInfo();
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('cancelled', 'folder walk cancelled');
}
