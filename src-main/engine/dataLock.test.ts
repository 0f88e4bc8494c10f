// The data folder's writer lock: exclusive, names its holder, taken over when its process is gone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataLock, LOCK_FILE, lockHolder } from './dataLock.js';
import { inProcessRunners, LibraryEngine } from './libraryEngine.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'data-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('data folder lock', () => {
  it('lets one writer in and tells the next who holds it', () => {
    const lock = acquireDataLock(dir, 'index');
    const holder = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8'));
    expect(holder).toMatchObject({ pid: process.pid, hostname: os.hostname(), command: 'index' });
    expect(() => acquireDataLock(dir, 'serve')).toThrow(
      expect.objectContaining({ code: 'library-busy', detail: expect.stringMatching(new RegExp(`"index" \\(pid ${process.pid} on `)) }),
    );
    expect(lockHolder(dir)).toMatchObject({ pid: process.pid });
    lock.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    acquireDataLock(dir, 'serve').release();
  });

  it('takes over a lock whose process is gone', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, hostname: os.hostname(), command: 'index', startedAt: '2020-01-01T00:00:00Z' }));
    expect(lockHolder(dir)).toBeUndefined();
    const lock = acquireDataLock(dir, 'index');
    expect(lock.holder.pid).toBe(process.pid);
    lock.release();
  });

  it('refuses a second writing Library on one folder, but lets a reader open beside it', async () => {
    const writer = await LibraryEngine.open(dir, inProcessRunners(1), undefined, { embedderManifest: null });
    try {
      await expect(LibraryEngine.open(dir, inProcessRunners(1), undefined, { embedderManifest: null, lockAs: 'index' })).rejects.toMatchObject({
        code: 'library-busy',
      });
      const reader = await LibraryEngine.open(dir, inProcessRunners(1), undefined, { embedderManifest: null, lockAs: null });
      expect(reader.listTracks({}).total).toBe(0);
      await reader.close();
      expect(lockHolder(dir)).toMatchObject({ pid: process.pid, command: 'library' }); // the reader left the lock alone
    } finally {
      await writer.close();
    }
    expect(lockHolder(dir)).toBeUndefined();
  });
});
