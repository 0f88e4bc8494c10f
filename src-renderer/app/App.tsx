// The app shell: navigation (Listen / Library / History / Settings, and Tracklist once a long recording was dropped),
// status notices, the screen, a window-wide drop target, the Listen keyboard shortcut, the first-run welcome (in place
// of Listen while the library is empty) and the player bar.
import type { LibraryBridge } from '../../src-preload/contract/api';
import { HistoryScreen } from '../features/history/HistoryScreen';
import { LibraryScreen } from '../features/library/LibraryScreen';
import { ListenScreen } from '../features/listen/ListenScreen';
import { PlayerBar } from '../features/player/PlayerBar';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { showsWelcome } from '../features/welcome/firstRun';
import { WelcomeScreen } from '../features/welcome/WelcomeScreen';
import type { Screen } from '../store/statusSlice';
import { TracklistScreen } from '../features/tracklist/TracklistScreen';
import { useAppStore } from '../store/useAppStore';
import { BridgeContext } from './bridgeContext';
import { NavBar } from './NavBar';
import { Notices } from './Notices';
import { useListenShortcut } from './useListenShortcut';
import { useWindowDrop } from './useWindowDrop';

/** Each screen's one h1 (for screen readers and the document outline; the navigation shows the same name). */
const SCREEN_HEADINGS = { listen: 'Listen', library: 'Library', history: 'History', settings: 'Settings', tracklist: 'Tracklist' } as const satisfies Record<
  Screen,
  string
>;

export function App({ bridge }: { bridge: LibraryBridge }) {
  const screen = useAppStore((s) => s.screen);
  const welcome = useAppStore(showsWelcome);
  const dragging = useWindowDrop();
  useListenShortcut();
  return (
    <BridgeContext value={bridge}>
      <div className="app">
        <NavBar />
        <Notices />
        <main className="screen" data-testid={`screen-${screen}`}>
          {!(screen === 'listen' && welcome) && (
            // The welcome screen carries its own h1.
            <h1 className="visually-hidden" data-testid="screen-heading">
              {SCREEN_HEADINGS[screen]}
            </h1>
          )}
          {screen === 'listen' && (welcome ? <WelcomeScreen /> : <ListenScreen />)}
          {screen === 'library' && <LibraryScreen />}
          {screen === 'history' && <HistoryScreen />}
          {screen === 'settings' && <SettingsScreen />}
          {screen === 'tracklist' && <TracklistScreen />}
        </main>
        <PlayerBar />
        {dragging && (
          <div className="drop-overlay" data-testid="drop-overlay">
            <div className="drop-overlay-box">Drop an audio file to identify it (a long recording: list its songs)</div>
          </div>
        )}
      </div>
    </BridgeContext>
  );
}
