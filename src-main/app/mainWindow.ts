// The one app window: locked-down webPreferences, navigation guarded, the renderer loaded from app://audio-ident/,
// size and position restored from (and saved debounced to) window-state.json. Electron main process only.
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions, Screen } from 'electron';
import { APP_START_URL } from './origins.js';
import { guardNavigation, secureWebPreferences } from './security.js';
import { MIN_SIZE, createWindowStateWriter, readWindowState, restoreBounds } from './windowState.js';

export interface MainWindowDeps {
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindowType;
  readonly screen: Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay'>;
  readonly openExternal: (url: string) => Promise<void>;
  readonly dataDir: string;
  readonly preloadPath: string;
  readonly title: string;
}

export function createMainWindow(deps: MainWindowDeps): BrowserWindowType {
  const primary = deps.screen.getPrimaryDisplay();
  const others = deps.screen.getAllDisplays().filter((d) => d.id !== primary.id);
  const bounds = restoreBounds(
    readWindowState(deps.dataDir),
    [primary, ...others].map((d) => d.workArea),
  );
  const window = new deps.BrowserWindow({
    title: deps.title,
    width: bounds.width,
    height: bounds.height,
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : { center: true }),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    backgroundColor: '#121212',
    autoHideMenuBar: false,
    webPreferences: secureWebPreferences(deps.preloadPath),
  });
  if (bounds.isMaximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  guardNavigation(window.webContents, { openExternal: deps.openExternal });

  const writer = createWindowStateWriter(deps.dataDir);
  const remember = (): void => {
    if (window.isDestroyed() || window.isMinimized() || window.isFullScreen()) return;
    // While maximized, keep the size it had before, so un-maximizing next run restores it.
    const { x, y, width, height } = window.isMaximized() ? window.getNormalBounds() : window.getBounds();
    writer.save({ x, y, width, height, isMaximized: window.isMaximized() });
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event as 'resize', remember);
  window.on('close', () => {
    remember();
    void writer.flush();
  });

  void window.loadURL(APP_START_URL);
  return window;
}
