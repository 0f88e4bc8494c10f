// FolderWatcher on a real temporary folder: audio changes are reported once per quiet period and per root; other
// files, hidden files and half-written files are not reported early.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, renameSync, openSync, writeSync, closeSync } from 'node:fs';
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function collector() {
  const calls: string[][] = [];
  return { calls, onChange: (roots: readonly string[]) => calls.push([...roots].sort()) };
}

describe('FolderWatcher', () => {
  it('batches audio adds, renames and deletes per root after a quiet period, ignoring non-audio and hidden files', async () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    mkdirSync(a);
    mkdirSync(b);
    const { calls, onChange } = collector();
    watcher = new FolderWatcher({ onChange, quietMs: 300, writeStableMs: 100 });
    await watcher.add(a);
    await watcher.add(b);

    writeFileSync(path.join(a, 'notes.txt'), 'not audio');
    writeFileSync(path.join(a, '.hidden.mp3'), 'hidden');
    await sleep(900);
    expect(calls).toEqual([]);

    writeFileSync(path.join(a, 'one.mp3'), 'x');
    writeFileSync(path.join(b, 'two.flac'), 'y');
    await sleep(1200);
    expect(calls).toEqual([[a, b]]);

    renameSync(path.join(a, 'one.mp3'), path.join(a, 'uno.mp3'));
    await sleep(1200);
    expect(calls.slice(1)).toEqual([[a]]);

    await watcher.remove(b);
    rmSync(path.join(b, 'two.flac'));
    await sleep(900);
    expect(calls.length).toBe(2);
  });

  it('waits for a file that is still being written', async () => {
    const { calls, onChange } = collector();
    watcher = new FolderWatcher({ onChange, quietMs: 100, writeStableMs: 700 });
    await watcher.add(dir);
    const fd = openSync(path.join(dir, 'big.wav'), 'w');
    for (let i = 0; i < 5; i++) {
      writeSync(fd, Buffer.alloc(4096, i));
      await sleep(250); // keeps growing for ~1.25 s, longer than writeStableMs between checks would allow
    }
    expect(calls).toEqual([]);
    closeSync(fd);
    await sleep(1500);
    expect(calls).toEqual([[dir]]);
  });
});
