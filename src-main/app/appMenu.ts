// What the native menu's items do: Add Folder… (dialog, then addFolder), Rescan, Listen (a command to the page),
// About. Electron main process only; the template itself is menu.ts.
import type { App, BrowserWindow, Dialog, Menu as MenuType } from 'electron';
import { APP_COMMAND_CHANNEL, type AppCommand } from '../../src-preload/contract/appCommands.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';
import { pickFolder } from './folderDialog.js';
import { buildMenuTemplate } from './menu.js';

export interface AppMenuDeps {
  readonly Menu: Pick<typeof MenuType, 'buildFromTemplate' | 'setApplicationMenu'>;
  readonly dialog: Pick<Dialog, 'showOpenDialog' | 'showMessageBox'>;
  readonly app: Pick<App, 'getName' | 'getVersion' | 'isPackaged'>;
  readonly mainWindow: () => BrowserWindow | null;
  readonly backend: Promise<LibraryBackend>;
  readonly dataDir: string;
}

export function installAppMenu(deps: AppMenuDeps): void {
  const window = (): BrowserWindow | null => {
    const w = deps.mainWindow();
    return w && !w.isDestroyed() ? w : null;
  };
  const send = (command: AppCommand): void => {
    const w = window();
    if (!w) return;
    w.show();
    w.focus();
    w.webContents.send(APP_COMMAND_CHANNEL, command);
  };
  const showError = (message: string, detail: string): void => {
    const w = window();
    const options = { type: 'error' as const, message, detail };
    void (w ? deps.dialog.showMessageBox(w, options) : deps.dialog.showMessageBox(options));
  };
  const template = buildMenuTemplate(
    { platform: process.platform, isDev: !deps.app.isPackaged, appName: deps.app.getName() },
    {
      addFolder: () => {
        void (async () => {
          const folder = await pickFolder(deps.dialog, window());
          if (!folder) return;
          const result = await (await deps.backend).addFolder(folder);
          if (!result.ok)
            showError('The folder could not be added.', `${folder}\n${result.error.code}${result.error.detail ? `: ${result.error.detail}` : ''}`);
        })().catch((error: unknown) => showError('The folder could not be added.', String(error)));
      },
      rescan: () => {
        void deps.backend.then((b) => b.rescan()).catch(() => undefined);
      },
      listen: () => send('listen'),
      about: () => {
        const w = window();
        const options = {
          type: 'info' as const,
          title: `About ${deps.app.getName()}`,
          message: `${deps.app.getName()} ${deps.app.getVersion()}`,
          detail: `Name the song from your own music folder.\nLibrary: ${deps.dataDir}`,
        };
        void (w ? deps.dialog.showMessageBox(w, options) : deps.dialog.showMessageBox(options));
      },
    },
  );
  deps.Menu.setApplicationMenu(deps.Menu.buildFromTemplate(template));
}
