// The computer's own sound on the page's side, with a fake mediaDevices: whether this window can have it (desktop
// app by its main process's answer, browser by Chromium's display-audio constraint), the getDisplayMedia path (the
// picture stopped and dropped at once, only live sound kept; a share without sound, a closed dialog or a window that
// cannot share each become a plain-words problem), the picker's names for inputs, and the MicSource's dispatch.
import { describe, expect, it, vi } from 'vitest';
import { LISTEN_PROBLEM_TEXT } from '../../lib/errorText';
import { ListenProblemError, micFailure } from '../../store/listenProblem';
import { createBrowserMic } from './micCapture';
import { DISPLAY_MEDIA_OPTIONS, SYSTEM_AUDIO_INPUT_ID, detectSystemAudio, inputLabel, isMonitorInput, openSystemAudioStream } from './systemAudio';

class FakeTrack {
  stopped = false;
  constructor(
    readonly kind: 'audio' | 'video',
    public readyState: 'live' | 'ended' = 'live',
  ) {}
  stop(): void {
    this.stopped = true;
    this.readyState = 'ended';
  }
}

class FakeStream {
  constructor(public tracks: FakeTrack[]) {}
  getTracks = () => [...this.tracks];
  getAudioTracks = () => this.tracks.filter((t) => t.kind === 'audio');
  getVideoTracks = () => this.tracks.filter((t) => t.kind === 'video');
  removeTrack = (track: FakeTrack) => {
    this.tracks = this.tracks.filter((t) => t !== track);
  };
}

/** A mediaDevices whose getDisplayMedia answers `result` (a stream, or an error to reject with). */
function fakeDevices(result: FakeStream | Error, constraints: Record<string, boolean> = { suppressLocalAudioPlayback: true }) {
  const getDisplayMedia = vi.fn(async () => {
    if (result instanceof Error) throw result;
    return result as unknown as MediaStream;
  });
  const getUserMedia = vi.fn(async () => {
    throw new DOMException('no input', 'NotFoundError');
  });
  const devices = { getDisplayMedia, getUserMedia, getSupportedConstraints: () => constraints as MediaTrackSupportedConstraints };
  return { devices, getDisplayMedia, getUserMedia };
}

const domError = (name: string) => new DOMException(`${name} happened`, name);

async function problemOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ListenProblemError);
  return (error as ListenProblemError).problem;
}

describe('whether this window can have the computer’s own sound', () => {
  it('desktop app: as its main process says, as long as the window can ask for display media', async () => {
    const { devices } = fakeDevices(new FakeStream([]));
    expect(await detectSystemAudio(devices, async () => 'loopback')).toBe('loopback');
    expect(await detectSystemAudio(devices, async () => 'macos-too-old')).toBe('macos-too-old');
    expect(await detectSystemAudio(devices, async () => 'unsupported-platform')).toBe('unsupported');
    expect(await detectSystemAudio(devices, () => Promise.reject(new Error('ipc gone')))).toBe('unsupported');
    expect(await detectSystemAudio({}, async () => 'loopback')).toBe('unsupported');
  });

  it('browser: the share dialog where it can share sound (Chromium), else not; never without getDisplayMedia', async () => {
    expect(await detectSystemAudio(fakeDevices(new FakeStream([])).devices)).toBe('share-dialog');
    // Firefox: getDisplayMedia, but no display-audio constraint (it shares no sound).
    expect(await detectSystemAudio(fakeDevices(new FakeStream([]), { echoCancellation: true }).devices)).toBe('unsupported');
    expect(await detectSystemAudio({})).toBe('unsupported');
    expect(await detectSystemAudio(undefined)).toBe('unsupported');
  });
});

describe('the computer’s own sound through getDisplayMedia', () => {
  it('asks for sound without voice processing, a picture because it must, not our own tab; drops the picture at once', async () => {
    const video = new FakeTrack('video');
    const audio = new FakeTrack('audio');
    const stream = new FakeStream([video, audio]);
    const { devices, getDisplayMedia } = fakeDevices(stream);
    const opened = await openSystemAudioStream(devices, 'share-dialog');
    expect(getDisplayMedia).toHaveBeenCalledWith(DISPLAY_MEDIA_OPTIONS);
    expect(DISPLAY_MEDIA_OPTIONS).toMatchObject({
      video: true,
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      selfBrowserSurface: 'exclude',
      systemAudio: 'include',
    });
    expect(opened).toBe(stream);
    expect(video.stopped).toBe(true);
    expect(stream.tracks).toEqual([audio]);
    expect(audio.stopped).toBe(false);
  });

  it('a share without sound: a plain message, and nothing left running', async () => {
    const video = new FakeTrack('video');
    expect(await problemOf(openSystemAudioStream(fakeDevices(new FakeStream([video])).devices, 'share-dialog'))).toBe('no-system-audio');
    expect(video.stopped).toBe(true);
    // macOS with System Audio Recording refused: the sound track comes, already ended, with no error.
    const ended = new FakeTrack('audio', 'ended');
    expect(await problemOf(openSystemAudioStream(fakeDevices(new FakeStream([new FakeTrack('video'), ended])).devices, 'loopback'))).toBe('no-system-audio');
    const text = LISTEN_PROBLEM_TEXT['no-system-audio'];
    expect(text.title).toBe('No sound was shared');
    expect(text.advice).toContain('Share tab audio');
  });

  it('a closed or refused dialog, and a window that cannot share, each say so', async () => {
    expect(await problemOf(openSystemAudioStream(fakeDevices(domError('NotAllowedError')).devices, 'loopback'))).toBe('system-audio-cancelled');
    expect(await problemOf(openSystemAudioStream(fakeDevices(domError('AbortError')).devices, 'share-dialog'))).toBe('system-audio-cancelled');
    expect(await problemOf(openSystemAudioStream(fakeDevices(domError('NotSupportedError')).devices, 'share-dialog'))).toBe('system-audio-unavailable');
    const { devices, getDisplayMedia } = fakeDevices(new FakeStream([new FakeTrack('audio')]));
    for (const where of ['unsupported', 'macos-too-old'] as const) {
      expect(await problemOf(openSystemAudioStream(devices, where))).toBe('system-audio-unavailable');
    }
    expect(await problemOf(openSystemAudioStream({}, 'share-dialog'))).toBe('system-audio-unavailable');
    expect(getDisplayMedia).not.toHaveBeenCalled();
    // Anything unexpected stays an error (reported as internal, with its detail).
    await expect(openSystemAudioStream(fakeDevices(new Error('boom')).devices, 'loopback')).rejects.toThrow('boom');
  });

  it('the problems become Listen problems with words; other failures keep their old meaning', () => {
    expect(micFailure(new ListenProblemError('system-audio-cancelled'))).toEqual({ listenProblem: 'system-audio-cancelled', error: null });
    expect(micFailure(domError('NotAllowedError'))).toEqual({ listenProblem: 'microphone-denied', error: null });
    expect(micFailure(new Error('boom')).error).toMatchObject({ code: 'internal' });
    for (const problem of ['system-audio-cancelled', 'no-system-audio', 'system-audio-unavailable'] as const) {
      expect(LISTEN_PROBLEM_TEXT[problem].advice.length).toBeGreaterThan(60);
    }
  });
});

describe('the picker’s names for inputs', () => {
  it('names PulseAudio/PipeWire monitors as the computer’s sound, numbers unnamed inputs, keeps the rest', () => {
    const monitor = { deviceId: 'm', label: 'Monitor of Built-in Audio Analog Stereo' };
    expect(inputLabel(monitor, 0)).toBe("Computer's sound (monitor of Built-in Audio Analog Stereo)");
    expect(isMonitorInput(monitor)).toBe(true);
    expect(inputLabel({ deviceId: 'x', label: 'monitor of HDMI Output' }, 3)).toBe("Computer's sound (monitor of HDMI Output)");
    expect(inputLabel({ deviceId: 'usb', label: 'USB Microphone' }, 1)).toBe('USB Microphone');
    expect(isMonitorInput({ deviceId: 'usb', label: 'USB Microphone' })).toBe(false);
    expect(inputLabel({ deviceId: 'z', label: '' }, 2)).toBe('Input 3 (names show once the microphone was allowed)');
    expect(inputLabel({ deviceId: 'y', label: 'Studio monitor of doom' }, 0)).toBe('Studio monitor of doom');
  });
});

describe('the page’s MicSource', () => {
  it('opens the computer’s sound for its id and a microphone for anything else', async () => {
    const { devices, getDisplayMedia, getUserMedia } = fakeDevices(new FakeStream([new FakeTrack('video')]));
    const mic = createBrowserMic(undefined, () => devices as unknown as MediaDevices);
    expect(await mic.systemAudio!()).toBe('share-dialog');
    expect(await problemOf(mic.open(() => undefined, { deviceId: SYSTEM_AUDIO_INPUT_ID }))).toBe('no-system-audio');
    expect(getDisplayMedia).toHaveBeenCalledTimes(1);
    expect(getUserMedia).not.toHaveBeenCalled();
    await expect(mic.open(() => undefined, { deviceId: 'usb-mic' })).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(getUserMedia).toHaveBeenCalledWith(expect.objectContaining({ audio: expect.objectContaining({ deviceId: { ideal: 'usb-mic' } }) }));
    expect(getDisplayMedia).toHaveBeenCalledTimes(1);
  });

  it('in the desktop app, asks the bridge and refuses where the system cannot', async () => {
    const { devices, getDisplayMedia } = fakeDevices(new FakeStream([new FakeTrack('audio')]));
    const mic = createBrowserMic(
      async () => 'macos-too-old',
      () => devices as unknown as MediaDevices,
    );
    expect(await mic.systemAudio!()).toBe('macos-too-old');
    expect(await problemOf(mic.open(() => undefined, { deviceId: SYSTEM_AUDIO_INPUT_ID }))).toBe('system-audio-unavailable');
    expect(getDisplayMedia).not.toHaveBeenCalled();
  });
});
