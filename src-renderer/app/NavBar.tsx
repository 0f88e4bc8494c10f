// Top bar: the app's name, a tab per screen of screens.tsx (those with an inNav condition while it holds, such as
// Tracklist once a long recording was dropped) and a small live indicator of a running scan.
import { useShallow } from 'zustand/react/shallow';
import { scanFraction } from '../store/scanReducer';
import { useAppStore } from '../store/useAppStore';
import { formatPercent } from '../lib/format';
import { SCREEN_IDS, SCREENS } from './screens';

export function NavBar() {
  const screen = useAppStore((s) => s.screen);
  const showScreen = useAppStore((s) => s.showScreen);
  const scanRunning = useAppStore((s) => s.scan.running);
  const fraction = useAppStore((s) => scanFraction(s.scan.progress));
  const trackCount = useAppStore((s) => s.status?.trackCount ?? null);
  const screens = useAppStore(useShallow((s) => SCREEN_IDS.filter((id) => SCREENS[id].inNav?.(s) ?? true)));
  return (
    <header className="navbar">
      <div className="brand" aria-label="audio-ident">
        <span className="brand-mark" aria-hidden="true">
          ◉
        </span>{' '}
        audio-ident
      </div>
      <nav className="nav-tabs" aria-label="Screens">
        {screens.map((id) => (
          <button
            key={id}
            type="button"
            className={`nav-tab${screen === id ? ' active' : ''}`}
            aria-current={screen === id ? 'page' : undefined}
            data-testid={`nav-${id}`}
            onClick={() => showScreen(id)}
          >
            {SCREENS[id].label}
          </button>
        ))}
      </nav>
      <div className="nav-status" data-testid="nav-status">
        {scanRunning ? (
          <span className="muted">Indexing… {formatPercent(fraction)}</span>
        ) : trackCount !== null ? (
          <span className="muted">{trackCount.toLocaleString()} tracks</span>
        ) : null}
      </div>
    </header>
  );
}
