// The native menu: File (Add folder…, Rescan), Edit (clipboard roles, so text fields work on macOS), View (Listen,
// and reload/devtools in development only), Help (About). Built as a plain template so it is tested without Electron.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  /** Native folder dialog, then addFolder. */
  addFolder(): void;
  rescan(): void;
  /** Tells the page to start Listening. */
  listen(): void;
  about(): void;
}

export interface MenuOptions {
  readonly platform: NodeJS.Platform;
  /** Development build (not packaged): adds Reload and the developer tools. */
  readonly isDev: boolean;
  readonly appName: string;
}

export const LISTEN_ACCELERATOR = 'CmdOrCtrl+L';

export function buildMenuTemplate(options: MenuOptions, actions: MenuActions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ label: options.appName, role: 'appMenu' });
  template.push({
    label: '&File',
    submenu: [
      { id: 'add-folder', label: 'Add Folder…', accelerator: 'CmdOrCtrl+O', click: () => actions.addFolder() },
      { id: 'rescan', label: 'Rescan Library', click: () => actions.rescan() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({ label: '&Edit', role: 'editMenu' });
  const view: MenuItemConstructorOptions[] = [
    // The page has its own Ctrl/Cmd+L handler (the browser host needs it too); on Linux/Windows the menu only shows
    // the shortcut so one key press does not start Listen twice. On macOS the page treats 'listen' as idempotent.
    { id: 'listen', label: 'Listen', accelerator: LISTEN_ACCELERATOR, registerAccelerator: false, click: () => actions.listen() },
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (options.isDev) view.push({ type: 'separator' }, { role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' });
  template.push({ label: '&View', submenu: view });
  if (isMac) template.push({ role: 'windowMenu' });
  template.push({
    label: '&Help',
    role: 'help',
    submenu: [{ id: 'about', label: `About ${options.appName}`, click: () => actions.about() }],
  });
  return template;
}
