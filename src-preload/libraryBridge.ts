// Builds window.library (the LibraryBridge) over an ipcRenderer: one invoke per contract method, one shared event
// listener, mediaUrl, pickFolder, showInFolder and systemAudioSupport. Pure wiring with no electron runtime import, so it is tested without Electron.
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { APP_COMMAND_CHANNEL, APP_COMMAND_EVENT, isAppCommand } from './contract/appCommands.js';
import {
  EVENT_CHANNEL,
  LIBRARY_EVENTS,
  LIBRARY_METHODS,
  PICK_FOLDER_CHANNEL,
  SHOW_IN_FOLDER_CHANNEL,
  SYSTEM_AUDIO_SUPPORT_CHANNEL,
  callChannel,
  isSystemAudioSupport,
  type AsyncLibraryApi,
  type LibraryBridge,
  type LibraryEventName,
  type SystemAudioSupport,
} from './contract/api.js';

type IpcLike = Pick<IpcRenderer, 'invoke' | 'on'>;

/** Builds the bridge over an ipcRenderer: one invoke per contract method, one shared listener for every event. */
export function buildLibraryBridge(ipc: IpcLike): LibraryBridge {
  const methods = Object.fromEntries(
    LIBRARY_METHODS.map((method) => {
      const channel = callChannel(method);
      // Only the call's own arguments cross: never the event object or ipcRenderer itself.
      return [method, (...args: unknown[]) => ipc.invoke(channel, ...args)];
    }),
  ) as unknown as AsyncLibraryApi;

  const listeners = new Map<LibraryEventName, Set<(payload: never) => void>>();
  ipc.on(EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
    const set = listeners.get(name as LibraryEventName);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (p: unknown) => void)(payload);
      } catch (error) {
        console.error(`library.on('${String(name)}') listener failed`, error);
      }
    }
  });

  const on: LibraryBridge['on'] = (event, listener) => {
    if (!(LIBRARY_EVENTS as readonly string[]).includes(event) || typeof listener !== 'function') {
      throw new TypeError(`library.on: unknown event ${String(event)}`);
    }
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  };

  return {
    ...methods,
    on,
    door: 'electron',
    mediaUrl: (trackId) => `media://track/${encodeURIComponent(String(trackId))}`,
    pickFolder: () => ipc.invoke(PICK_FOLDER_CHANNEL) as Promise<string | null>,
    showInFolder: (trackId) => ipc.invoke(SHOW_IN_FOLDER_CHANNEL, String(trackId)) as Promise<boolean>,
    // Whatever main answers, the page only ever sees one of the three words.
    systemAudioSupport: async (): Promise<SystemAudioSupport> => {
      const answer: unknown = await ipc.invoke(SYSTEM_AUDIO_SUPPORT_CHANNEL);
      return isSystemAudioSupport(answer) ? answer : 'unsupported-platform';
    },
  };
}

/** Re-dispatches menu commands (e.g. Listen) as DOM events the page can listen for. */
export function forwardAppCommands(ipc: Pick<IpcRenderer, 'on'>, target: Pick<EventTarget, 'dispatchEvent'>): void {
  ipc.on(APP_COMMAND_CHANNEL, (_event: IpcRendererEvent, command: unknown) => {
    if (isAppCommand(command)) target.dispatchEvent(new CustomEvent(APP_COMMAND_EVENT, { detail: command }));
  });
}
