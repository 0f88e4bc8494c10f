// The real microphone: getUserMedia with the browser's voice processing off (echo cancellation, noise suppression
// and auto gain would smear the music), an AudioWorklet that downmixes to mono Float32 and posts chunks. Browser-only.
import type { MicSession, MicSource } from '../../store/types';

const WORKLET_URL = 'captureWorklet.js';
const PROCESSOR_NAME = 'audio-ident-capture';

export const browserMic: MicSource = {
  async open(onChunk) {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      video: false,
    });
    let context: AudioContext | null = null;
    try {
      context = new AudioContext({ latencyHint: 'interactive' });
      // Resolved against the page's own URL (base './'), so it works from http://127.0.0.1 and from the app protocol.
      await context.audioWorklet.addModule(new URL(WORKLET_URL, document.baseURI).href);
      const source = context.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(context, PROCESSOR_NAME, { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
      node.port.onmessage = (event: MessageEvent<Float32Array>) => onChunk(event.data);
      source.connect(node);
      // The node writes silence; connecting it keeps the graph pulled on every browser.
      node.connect(context.destination);
      if (context.state === 'suspended') await context.resume();
      const opened = context;
      const session: MicSession = {
        sampleRateHz: opened.sampleRate,
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
