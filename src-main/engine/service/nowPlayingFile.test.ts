// The now-playing file on a real temp folder: one "Artist - Title" line while a song is heard, written by rename (a
// hard link to the old file keeps the old text) and only when the line changes (the inode stays); emptied when the
// song stops, the session stops or goes quiet, the service closes; the path rules, each refused as file-not-writable;
// the choice remembered in the data folder; a write that fails later is reported, and a reader never writes.
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ListenState } from '../../../src-preload/contract/api.js';
import type { TrackId, TrackSummary } from '../../../src-preload/contract/library.js';
import { AppError } from '../errors.js';
import {
  checkNowPlayingPath,
  NOW_PLAYING_MAX_EXISTING_BYTES,
  NOW_PLAYING_SETTING_FILE,
  NOW_PLAYING_STALE_MS,
  NowPlayingFile,
  nowPlayingLine,
} from './nowPlayingFile.js';

let root: string;
let dataDir: string;
let obs: string;
let logged: string[];

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ai-now-playing-'));
  dataDir = path.join(root, 'data');
  obs = path.join(root, 'obs');
  mkdirSync(dataDir);
  mkdirSync(obs);
  logged = [];
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(root, { recursive: true, force: true });
});

const track = (title: string, artist: string | null): TrackSummary => ({
  id: `00000000-0000-4000-8000-${title.padStart(12, '0').slice(-12)}` as TrackId,
  title,
  artist,
  album: null,
  durationSeconds: 200,
  format: 'flac',
  filePath: `/music/${title}.flac`,
});
const hearing = (sessionId: string, t: TrackSummary | null): ListenState => ({
  sessionId,
  heardSeconds: 10,
  playing: t ? { track: t, positionSeconds: 30, speedFactor: 1, confidence: 0.9, entryId: 1 } : null,
  log: [],
});
const open = (owner = true) => new NowPlayingFile({ dataDir, owner, log: (m) => logged.push(m) });
const read = (file: string) => readFileSync(file, 'utf8');
const refusedWith = (body: () => unknown, detail: RegExp) => {
  try {
    body();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).toInfo()).toEqual({ code: 'file-not-writable', detail: expect.stringMatching(detail) });
    return;
  }
  throw new Error('not refused');
};

describe('NowPlayingFile', () => {
  it('is off by default and writes nothing anywhere', () => {
    const now = open();
    expect(now.setting()).toEqual({ path: null, lastError: null });
    now.heard(hearing('s1', track('Alpha', 'Band')));
    expect(readdirSync(obs)).toEqual([]);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('holds "Artist - Title" while the song is heard, replaced atomically and only when the line changes', () => {
    const file = path.join(obs, 'now.txt');
    const now = open();
    expect(now.choose(file)).toEqual({ path: file, lastError: null });
    expect(read(file)).toBe('');
    now.heard(hearing('s1', track('Alpha', 'Band')));
    expect(read(file)).toBe('Band - Alpha');
    // A hard link to what the file was: a rename leaves its text alone, a write in place would change it.
    const before = path.join(root, 'before.txt');
    linkSync(file, before);
    const inode = statSync(file).ino;
    for (let i = 0; i < 5; i++) now.heard(hearing('s1', track('Alpha', 'Band')));
    expect(statSync(file).ino).toBe(inode); // unchanged: not written again
    now.heard(hearing('s1', track('Beta', null)));
    expect(read(file)).toBe('Beta');
    expect(statSync(file).ino).not.toBe(inode);
    expect(read(before)).toBe('Band - Alpha');
    expect(readdirSync(obs)).toEqual(['now.txt']); // no temp file left
  });

  it('is emptied when the music is not in the library, when the session stops, and when the service closes', () => {
    const file = path.join(obs, 'now.txt');
    const now = open();
    now.choose(file);
    now.heard(hearing('s1', track('Alpha', 'Band')));
    now.heard(hearing('s1', null)); // the song stopped, or turned into music not in the library
    expect(read(file)).toBe('');
    now.heard(hearing('s1', track('Alpha', 'Band')));
    now.heard({ ...hearing('s1', null), log: [] }); // listenStop's final state
    expect(read(file)).toBe('');
    now.heard(hearing('s2', track('Gamma', 'Solo')));
    expect(read(file)).toBe('Solo - Gamma');
    now.close();
    expect(read(file)).toBe('');
  });

  it('is emptied when a session goes quiet (a page reloaded without stopping)', () => {
    vi.useFakeTimers();
    const file = path.join(obs, 'now.txt');
    const now = open();
    now.choose(file);
    now.heard(hearing('s1', track('Alpha', 'Band')));
    vi.advanceTimersByTime(NOW_PLAYING_STALE_MS - 1000);
    now.heard(hearing('s1', track('Alpha', 'Band'))); // still pushing: still heard
    vi.advanceTimersByTime(NOW_PLAYING_STALE_MS - 1000);
    expect(read(file)).toBe('Band - Alpha');
    vi.advanceTimersByTime(1000);
    expect(read(file)).toBe('');
  });

  it('shows the latest song to start when two sessions listen, and the other one when that stops', () => {
    const file = path.join(obs, 'now.txt');
    const now = open();
    now.choose(file);
    now.heard(hearing('a', track('Alpha', 'Band')));
    now.heard(hearing('b', track('Beta', 'Band')));
    now.heard(hearing('a', track('Alpha', 'Band'))); // a is still on the older song: no flapping
    expect(read(file)).toBe('Band - Beta');
    now.heard(hearing('b', null));
    expect(read(file)).toBe('Band - Alpha');
  });

  it('writes one line: control characters and line breaks in tags become spaces', () => {
    expect(nowPlayingLine(track('Title\nSecond line\u001b[2J', 'Art\r\nist\u2028'))).toBe('Art ist - Title Second line [2J');
    expect(nowPlayingLine(track('x'.repeat(1000), null))).toHaveLength(300);
  });

  it('remembers the choice in the data folder; off empties the file it leaves, and so does choosing another', () => {
    const first = path.join(obs, 'first.txt');
    const second = path.join(obs, 'second.txt');
    const now = open();
    now.choose(first);
    now.heard(hearing('s1', track('Alpha', 'Band')));
    expect(JSON.parse(read(path.join(dataDir, NOW_PLAYING_SETTING_FILE)))).toEqual({ path: first });
    expect(open().setting()).toEqual({ path: first, lastError: null });
    expect(now.choose(second)).toEqual({ path: second, lastError: null });
    expect(read(second)).toBe('Band - Alpha'); // the song heard now, at once
    expect(read(first)).toBe('');
    expect(now.choose(null)).toEqual({ path: null, lastError: null });
    expect(read(second)).toBe('');
    expect(open().setting().path).toBeNull();
  });

  it('empties a file a crash left full when the owner opens; a reader never writes', () => {
    const file = path.join(obs, 'now.txt');
    open().choose(file);
    writeFileSync(file, 'Band - Alpha');
    const reader = open(false);
    reader.heard(hearing('s1', track('Beta', null)));
    reader.close();
    expect(read(file)).toBe('Band - Alpha');
    open(true);
    expect(read(file)).toBe('');
  });

  it('refuses paths it must not write, as file-not-writable in words, and keeps the setting it had', () => {
    const now = open();
    const good = path.join(obs, 'now.txt');
    now.choose(good);
    refusedWith(() => now.choose('obs/now.txt'), /not an absolute path/);
    refusedWith(() => now.choose(path.join(root, 'no-such-folder', 'now.txt')), /folder .*no-such-folder does not exist/);
    refusedWith(() => now.choose(`${obs}${path.sep}`), /names a folder/);
    refusedWith(() => now.choose(obs), /is a folder or not a plain file/);
    refusedWith(() => now.choose(path.join(dataDir, 'now.txt')), /inside the app's data folder/);
    refusedWith(() => now.choose(dataDir), /inside the app's data folder/);
    // Through a link to the data folder too.
    symlinkSync(dataDir, path.join(root, 'data-link'));
    refusedWith(() => now.choose(path.join(root, 'data-link', 'now.txt')), /inside the app's data folder/);
    const target = path.join(obs, 'target.txt');
    writeFileSync(target, '');
    symlinkSync(target, path.join(obs, 'link.txt'));
    refusedWith(() => now.choose(path.join(obs, 'link.txt')), /is a link/);
    const document = path.join(obs, 'thesis.txt');
    writeFileSync(document, 'x'.repeat(NOW_PLAYING_MAX_EXISTING_BYTES + 1));
    refusedWith(() => now.choose(document), /already holds more than a now-playing line/);
    expect(read(document)).toHaveLength(NOW_PLAYING_MAX_EXISTING_BYTES + 1); // untouched
    expect(now.setting()).toEqual({ path: good, lastError: null });
    // A small existing file is fine, and a path under the home folder is expanded.
    writeFileSync(path.join(obs, 'old.txt'), 'Someone - Something');
    expect(now.choose(path.join(obs, 'old.txt')).path).toBe(path.join(obs, 'old.txt'));
    expect(checkNowPlayingPath('~/now-playing.txt', dataDir)).toBe(path.join(os.homedir(), 'now-playing.txt'));
  });

  const asRoot = process.getuid?.() === 0;
  it.runIf(process.platform === 'linux' || (process.platform !== 'win32' && !asRoot))('refuses a folder it may not write to', () => {
    // Root may write to any folder whatever its mode; Linux's sysfs refuses new files even to root.
    const locked = asRoot ? '/sys' : path.join(root, 'locked');
    if (!asRoot) mkdirSync(locked, { mode: 0o500 });
    refusedWith(() => open().choose(path.join(locked, 'now.txt')), /cannot be written \(EACCES\)/);
    expect(existsSync(path.join(dataDir, NOW_PLAYING_SETTING_FILE))).toBe(false);
  });

  it('reports a write that fails later (the folder gone) in the setting, logs it once, and recovers', () => {
    const folder = path.join(root, 'stream');
    mkdirSync(folder);
    const file = path.join(folder, 'now.txt');
    const now = open();
    now.choose(file);
    rmSync(folder, { recursive: true });
    now.heard(hearing('s1', track('Alpha', 'Band')));
    now.heard(hearing('s1', track('Alpha', 'Band')));
    expect(now.setting()).toEqual({
      path: file,
      lastError: { code: 'file-not-writable', detail: expect.stringMatching(/now\.txt cannot be written \(ENOENT\)/) },
    });
    expect(logged).toHaveLength(1);
    mkdirSync(folder);
    now.heard(hearing('s1', track('Alpha', 'Band')));
    expect(read(file)).toBe('Band - Alpha');
    expect(now.setting().lastError).toBeNull();
  });
});
