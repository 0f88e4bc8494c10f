// Pure: a few words on why two built-in descriptor vectors are close ("similar rhythm, brighter timbre, same key
// area"), read from the manifest's named groups. Models without groups (CLAP) get null.
import { cosine } from './audioWindows.js';
import type { EmbedderManifest } from './embedderManifest.js';

const CLOSE = 0.6;
const FAR = 0.1;

/** `query` is the clip or seed track, `match` the library track; both vectors of manifest.dim values. */
export function explainMatch(manifest: EmbedderManifest, query: Float32Array, match: Float32Array): string | null {
  const groups = new Map((manifest.groups ?? []).map((g) => [g.name, g]));
  const timbre = groups.get('timbre');
  const harmony = groups.get('harmony');
  const rhythm = groups.get('rhythm');
  const shape = groups.get('shape');
  if (!timbre || !harmony || !rhythm || !shape) return null;
  const words: string[] = [];
  const rh = cosine(query, match, rhythm.offset, rhythm.length);
  if (rh >= CLOSE) words.push('similar rhythm');
  else if (rh <= FAR) words.push('different rhythm');
  const centroidAt = manifest.shapeFeatures?.indexOf('centroidMeanLog2Hz') ?? -1;
  const tb = cosine(query, match, timbre.offset, timbre.length);
  if (centroidAt >= 0) {
    // Dimensions are standardised: a difference of ~0.1 in this unit-norm vector is a noticeable step.
    const d = match[shape.offset + centroidAt] - query[shape.offset + centroidAt];
    const step = Math.sqrt(shape.weight / shape.length) * 0.5;
    if (d > step) words.push('brighter timbre');
    else if (d < -step) words.push('darker timbre');
    else if (tb >= CLOSE) words.push('similar timbre');
  } else if (tb >= CLOSE) words.push('similar timbre');
  const ha = cosine(query, match, harmony.offset, harmony.length);
  if (ha >= CLOSE) words.push('same key area');
  else if (ha <= FAR) words.push('different key');
  if (words.length === 0) words.push('similar overall sound');
  return words.join(', ');
}
