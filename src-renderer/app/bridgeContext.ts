// The library bridge for the few components that need it directly (media URLs, artwork, the folder dialog's
// presence); everything else goes through the store. Provided once by App.
import { createContext, useContext } from 'react';
import type { LibraryBridge } from '../../src-preload/contract/api';

export const BridgeContext = createContext<LibraryBridge | null>(null);

export function useBridge(): LibraryBridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('useBridge outside <BridgeContext>');
  return bridge;
}
