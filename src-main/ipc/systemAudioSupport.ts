// The page's library.systemAudioSupport: whether this computer can give the app its own sound (app/systemAudio.ts
// decides it once at start). Anything but our own page is told 'unsupported-platform'.
import type { IpcMain } from 'electron';
import { SYSTEM_AUDIO_SUPPORT_CHANNEL, type SystemAudioSupport } from '../../src-preload/contract/api.js';
import { isTrustedSender } from './senderCheck.js';

export function registerSystemAudioSupportHandler(ipcMain: Pick<IpcMain, 'handle'>, support: SystemAudioSupport): void {
  ipcMain.handle(SYSTEM_AUDIO_SUPPORT_CHANNEL, (event): SystemAudioSupport => (isTrustedSender(event) ? support : 'unsupported-platform'));
}
