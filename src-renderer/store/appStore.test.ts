// The store wired to the (fake) engine's pushes: adding a folder scans it; progress reaches done; tracks, folders
// and failed files are re-read; history lists identifications and clears.
import { describe, expect, it, vi } from 'vitest';
import { connectAppStore } from './appStore';
import { createTestStore } from './testDeps';

describe('app store and engine events', () => {
  it('add a folder -> progress -> done -> tracks, folders and the failed file listed', async () => {
    const { store, deps } = createTestStore({ scanStepMs: 5 });
    const disconnect = connectAppStore(store, deps);
    await vi.waitFor(() => expect(store.getState().foldersLoaded).toBe(true));
    expect(store.getState().trackTotal).toBe(0);

    const phases: string[] = [];
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.scan.progress !== prev.scan.progress && s.scan.progress)
        phases.push(`${s.scan.progress.phase}:${s.scan.progress.filesDone}/${s.scan.progress.filesTotal}`);
    });
    expect(await store.getState().addFolder('  /music  ')).toBe(true);
    expect(store.getState().folders.map((f) => f.path)).toEqual(['/music']);
    await vi.waitFor(() => expect(store.getState().scan.lastSummary).not.toBeNull(), { timeout: 2000 });
    await vi.waitFor(() => expect(store.getState().trackTotal).toBe(4));
    unsubscribe();

    expect(phases[0]).toBe('walking:0/5');
    expect(phases).toContain('indexing:1/5');
    expect(store.getState().scan.running).toBe(false);
    expect(store.getState().scan.progress?.phase).toBe('done');
    await vi.waitFor(() => expect(store.getState().failedFiles).toHaveLength(1));
    expect(store.getState().failedFiles[0].error.code).toBe('unsupported-format');
    await vi.waitFor(() => expect(store.getState().folders[0].trackCount).toBe(4));
    expect(store.getState().status?.trackCount).toBe(4);
    disconnect();
  });

  it('shows a folder error in words-ready form and keeps the list', async () => {
    const { store } = createTestStore();
    // A relative path is refused by the page itself (words in FOLDER_PATH_PROBLEM_TEXT), the engine's errors by code.
    expect(await store.getState().addFolder('relative/path')).toBe(false);
    expect(store.getState().folderPathProblem).toBe('relative-path');
    expect(await store.getState().addFolder('D:\\Music')).toBe(false); // the fake engine finds no such folder
    expect(store.getState().folderError?.code).toBe('folder-not-found');
    expect(store.getState().folderPathProblem).toBeNull();
    expect(store.getState().folders).toEqual([]);
  });

  it('history: lists identifications newest first and clears', async () => {
    const { store } = createTestStore({ startScanned: true });
    // Two different files (the same bytes would be one entry with a count).
    const file = (name: string) => ({ name, sizeBytes: name.length, readBytes: async () => new TextEncoder().encode(name) });
    await store.getState().identifyFile(file('one.wav'));
    await store.getState().identifyFile(file('unknown.wav'));
    await store.getState().loadHistory();
    const entries = store.getState().historyEntries;
    expect(entries.map((e) => e.clipName)).toEqual(['unknown.wav', 'one.wav']);
    expect(entries[0].match).toBeNull();
    expect(entries[1].match?.title).toBe('Beta');
    await store.getState().clearHistory();
    expect(store.getState().historyEntries).toEqual([]);
    expect(store.getState().historyTotal).toBe(0);
  });

  it('settings clamp max results to 1..50 and the Listen limit to 5..60 s', () => {
    const { store } = createTestStore();
    store.getState().setMaxResults(500);
    expect(store.getState().settings.maxResults).toBe(50);
    store.getState().setMaxResults(0);
    expect(store.getState().settings.maxResults).toBe(1);
    store.getState().setListenLimitSeconds(1);
    expect(store.getState().settings.listenLimitSeconds).toBe(5);
    store.getState().setMode('both');
    expect(store.getState().settings.mode).toBe('both');
  });
});
