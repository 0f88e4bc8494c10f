// React binding of the one store: the app binds it once at start-up; components select the smallest value they
// render (useShallow for selectors that build objects).
import { useStore } from 'zustand';
import type { AppStore } from './appStore';
import type { AppState } from './types';

let bound: AppStore | null = null;

export function bindAppStore(store: AppStore): void {
  bound = store;
}

export function getAppStore(): AppStore {
  if (!bound) throw new Error('the app store is not bound yet');
  return bound;
}

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(getAppStore(), selector);
}
