// App lifecycle helpers: one instance (a second launch focuses the first window) and closing the library backend
// before quitting (bounded, so a stuck backend cannot keep the app alive). Electron main process only.
import type { App, BrowserWindow } from 'electron';

/** Returns false when another instance owns the data folder: this one should quit at once. */
export function claimSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'on'>, mainWindow: () => BrowserWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => {
    const window = mainWindow();
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  return true;
}

/** Holds the quit until close() settles or timeoutMs passes, then quits for real. */
export function closeBeforeQuit(app: Pick<App, 'on' | 'quit'>, close: () => Promise<void>, timeoutMs = 5000): void {
  let state: 'open' | 'closing' | 'closed' = 'open';
  app.on('will-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    void Promise.race([close().catch((error: unknown) => console.error('closing the library failed', error)), timeout]).finally(() => {
      clearTimeout(timer);
      state = 'closed';
      app.quit();
    });
  });
}
