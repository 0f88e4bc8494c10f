// Who may call the library over IPC: only frames showing our own page (app://audio-ident/). A frame that navigated
// elsewhere, a destroyed frame or any other origin is refused.
import type { IpcMainInvokeEvent } from 'electron';
import { isOwnAppUrl } from '../app/origins.js';

export type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

export function isTrustedSender(event: SenderEvent): boolean {
  let url: string | undefined;
  try {
    // senderFrame is null once the frame has navigated or been destroyed; reading it can throw on a disposed frame.
    url = event.senderFrame?.url;
  } catch {
    return false;
  }
  return isOwnAppUrl(url);
}
