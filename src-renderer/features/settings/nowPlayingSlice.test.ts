// The now-playing setting against the fake bridge: off until set; an absolute (or ~) path is sent and taken; a path
// in the data folder comes back refused in words (file-not-writable) and the setting stays; a relative path is
// refused before anything is sent; Turn off sends null.
import { describe, expect, it } from 'vitest';
import { describeError, NOW_PLAYING_PATH_PROBLEM_TEXT } from '../../lib/errorText';
import { createTestStore } from '../../store/testDeps';

describe('now-playing file setting', () => {
  it('loads off, turns on at a path, refuses the data folder in words, and turns off', async () => {
    const { store, bridge } = createTestStore();
    await store.getState().loadNowPlayingFile();
    expect(store.getState().nowPlayingFile).toEqual({ path: null, lastError: null });

    expect(await store.getState().chooseNowPlayingFile('  /home/me/obs/now.txt ')).toBe(true);
    expect(store.getState().nowPlayingFile).toEqual({ path: '/home/me/obs/now.txt', lastError: null });
    expect(bridge.calls.filter((c) => c.method === 'setNowPlayingFile').map((c) => c.args)).toEqual([['/home/me/obs/now.txt']]);

    expect(await store.getState().chooseNowPlayingFile('/fake/data/now.txt')).toBe(false);
    const error = store.getState().nowPlayingError!;
    expect(error.code).toBe('file-not-writable');
    expect(describeError(error)).toMatch(/^That file cannot be written: .*outside the app’s data folder\. \(.*inside the app's data folder\)$/);
    expect(store.getState().nowPlayingFile?.path).toBe('/home/me/obs/now.txt');

    expect(await store.getState().chooseNowPlayingFile(null)).toBe(true);
    expect(store.getState().nowPlayingFile).toEqual({ path: null, lastError: null });
    expect(store.getState().nowPlayingError).toBeNull();
    expect(await bridge.getNowPlayingFile()).toMatchObject({ ok: true, value: { path: null } });
  });

  it('refuses a relative path before sending it, with what to type instead', async () => {
    const { store, bridge } = createTestStore();
    expect(await store.getState().chooseNowPlayingFile('obs/now.txt')).toBe(false);
    expect(store.getState().nowPlayingPathProblem).toBe('relative-path');
    expect(NOW_PLAYING_PATH_PROBLEM_TEXT['relative-path']).toMatch(/full path of the file/);
    expect(bridge.calls.some((c) => c.method === 'setNowPlayingFile')).toBe(false);
    expect(await store.getState().chooseNowPlayingFile('~/now.txt')).toBe(true);
    expect(store.getState().nowPlayingPathProblem).toBeNull();
  });
});
