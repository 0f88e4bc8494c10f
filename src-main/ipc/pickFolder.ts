// The native "choose a folder" dialog for the page (library.pickFolder): the chosen absolute path, or null when
// cancelled, failed or asked by anything but our own page.
import type { BrowserWindow, Dialog, IpcMain } from 'electron';
import { PICK_FOLDER_CHANNEL } from '../../src-preload/contract/api.js';
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

/** Shows the dialog (modal to the window when there is one). */
export async function pickFolder(dialog: Pick<Dialog, 'showOpenDialog'>, parent: BrowserWindow | null): Promise<string | null> {
  const options = { title: 'Add a music folder', properties: ['openDirectory'] as Array<'openDirectory'> };
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
