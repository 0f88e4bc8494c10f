// Watches library roots with chokidar and reports, debounced and batched, which roots changed. Half-copied files
// wait for awaitWriteFinish; a rename arrives as unlink + add and is recognised by content hash by the scan it
// triggers. Follows symlinks as the scan does (walkFolder.ts), so a linked folder that is scanned is also watched,
// with a loop guard: a link to a folder that holds it (or to itself) and a link into the root (watched directly) are
// not followed. Owns its chokidar watchers; runs on the thread that owns the LibraryEngine (a worker in the app).
import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { isAudioPath, isIgnoredName } from '../scan/walkFolder.js';

export interface FolderWatcherOptions {
  /** Called with the roots whose contents changed, after `quietMs` without further changes. */
  readonly onChange: (roots: readonly string[]) => void;
  readonly onError?: (root: string, error: unknown) => void;
  /** Default 1500 ms. */
  readonly quietMs?: number;
  /** How long a file's size must stay unchanged before it counts as written. Default 2000 ms. */
  readonly writeStableMs?: number;
  /** Poll instead of native events (network drives, tests on odd file systems). Default false. */
  readonly usePolling?: boolean;
}

export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly changed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: FolderWatcherOptions) {}

  /** Starts watching `root` (absolute); resolves when chokidar has read the tree. Adding a watched root is a no-op. */
  async add(root: string): Promise<void> {
    if (this.closed || this.watchers.has(root)) return;
    const rootReal = realPathOrNull(root) ?? root;
    const watcher = watch(root, {
      ignoreInitial: true,
      followSymlinks: true,
      usePolling: this.options.usePolling ?? false,
      awaitWriteFinish: { stabilityThreshold: this.options.writeStableMs ?? 2000, pollInterval: 100 },
      // Hidden and system entries are skipped like the scan skips them; the root itself is always watched.
      ignored: (p: string) => p !== root && (isIgnoredName(path.basename(p)) || isLoopingLink(p, rootReal)),
    });
    this.watchers.set(root, watcher);
    const onFile = (p: string): void => {
      if (isAudioPath(p)) this.touch(root);
    };
    watcher.on('add', onFile).on('change', onFile).on('unlink', onFile);
    // A removed folder may have held audio; a removed root is reported too (the scan then leaves its tracks alone).
    watcher.on('unlinkDir', () => this.touch(root));
    watcher.on('addDir', (p: string) => {
      if (p !== root) this.touch(root);
    });
    watcher.on('error', (err: unknown) => this.options.onError?.(root, err));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  async remove(root: string): Promise<void> {
    const watcher = this.watchers.get(root);
    this.watchers.delete(root);
    this.changed.delete(root);
    await watcher?.close();
  }

  roots(): string[] {
    return [...this.watchers.keys()];
  }

  /** The folders watched for `root`, as reached from it (through links): for diagnostics and tests. */
  watchedFolders(root: string): string[] {
    return Object.keys(this.watchers.get(root)?.getWatched() ?? {}).filter((p) => isWithin(p, root));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await Promise.all([...this.watchers.values()].map((w) => w.close()));
    this.watchers.clear();
  }

  private touch(root: string): void {
    if (this.closed) return;
    this.changed.add(root);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const roots = [...this.changed];
      this.changed.clear();
      if (roots.length > 0 && !this.closed) this.options.onChange(roots);
    }, this.options.quietMs ?? 1500);
  }
}

function realPathOrNull(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null; // gone, or a broken link: chokidar reports what it can
  }
}

/** `inner` is `outer` or lies under it (both real paths). */
function isWithin(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * A symlink not worth following: it points at a folder that holds it (itself, a parent: following it never ends) or
 * somewhere inside the root (already watched under its real path, as the scan lists it there).
 */
function isLoopingLink(p: string, rootReal: string): boolean {
  try {
    if (!lstatSync(p).isSymbolicLink()) return false;
  } catch {
    return false;
  }
  const target = realPathOrNull(p);
  const parent = realPathOrNull(path.dirname(p));
  if (target === null || parent === null) return false;
  return isWithin(parent, target) || isWithin(target, rootReal);
}
