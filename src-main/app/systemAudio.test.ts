// The computer's own sound in the main process, with Electron's session and desktopCapturer mocked: which systems
// can give it, the Linux switch, and the display-media handler (a screen plus loopback audio for our own page only,
// refused for any other origin, a navigated or destroyed frame, a request without sound, or where the system has no
// loopback), and the IPC answer that tells the page.
import { describe, expect, it, vi } from 'vitest';
import { SYSTEM_AUDIO_SUPPORT_CHANNEL } from '../../src-preload/contract/api.js';
import { registerSystemAudioSupportHandler } from '../ipc/systemAudioSupport.js';
import {
  LINUX_LOOPBACK_FEATURE,
  applySystemAudioSwitches,
  installSystemAudioHandler,
  isSystemAudioRequestAllowed,
  pickScreenSource,
  systemAudioSupport,
} from './systemAudio.js';

const OWN = 'app://audio-ident/index.html';

type Handler = (request: unknown, callback: (streams: unknown) => void) => void;

/** Installs the handler on a mocked session; `ask` sends one request and resolves with what the callback got. */
function setUp(sources: readonly { id: string; name: string }[] | Error, support: 'loopback' | 'macos-too-old' = 'loopback') {
  const session = { setDisplayMediaRequestHandler: vi.fn() };
  const getSources = vi.fn(async () => {
    if (sources instanceof Error) throw sources;
    return sources;
  });
  installSystemAudioHandler(session, { getSources } as never, support);
  expect(session.setDisplayMediaRequestHandler).toHaveBeenCalledTimes(1);
  const handler = session.setDisplayMediaRequestHandler.mock.calls[0][0] as Handler;
  const ask = (request: Record<string, unknown>) =>
    new Promise<unknown>((resolve) => {
      handler({ securityOrigin: 'app://audio-ident', frame: { url: OWN }, videoRequested: true, audioRequested: true, userGesture: true, ...request }, resolve);
    });
  return { getSources, ask };
}

const SCREENS = [
  { id: 'window:42:0', name: 'Some window' },
  { id: 'screen:1:0', name: 'Entire screen' },
  { id: 'screen:2:0', name: 'Screen 2' },
];

describe('which systems can give the app their own sound', () => {
  it('Windows and Linux: loopback; macOS from 13; older macOS and other systems: not', () => {
    expect(systemAudioSupport('win32', '10.0.19045')).toBe('loopback');
    expect(systemAudioSupport('linux', '6.8.0')).toBe('loopback');
    expect(systemAudioSupport('darwin', '14.2.1')).toBe('loopback');
    expect(systemAudioSupport('darwin', '13.0')).toBe('loopback');
    expect(systemAudioSupport('darwin', '26.1')).toBe('loopback');
    expect(systemAudioSupport('darwin', '12.7.4')).toBe('macos-too-old');
    expect(systemAudioSupport('darwin', '10.15.7')).toBe('macos-too-old');
    expect(systemAudioSupport('freebsd', '14.0')).toBe('unsupported-platform');
  });

  it('switches on PulseAudio loopback on Linux only', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const commandLine = { appendSwitch: vi.fn() };
      expect(applySystemAudioSwitches(commandLine, platform)).toBe(platform === 'linux');
      if (platform === 'linux') expect(commandLine.appendSwitch).toHaveBeenCalledWith('enable-features', LINUX_LOOPBACK_FEATURE);
      else expect(commandLine.appendSwitch).not.toHaveBeenCalled();
    }
  });
});

describe('the display-media handler', () => {
  it('grants our own page the first whole screen (never a window) with loopback audio, without drawing thumbnails', async () => {
    const { ask, getSources } = setUp(SCREENS);
    expect(await ask({})).toEqual({ video: { id: 'screen:1:0', name: 'Entire screen' }, audio: 'loopback' });
    expect(getSources).toHaveBeenCalledWith({ types: ['screen'], thumbnailSize: { width: 0, height: 0 } });
  });

  it('refuses any other origin, without even listing screens', async () => {
    const { ask, getSources } = setUp(SCREENS);
    expect(await ask({ securityOrigin: 'https://evil.example', frame: { url: 'https://evil.example/' } })).toBeNull();
    // Our origin claimed, but the frame itself shows another page (navigated away).
    expect(await ask({ frame: { url: 'https://evil.example/' } })).toBeNull();
    expect(await ask({ securityOrigin: 'file://', frame: { url: 'file:///x.html' } })).toBeNull();
    expect(await ask({ frame: null })).toBeNull();
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed');
      },
    };
    expect(await ask({ frame: disposed })).toBeNull();
    expect(getSources).not.toHaveBeenCalled();
  });

  it('refuses a request without sound (a screen share is not what it is for)', async () => {
    const { ask } = setUp(SCREENS);
    expect(await ask({ audioRequested: false })).toBeNull();
    expect(await ask({ videoRequested: false })).toBeNull();
  });

  it('refuses where the system has no loopback, and when no screen can be listed', async () => {
    expect(await setUp(SCREENS, 'macos-too-old').ask({})).toBeNull();
    expect(await setUp([{ id: 'window:1:0', name: 'Only a window' }]).ask({})).toBeNull();
    expect(await setUp([]).ask({})).toBeNull();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(await setUp(new Error('portal closed')).ask({})).toBeNull();
    warn.mockRestore();
  });

  it('survives a callback that throws (the frame went away while screens were listed)', async () => {
    const session = { setDisplayMediaRequestHandler: vi.fn() };
    installSystemAudioHandler(session, { getSources: async () => SCREENS } as never, 'loopback');
    const handler = session.setDisplayMediaRequestHandler.mock.calls[0][0] as Handler;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const called = new Promise<void>((resolve) =>
      handler({ securityOrigin: 'app://audio-ident', frame: { url: OWN }, videoRequested: true, audioRequested: true }, () => {
        resolve();
        throw new TypeError('Object has been destroyed');
      }),
    );
    await called;
    await new Promise((r) => setTimeout(r, 0));
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('checks requests and picks screens as pure functions', () => {
    expect(isSystemAudioRequestAllowed({ securityOrigin: 'app://audio-ident', frame: { url: OWN }, videoRequested: true, audioRequested: true })).toBe(true);
    expect(isSystemAudioRequestAllowed({ securityOrigin: 'app://audio-ident.evil', frame: { url: OWN }, videoRequested: true, audioRequested: true })).toBe(
      false,
    );
    expect(pickScreenSource([])).toBeNull();
    expect(pickScreenSource(SCREENS)).toEqual({ id: 'screen:1:0', name: 'Entire screen' });
  });
});

describe('the page asks whether the computer can give its sound', () => {
  it('answers our own page, and tells any other sender it cannot', async () => {
    const ipcMain = { handle: vi.fn() };
    registerSystemAudioSupportHandler(ipcMain, 'loopback');
    expect(ipcMain.handle).toHaveBeenCalledWith(SYSTEM_AUDIO_SUPPORT_CHANNEL, expect.any(Function));
    const handler = ipcMain.handle.mock.calls[0][1] as (event: unknown) => unknown;
    expect(handler({ senderFrame: { url: OWN } })).toBe('loopback');
    expect(handler({ senderFrame: { url: 'https://evil.example/' } })).toBe('unsupported-platform');
    expect(handler({ senderFrame: null })).toBe('unsupported-platform');
  });
});
