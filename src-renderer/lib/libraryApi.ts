// Picks the page's door to the library once, at start-up: the Electron preload's window.library when present, else
// the browser host's HTTP + WebSocket bridge (or, in a Vite dev build opened with `?fake`, the in-memory fake).
// Components never touch window.library: the store receives the bridge this returns (tests pass a fake instead).
import type { LibraryBridge } from '../../src-preload/contract/api';
import { createFakeBridge } from './fakeBridge';
import { createHttpBridge } from './httpBridge';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in the browser. */
    readonly library?: LibraryBridge;
  }
}

let chosen: LibraryBridge | null = null;

/**
 * `?fake` or `?fake=<extra track count>` selects the fake bridge, only in dev builds (`vite`, or `vite build --mode fake`):
 * the condition is a build-time constant, so production bundles do not contain the fake at all.
 */
const FAKE_ALLOWED = import.meta.env.DEV || import.meta.env.MODE === 'fake';

function fakeTrackCountFromUrl(): number | null {
  const value = new URLSearchParams(window.location.search).get('fake');
  if (value === null) return null;
  const count = Number.parseInt(value, 10);
  return Number.isFinite(count) && count > 0 ? count : 0;
}

export function getLibraryApi(): LibraryBridge {
  if (chosen) return chosen;
  if (window.library) {
    chosen = window.library;
    return chosen;
  }
  if (FAKE_ALLOWED) {
    const fakeCount = fakeTrackCountFromUrl();
    if (fakeCount !== null) {
      chosen = createFakeBridge({ extraTrackCount: fakeCount, latencyMs: 30 });
      return chosen;
    }
  }
  chosen = createHttpBridge();
  return chosen;
}
