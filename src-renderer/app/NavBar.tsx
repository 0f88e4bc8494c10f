// Top bar: the app's name, the four screens (plus Tracklist once a long recording was dropped) and a small live
// indicator of a running scan.
import { scanFraction } from '../store/scanReducer';
import type { Screen } from '../store/statusSlice';
import { useAppStore } from '../store/useAppStore';
import { formatPercent } from '../lib/format';

const SCREENS: readonly [Screen, string][] = [
  ['listen', 'Listen'],
  ['library', 'Library'],
  ['history', 'History'],
  ['settings', 'Settings'],
];

export function NavBar() {
  const screen = useAppStore((s) => s.screen);
  const showScreen = useAppStore((s) => s.showScreen);
  const scanRunning = useAppStore((s) => s.scan.running);
  const fraction = useAppStore((s) => scanFraction(s.scan.progress));
  const trackCount = useAppStore((s) => s.status?.trackCount ?? null);
  const hasTracklist = useAppStore((s) => s.tracklist !== null);
  const screens: readonly [Screen, string][] = hasTracklist ? [...SCREENS.slice(0, 1), ['tracklist', 'Tracklist'], ...SCREENS.slice(1)] : SCREENS;
  return (
    <header className="navbar">
      <div className="brand" aria-label="audio-ident">
        <span className="brand-mark" aria-hidden="true">
          ◉
        </span>{' '}
        audio-ident
      </div>
      <nav className="nav-tabs" aria-label="Screens">
        {screens.map(([id, label]) => (
          <button
            key={id}
            type="button"
            className={`nav-tab${screen === id ? ' active' : ''}`}
            aria-current={screen === id ? 'page' : undefined}
            data-testid={`nav-${id}`}
            onClick={() => showScreen(id)}
          >
            {label}
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
