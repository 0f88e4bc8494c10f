// The real microphone: getUserMedia with the browser's voice processing off (echo cancellation, noise suppression
// and auto gain would smear the music), an AudioWorklet that downmixes to mono Float32, downsamples when asked (to the
// fingerprint's 8 kHz: public/downsample.js) and posts chunks. Browser-only. The chosen input (deviceId) is asked for
// as `ideal`, so an input that is gone falls back to the default one instead of failing.
import type { MicInput, MicSession, MicSource } from '../../store/types';

const WORKLET_URL = 'captureWorklet.js';
const PROCESSOR_NAME = 'audio-ident-capture';

export const browserMic: MicSource = {
  async listInputs(): Promise<readonly MicInput[]> {
    if (!navigator.mediaDevices?.enumerateDevices) return [];
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.filter((d) => d.kind === 'audioinput' && d.deviceId !== '').map((d) => ({ deviceId: d.deviceId, label: d.label }));
  },

  async open(onChunk, options = {}) {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        echoCancellation: false,
        noiseSuppression: false,
        autoGainControl: false,
        ...(options.deviceId ? { deviceId: { ideal: options.deviceId } } : {}),
      },
      video: false,
    });
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
  },
};
