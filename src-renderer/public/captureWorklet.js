// AudioWorklet processor (runs on the audio rendering thread): downmixes the microphone's channels to mono Float32,
// optionally downsamples to `processorOptions.targetRateHz` (the fingerprint's 8 kHz: a windowed-sinc low-pass, see
// downsample.js), and posts the samples to the page in chunks of CHUNK_FRAMES (transferred, not copied). Loaded by
// micCapture.ts from this same origin ('self' in the CSP: no blob: or eval needed). Plain JS: worklets are not bundled.
import { Downsampler } from './downsample.js';

const CHUNK_FRAMES = 2048;

class CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.buffer = new Float32Array(CHUNK_FRAMES);
    this.filled = 0;
    const target = options && options.processorOptions ? options.processorOptions.targetRateHz : null;
    // `sampleRate` is the AudioWorkletGlobalScope's: the context's rate.
    this.downsampler = typeof target === 'number' && target < sampleRate ? new Downsampler(sampleRate, target) : null;
    this.mono = new Float32Array(128);
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const channelCount = input.length;
    const frames = input[0].length;
    if (this.mono.length !== frames) this.mono = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (let c = 0; c < channelCount; c++) sum += input[c][i];
      this.mono[i] = sum / channelCount;
    }
    const out = this.downsampler ? this.downsampler.push(this.mono) : this.mono;
    for (let i = 0; i < out.length; i++) {
      this.buffer[this.filled++] = out[i];
      if (this.filled === CHUNK_FRAMES) {
        this.port.postMessage(this.buffer, [this.buffer.buffer]);
        this.buffer = new Float32Array(CHUNK_FRAMES);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('audio-ident-capture', CaptureProcessor);
