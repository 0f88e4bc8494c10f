// The computer's own sound (system audio) as a Listen input, on the page's side: whether this window can have it,
// the stream itself (getDisplayMedia with audio; the picture it must come with is stopped at once), and the names the
// picker gives inputs (Linux's PulseAudio/PipeWire "Monitor of ..." inputs are the computer's sound too). Takes
// mediaDevices as an argument, so tests hand it a fake; no module state.
import type { SystemAudioSupport } from '../../../src-preload/contract/api';
import { ListenProblemError } from '../../store/listenProblem';
import type { MicInput, SystemAudioAvailability } from '../../store/types';

/** The picker's value (and the remembered settings.micDeviceId) for the computer's own sound; never a device's id. */
export const SYSTEM_AUDIO_INPUT_ID = 'audio-ident:system-audio';

export type DisplayMediaDevices = Partial<Pick<MediaDevices, 'getDisplayMedia' | 'getSupportedConstraints'>>;

/**
 * Whether the computer's own sound can be had here. The desktop app asks its main process (which knows the OS and
 * its version); the browser can only offer its share dialog, and only Chromium shares sound from it. Chromium is told
 * apart by a display-audio constraint only it knows (suppressLocalAudioPlayback), not by the user agent string.
 */
export async function detectSystemAudio(
  mediaDevices: DisplayMediaDevices | undefined,
  desktopSupport?: () => Promise<SystemAudioSupport>,
): Promise<SystemAudioAvailability> {
  const canShare = typeof mediaDevices?.getDisplayMedia === 'function';
  if (desktopSupport) {
    let support: SystemAudioSupport;
    try {
      support = await desktopSupport();
    } catch {
      return 'unsupported';
    }
    if (support === 'macos-too-old') return 'macos-too-old';
    return support === 'loopback' && canShare ? 'loopback' : 'unsupported';
  }
  if (!canShare) return 'unsupported';
  const supported = (mediaDevices.getSupportedConstraints?.() ?? {}) as Record<string, unknown>;
  return supported.suppressLocalAudioPlayback === true ? 'share-dialog' : 'unsupported';
}

/** What getDisplayMedia is asked: sound as it plays (no voice processing), a picture because it must, not our tab. */
export const DISPLAY_MEDIA_OPTIONS = {
  // Chromium (and Electron's handler) refuse a request for sound alone; the picture is stopped as soon as it comes.
  video: true,
  audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, suppressLocalAudioPlayback: false },
  // Chromium's dialog: offer "Share system audio" for a whole screen, never our own tab (it would hear itself).
  systemAudio: 'include',
  selfBrowserSurface: 'exclude',
  preferCurrentTab: false,
} as const;

const stopAll = (stream: MediaStream): void => {
  for (const track of stream.getTracks()) track.stop();
};

/**
 * The computer's sound as a stream holding only live audio tracks. Rejects with a ListenProblemError saying what to
 * do: 'system-audio-unavailable' (not here), 'system-audio-cancelled' (the dialog was closed or refused),
 * 'no-system-audio' (shared without sound, or macOS ended the track because System Audio Recording was refused).
 */
export async function openSystemAudioStream(mediaDevices: DisplayMediaDevices | undefined, availability: SystemAudioAvailability): Promise<MediaStream> {
  if ((availability !== 'loopback' && availability !== 'share-dialog') || typeof mediaDevices?.getDisplayMedia !== 'function') {
    throw new ListenProblemError('system-audio-unavailable');
  }
  let stream: MediaStream;
  try {
    stream = await mediaDevices.getDisplayMedia(DISPLAY_MEDIA_OPTIONS);
  } catch (error) {
    const name = typeof error === 'object' && error !== null ? String((error as { name?: unknown }).name) : '';
    if (name === 'NotAllowedError' || name === 'AbortError') throw new ListenProblemError('system-audio-cancelled', String(error));
    if (name === 'NotSupportedError' || name === 'NotFoundError' || name === 'TypeError')
      throw new ListenProblemError('system-audio-unavailable', String(error));
    throw error;
  }
  for (const track of stream.getVideoTracks()) {
    track.stop();
    stream.removeTrack(track);
  }
  if (!stream.getAudioTracks().some((t) => t.readyState === 'live')) {
    stopAll(stream);
    throw new ListenProblemError('no-system-audio');
  }
  return stream;
}

/** A PulseAudio/PipeWire monitor input ("Monitor of Built-in Audio Analog Stereo"): what that output plays. */
const MONITOR = /^monitor of (.+)$/i;

export const isMonitorInput = (input: MicInput): boolean => MONITOR.test(input.label.trim());

/** The picker's words for an input: monitors named as the computer's sound, unnamed inputs numbered. */
export function inputLabel(input: MicInput, index: number): string {
  const label = input.label.trim();
  const monitor = MONITOR.exec(label);
  if (monitor) return `Computer's sound (monitor of ${monitor[1]})`;
  return label || `Input ${index + 1} (names show once the microphone was allowed)`;
}

/** What the picker says under the list about the computer's own sound, by what this window can do. */
export const SYSTEM_AUDIO_NOTE = {
  loopback:
    "“This computer's sound” records what the computer plays (a music player, a browser, a video) without a microphone. The first time, the system may ask to allow screen or audio recording, or which screen to share: only the sound is used, never the picture.",
  'share-dialog':
    "“This computer's sound” opens the browser's share dialog: pick the tab that plays the music and leave “Share tab audio” on (on Windows and ChromeOS, the entire screen with “Share system audio” works too). Only the sound is used.",
  'macos-too-old':
    'This Mac cannot give the app its own sound: that needs macOS 13 or later. Play the music aloud near a microphone, or install a loopback audio device and pick it here.',
  unsupported:
    "This window cannot record the computer's own sound (in a browser, Chrome and Edge can share a tab's sound; Firefox and Safari cannot). On Linux, pick a “Computer's sound (monitor of …)” input when there is one; otherwise play the music aloud near a microphone.",
} as const satisfies Record<SystemAudioAvailability, string>;
