// The one bound store, built from slices, and its wiring to the engine's pushes. `createAppStore` makes a fresh
// store (one per test); `connectAppStore` subscribes to the bridge's events and loads what every screen needs.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LibraryChange } from '../../src-preload/contract/api';
import { createBrowseSlice } from './browseSlice';
import { createHistorySlice } from './historySlice';
import { createIdentifySlice } from './identifySlice';
import { createLibrarySlice } from './librarySlice';
import { createModelsSlice } from './modelsSlice';
import { createPlayerSlice } from './playerSlice';
import { createSettingsSlice } from './settingsSlice';
import { createStatusSlice } from './statusSlice';
import { createTracksSlice } from './tracksSlice';
import { createTracklistSlice } from '../features/tracklist/tracklistSlice';
import { createKeepListeningSlice } from '../features/listen/keepListeningSlice';
import { createNowPlayingSlice } from '../features/settings/nowPlayingSlice';
import type { AppState, StoreDeps } from './types';

export type AppStore = StoreApi<AppState>;

export function createAppStore(deps: StoreDeps): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createSettingsSlice(deps)(...a),
    ...createStatusSlice(deps)(...a),
    ...createIdentifySlice(deps)(...a),
    ...createLibrarySlice(deps)(...a),
    ...createTracksSlice(deps)(...a),
    ...createHistorySlice(deps)(...a),
    ...createModelsSlice(deps)(...a),
    ...createBrowseSlice(deps)(...a),
    ...createPlayerSlice(deps)(...a),
    ...createTracklistSlice(deps)(...a),
    ...createKeepListeningSlice(deps)(...a),
    ...createNowPlayingSlice(deps)(...a),
  }));
}

/** What to re-read when the library changes, by reason. */
export function refreshFor(store: AppStore, change: LibraryChange): Promise<unknown> {
  const s = store.getState();
  const jobs: Promise<unknown>[] = [s.loadStatus()];
  if (change.reason === 'history') jobs.push(s.loadHistory());
  else {
    jobs.push(s.loadFolders(), s.reloadTracks(), s.loadFailedFiles());
    if (s.libraryView !== 'tracks') jobs.push(s.loadGroups(s.libraryView));
    const selected = s.selectedTrackId;
    if (selected) jobs.push(s.selectTrack(selected));
  }
  return Promise.all(jobs);
}

/** Subscribes to the engine's pushes and loads the first data; returns the unsubscribe. */
export function connectAppStore(store: AppStore, deps: StoreDeps): () => void {
  const { bridge } = deps;
  const offs = [
    bridge.on('scanProgress', (progress) => store.getState().applyScanEvent({ type: 'progress', progress })),
    bridge.on('scanFinished', (summary) => {
      store.getState().applyScanEvent({ type: 'finished', summary });
      void store.getState().loadFailedFiles();
      void store.getState().loadFolders();
    }),
    bridge.on('statusChanged', (status) => {
      store.getState().applyStatus(status);
      store.getState().applyScanEvent({ type: 'status', status });
    }),
    bridge.on('libraryChanged', (change) => void refreshFor(store, change)),
    bridge.on('modelProgress', (progress) => store.getState().applyModelProgress(progress)),
    bridge.on('tracklistProgress', (progress) => store.getState().applyTracklistProgress(progress)),
  ];
  const s = store.getState();
  void s.loadStatus().then(() => {
    const status = store.getState().status;
    if (status) store.getState().applyScanEvent({ type: 'status', status });
  });
  void s.loadFolders();
  void s.reloadTracks();
  void s.loadFailedFiles();
  void s.loadHistory();
  void s.loadModels();
  return () => offs.forEach((off) => off());
}
