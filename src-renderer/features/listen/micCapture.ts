// The real input: the microphone (getUserMedia with the browser's voice processing off: echo cancellation, noise
// suppression and auto gain would smear the music) or the computer's own sound (systemAudio.ts: getDisplayMedia with
// audio, the picture dropped), then an AudioWorklet that downmixes to mono Float32, downsamples when asked (to the
// fingerprint's 8 kHz: public/downsample.js) and posts chunks. Browser-only. A chosen microphone (deviceId) is asked
// for as `ideal`, so an input that is gone falls back to the default one instead of failing.
import type { SystemAudioSupport } from '../../../src-preload/contract/api';
import type { MicInput, MicOpenOptions, MicSession, MicSource } from '../../store/types';
import { SYSTEM_AUDIO_INPUT_ID, detectSystemAudio, openSystemAudioStream } from './systemAudio';

const WORKLET_URL = 'captureWorklet.js';
const PROCESSOR_NAME = 'audio-ident-capture';

async function openMicrophoneStream(mediaDevices: MediaDevices | undefined, deviceId: string | null | undefined): Promise<MediaStream> {
  // No mediaDevices at all (an insecure page): the same answer as a machine without a microphone.
  if (!mediaDevices?.getUserMedia) throw new DOMException('no mediaDevices', 'NotFoundError');
  return mediaDevices.getUserMedia({
    audio: {
      echoCancellation: false,
      noiseSuppression: false,
      autoGainControl: false,
      ...(deviceId ? { deviceId: { ideal: deviceId } } : {}),
    },
    video: false,
  });
}

/** Feeds `stream` through the capture worklet; the session owns the stream and stops its tracks on close. */
async function captureStream(stream: MediaStream, onChunk: (monoSamples: Float32Array) => void, options: MicOpenOptions): Promise<MicSession> {
  let context: AudioContext | null = null;
  try {
    context = new AudioContext({ latencyHint: 'interactive' });
    // Resolved against the page's own URL (base './'), so it works from http://127.0.0.1 and from the app protocol.
    await context.audioWorklet.addModule(new URL(WORKLET_URL, document.baseURI).href);
    const source = context.createMediaStreamSource(stream);
    const downsample = options.targetRateHz !== undefined && options.targetRateHz < context.sampleRate;
    const node = new AudioWorkletNode(context, PROCESSOR_NAME, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions: { targetRateHz: downsample ? options.targetRateHz : null },
    });
    node.port.onmessage = (event: MessageEvent<Float32Array>) => onChunk(event.data);
    source.connect(node);
    // The node writes silence; connecting it keeps the graph pulled on every browser.
    node.connect(context.destination);
    if (context.state === 'suspended') await context.resume();
    const opened = context;
    const session: MicSession = {
      sampleRateHz: downsample ? options.targetRateHz : opened.sampleRate,
      close() {
        node.port.onmessage = null;
        source.disconnect();
        node.disconnect();
        for (const track of stream.getTracks()) track.stop();
        void opened.close();
      },
    };
    return session;
  } catch (error) {
    for (const track of stream.getTracks()) track.stop();
    void context?.close();
    throw error;
  }
}

/**
 * The page's MicSource. `desktopSupport`: the desktop bridge's systemAudioSupport (whether the OS gives the app its
 * own sound); absent in the browser, which is then asked itself. `mediaDevices`: navigator's (tests pass a fake).
 */
export function createBrowserMic(
  desktopSupport?: () => Promise<SystemAudioSupport>,
  mediaDevices: () => MediaDevices | undefined = () => navigator.mediaDevices,
): MicSource {
  const systemAudio = () => detectSystemAudio(mediaDevices(), desktopSupport);
  return {
    async listInputs(): Promise<readonly MicInput[]> {
      const devices = mediaDevices();
      if (!devices?.enumerateDevices) return [];
      return (await devices.enumerateDevices())
        .filter((d) => d.kind === 'audioinput' && d.deviceId !== '')
        .map((d) => ({ deviceId: d.deviceId, label: d.label }));
    },
    systemAudio,
    async open(onChunk, options = {}) {
      const stream =
        options.deviceId === SYSTEM_AUDIO_INPUT_ID
          ? await openSystemAudioStream(mediaDevices(), await systemAudio())
          : await openMicrophoneStream(mediaDevices(), options.deviceId);
      return captureStream(stream, onChunk, options);
    },
  };
}
