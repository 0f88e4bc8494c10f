// The media doors' shared check: only regular files whose real path is inside a (real) library folder are opened.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPathInside, openMediaFile } from './mediaFile.js';

let root: string;
let library: string;
let outside: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'media-file-'));
  library = path.join(root, 'Music');
  outside = path.join(root, 'secret.txt');
  mkdirSync(path.join(library, 'album'), { recursive: true });
  writeFileSync(path.join(library, 'album', 'song.mp3'), Buffer.alloc(100, 1));
  writeFileSync(outside, 'not audio');
  symlinkSync(outside, path.join(library, 'album', 'swapped.mp3'));
  symlinkSync(path.join(library, 'album', 'song.mp3'), path.join(library, 'alias.mp3'));
  mkdirSync(path.join(library, 'album', 'dir.mp3'));
  symlinkSync(library, path.join(root, 'MusicLink'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function refusal(filePath: string, folders = [library]): Promise<string> {
  const result = await openMediaFile(filePath, folders);
  if (result.ok) {
    await result.file.handle.close();
    return 'served';
  }
  return result.reason;
}

describe('openMediaFile', () => {
  it('opens a regular file inside a library folder', async () => {
    const result = await openMediaFile(path.join(library, 'album', 'song.mp3'), [library]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.file.sizeBytes).toBe(100);
    const bytes = await result.file.handle.readFile();
    expect(bytes.length).toBe(100);
    await result.file.handle.close();
  });

  it('follows links that stay inside the library, and realpaths the folders too', async () => {
    expect(await refusal(path.join(library, 'alias.mp3'))).toBe('served');
    expect(await refusal(path.join(library, 'album', 'song.mp3'), [path.join(root, 'MusicLink')])).toBe('served');
    expect(await refusal(path.join(root, 'MusicLink', 'album', 'song.mp3'))).toBe('served');
  });

  it('refuses a file replaced by a symlink out of the library', async () => {
    expect(await refusal(path.join(library, 'album', 'swapped.mp3'))).toBe('outside-library');
    expect(await refusal(outside)).toBe('outside-library');
    expect(await refusal(path.join(library, 'album', 'song.mp3'), [])).toBe('outside-library');
  });

  it('refuses a path with .. segments, even one that resolves inside', async () => {
    expect(await refusal(path.join(library, 'album') + `${path.sep}..${path.sep}album${path.sep}song.mp3`)).toBe('outside-library');
    expect(await refusal(`${library}${path.sep}..${path.sep}secret.txt`)).toBe('outside-library');
    expect(await refusal('relative/song.mp3')).toBe('outside-library');
  });

  it('refuses a directory and a missing file', async () => {
    expect(await refusal(path.join(library, 'album', 'dir.mp3'))).toBe('not-a-file');
    expect(await refusal(path.join(library, 'album', 'gone.mp3'))).toBe('missing');
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO without blocking on it', async () => {
    const fifo = path.join(library, 'album', 'fifo.mp3');
    execFileSync('mkfifo', [fifo]);
    expect(await refusal(fifo)).toBe('not-a-file');
  });

  it('isPathInside does not confuse a sibling prefix with a parent', () => {
    expect(isPathInside('/music/a.mp3', '/music')).toBe(true);
    expect(isPathInside('/music', '/music')).toBe(true);
    expect(isPathInside('/music2/a.mp3', '/music')).toBe(false);
    expect(isPathInside('/etc/hostname', '/music')).toBe(false);
  });
});
