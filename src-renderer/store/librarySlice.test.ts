// The folder actions against the fake bridge: a typed relative path is refused in plain words before anything is
// sent; "~/Music" goes to the host as typed (the host knows the home folder).
import { describe, expect, it } from 'vitest';
import { FOLDER_PATH_PROBLEM_TEXT } from '../lib/errorText';
import { createTestStore } from './testDeps';

describe('addFolder', () => {
  it('refuses a relative path in plain words, without asking the host', async () => {
    const { store, bridge } = createTestStore();
    for (const typed of ['Music', './Music', '../x', 'home/you/Music']) {
      expect(await store.getState().addFolder(typed)).toBe(false);
      expect(store.getState().folderPathProblem).toBe('relative-path');
      expect(store.getState().folderError).toBeNull();
    }
    expect(bridge.calls.some((c) => c.method === 'addFolder')).toBe(false);
    expect(FOLDER_PATH_PROBLEM_TEXT['relative-path']).toBe('Type the full path of the folder, e.g. /home/you/Music or ~/Music.');
  });

  it('sends "~/Music" as typed, for the host to expand, and clears the refusal', async () => {
    const { store, bridge } = createTestStore();
    await store.getState().addFolder('Music');
    expect(await store.getState().addFolder('  ~/Music ')).toBe(true);
    expect(bridge.calls.find((c) => c.method === 'addFolder')?.args).toEqual(['~/Music']);
    expect(store.getState().folderPathProblem).toBeNull();
    expect(store.getState().folders.map((f) => f.path)).toEqual(['/home/fake/Music']);
  });
});
