// The native "choose a folder" dialog, shared by the menu's Add Folder… and the page's library.pickFolder (ipc/).
// Electron main process only.
import type { BrowserWindow, Dialog } from 'electron';

/** Shows the dialog (modal to the window when there is one): the chosen absolute path, or null when cancelled. */
export async function pickFolder(dialog: Pick<Dialog, 'showOpenDialog'>, parent: BrowserWindow | null): Promise<string | null> {
  const options = { title: 'Add a music folder', properties: ['openDirectory'] as Array<'openDirectory'> };
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
