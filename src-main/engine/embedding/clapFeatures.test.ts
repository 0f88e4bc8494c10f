// CLAP's front end against the reference: @huggingface/transformers' ClapFeatureExtractor (no weights needed),
// configured as Xenova/clap-htsat-unfused's preprocessor_config.json, on the same audio.
import { ClapFeatureExtractor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { createRng, synthSong } from '../testing/synthAudio.js';
import { CLAP, clapFeatures, clapPad } from './clapFeatures.js';

const PREPROCESSOR_CONFIG = {
  chunk_length_s: 10,
  feature_extractor_type: 'ClapFeatureExtractor',
  feature_size: 64,
  fft_window_size: 1024,
  frequency_max: 14000,
  frequency_min: 50,
  hop_length: 480,
  max_length_s: 10,
  n_fft: 1024,
  nb_frequency_bins: 513,
  nb_max_frames: 1000,
  nb_max_samples: 480000,
  padding: 'repeatpad',
  padding_side: 'right',
  padding_value: 0.0,
  return_attention_mask: false,
  sampling_rate: 48000,
  top_db: null,
  truncation: 'rand_trunc',
};

async function reference(pcm: Float32Array): Promise<{ dims: number[]; data: Float32Array }> {
  const extractor = new ClapFeatureExtractor(PREPROCESSOR_CONFIG);
  const { input_features } = await extractor(pcm);
  return { dims: input_features.dims, data: input_features.data as Float32Array };
}

function signals(): Record<string, Float32Array> {
  const rng = createRng(11);
  const rate = CLAP.sampleRateHz;
  const chirp = Float32Array.from({ length: rate * 3 }, (_, i) => {
    const t = i / rate;
    return 0.4 * Math.sin(2 * Math.PI * (100 * t + 900 * t * t)) + 0.05 * (rng() * 2 - 1);
  });
  return {
    'a 3 s chirp with noise (repeat-padded)': chirp,
    'a 10 s song (no padding)': synthSong(5, 10, rate),
    'a 7.3 s song (one copy + zeros)': synthSong(6, 7.3, rate),
  };
}

describe('CLAP front end', () => {
  for (const [name, pcm] of Object.entries(signals())) {
    it(`matches transformers.js ClapFeatureExtractor on ${name}`, async () => {
      const ref = await reference(pcm);
      const ours = clapFeatures(pcm);
      expect(ref.dims).toEqual([1, 1, ours.frameCount, 64]);
      expect(ours.frameCount).toBe(1001);
      let maxDiff = 0;
      let compared = 0;
      for (let i = 0; i < ours.data.length; i++) {
        // Bands sitting at the mel floor (-100 dB) are silence in both; compare the audible ones tightly.
        if (ref.data[i] <= -99) continue;
        compared++;
        maxDiff = Math.max(maxDiff, Math.abs(ours.data[i] - ref.data[i]));
      }
      expect(compared).toBeGreaterThan(ours.data.length * 0.5);
      expect(maxDiff).toBeLessThan(0.01);
    }, 60_000);
  }

  it('repeat-pads like the reference: whole copies, then zeros', () => {
    const padded = clapPad(Float32Array.from([1, 2, 3]), 8);
    expect(Array.from(padded)).toEqual([1, 2, 3, 1, 2, 3, 0, 0]);
  });
});
