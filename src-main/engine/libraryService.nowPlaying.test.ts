// LibraryService's now-playing file, in-process on a generated song: off by default; a bad path is answered as
// file-not-writable (a Result, not a throw); while a session hears the song the file names it, and it is emptied when
// the session stops and when the service closes; the choice is still there after reopening the library.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessRunners } from './libraryEngine.js';
import { LibraryService } from './libraryService.js';
import { addFolderScanned, ok } from './testing/serviceTesting.js';
import { addNoise, cutClip, synthSong, writeWav } from './testing/synthAudio.js';

const RATE = 8000;
let root: string;
let dataDir: string;
let song: Float32Array;
let service: LibraryService;

const openService = () => LibraryService.open({ dataDir, runners: inProcessRunners(1), watch: false, embedderManifest: null, log: () => {} });

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ai-service-now-playing-'));
  dataDir = path.join(root, 'data');
  const music = path.join(root, 'music');
  mkdirSync(music);
  song = synthSong(91, 60, RATE);
  await writeWav(path.join(music, 'Nightfall.wav'), song, RATE);
  service = await openService();
  await addFolderScanned(service, music);
}, 120_000);

afterAll(async () => {
  await service?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('LibraryService now-playing file', () => {
  it('names the song heard now in the chosen file, empties it on stop and on close, and remembers the choice', async () => {
    expect(ok(await service.getNowPlayingFile())).toEqual({ path: null, lastError: null });
    expect(await service.setNowPlayingFile(path.join(dataDir, 'now.txt'))).toEqual({
      ok: false,
      error: { code: 'file-not-writable', detail: expect.stringMatching(/inside the app's data folder/) },
    });
    const file = path.join(root, 'now-playing.txt');
    expect(ok(await service.setNowPlayingFile(file))).toEqual({ path: file, lastError: null });
    expect(readFileSync(file, 'utf8')).toBe('');

    ok(await service.listenStart({ sessionId: 'stream' }));
    const audio = addNoise(cutClip(song, RATE, 10, 22), 20, 3);
    let heard = '';
    for (let at = 0; at < audio.length; at += RATE) {
      const state = ok(await service.listenPush({ sessionId: 'stream', samples: audio.slice(at, at + RATE) }));
      if (state.playing) heard = readFileSync(file, 'utf8');
    }
    expect(heard).toBe('Nightfall');
    ok(await service.listenStop({ sessionId: 'stream' }));
    expect(readFileSync(file, 'utf8')).toBe('');

    ok(await service.listenStart({ sessionId: 'again' }));
    for (let at = 0; at < audio.length; at += RATE) ok(await service.listenPush({ sessionId: 'again', samples: audio.slice(at, at + RATE) }));
    expect(readFileSync(file, 'utf8')).toBe('Nightfall');
    await service.close();
    expect(readFileSync(file, 'utf8')).toBe('');

    service = await openService();
    expect(ok(await service.getNowPlayingFile())).toEqual({ path: file, lastError: null });
  }, 60_000);
});
