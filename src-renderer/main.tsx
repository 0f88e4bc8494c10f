// The renderer's entry: picks the library door, builds the one store, connects it to the engine's pushes and
// renders the app. Uncaught render errors go to the console (the only log the page has).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createBrowserMic } from './features/listen/micCapture';
import { browserNotifier } from './features/listen/notifier';
import { getLibraryApi } from './lib/libraryApi';
import { newUuid } from './lib/uuid';
import { connectAppStore, createAppStore } from './store/appStore';
import type { StoreDeps } from './store/types';
import { bindAppStore } from './store/useAppStore';
import './ui/styles.css';

const bridge = getLibraryApi();
const deps: StoreDeps = { bridge, mic: createBrowserMic(bridge.systemAudioSupport), newId: newUuid, notifier: browserNotifier };
const store = createAppStore(deps);
bindAppStore(store);
connectAppStore(store, deps);

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html lacks #root');
createRoot(rootElement, {
  onUncaughtError: (error, info) => console.error('audio-ident: uncaught render error', error, info.componentStack),
  onCaughtError: (error, info) => console.error('audio-ident: render error', error, info.componentStack),
}).render(
  <StrictMode>
    <App bridge={deps.bridge} />
  </StrictMode>,
);
