// The browser host's door: LibraryBridge over HTTP (calls) + WebSocket (events), authenticated with the per-run
// token the host printed in its URL. PLACEHOLDER until the browser host lands: the exported signature is final.
import type { LibraryBridge } from '../../src-preload/contract/api';

export function createHttpBridge(): LibraryBridge {
  throw new Error('the browser host bridge is not built yet');
}
