// Commands the native menu sends to the page (e.g. View > Listen, Ctrl/Cmd+L). Main sends them on
// APP_COMMAND_CHANNEL; the preload re-dispatches each as a DOM CustomEvent APP_COMMAND_EVENT with the command
// as `detail`, so the page listens with window.addEventListener and no IPC object ever reaches it.

export const APP_COMMANDS = ['listen'] as const;
/** 'listen': start Listening if not already listening (idempotent: the page's own shortcut may fire too). */
export type AppCommand = (typeof APP_COMMANDS)[number];

export const APP_COMMAND_CHANNEL = 'app:command';
export const APP_COMMAND_EVENT = 'audio-ident:command';

export function isAppCommand(value: unknown): value is AppCommand {
  return typeof value === 'string' && (APP_COMMANDS as readonly string[]).includes(value);
}
