// The data folder's writer lock: one process at a time may write a library (scan, repair, rebuild its caches).
// An exclusive lock file `<data>/library.lock` (created with O_EXCL) names its holder: pid, host, command, start
// time. A lock whose process is gone (same host, no such pid) is stale and taken over. Readers (the CLI's identify,
// similar, tracks) take no lock: LMDB and SQLite in WAL mode let them read beside the writer; they only leave
// repairs to it (isHeldByOther). Synchronous, any thread; the file is removed by release() (or found stale later).
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from './errors.js';

export const LOCK_FILE = 'library.lock';

export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** What holds it: 'index', 'serve', 'app', ... */
  readonly command: string;
  /** ISO time the lock was taken. */
  readonly startedAt: string;
}

export interface DataLock {
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours; idempotent. */
  release(): void;
}

/** Takes the data folder's writer lock or throws AppError('library-busy') naming who holds it. */
export function acquireDataLock(dataDir: string, command: string): DataLock {
  const file = path.join(dataDir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, hostname: os.hostname(), command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      try {
        writeSync(fd, JSON.stringify(holder));
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        holder,
        release: () => {
          if (released) return;
          released = true;
          const current = readHolder(file);
          if (current && current.pid === holder.pid && current.startedAt === holder.startedAt) rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const other = readHolder(file);
    if (other !== undefined && isAlive(other)) throw busyError(dataDir, other);
    // Stale (its process is gone) or unreadable (a holder that died while writing it): take it over.
    rmSync(file, { force: true });
  }
  throw new AppError('library-busy', `${dataDir}: could not take the lock ${file}`);
}

/** The live holder of the data folder's lock when it is another process (or another open in this one). */
export function lockHolder(dataDir: string): LockHolder | undefined {
  const holder = readHolder(path.join(dataDir, LOCK_FILE));
  return holder !== undefined && isAlive(holder) ? holder : undefined;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return undefined;
    return { pid: parsed.pid, hostname: parsed.hostname, command: String(parsed.command ?? 'audio-ident'), startedAt: String(parsed.startedAt ?? '') };
  } catch {
    return undefined;
  }
}

/** Alive unless it is on this host and no process has its pid. Another host's holder cannot be checked: alive. */
function isAlive(holder: LockHolder): boolean {
  if (holder.hostname !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

function busyError(dataDir: string, holder: LockHolder): AppError {
  return new AppError(
    'library-busy',
    `the library in ${dataDir} is in use by "${holder.command}" (pid ${holder.pid} on ${holder.hostname}, since ${holder.startedAt}); ` +
      `wait for it to finish or stop it, then try again (identify, similar and tracks may run beside it)`,
  );
}
