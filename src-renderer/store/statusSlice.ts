// App status from the engine's start-up health checks (notices such as "rebuilding the fingerprint index") and
// which screen is shown.
import type { AppStatus } from '../../src-preload/contract/api';
import type { AppErrorInfo } from '../../src-preload/contract/library';
import type { Screen } from '../app/screens';
import type { SliceCreator } from './types';

export interface StatusSlice {
  screen: Screen;
  status: AppStatus | null;
  /** Set when getStatus itself fails (e.g. the catalog is from a newer app). */
  statusError: AppErrorInfo | null;
  showScreen: (screen: Screen) => void;
  loadStatus: () => Promise<void>;
  applyStatus: (status: AppStatus) => void;
}

export const createStatusSlice: SliceCreator<StatusSlice> = (deps) => (set) => ({
  screen: 'listen',
  status: null,
  statusError: null,
  showScreen: (screen) => set({ screen }),
  loadStatus: async () => {
    const result = await deps.bridge.getStatus();
    if (result.ok) set({ status: result.value, statusError: null });
    else set({ statusError: result.error });
  },
  applyStatus: (status) => set({ status, statusError: null }),
});
