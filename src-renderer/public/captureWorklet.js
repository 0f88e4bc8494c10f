// AudioWorklet processor (runs on the audio rendering thread): downmixes the microphone's channels to mono Float32
// and posts the samples to the page in chunks of CHUNK_FRAMES (transferred, not copied). Loaded by micCapture.ts
// from this same origin ('self' in the CSP: no blob: or eval needed). Plain JS: worklets are not bundled.
const CHUNK_FRAMES = 2048;

class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buffer = new Float32Array(CHUNK_FRAMES);
    this.filled = 0;
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const channelCount = input.length;
    const frames = input[0].length;
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (let c = 0; c < channelCount; c++) sum += input[c][i];
      this.buffer[this.filled++] = sum / channelCount;
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
