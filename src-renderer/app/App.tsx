// The app shell: navigation (the screens of screens.tsx), status notices, the screen, a window-wide drop target, the
// Listen keyboard shortcut and the player bar.
import type { LibraryBridge } from '../../src-preload/contract/api';
import { PlayerBar } from '../features/player/PlayerBar';
import { useAppStore } from '../store/useAppStore';
import { BridgeContext } from './bridgeContext';
import { NavBar } from './NavBar';
import { Notices } from './Notices';
import { SCREENS } from './screens';
import { useListenShortcut } from './useListenShortcut';
import { useWindowDrop } from './useWindowDrop';

export function App({ bridge }: { bridge: LibraryBridge }) {
  const screen = useAppStore((s) => s.screen);
  const entry = SCREENS[screen];
  const replaced = useAppStore((s) => entry.replacedBy?.when(s) ?? false);
  const Shown = replaced && entry.replacedBy ? entry.replacedBy.Component : entry.Component;
  const dragging = useWindowDrop();
  useListenShortcut();
  return (
    <BridgeContext value={bridge}>
      <div className="app">
        <NavBar />
        <Notices />
        <main className="screen" data-testid={`screen-${screen}`}>
          {!replaced && (
            // Each screen's one h1 (for screen readers and the document outline; the navigation shows the same name).
            // A screen shown in its place carries its own.
            <h1 className="visually-hidden" data-testid="screen-heading">
              {entry.label}
            </h1>
          )}
          <Shown />
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
