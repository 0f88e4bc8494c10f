// The service's events (the contract's LibraryEvents): listeners by event name; a listener that throws is logged and
// the others still hear the event. Synchronous; the service's thread.
import type { LibraryEventName, LibraryEvents, Unsubscribe } from '../../../src-preload/contract/api.js';

type Listener = (payload: never) => void;

/** Where the service's collaborators send events. */
export type Emit = <E extends LibraryEventName>(event: E, payload: LibraryEvents[E]) => void;

export class ServiceEvents {
  private readonly listeners = new Map<LibraryEventName, Set<Listener>>();

  constructor(private readonly log: (message: string, error?: unknown) => void) {}

  on<E extends LibraryEventName>(event: E, listener: (payload: LibraryEvents[E]) => void): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  readonly emit: Emit = (event, payload) => {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (p: typeof payload) => void)(payload);
      } catch (error) {
        this.log(`a ${event} listener threw`, error);
      }
    }
  };

  clear(): void {
    this.listeners.clear();
  }
}
