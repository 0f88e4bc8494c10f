// Pure: re-ranks candidate tracks by group-weighted cosines of the built-in model's descriptor groups. For a clip:
// re-ranks its candidate tracks by a group-weighted cosine between the clip's windows and each track's
// windows (best pair wins). Additive noise, babble and phone speakers move the timbre and spectral-shape
// descriptors far more than harmony and rhythm, so clips lean on the latter. The weights were chosen among six
// tried on the benchmark's 10 s degraded clips (bench/benchVibe.ts): top-5 83.7% with the plain cosine, 91.5% here.
import { cosine } from './audioWindows.js';
import type { ManifestGroup } from './embedderManifest.js';

export const CLIP_GROUP_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({ timbre: 0.5, harmony: 1.5, rhythm: 1, shape: 0.25 });

/**
 * Track-to-track ("more like this", renditions): every descriptor group counts the same, whatever its share of the
 * vector. Chosen among five weightings tried on bench/benchVibe.ts: renditions recall@5 0.878 -> 0.906 over the
 * plain cosine, same-style precision 2.13x -> 2.04x chance.
 */
export const TRACK_GROUP_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({ timbre: 1, harmony: 1, rhythm: 1, shape: 1 });

export interface Candidate {
  readonly trackNum: number;
  /** windowCount x dim. */
  readonly windowVectors: Float32Array;
  readonly windowCount: number;
}

/** [trackNum, score in -1..1] best first; `clipWindows` is windowCount x dim like the candidates'. */
export function rerankClip(
  clipWindows: Float32Array,
  clipWindowCount: number,
  dim: number,
  candidates: readonly Candidate[],
  groups: readonly ManifestGroup[],
  weights: Readonly<Record<string, number>> = CLIP_GROUP_WEIGHTS,
): [number, number][] {
  const used = groups.filter((g) => (weights[g.name] ?? 0) > 0);
  const total = used.reduce((s, g) => s + weights[g.name], 0);
  const scored = candidates.map((c): [number, number] => {
    let best = -Infinity;
    for (let q = 0; q < clipWindowCount; q++) {
      const qv = clipWindows.subarray(q * dim, (q + 1) * dim);
      for (let w = 0; w < c.windowCount; w++) {
        const tv = c.windowVectors.subarray(w * dim, (w + 1) * dim);
        let s = 0;
        for (const g of used) s += weights[g.name] * cosine(qv, tv, g.offset, g.length);
        if (s > best) best = s;
      }
    }
    return [c.trackNum, total > 0 ? best / total : best];
  });
  return scored.sort((a, b) => b[1] - a[1]);
}
