// The page's fake door: the contract's one fake library (src-preload/contract/fake/fakeLibrary.ts) as a
// LibraryBridge, for the unit tests and the page's dev mode (`?fake` in a Vite dev build; `?fake=100000` for a big
// library). All the behaviour (browsing, search, History, scans of /music, scripted identification, tracklists,
// keep listening, models) is the fake library's, held to the real LibraryService by its conformance test; this file
// adds only what a page's door has: the browser door's name, media URLs, real timers and an optional latency.
import type { LibraryBridge, LibraryEventName, LibraryEvents, TrackSummary } from '../../src-preload/contract/api';
import { LIBRARY_METHODS } from '../../src-preload/contract/api';
import type { FakeClock } from '../../src-preload/contract/fake/fakeClock';
import { createFakeLibrary, type FakeCall, type FakeLibraryOptions } from '../../src-preload/contract/fake/fakeLibrary';
import type { FakeScripts } from '../../src-preload/contract/fake/fakeScripts';
import { fakeMusicDisk } from '../../src-preload/contract/fake/fakeTracks';

export { defaultFakeIdentify, defaultFakeListen, defaultFakeTracklist, TRACKLIST_STEPS } from '../../src-preload/contract/fake/fakeScripts';
export { FAKE_BUILTIN_MODEL_ID, FAKE_CLAP_MODEL_ID, MODEL_STEPS } from '../../src-preload/contract/fake/fakeModels';

export interface FakeBridgeOptions extends Pick<FakeLibraryOptions, 'scanStepMs' | 'tracklistStepMs' | 'modelStepMs' | 'modelFailure'> {
  /** Extra generated tracks in /music beyond the named few (for paging/virtualisation at scale). */
  readonly extraTrackCount?: number;
  /** Delay before each call answers, ms (0 answers on the next microtask). */
  readonly latencyMs?: number;
  /** Scripted identification: return a result or an error (default: defaultFakeIdentify). */
  readonly identify?: FakeScripts['identify'];
  /** Scripted tracklists (default: defaultFakeTracklist), answered after TRACKLIST_STEPS progress steps. */
  readonly tracklist?: FakeScripts['tracklist'];
  /** Scripted keep listening: what a session hears after `heardSeconds` of audio (default: defaultFakeListen). */
  readonly listen?: FakeScripts['listen'];
  /** Start with /music added and scanned. */
  readonly startScanned?: boolean;
}

export interface FakeBridge extends LibraryBridge {
  /** Every call made, in order (method name and arguments), for assertions. */
  readonly calls: FakeCall[];
  /** Pushes an event as the engine would. */
  emit<E extends LibraryEventName>(event: E, payload: LibraryEvents[E]): void;
  /** The catalog, in the order tracks entered it. */
  readonly tracks: readonly TrackSummary[];
}

/** The page's timers as the fake library's clock. */
export const realClock: FakeClock = {
  now: () => new Date(),
  after(ms, run) {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

export function createFakeBridge(options: FakeBridgeOptions = {}): FakeBridge {
  const latencyMs = options.latencyMs ?? 0;
  const { identify, tracklist, listen } = options;
  const library = createFakeLibrary({
    clock: realClock,
    disk: fakeMusicDisk(options.extraTrackCount ?? 0),
    scanned: options.startScanned ? ['/music'] : [],
    scanStepMs: options.scanStepMs,
    tracklistStepMs: options.tracklistStepMs,
    modelStepMs: options.modelStepMs,
    modelFailure: options.modelFailure,
    scripts: { ...(identify && { identify }), ...(tracklist && { tracklist }), ...(listen && { listen }) },
  });
  const bridge = {
    door: 'browser',
    calls: library.calls,
    tracks: library.tracks,
    emit: library.emit,
    on: <E extends LibraryEventName>(event: E, listener: (payload: LibraryEvents[E]) => void) => library.on(event, listener),
    mediaUrl: (trackId: string) => `fake-media/${trackId}`,
  } as Record<string, unknown>;
  // The library answers at once; the page sees each answer `latencyMs` later, as over a slow door.
  const methods = library as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const method of LIBRARY_METHODS) {
    bridge[method] = (...args: unknown[]) => {
      const answer = methods[method](...args);
      return latencyMs > 0 ? answer.then((value) => new Promise((resolve) => setTimeout(() => resolve(value), latencyMs))) : answer;
    };
  }
  return bridge as unknown as FakeBridge;
}
