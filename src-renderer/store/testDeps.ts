// Test helpers (no DOM): a scriptable fake microphone and a store wired to the fake bridge. Used by the slice tests.
import { createFakeBridge, type FakeBridge, type FakeBridgeOptions } from '../lib/fakeBridge';
import { createAppStore, type AppStore } from './appStore';
import { bindAppStore } from './useAppStore';
import type { KeyValueStorage } from '../features/listen/roomLogStore';
import type { MicOpenOptions, MicSession, MicSource, Notifier, StoreDeps, SystemAudioAvailability } from './types';

export interface FakeMic extends MicSource {
  /** Pushes `seconds` of audio at `amplitude` (a 440 Hz tone; 0 = digital silence) as the worklet would. */
  feed(seconds: number, amplitude?: number): void;
  readonly openCount: number;
  readonly isOpen: boolean;
  /** The options of the latest open. */
  readonly lastOptions: MicOpenOptions | undefined;
  failWith: Error | null;
  /** What systemAudio() answers (default 'unsupported', as a browser without display audio). */
  systemAudioAvailability: SystemAudioAvailability;
}

export function createFakeMic(sampleRateHz = 8000): FakeMic {
  let onChunk: ((samples: Float32Array) => void) | null = null;
  let phase = 0;
  const mic: FakeMic = {
    openCount: 0,
    isOpen: false,
    lastOptions: undefined,
    failWith: null,
    systemAudioAvailability: 'unsupported',
    async systemAudio() {
      return mic.systemAudioAvailability;
    },
    async listInputs() {
      return [
        { deviceId: 'default-mic', label: 'Built-in microphone' },
        { deviceId: 'monitor', label: 'Monitor of Built-in Audio' },
      ];
    },
    async open(callback, options) {
      (mic as { lastOptions: MicOpenOptions | undefined }).lastOptions = options;
      if (mic.failWith) throw mic.failWith;
      (mic as { openCount: number }).openCount++;
      (mic as { isOpen: boolean }).isOpen = true;
      onChunk = callback;
      const session: MicSession = {
        sampleRateHz,
        close() {
          (mic as { isOpen: boolean }).isOpen = false;
          onChunk = null;
        },
      };
      return session;
    },
    feed(seconds, amplitude = 0.3) {
      const samples = new Float32Array(Math.round(seconds * sampleRateHz));
      for (let i = 0; i < samples.length; i++) samples[i] = amplitude * Math.sin((2 * Math.PI * 440 * phase++) / sampleRateHz);
      onChunk?.(samples);
    },
  };
  return mic;
}

/** A notifier whose user answers `answer` when asked; what it showed is kept. */
export interface FakeNotifier extends Notifier {
  readonly shown: { title: string; body: string }[];
  readonly asked: number;
}

export function createFakeNotifier(answer: NotificationPermission = 'granted'): FakeNotifier {
  let permission: NotificationPermission = 'default';
  const notifier: FakeNotifier = {
    shown: [],
    asked: 0,
    permission: () => permission,
    async request() {
      (notifier as { asked: number }).asked++;
      permission = answer;
      return permission;
    },
    show(title, body) {
      notifier.shown.push({ title, body });
    },
  };
  return notifier;
}

/** A Web Storage stand-in (the room log's): what two stores made with it share, as a page and its reload do. */
export function createMemoryStorage(): KeyValueStorage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

export function createTestStore(
  options: FakeBridgeOptions = {},
  extra: Pick<StoreDeps, 'notifier' | 'storage'> = {},
): { store: AppStore; bridge: FakeBridge; mic: FakeMic; deps: StoreDeps } {
  const bridge = createFakeBridge(options);
  const mic = createFakeMic();
  let n = 0;
  const deps: StoreDeps = { bridge, mic, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, ...extra };
  return { store: createAppStore(deps), bridge, mic, deps };
}

/**
 * A test store that components read through useAppStore, as the app binds its own. Server rendering reads a store's
 * initial-state snapshot, so that snapshot is made the state the test sets.
 */
export function createBoundTestStore(options: FakeBridgeOptions = {}): ReturnType<typeof createTestStore> {
  const created = createTestStore(options);
  created.store.getInitialState = created.store.getState;
  bindAppStore(created.store);
  return created;
}

/** The text a server-rendered component shows: tags out, the entities React writes decoded, spaces collapsed. */
export function htmlText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

/**
 * Plays `seconds` of audio into the fake microphone in steps of `stepMs` (at `amplitude`, the mic's default when
 * omitted), letting the test's timers and the answers run after each step: `advance` is the test's
 * vi.advanceTimersByTimeAsync (this file stays free of the test framework).
 */
export async function playMic(mic: FakeMic, seconds: number, advance: (ms: number) => Promise<unknown>, stepMs = 250, amplitude?: number): Promise<void> {
  const steps = Math.round((seconds * 1000) / stepMs);
  for (let i = 0; i < steps; i++) {
    mic.feed(stepMs / 1000, amplitude);
    await advance(stepMs);
  }
}
