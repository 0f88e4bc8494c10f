// Pure: an embedder's front end, PCM at the model's rate -> the rows its ONNX graph takes (raw waveform windows, or
// CLAP's log-mel features per window). Runs wherever the audio was decoded (a fingerprint worker), so that only the
// one owner of the model's session runs the graph itself (ARCHITECTURE.md: one owner per ONNX session). No
// onnxruntime here.
import { clipWindows, trackWindows } from './audioWindows.js';
import { CLAP, clapFeatures } from './clapFeatures.js';
import { windowHopSamples, type EmbedderManifest } from './embedderManifest.js';

/** What a model's session is fed: `count` rows of `rowShape` floats each, back to back in `data`. */
export interface ModelInput {
  /** The model the rows were prepared for (a session of another model refuses them). */
  readonly modelId: string;
  readonly data: Float32Array;
  /** One row's shape, without the batch axis: [windowSamples] for a waveform model, [1, frames, 64] for CLAP. */
  readonly rowShape: readonly number[];
  /** Rows (windows). */
  readonly count: number;
}

/**
 * Track windows: half a window apart (10 s windows every 5 s), at most this many (spread evenly on longer tracks).
 * Overlap means a 10 s query clip, wherever it starts, shares at least 75% of its audio with one track window.
 */
export const MAX_TRACK_WINDOWS = 64;

type FrontEnd = Pick<EmbedderManifest, 'id' | 'windowSamples' | 'hopSamples' | 'frontEnd'>;

/** The rows for `windows` (each manifest.windowSamples long, at manifest.sampleRateHz). */
export function windowsInput(manifest: FrontEnd, windows: readonly Float32Array[]): ModelInput {
  if (manifest.frontEnd === 'clap-mel') {
    const feats = windows.map((w) => clapFeatures(w));
    const frames = feats[0]?.frameCount ?? 0;
    const data = new Float32Array(windows.length * frames * CLAP.melBands);
    feats.forEach((f, i) => data.set(f.data, i * frames * CLAP.melBands));
    return { modelId: manifest.id, data, rowShape: [1, frames, CLAP.melBands], count: windows.length };
  }
  const { windowSamples } = manifest;
  const data = new Float32Array(windows.length * windowSamples);
  windows.forEach((w, i) => data.set(w.subarray(0, windowSamples), i * windowSamples));
  return { modelId: manifest.id, data, rowShape: [windowSamples], count: windows.length };
}

/** A track: overlapping windows over it (at most MAX_TRACK_WINDOWS). */
export function trackInput(manifest: FrontEnd, pcm: Float32Array): ModelInput {
  return windowsInput(manifest, trackWindows(pcm, manifest.windowSamples, MAX_TRACK_WINDOWS, windowHopSamples(manifest)));
}

/** A query clip: sliding windows, the manifest's hop apart. */
export function clipInput(manifest: FrontEnd, pcm: Float32Array): ModelInput {
  return windowsInput(manifest, clipWindows(pcm, manifest.windowSamples, windowHopSamples(manifest)));
}

/** Floats in one row. */
export function rowSize(input: Pick<ModelInput, 'rowShape'>): number {
  return input.rowShape.reduce((n, d) => n * d, 1);
}
