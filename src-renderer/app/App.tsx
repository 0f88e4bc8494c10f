// The app shell: navigation (Listen / Library / History / Settings), status notices, the screen, a window-wide drop target
// and the Listen keyboard shortcut.
import type { LibraryBridge } from '../../src-preload/contract/api';
import { HistoryScreen } from '../features/history/HistoryScreen';
import { LibraryScreen } from '../features/library/LibraryScreen';
import { ListenScreen } from '../features/listen/ListenScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import type { Screen } from '../store/statusSlice';
import { useAppStore } from '../store/useAppStore';
import { BridgeContext } from './bridgeContext';
import { NavBar } from './NavBar';
import { Notices } from './Notices';
import { useListenShortcut } from './useListenShortcut';
import { useWindowDrop } from './useWindowDrop';

/** Each screen's one h1 (for screen readers and the document outline; the navigation shows the same name). */
const SCREEN_HEADINGS = { listen: 'Listen', library: 'Library', history: 'History', settings: 'Settings' } as const satisfies Record<Screen, string>;

export function App({ bridge }: { bridge: LibraryBridge }) {
  const screen = useAppStore((s) => s.screen);
  const dragging = useWindowDrop();
  useListenShortcut();
  return (
    <BridgeContext value={bridge}>
      <div className="app">
        <NavBar />
        <Notices />
        <main className="screen" data-testid={`screen-${screen}`}>
          <h1 className="visually-hidden" data-testid="screen-heading">
            {SCREEN_HEADINGS[screen]}
          </h1>
          {screen === 'listen' && <ListenScreen />}
          {screen === 'library' && <LibraryScreen />}
          {screen === 'history' && <HistoryScreen />}
          {screen === 'settings' && <SettingsScreen />}
        </main>
        {dragging && (
          <div className="drop-overlay" data-testid="drop-overlay">
            <div className="drop-overlay-box">Drop an audio file to identify it</div>
          </div>
        )}
      </div>
    </BridgeContext>
  );
}
