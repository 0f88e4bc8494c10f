// The computer's own sound (system audio) for Listen and Keep listening, in the Electron main process: which systems
// can give it, the one Chromium switch Linux needs, and the display-media handler that grants our own page a screen
// (whose picture the page drops at once) with loopback audio. Nothing else is ever granted display media.
//
// Why Electron's own API and not the `electron-audio-loopback` package (checked for Electron 45, the version pinned):
// - `audio: 'loopback'` in setDisplayMediaRequestHandler is what that package calls too; what it adds is Chromium
//   feature switches, an IPC pair to turn its handler on and off, and a handler that grants ANY requester (no origin
//   check) over generic ipcMain channels reached through a raw ipcRenderer: against this app's rules (one typed
//   contract, no raw ipcRenderer, our own page only). Its macOS switches are obsolete from Electron 39: Chromium 141
//   shipped macOS loopback by default (the package's issue #7 reports no audio from it on Electron 39, and a user who
//   tested it found the package no longer needed), and its own README says its ScreenCaptureKit override can break
//   global keyboard shortcuts.
// - What each system does with `audio: 'loopback'` in Electron 45 (electron/electron#47493, #49717, #53646, #52824):
//   Windows: WASAPI loopback, no switch. macOS 13-14.1: ScreenCaptureKit, by default (12.3-12.x needed an override
//   switch; we say "macOS 13 or later" rather than ship it). macOS 14.2+: Core Audio taps, by default, which need
//   NSAudioCaptureUsageDescription in Info.plist (electron-builder.yml) and the user's "System Audio Recording"
//   permission; a refused permission gives an audio track that has ended, with no error (the page says so).
//   Linux: PulseAudio (PipeWire through pipewire-pulse) loopback behind the PulseaudioLoopbackForScreenShare feature,
//   which we switch on; the PulseAudio/PipeWire "Monitor of ..." inputs are there as plain microphones as well.
// - Electron still requires a video source with the audio (an audio-only answer throws), hence desktopCapturer's
//   screen. On Wayland, listing screens goes through the desktop portal, which asks the user to pick one.
// - Electron 45 reports getDisplayMedia to the permission handler as 'display-capture' (#52824): security.ts allows
//   it for our own page only.
import type { DesktopCapturer, DesktopCapturerSource, DisplayMediaRequestHandlerHandlerRequest, Session, Streams } from 'electron';
import type { SystemAudioSupport } from '../../src-preload/contract/api.js';
import type { CommandLineLike } from './launchOptions.js';
import { isOwnAppUrl } from './origins.js';

/** The Chromium feature that lets `audio: 'loopback'` record PulseAudio's (or PipeWire's) output on Linux. */
export const LINUX_LOOPBACK_FEATURE = 'PulseaudioLoopbackForScreenShare';

/** Whether this system can give the app its own sound. `osVersion`: process.getSystemVersion() (macOS: "14.2.1"). */
export function systemAudioSupport(platform: NodeJS.Platform, osVersion: string): SystemAudioSupport {
  if (platform === 'win32' || platform === 'linux') return 'loopback';
  if (platform !== 'darwin') return 'unsupported-platform';
  const major = Number.parseInt(osVersion.split('.')[0] ?? '', 10);
  // An unreadable version is taken as recent: the page then explains an empty track instead of hiding the choice.
  return Number.isFinite(major) && major < 13 ? 'macos-too-old' : 'loopback';
}

/** Before ready: the switch Linux needs (Chromium reads switches at start only). Returns whether one was added. */
export function applySystemAudioSwitches(commandLine: CommandLineLike, platform: NodeJS.Platform): boolean {
  if (platform !== 'linux') return false;
  commandLine.appendSwitch('enable-features', LINUX_LOOPBACK_FEATURE);
  return true;
}

type DisplayRequest = Pick<DisplayMediaRequestHandlerHandlerRequest, 'securityOrigin' | 'videoRequested' | 'audioRequested'> & {
  readonly frame: { readonly url: string } | null;
};

/**
 * Only our own page, asking for sound (the page asks for a picture too, since Electron will not grant sound alone).
 * The frame's URL is read as well as the origin: a frame that navigated away or is gone is refused.
 */
export function isSystemAudioRequestAllowed(request: DisplayRequest): boolean {
  let frameUrl: string | undefined;
  try {
    frameUrl = request.frame?.url;
  } catch {
    return false; // a disposed frame throws when read
  }
  return isOwnAppUrl(request.securityOrigin) && isOwnAppUrl(frameUrl) && request.audioRequested && request.videoRequested;
}

/** The screen to name as the (dropped) picture: the first whole screen, never a window. */
export function pickScreenSource(sources: readonly Pick<DesktopCapturerSource, 'id' | 'name'>[]): { id: string; name: string } | null {
  const screen = sources.find((s) => s.id.startsWith('screen:'));
  return screen ? { id: screen.id, name: screen.name } : null;
}

/**
 * Answers every getDisplayMedia of the session: our own page gets a screen plus loopback audio where `support` is
 * 'loopback'; everything else is refused (callback(null): the page's getDisplayMedia rejects with NotAllowedError).
 */
export function installSystemAudioHandler(
  session: Pick<Session, 'setDisplayMediaRequestHandler'>,
  capturer: Pick<DesktopCapturer, 'getSources'>,
  support: SystemAudioSupport,
): void {
  session.setDisplayMediaRequestHandler((request, callback) => {
    const answer = (streams: Streams | null): void => {
      try {
        callback(streams);
      } catch (error) {
        // The page's frame went away meanwhile: nothing is left to answer.
        console.warn('system audio: the display-media request could not be answered', error);
      }
    };
    if (support !== 'loopback' || !isSystemAudioRequestAllowed(request)) return answer(null);
    // No thumbnails: only the id is needed, and drawing them costs a capture of every screen.
    capturer.getSources({ types: ['screen'], thumbnailSize: { width: 0, height: 0 } }).then(
      (sources) => {
        const screen = pickScreenSource(sources);
        answer(screen ? { video: screen, audio: 'loopback' } : null);
      },
      (error: unknown) => {
        console.warn('system audio: no screen to pair the sound with', error);
        answer(null);
      },
    );
  });
}
