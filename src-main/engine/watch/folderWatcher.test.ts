// FolderWatcher on a real temporary folder: audio changes are reported once per quiet period and per root; other
// files, hidden files and half-written files are not reported early; folders linked into a root are watched (as the
// scan walks them) and a link loop neither hangs nor repeats. Every check waits for the watcher's next report (a
// report that should not have come shows up in it), never for a fixed time.
import { closeSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderWatcher } from './folderWatcher.js';

let dir: string;
let watcher: FolderWatcher | undefined;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ai-watch-'));
});
afterEach(async () => {
  await watcher?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Records each report; `next()` resolves with the next one not yet taken. */
function collector() {
  const calls: string[][] = [];
  const waiting: (() => void)[] = [];
  let taken = 0;
  return {
    calls,
    onChange: (roots: readonly string[]) => {
      calls.push([...roots].sort());
      waiting.splice(0).forEach((wake) => wake());
    },
    async next(): Promise<string[]> {
      while (calls.length <= taken) await new Promise<void>((wake) => waiting.push(wake));
      return calls[taken++];
    },
  };
}

describe('FolderWatcher', () => {
  it('batches audio adds, renames and deletes per root after a quiet period, ignoring non-audio and hidden files', async () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    mkdirSync(a);
    mkdirSync(b);
    const seen = collector();
    watcher = new FolderWatcher({ onChange: seen.onChange, quietMs: 300, writeStableMs: 100 });
    await watcher.add(a);
    await watcher.add(b);

    // Not audio, and hidden audio, in a; then audio in b: the report names b alone.
    writeFileSync(path.join(a, 'notes.txt'), 'not audio');
    writeFileSync(path.join(a, '.hidden.mp3'), 'hidden');
    writeFileSync(path.join(b, 'first.flac'), 'z');
    expect(await seen.next()).toEqual([b]);

    writeFileSync(path.join(a, 'one.mp3'), 'x');
    writeFileSync(path.join(b, 'two.flac'), 'y');
    expect(await seen.next()).toEqual([a, b]);

    renameSync(path.join(a, 'one.mp3'), path.join(a, 'uno.mp3'));
    expect(await seen.next()).toEqual([a]);

    // b is no longer watched: deleting in it is not reported (the next report, for a, names a alone).
    await watcher.remove(b);
    rmSync(path.join(b, 'two.flac'));
    writeFileSync(path.join(a, 'three.mp3'), 'w');
    expect(await seen.next()).toEqual([a]);
    expect(seen.calls).toHaveLength(4);
  });

  it('waits for a file that is still being written', async () => {
    const seen = collector();
    watcher = new FolderWatcher({ onChange: seen.onChange, quietMs: 100, writeStableMs: 1500 });
    await watcher.add(dir);
    let writing = true;
    const report = seen.next().then((roots) => ({ roots, whileWriting: writing }));
    const fd = openSync(path.join(dir, 'big.wav'), 'w');
    for (let i = 0; i < 5; i++) {
      writeSync(fd, Buffer.alloc(4096, i));
      await new Promise((resolve) => setTimeout(resolve, 250)); // keeps growing, in steps well under writeStableMs
    }
    closeSync(fd);
    writing = false;
    expect(await report).toEqual({ roots: [dir], whileWriting: false });
  });

  it('watches a folder linked into the root, as the scan walks it, and does not follow a link loop', async () => {
    const root = path.join(dir, 'root');
    const outside = path.join(dir, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    symlinkSync(outside, path.join(root, 'linked'), 'dir');
    symlinkSync(root, path.join(root, 'loop'), 'dir'); // root/loop/loop/... would never end
    symlinkSync(outside, path.join(outside, 'self'), 'dir');
    const seen = collector();
    watcher = new FolderWatcher({ onChange: seen.onChange, quietMs: 100, writeStableMs: 100 });
    await watcher.add(root);
    // The linked folder is watched once, under its link; neither loop is followed.
    expect(watcher.watchedFolders(root).sort()).toEqual([root, path.join(root, 'linked')]);

    writeFileSync(path.join(outside, 'through-the-link.mp3'), 'x');
    expect(await seen.next()).toEqual([root]);
    writeFileSync(path.join(root, 'direct.flac'), 'y');
    expect(await seen.next()).toEqual([root]);
  });
});
