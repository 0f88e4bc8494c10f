// "Show in folder" for the page (library.showInFolder): opens the system file manager at a track's file with
// shell.showItemInFolder. The page names a track, never a path: the path comes from the catalog, so a compromised
// page cannot point the file manager anywhere else. False when asked by anything but our own page, for a malformed
// id, an unknown track or a file that is no longer there.
import { existsSync } from 'node:fs';
import type { IpcMain, Shell } from 'electron';
import { SHOW_IN_FOLDER_CHANNEL, type AsyncLibraryApi } from '../../src-preload/contract/api.js';
import { parseArgs } from '../../src-preload/contract/parseArgs.js';
import { isTrustedSender } from './senderCheck.js';

export function registerShowInFolderHandler(
  ipcMain: Pick<IpcMain, 'handle'>,
  shell: Pick<Shell, 'showItemInFolder'>,
  backend: Pick<AsyncLibraryApi, 'getTrack'> | Promise<Pick<AsyncLibraryApi, 'getTrack'>>,
  fileExists: (filePath: string) => boolean = existsSync,
): void {
  ipcMain.handle(SHOW_IN_FOLDER_CHANNEL, async (event, trackId: unknown) => {
    if (!isTrustedSender(event)) return false;
    const parsed = parseArgs('getTrack', [trackId]);
    if (!parsed.ok) return false;
    try {
      const track = await (await backend).getTrack(...parsed.value);
      if (!track.ok || !fileExists(track.value.filePath)) return false;
      shell.showItemInFolder(track.value.filePath);
      return true;
    } catch {
      return false;
    }
  });
}
