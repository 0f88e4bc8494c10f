// Electron main process: lifecycle and composition root. Reads like a table of contents; the work lives in app/
// (window, menu, protocols, security), ipc/ (contract -> backend) and the backend's worker thread (host/openBackend).
import path from 'node:path';
import { BrowserWindow, Menu, app, desktopCapturer, dialog, ipcMain, protocol, screen, session, shell } from 'electron';
import { installAppMenu } from './app/appMenu.js';
import { applyFakeMicSwitches, exposeBuiltinResources, resolveDataDir } from './app/launchOptions.js';
import { claimSingleInstance, closeBeforeQuit } from './app/lifecycle.js';
import { createMainWindow } from './app/mainWindow.js';
import { isExternalHttpsUrl } from './app/origins.js';
import { handleAppProtocols, registerPrivilegedSchemes } from './app/protocols.js';
import { guardEveryWebContents, installPermissionPolicy } from './app/security.js';
import { applySystemAudioSwitches, installSystemAudioHandler, systemAudioSupport } from './app/systemAudio.js';
import { openBackend } from './host/openBackend.js';
import { forwardLibraryEvents } from './ipc/forwardEvents.js';
import { registerLibraryHandlers } from './ipc/libraryHandlers.js';
import { registerPickFolderHandler } from './ipc/pickFolder.js';
import { registerShowInFolderHandler } from './ipc/showInFolder.js';
import { registerSystemAudioSupportHandler } from './ipc/systemAudioSupport.js';

// 1. Before ready: one data folder shared with the CLI (Chromium's own files in a subfolder), test switches, the
// system-audio switch, schemes, and the navigation / new-window guard for every webContents the app will create.
const dataDir = resolveDataDir(process.argv, process.env);
app.setPath('userData', dataDir);
app.setPath('sessionData', path.join(dataDir, 'chromium'));
applyFakeMicSwitches(app.commandLine, process.env, app.isPackaged); // e2e only: ignored when packaged
applySystemAudioSwitches(app.commandLine, process.platform); // Linux: PulseAudio/PipeWire loopback
const systemAudio = systemAudioSupport(process.platform, process.getSystemVersion());
exposeBuiltinResources(process.env, app.isPackaged, process.resourcesPath); // the vibe lane's built-in model
registerPrivilegedSchemes(protocol);
const openExternal = (url: string): Promise<void> => (isExternalHttpsUrl(url) ? shell.openExternal(url) : Promise.resolve());
guardEveryWebContents(app, { openExternal });

let mainWindow: BrowserWindow | null = null;
const currentWindow = (): BrowserWindow | null => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null);

if (!claimSingleInstance(app, currentWindow)) {
  app.quit();
} else {
  // 2. The library runs in a worker thread; this thread only routes. Calls made while it opens wait for it.
  const backend = openBackend({ dataDir, watch: true, appVersion: app.getVersion() });
  backend.catch((error: unknown) => console.error('the library could not be opened', error));
  registerLibraryHandlers(ipcMain, backend);
  registerPickFolderHandler(ipcMain, dialog, currentWindow);
  registerShowInFolderHandler(ipcMain, shell, backend);
  registerSystemAudioSupportHandler(ipcMain, systemAudio);
  backend.then(
    (b) => forwardLibraryEvents(b, () => BrowserWindow.getAllWindows().map((w) => w.webContents)),
    () => undefined,
  );
  closeBeforeQuit(app, async () => (await backend).close());

  // 3. When ready: security policy, protocols, menu, the window.
  const appRoot = app.getAppPath();
  const openWindow = (): void => {
    mainWindow = createMainWindow({
      BrowserWindow,
      screen,
      dataDir,
      title: app.getName(),
      preloadPath: path.join(appRoot, 'out', 'preload', 'preload.cjs'),
      openExternal,
    });
  };
  void app.whenReady().then(() => {
    installPermissionPolicy(session.defaultSession);
    installSystemAudioHandler(session.defaultSession, desktopCapturer, systemAudio);
    handleAppProtocols(protocol, path.join(appRoot, 'out', 'renderer'), backend);
    installAppMenu({ Menu, dialog, app, mainWindow: currentWindow, backend, dataDir });
    openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow(); // macOS: dock icon clicked with no window
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
