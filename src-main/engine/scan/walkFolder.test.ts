// Tests for walkFolder on a tree built here: hidden/system skipping, extensions, symlinks (followed once, loops
// survived, real paths preferred), unreadable folders, errors and cancellation; and isAudioPath.
import { execFileSync } from 'node:child_process';
import { promises as fsp, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppErrorInfo } from '../../../src-preload/contract/library.js';
import { AppError } from '../errors.js';
import { AUDIO_EXTENSIONS, isAudioPath, walkFolder } from './walkFolder.js';

let base = '';
let root = '';
let outside = '';

async function touch(filePath: string, content = 'x'): Promise<void> {
  await fsp.mkdir(path.dirname(filePath), { recursive: true });
  await fsp.writeFile(filePath, content);
}

beforeAll(async () => {
  base = await fsp.mkdtemp(path.join(os.tmpdir(), 'walk-folder-'));
  root = path.join(base, 'music');
  outside = path.join(base, 'elsewhere');
  await Promise.all([
    touch(path.join(root, 'a.mp3'), 'aaaa'),
    touch(path.join(root, 'B.FLAC')),
    touch(path.join(root, 'c.Ogg')),
    touch(path.join(root, 'notes.txt')),
    touch(path.join(root, 'cover.jpg')),
    touch(path.join(root, 'noext')),
    touch(path.join(root, '.hidden.mp3')),
    touch(path.join(root, '._a.mp3')),
    touch(path.join(root, 'Thumbs.db')),
    touch(path.join(root, '.hiddendir', 'h.mp3')),
    touch(path.join(root, '@eaDir', 'a.mp3')),
    touch(path.join(root, '$RECYCLE.BIN', 'r.mp3')),
    touch(path.join(root, 'System Volume Information', 's.mp3')),
    touch(path.join(root, '.Trash-1000', 'files', 't.mp3')),
    touch(path.join(root, 'lost+found', 'l.mp3')),
    touch(path.join(root, 'Album', 'Disc 1', '01 Song.m4a')),
    touch(path.join(root, 'Album', 'Disc 1', '02 Song.opus')),
    touch(path.join(root, 'Album', 'mod', 'tune.xm')),
    touch(path.join(outside, 'linked.wav')),
    touch(path.join(outside, 'deeper', 'deep.aiff')),
    touch(path.join(base, 'loose', 'solo.wav')),
    touch(path.join(root, 'locked', 'secret.mp3')),
  ]);
  // A folder outside the root, linked twice: listed once, under the first link.
  await fsp.symlink(outside, path.join(root, 'link1'));
  await fsp.symlink(outside, path.join(root, 'link2'));
  // A loop: a folder linking back to its parent (and to the root).
  await fsp.symlink('..', path.join(root, 'Album', 'up'));
  await fsp.symlink(root, path.join(root, 'Album', 'Disc 1', 'root-again'));
  // A link to a folder inside the root: the real path wins, the link adds nothing.
  await fsp.symlink(path.join(root, 'Album'), path.join(root, 'AAA-shortcut'));
  // File links: to files listed anyway (dropped: one entry per file), to a file reached no other way (kept), dangling.
  await fsp.symlink(path.join(root, 'a.mp3'), path.join(root, 'same-as-a.mp3'));
  await fsp.symlink(path.join(outside, 'linked.wav'), path.join(root, 'Album', 'dup-link.wav'));
  await fsp.symlink(path.join(base, 'loose', 'solo.wav'), path.join(root, 'Album', 'linked-file.wav'));
  await fsp.symlink(path.join(base, 'gone.mp3'), path.join(root, 'dangling.mp3'));
  await fsp.chmod(path.join(root, 'locked'), 0o000);
});

afterAll(async () => {
  await fsp.chmod(path.join(root, 'locked'), 0o755).catch(() => undefined);
  await fsp.rm(base, { recursive: true, force: true });
});

/** Whether this process can list a chmod 000 folder anyway (root, CAP_DAC_OVERRIDE). */
function canBypassPermissions(dir: string): boolean {
  try {
    readdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

describe('walkFolder', () => {
  it('lists audio files only, skipping hidden and system entries, following links once, sorted', async () => {
    const errors: [string, AppErrorInfo][] = [];
    const files = await walkFolder(root, { onError: (p, e) => errors.push([p, e]) });
    const relative = files.map((f) => path.relative(root, f.path));
    const bypass = canBypassPermissions(path.join(root, 'locked'));
    const expected = [
      'Album/Disc 1/01 Song.m4a',
      'Album/Disc 1/02 Song.opus',
      'Album/linked-file.wav',
      'Album/mod/tune.xm',
      'B.FLAC',
      'a.mp3',
      'c.Ogg',
      'link1/deeper/deep.aiff',
      'link1/linked.wav',
      ...(bypass ? ['locked/secret.mp3'] : []),
    ];
    expect(relative).toEqual(expected);
    expect(files.every((f) => path.isAbsolute(f.path))).toBe(true);
    expect([...relative].sort()).toEqual(relative);
    const a = files.find((f) => f.path.endsWith('a.mp3'))!;
    expect(a.sizeBytes).toBe(4);
    expect(a.mtimeMs).toBeCloseTo((await fsp.stat(path.join(root, 'a.mp3'))).mtimeMs, 3);
    if (bypass) {
      // Running as root: mode 000 does not stop reads, so nothing is reported and the file is listed.
      expect(errors).toEqual([]);
    } else {
      expect(errors).toEqual([[path.join(root, 'locked'), { code: 'permission-denied', detail: path.join(root, 'locked') }]]);
    }
  });

  it('reports an unreadable folder and skips it when permissions are enforced', async () => {
    const lockedRoot = path.join(base, 'locked-only');
    await touch(path.join(lockedRoot, 'open', 'ok.mp3'));
    await touch(path.join(lockedRoot, 'shut', 'no.mp3'));
    await fsp.chmod(path.join(lockedRoot, 'shut'), 0o000);
    try {
      const errors: string[] = [];
      const files = await walkFolder(lockedRoot, { onError: (p, e) => errors.push(`${path.relative(lockedRoot, p)}:${e.code}`) });
      const names = files.map((f) => path.relative(lockedRoot, f.path));
      if (canBypassPermissions(path.join(lockedRoot, 'shut'))) {
        expect(process.getuid?.()).toBe(0);
        expect(names).toEqual(['open/ok.mp3', 'shut/no.mp3']);
        expect(errors).toEqual([]);
      } else {
        expect(names).toEqual(['open/ok.mp3']);
        expect(errors).toEqual(['shut:permission-denied']);
      }
    } finally {
      await fsp.chmod(path.join(lockedRoot, 'shut'), 0o755);
    }
  });

  it('reports a broken link meant as audio, and paths too long or refused at their stat, through onFileError', async () => {
    const longName = path.join(root, 'B.FLAC');
    const realStat = fsp.stat.bind(fsp);
    const spy = vi.spyOn(fsp, 'stat').mockImplementation(((p: string, ...rest: unknown[]) => {
      if (p === longName) return Promise.reject(Object.assign(new Error('ENAMETOOLONG: name too long'), { code: 'ENAMETOOLONG' }));
      if (p === path.join(root, 'Album', 'mod')) return Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
      return (realStat as (...a: unknown[]) => unknown)(p, ...rest);
    }) as typeof fsp.stat);
    try {
      const fileErrors: string[] = [];
      const folderErrors: string[] = [];
      const files = await walkFolder(root, {
        onError: (p, e) => folderErrors.push(`${path.relative(root, p)}:${e.code}`),
        onFileError: (p, e) => fileErrors.push(`${path.relative(root, p)}:${e.code}:${e.detail}`),
      });
      expect(fileErrors.sort()).toEqual([
        `B.FLAC:not-found:the path is too long for this system (ENAMETOOLONG): ${longName}`,
        `dangling.mp3:not-found:broken symbolic link (its target is missing): ${path.join(root, 'dangling.mp3')}`,
      ]);
      expect(folderErrors).toContain('Album/mod:permission-denied');
      expect(files.map((f) => path.relative(root, f.path))).not.toContain('B.FLAC');
    } finally {
      spy.mockRestore();
    }
  });

  it('never lists a FIFO, whatever its name', async () => {
    const fifoRoot = path.join(base, 'fifo-root');
    await fsp.mkdir(fifoRoot);
    execFileSync('mkfifo', [path.join(fifoRoot, 'pipe.wav')]);
    await fsp.symlink(path.join(fifoRoot, 'pipe.wav'), path.join(fifoRoot, 'link-to-pipe.mp3'));
    expect(await walkFolder(fifoRoot)).toEqual([]);
  });

  it('walks a root that is itself a symlink, and a hidden root', async () => {
    const linkedRoot = path.join(base, 'root-link');
    await fsp.symlink(outside, linkedRoot);
    const files = await walkFolder(linkedRoot);
    expect(files.map((f) => f.path)).toEqual([path.join(linkedRoot, 'deeper', 'deep.aiff'), path.join(linkedRoot, 'linked.wav')]);
    const hiddenRoot = path.join(base, '.hidden-root');
    await touch(path.join(hiddenRoot, 'x.mp3'));
    expect((await walkFolder(hiddenRoot)).map((f) => path.basename(f.path))).toEqual(['x.mp3']);
  });

  it('survives a folder whose only child links back to it', async () => {
    const loopRoot = path.join(base, 'loop');
    await touch(path.join(loopRoot, 'inner', 'song.mp3'));
    await fsp.symlink('..', path.join(loopRoot, 'inner', 'parent'));
    await fsp.symlink('.', path.join(loopRoot, 'inner', 'self'));
    const files = await walkFolder(loopRoot);
    expect(files.map((f) => path.relative(loopRoot, f.path))).toEqual(['inner/song.mp3']);
  });

  it('throws folder-not-found for a missing root or a file', async () => {
    for (const bad of [path.join(base, 'nope'), path.join(root, 'a.mp3')]) {
      const err = await walkFolder(bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('folder-not-found');
    }
  });

  it('rejects with cancelled when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await walkFolder(root, { signal: controller.signal }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('cancelled');
  });
});

describe('isAudioPath', () => {
  it('matches audio extensions case-insensitively', () => {
    expect(isAudioPath('/x/y/Song.MP3')).toBe(true);
    expect(isAudioPath('a.flac')).toBe(true);
    expect(isAudioPath('a.s3m')).toBe(true);
    expect(isAudioPath('a.mp3.txt')).toBe(false);
    expect(isAudioPath('mp3')).toBe(false);
    expect(isAudioPath('/x/.mp3')).toBe(false);
    expect(AUDIO_EXTENSIONS.size).toBe(27);
  });
});
