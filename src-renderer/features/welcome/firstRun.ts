// Whether the app opens on the first-run welcome instead of Listen: the library has no folder and no track yet (a
// Listen could only end in "not in your library"), and nothing is being listened to or was identified this session
// (Listen started anyway, by its shortcut or a dropped file, shows its screen). Pure.
import type { AppState } from '../../store/types';

export function showsWelcome(
  state: Pick<AppState, 'screen' | 'foldersLoaded' | 'folders' | 'status' | 'listen' | 'outcome' | 'fileBusy' | 'fileBatch'>,
): boolean {
  return (
    state.screen === 'listen' &&
    state.foldersLoaded &&
    state.folders.length === 0 &&
    state.status !== null &&
    state.status.trackCount === 0 &&
    state.listen.phase === 'idle' &&
    state.outcome === null &&
    !state.fileBusy &&
    state.fileBatch.length === 0
  );
}
