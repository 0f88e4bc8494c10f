// Pure: a few words on why two built-in descriptor vectors are close, read from the manifest's named groups: what is
// alike first ("similar rhythm, same key area"), then what differs ("but a brighter sound"). The words never
// contradict the score the user sees beside them: a high score never gets a list of differences alone (it leads with
// the closest aspect, or "similar overall sound") and names at most its one largest difference. Models without
// groups (CLAP) get null.
import { cosine } from './audioWindows.js';
import type { EmbedderManifest } from './embedderManifest.js';

/** A group cosine at or above this is "similar"; at or below FAR it is "different". */
const CLOSE = 0.6;
const FAR = 0.1;
/** From this shown similarity (0..1) on, a match reads as "similar overall" and names one difference at most. */
export const HIGH_SIMILARITY = 0.7;

interface Aspect {
  /** How alike this aspect is (a cosine; the brightness aspect maps its step to one). */
  readonly closeness: number;
  /** Words when it is alike, e.g. "similar rhythm"; words when it differs, e.g. "a different rhythm". */
  readonly alike: string;
  readonly closest: string;
  readonly differs: string | null;
}

/**
 * `query` is the clip or seed track, `match` the library track; both vectors of manifest.dim values. `similarity` is
 * the score shown beside the words (0..1, as VibeMatch.similarity).
 */
export function explainMatch(manifest: EmbedderManifest, query: Float32Array, match: Float32Array, similarity: number): string | null {
  const groups = new Map((manifest.groups ?? []).map((g) => [g.name, g]));
  const timbre = groups.get('timbre');
  const harmony = groups.get('harmony');
  const rhythm = groups.get('rhythm');
  const shape = groups.get('shape');
  if (!timbre || !harmony || !rhythm || !shape) return null;

  const rh = cosine(query, match, rhythm.offset, rhythm.length);
  const tb = cosine(query, match, timbre.offset, timbre.length);
  const ha = cosine(query, match, harmony.offset, harmony.length);
  // Brightness (the spectral centroid) says which way a timbre differs. Dimensions are standardised: a difference of
  // ~0.1 in this unit-norm vector is a noticeable step.
  const centroidAt = manifest.shapeFeatures?.indexOf('centroidMeanLog2Hz') ?? -1;
  const brighter = centroidAt >= 0 ? match[shape.offset + centroidAt] - query[shape.offset + centroidAt] : 0;
  const step = Math.sqrt(shape.weight / shape.length) * 0.5;
  const brightnessDiffers = centroidAt >= 0 && Math.abs(brighter) > step;

  const aspects: Aspect[] = [
    { closeness: rh, alike: 'similar rhythm', closest: 'closest in rhythm', differs: rh <= FAR ? 'a different rhythm' : null },
    {
      // A timbre whose brightness moved a step is not "similar", whatever its cosine says.
      closeness: brightnessDiffers ? Math.min(tb, FAR) : tb,
      alike: 'similar timbre',
      closest: 'closest in timbre',
      differs: brightnessDiffers ? (brighter > 0 ? 'a brighter sound' : 'a darker sound') : tb <= FAR ? 'a different timbre' : null,
    },
    { closeness: ha, alike: 'same key area', closest: 'closest in harmony', differs: ha <= FAR ? 'a different key' : null },
  ];

  const high = similarity >= HIGH_SIMILARITY;
  const alike = mergeSimilar(aspects.filter((a) => a.closeness >= CLOSE && a.differs === null).map((a) => a.alike));
  let lead: Aspect | null = null;
  if (alike.length === 0) {
    // Nothing is plainly alike: say which aspect comes closest (not also as a difference).
    const closest = aspects.reduce((best, a) => (a.closeness > best.closeness ? a : best));
    if (high) alike.push('similar overall sound');
    if (!high || closest.differs === null) {
      alike.push(closest.closest);
      lead = closest;
    }
  }
  // The largest difference first; a high score names only that one.
  const differences = aspects
    .filter((a) => a.differs !== null && a !== lead)
    .sort((a, b) => a.closeness - b.closeness)
    .map((a) => a.differs as string)
    .slice(0, high ? 1 : undefined);
  return differences.length === 0 ? alike.join(', ') : `${alike.join(', ')}, but ${joinAnd(differences)}`;
}

/** "similar rhythm", "similar timbre" -> "similar rhythm and timbre". */
function mergeSimilar(words: readonly string[]): string[] {
  const similar = words.filter((w) => w.startsWith('similar ')).map((w) => w.slice('similar '.length));
  const rest = words.filter((w) => !w.startsWith('similar '));
  return similar.length === 0 ? [...rest] : [`similar ${joinAnd(similar)}`, ...rest];
}

function joinAnd(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
