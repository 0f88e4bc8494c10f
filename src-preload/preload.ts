// The preload: exposes window.library (the contract's LibraryBridge) and nothing else; no ipcRenderer reaches the page.
// Runs sandboxed (it may only require 'electron'), so scripts/buildPreload.mjs bundles it into out/preload/preload.cjs.
import { contextBridge, ipcRenderer } from 'electron';
import { buildLibraryBridge, forwardAppCommands } from './libraryBridge.js';

contextBridge.exposeInMainWorld('library', buildLibraryBridge(ipcRenderer));
forwardAppCommands(ipcRenderer, window);
