// Settings the user picks on the Listen screen: search mode, max results (1..50), the Listen time limit and the
// audio input.
// Kept in localStorage when there is one (the store itself stays free of the DOM otherwise).
import { LIMITS } from '../../src-preload/contract/api';
import type { SearchMode } from '../../src-preload/contract/library';
import type { SliceCreator } from './types';

export const DEFAULT_LISTEN_LIMIT_SECONDS = 15;
export const MIN_LISTEN_LIMIT_SECONDS = 5;
export const MAX_LISTEN_LIMIT_SECONDS = 60;
const STORAGE_KEY = 'audio-ident.settings.v1';

export interface Settings {
  readonly mode: SearchMode;
  /** 1..LIMITS.maxResults. */
  readonly maxResults: number;
  /** Listen stops by itself after this many seconds without a confident match. */
  readonly listenLimitSeconds: number;
  /** The audio input Listen and Keep listening open (MicInput.deviceId); null: the system's default. */
  readonly micDeviceId: string | null;
}

export interface SettingsSlice {
  settings: Settings;
  setMode: (mode: SearchMode) => void;
  setMaxResults: (count: number) => void;
  setListenLimitSeconds: (seconds: number) => void;
  setMicDeviceId: (deviceId: string | null) => void;
}

export const DEFAULT_SETTINGS: Settings = { mode: 'both', maxResults: 5, listenLimitSeconds: DEFAULT_LISTEN_LIMIT_SECONDS, micDeviceId: null };

export function clampInt(value: number, min: number, max: number, fallback: number): number {
  if (!Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

function loadSettings(): Settings {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (!raw) return DEFAULT_SETTINGS;
    const parsed = JSON.parse(raw) as Partial<Settings>;
    return {
      mode: parsed.mode === 'vibe' || parsed.mode === 'exact' || parsed.mode === 'both' ? parsed.mode : DEFAULT_SETTINGS.mode,
      maxResults: clampInt(Number(parsed.maxResults), 1, LIMITS.maxResults, DEFAULT_SETTINGS.maxResults),
      listenLimitSeconds: clampInt(Number(parsed.listenLimitSeconds), MIN_LISTEN_LIMIT_SECONDS, MAX_LISTEN_LIMIT_SECONDS, DEFAULT_LISTEN_LIMIT_SECONDS),
      micDeviceId: typeof parsed.micDeviceId === 'string' && parsed.micDeviceId.length > 0 && parsed.micDeviceId.length <= 500 ? parsed.micDeviceId : null,
    };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

function saveSettings(settings: Settings): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // Storage may be unavailable (private mode, tests): settings then last for this session only.
  }
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = () => (set, get) => {
  const update = (patch: Partial<Settings>) => {
    const settings = { ...get().settings, ...patch };
    saveSettings(settings);
    set({ settings });
  };
  return {
    settings: loadSettings(),
    setMode: (mode) => update({ mode }),
    setMaxResults: (count) => update({ maxResults: clampInt(count, 1, LIMITS.maxResults, DEFAULT_SETTINGS.maxResults) }),
    setListenLimitSeconds: (seconds) =>
      update({ listenLimitSeconds: clampInt(seconds, MIN_LISTEN_LIMIT_SECONDS, MAX_LISTEN_LIMIT_SECONDS, DEFAULT_LISTEN_LIMIT_SECONDS) }),
    setMicDeviceId: (deviceId) => update({ micDeviceId: deviceId && deviceId.length > 0 ? deviceId : null }),
  };
};
