// Pushes the backend's events (scan progress, library changes, status) to the page: webContents.send on the
// contract's EVENT_CHANNEL as (name, payload); the preload filters them by name for library.on(name, listener).
import type { WebContents } from 'electron';
import { EVENT_CHANNEL, LIBRARY_EVENTS, type LibraryEventSource, type Unsubscribe } from '../../src-preload/contract/api.js';

export type EventTarget = Pick<WebContents, 'send' | 'isDestroyed'>;

/** Subscribes to every LibraryEvents event; targets() is asked on each event (windows come and go). */
export function forwardLibraryEvents(source: LibraryEventSource, targets: () => readonly EventTarget[]): Unsubscribe {
  const unsubscribes = LIBRARY_EVENTS.map((name) =>
    source.on(name, (payload) => {
      for (const target of targets()) {
        if (target.isDestroyed()) continue;
        try {
          target.send(EVENT_CHANNEL, name, payload);
        } catch {
          // A window closing between isDestroyed() and send(): nothing to tell it.
        }
      }
    }),
  );
  return () => unsubscribes.forEach((u) => u());
}
