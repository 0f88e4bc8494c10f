// The app shell: navigation (Listen / Library / History / Settings, and Tracklist once a long recording was dropped), status notices, the screen, a window-wide drop target
// and the Listen keyboard shortcut.
import type { LibraryBridge } from '../../src-preload/contract/api';
import { HistoryScreen } from '../features/history/HistoryScreen';
import { LibraryScreen } from '../features/library/LibraryScreen';
import { ListenScreen } from '../features/listen/ListenScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { TracklistScreen } from '../features/tracklist/TracklistScreen';
import { useAppStore } from '../store/useAppStore';
import { BridgeContext } from './bridgeContext';
import { NavBar } from './NavBar';
import { Notices } from './Notices';
import { useListenShortcut } from './useListenShortcut';
import { useWindowDrop } from './useWindowDrop';

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
          {screen === 'listen' && <ListenScreen />}
          {screen === 'library' && <LibraryScreen />}
          {screen === 'history' && <HistoryScreen />}
          {screen === 'settings' && <SettingsScreen />}
          {screen === 'tracklist' && <TracklistScreen />}
        </main>
        {dragging && (
          <div className="drop-overlay" data-testid="drop-overlay">
            <div className="drop-overlay-box">Drop an audio file to identify it (a long recording: list its songs)</div>
          </div>
        )}
      </div>
    </BridgeContext>
  );
}
