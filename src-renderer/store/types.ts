// The bound store's shape (one store, built from slices) and what it needs from outside: the library bridge and
// the microphone. Tests pass a fake bridge and a fake microphone; the app passes the real ones.
import type { StateCreator } from 'zustand/vanilla';
import type { LibraryBridge } from '../../src-preload/contract/api';
import type { BrowseSlice } from './browseSlice';
import type { HistorySlice } from './historySlice';
import type { IdentifySlice } from './identifySlice';
import type { LibrarySlice } from './librarySlice';
import type { ModelsSlice } from './modelsSlice';
import type { PlayerSlice } from './playerSlice';
import type { SettingsSlice } from './settingsSlice';
import type { StatusSlice } from './statusSlice';
import type { TracksSlice } from './tracksSlice';
import type { TracklistSlice } from '../features/tracklist/tracklistSlice';

/** A running microphone capture: mono Float32 chunks arrive through the callback given to MicSource.open. */
export interface MicSession {
  readonly sampleRateHz: number;
  close(): void;
}

/** Opens the microphone (echo cancellation, noise suppression and auto gain off); rejects when it cannot. */
export interface MicSource {
  open(onChunk: (monoSamples: Float32Array) => void): Promise<MicSession>;
}

export interface StoreDeps {
  readonly bridge: LibraryBridge;
  readonly mic: MicSource;
  /** A fresh id per Listen (the history key); crypto.randomUUID in the app. */
  readonly newId: () => string;
}

export type AppState = SettingsSlice &
  StatusSlice &
  IdentifySlice &
  LibrarySlice &
  TracksSlice &
  HistorySlice &
  ModelsSlice &
  BrowseSlice &
  PlayerSlice &
  TracklistSlice;

/** A slice creator with the deps at hand. */
export type SliceCreator<T> = (deps: StoreDeps) => StateCreator<AppState, [], [], T>;
