// The page's library.pickFolder: shows the folder dialog (app/folderDialog.ts) and answers the chosen absolute path,
// or null when cancelled, failed or asked by anything but our own page.
import type { BrowserWindow, Dialog, IpcMain } from 'electron';
import { PICK_FOLDER_CHANNEL } from '../../src-preload/contract/api.js';
import { pickFolder } from '../app/folderDialog.js';
import { isTrustedSender } from './senderCheck.js';

export function registerPickFolderHandler(
  ipcMain: Pick<IpcMain, 'handle'>,
  dialog: Pick<Dialog, 'showOpenDialog'>,
  parentWindow: () => BrowserWindow | null,
): void {
  ipcMain.handle(PICK_FOLDER_CHANNEL, async (event) => {
    if (!isTrustedSender(event)) return null;
    try {
      return await pickFolder(dialog, parentWindow());
    } catch {
      return null;
    }
  });
}
