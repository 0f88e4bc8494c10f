// Registers the app's two schemes: app:// (the renderer) and media:// (library audio). The privileges must be
// declared before the app is ready; the handlers are installed on the session after it is.
import type { Protocol } from 'electron';
import { createAppProtocolHandler } from './appProtocol.js';
import { createMediaProtocolHandler, type TrackLookup } from './mediaProtocol.js';
import { APP_SCHEME, MEDIA_SCHEME } from './origins.js';

/** Call before app 'ready'. standard + secure: a real origin (app://audio-ident) that counts as a secure context
 *  (getUserMedia and AudioWorklet need one); stream: media elements can seek with Range requests. */
export function registerPrivilegedSchemes(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/** Call after app 'ready'. */
export function handleAppProtocols(protocol: Pick<Protocol, 'handle'>, rendererDir: string, library: TrackLookup | Promise<TrackLookup>): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
  const media = createMediaProtocolHandler({
    getTrack: async (id) => (await library).getTrack(id),
    listFolders: async () => (await library).listFolders(),
  });
  protocol.handle(MEDIA_SCHEME, media);
}
