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
import type { KeepListeningSlice } from '../features/listen/keepListeningSlice';
import type { KeyValueStorage } from '../features/listen/roomLogStore';
import type { NowPlayingSlice } from '../features/settings/nowPlayingSlice';

/** A running microphone capture: mono Float32 chunks arrive through the callback given to MicSource.open. */
export interface MicSession {
  readonly sampleRateHz: number;
  close(): void;
}

export interface MicOpenOptions {
  /** Downsample in the capture worklet to this rate (the fingerprint's 8000 Hz); omitted: the device's own rate. */
  readonly targetRateHz?: number;
  /**
   * The input to open (from listInputs, or SYSTEM_AUDIO_INPUT_ID for the computer's own sound); omitted or gone: the
   * system's default input.
   */
  readonly deviceId?: string | null;
}

/** An audio input the page can open. */
export interface MicInput {
  readonly deviceId: string;
  /** Empty until the page was allowed to use a microphone once (browsers hide the names before that). */
  readonly label: string;
}

/**
 * Whether this window can record the computer's own sound (system audio), and how; or why not:
 * - 'loopback': the desktop app records what the computer plays, no dialog of ours (Windows, macOS 13+, Linux).
 * - 'share-dialog': the browser's share dialog, where the user picks a tab (or screen) and keeps its sound on (Chromium).
 * - 'macos-too-old': the desktop app on macOS before 13.
 * - 'unsupported': neither (a browser that shares no sound, a system without loopback).
 */
export type SystemAudioAvailability = 'loopback' | 'share-dialog' | 'macos-too-old' | 'unsupported';

/**
 * Opens an input (echo cancellation, noise suppression and auto gain off); rejects when it cannot, with a
 * ListenProblemError when it knows why in words the page has.
 */
export interface MicSource {
  open(onChunk: (monoSamples: Float32Array) => void, options?: MicOpenOptions): Promise<MicSession>;
  /** The audio inputs (microphones; on Linux also the PulseAudio/PipeWire "Monitor of ..." sources). */
  listInputs?(): Promise<readonly MicInput[]>;
  /** Whether open() can take the computer's own sound (deviceId SYSTEM_AUDIO_INPUT_ID); absent: it cannot. */
  systemAudio?(): Promise<SystemAudioAvailability>;
}

/** Desktop notifications (the web Notifications API, in Electron's renderer and in the browser host). */
export interface Notifier {
  /** 'unsupported' where the page has no Notifications API. */
  permission(): NotificationPermission | 'unsupported';
  /** Asks the user (once; later calls answer what was chosen). */
  request(): Promise<NotificationPermission | 'unsupported'>;
  show(title: string, body: string): void;
}

export interface StoreDeps {
  readonly bridge: LibraryBridge;
  readonly mic: MicSource;
  /** A fresh id per Listen (the history key); crypto.randomUUID in the app. */
  readonly newId: () => string;
  /** Keep listening's song notifications; absent: none are shown. */
  readonly notifier?: Notifier;
  /** Where the room log is kept across reloads; absent: the page's localStorage; null: nowhere. */
  readonly storage?: KeyValueStorage | null;
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
  TracklistSlice &
  KeepListeningSlice &
  NowPlayingSlice;

/** A slice creator with the deps at hand. */
export type SliceCreator<T> = (deps: StoreDeps) => StateCreator<AppState, [], [], T>;
