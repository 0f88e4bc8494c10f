// Pure: how the vibe lane scores two descriptor vectors of a model with descriptor groups (the built-in one): the
// weighted mean of the per-group cosines. `toGroupSpace` maps a vector so that the plain cosine of two mapped vectors
// IS that score, so the HNSW indexes (built on mapped vectors) rank by it directly, with no separate re-rank step.
// Clips lean on harmony and rhythm (noise, babble and phone speakers move timbre and spectral shape far more);
// track-to-track weighs every group the same, plus a bonus when the harmony is nearly the same (another rendition of
// the same piece: different instruments and tempo, the same notes). Weights and bonus were chosen on the tuning
// corpus (bench/benchVibe.ts on the renditions of make-renditions.sh's default seed and the 10 s clips of query seeds
// 1, 7 and 11); the README quotes the held-out figures too.
import { cosine } from './audioWindows.js';
import type { ManifestGroup } from './embedderManifest.js';

export const CLIP_GROUP_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({ timbre: 0.5, harmony: 1.5, rhythm: 1, shape: 0.25 });
export const TRACK_GROUP_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({ timbre: 1, harmony: 1, rhythm: 1, shape: 1 });
/** Track-to-track: score + SAME_MUSIC_BONUS * max(0, harmony cosine - SAME_MUSIC_HARMONY). */
export const SAME_MUSIC_HARMONY = 0.8;
export const SAME_MUSIC_BONUS = 4;

/**
 * Each group L2-normalised and scaled by sqrt(weight / total weight): cosine(mapped a, mapped b) = sum_g w_g cos_g(a,
 * b) / sum_g w_g. Groups without weight are dropped (zeros). A model without groups: the vector L2-normalised.
 */
export function toGroupSpace(v: Float32Array, groups: readonly ManifestGroup[] | undefined, weights: Readonly<Record<string, number>>): Float32Array {
  const out = new Float32Array(v.length);
  const used = (groups ?? []).filter((g) => (weights[g.name] ?? 0) > 0);
  if (used.length === 0) {
    const norm = Math.hypot(...v);
    if (norm > 0) for (let i = 0; i < v.length; i++) out[i] = v[i] / norm;
    return out;
  }
  const total = used.reduce((s, g) => s + weights[g.name], 0);
  for (const g of used) {
    let sum = 0;
    for (let i = g.offset; i < g.offset + g.length; i++) sum += v[i] * v[i];
    const norm = Math.sqrt(sum);
    if (norm === 0) continue;
    const scale = Math.sqrt(weights[g.name] / total) / norm;
    for (let i = g.offset; i < g.offset + g.length; i++) out[i] = v[i] * scale;
  }
  return out;
}

/** Every window of a windowCount x dim block mapped with toGroupSpace. */
export function windowsToGroupSpace(
  windows: Float32Array,
  dim: number,
  groups: readonly ManifestGroup[] | undefined,
  weights: Readonly<Record<string, number>>,
): Float32Array {
  const out = new Float32Array(windows.length);
  for (let w = 0; w * dim < windows.length; w++) out.set(toGroupSpace(windows.subarray(w * dim, (w + 1) * dim), groups, weights), w * dim);
  return out;
}

/** The cosine of one named group of two raw vectors; null when the model has no such group. */
export function groupCosine(a: Float32Array, b: Float32Array, groups: readonly ManifestGroup[] | undefined, name: string): number | null {
  const g = groups?.find((x) => x.name === name);
  return g ? cosine(a, b, g.offset, g.length) : null;
}
