// The app's screens: the one place a screen is registered. The Screen type (the store's `screen`), the navigation
// tabs and their order (NavBar.tsx) and the router with each screen's h1 (App.tsx) all derive from this file; adding
// a screen is its id in SCREEN_IDS and its entry in SCREENS, here.
import type { ComponentType } from 'react';
import { HistoryScreen } from '../features/history/HistoryScreen';
import { LibraryScreen } from '../features/library/LibraryScreen';
import { ListenScreen } from '../features/listen/ListenScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { TracklistScreen } from '../features/tracklist/TracklistScreen';
import { showsWelcome } from '../features/welcome/firstRun';
import { WelcomeScreen } from '../features/welcome/WelcomeScreen';
import type { AppState } from '../store/types';

/** Every screen, in the navigation's order (the store's `screen` is one of these). */
export const SCREEN_IDS = ['listen', 'tracklist', 'library', 'history', 'settings'] as const;
export type Screen = (typeof SCREEN_IDS)[number];

export interface ScreenEntry {
  /** The navigation tab's text and the screen's h1 (visually hidden; screen readers and the document outline). */
  readonly label: string;
  readonly Component: ComponentType;
  /** Has a tab only while this holds (default: always). */
  readonly inNav?: (state: AppState) => boolean;
  /** Shown instead of the screen while `when` holds; it carries its own h1. */
  readonly replacedBy?: { readonly when: (state: AppState) => boolean; readonly Component: ComponentType };
}

/** Each screen (a Screen without an entry does not compile). */
export const SCREENS: { readonly [S in Screen]: ScreenEntry } = {
  // The first-run welcome stands in for Listen while the library is empty.
  listen: { label: 'Listen', Component: ListenScreen, replacedBy: { when: showsWelcome, Component: WelcomeScreen } },
  // Once a long recording was dropped.
  tracklist: { label: 'Tracklist', Component: TracklistScreen, inNav: (s) => s.tracklist !== null },
  library: { label: 'Library', Component: LibraryScreen },
  history: { label: 'History', Component: HistoryScreen },
  settings: { label: 'Settings', Component: SettingsScreen },
};
