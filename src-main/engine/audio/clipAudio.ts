// A query clip as it arrived (PCM at its own rate, or encoded bytes or a file to decode), read by each lane at the
// rate it needs, always from the original: the exact lane at the fingerprint rate, the vibe lane at its model's rate.
// So a 48 kHz model (CLAP) hears the clip's whole band, as its track vectors were made from a full-rate decode, never
// an 8 kHz copy resampled up (nothing above 4 kHz). Each rate is made once, on first use, and kept.
import { resamplePcm } from './resample.js';

export interface ClipAudio {
  /** Mono PCM at `sampleRateHz`, decoded or resampled from the clip as it arrived. */
  at(sampleRateHz: number): Promise<Float32Array>;
}

/** A clip that arrives as encoded audio: `decode` makes mono PCM at the rate asked for (ffmpeg, or the WAV parser). */
export function encodedClip(decode: (sampleRateHz: number) => Promise<Float32Array>): ClipAudio {
  const byRate = new Map<number, Promise<Float32Array>>();
  return {
    at(sampleRateHz) {
      let pcm = byRate.get(sampleRateHz);
      if (!pcm) byRate.set(sampleRateHz, (pcm = decode(sampleRateHz)));
      return pcm;
    },
  };
}

/** A clip that arrives as mono PCM at `sampleRateHz` (the microphone, a host's upload decoded elsewhere). */
export function pcmClip(samples: Float32Array, sampleRateHz: number): ClipAudio {
  return encodedClip(async (rate) => (rate === sampleRateHz ? samples : resamplePcm(samples, sampleRateHz, rate)));
}
