// Remembers the window's size and position across runs: window-state.json in the data folder, written debounced.
// restoreBounds (pure) only brings a saved position back when it is still on a connected display.
import { promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface SavedWindowState extends Rect {
  readonly isMaximized: boolean;
}

/** What BrowserWindow's constructor gets: a size always, a position only when it is known to be visible. */
export interface InitialBounds {
  readonly width: number;
  readonly height: number;
  readonly x?: number;
  readonly y?: number;
  readonly isMaximized: boolean;
}

export const DEFAULT_SIZE = { width: 1100, height: 760 } as const;
export const MIN_SIZE = { width: 640, height: 480 } as const;
/** How much of the window (px) must lie inside one display's work area for the saved position to be reused. */
const MIN_VISIBLE_PX = { width: 160, height: 80 } as const;

/**
 * Decides the initial bounds from what was saved and the displays connected now (their work areas).
 * Garbage or nothing saved: default size, centred by the OS. Saved position off every display (a monitor was
 * unplugged): saved size (capped to the primary display), centred. Otherwise the saved bounds.
 */
export function restoreBounds(saved: unknown, workAreas: readonly Rect[]): InitialBounds {
  const state = parseSavedState(saved);
  if (!state) return { ...DEFAULT_SIZE, isMaximized: false };
  const primary = workAreas[0];
  const fit = (size: number, max: number | undefined, min: number): number => Math.max(min, max === undefined ? size : Math.min(size, max));
  const visible = workAreas.find((area) => overlap(state, area).width >= MIN_VISIBLE_PX.width && overlap(state, area).height >= MIN_VISIBLE_PX.height);
  if (!visible) {
    return {
      width: fit(state.width, primary?.width, MIN_SIZE.width),
      height: fit(state.height, primary?.height, MIN_SIZE.height),
      isMaximized: state.isMaximized,
    };
  }
  return {
    x: state.x,
    y: state.y,
    width: fit(state.width, visible.width, MIN_SIZE.width),
    height: fit(state.height, visible.height, MIN_SIZE.height),
    isMaximized: state.isMaximized,
  };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

/** A saved state as read from disk (untrusted JSON), or null. */
export function parseSavedState(value: unknown): SavedWindowState | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const finite = (n: unknown, min: number, max: number): n is number => typeof n === 'number' && Number.isFinite(n) && n >= min && n <= max;
  if (!finite(v.x, -100_000, 100_000) || !finite(v.y, -100_000, 100_000)) return null;
  if (!finite(v.width, 1, 100_000) || !finite(v.height, 1, 100_000)) return null;
  return {
    x: Math.round(v.x),
    y: Math.round(v.y),
    width: Math.round(v.width),
    height: Math.round(v.height),
    isMaximized: v.isMaximized === true,
  };
}

export const WINDOW_STATE_FILE = 'window-state.json';

/** Reads the saved state (synchronously: it is tiny and needed before the window exists); null when absent or unreadable. */
export function readWindowState(dataDir: string): unknown {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, WINDOW_STATE_FILE), 'utf8'));
  } catch {
    return null;
  }
}

export interface WindowStateWriter {
  /** Schedules a write of the latest state (debounced). */
  save(state: SavedWindowState): void;
  /** Writes a pending state now (on close). */
  flush(): Promise<void>;
}

/** Debounced writer: many move/resize events in a burst become one write, atomically replaced (tmp + rename). */
export function createWindowStateWriter(dataDir: string, debounceMs = 500): WindowStateWriter {
  let pending: SavedWindowState | null = null;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const file = path.join(dataDir, WINDOW_STATE_FILE);
  const write = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    const state = pending;
    pending = null;
    if (!state) return writing;
    writing = writing.then(async () => {
      try {
        await fsp.mkdir(dataDir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        await fsp.writeFile(tmp, JSON.stringify(state));
        await fsp.rename(tmp, file);
      } catch {
        // Losing the window position is not worth bothering the user about.
      }
    });
    return writing;
  };
  return {
    save(state) {
      pending = state;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void write(), debounceMs);
      timer.unref?.();
    },
    flush: write,
  };
}
