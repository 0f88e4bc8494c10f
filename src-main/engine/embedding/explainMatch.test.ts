// The vibe explanation leads with what is alike and never contradicts the score beside it: over a grid of group
// similarities, brightness steps and shown scores, a high score is never explained by differences alone, no aspect
// is called both alike and different, and what differs comes after what is alike.
import { describe, expect, it } from 'vitest';
import type { EmbedderManifest } from './embedderManifest.js';
import { explainMatch, HIGH_SIMILARITY } from './explainMatch.js';

const SHAPE_FEATURES = ['loudnessMeanDb', 'loudnessStdDb', 'centroidMeanLog2Hz', 'centroidStdLog2Hz', 'flatnessDb', 'onsetMean', 'onsetStd'];
const GROUPS = [
  { name: 'timbre', offset: 0, length: 4, weight: 0.35 },
  { name: 'harmony', offset: 4, length: 4, weight: 0.25 },
  { name: 'rhythm', offset: 8, length: 4, weight: 0.2 },
  { name: 'shape', offset: 12, length: 7, weight: 0.2 },
];
const DIM = 19;
const manifest = { id: 'test-descriptors', dim: DIM, groups: GROUPS, shapeFeatures: SHAPE_FEATURES } as unknown as EmbedderManifest;
const CENTROID = 12 + SHAPE_FEATURES.indexOf('centroidMeanLog2Hz');

interface Deltas {
  rhythm: number;
  timbre: number;
  harmony: number;
  /** How much brighter the match is (standardised centroid difference; a step is ~0.085). */
  brighter?: number;
}

/** A query and a match whose per-group cosines are exactly the given ones. */
function pair(d: Deltas): [Float32Array, Float32Array] {
  const query = new Float32Array(DIM);
  const match = new Float32Array(DIM);
  for (const [name, cos] of [
    ['timbre', d.timbre],
    ['harmony', d.harmony],
    ['rhythm', d.rhythm],
  ] as const) {
    const g = GROUPS.find((x) => x.name === name)!;
    query[g.offset] = 1;
    match[g.offset] = cos;
    match[g.offset + 1] = Math.sqrt(1 - cos * cos);
  }
  query[12] = match[12] = 0.3; // loudness: the same
  match[CENTROID] = d.brighter ?? 0;
  return [query, match];
}

const explain = (d: Deltas, similarity: number) => {
  const [q, m] = pair(d);
  return explainMatch(manifest, q, m, similarity)!;
};

/** [what is alike, [what differs]] of an explanation. */
function parts(text: string): [string, string[]] {
  const [alike, differs = ''] = text.split(', but ');
  return [alike, differs ? differs.split(/, | and /) : []];
}

describe('explainMatch', () => {
  it('names what is alike', () => {
    expect(explain({ rhythm: 0.9, timbre: 0.9, harmony: 0.9 }, 0.93)).toBe('similar rhythm and timbre, same key area');
    expect(explain({ rhythm: 0.9, timbre: 0.3, harmony: 0.3 }, 0.7)).toBe('similar rhythm');
  });

  it('puts what differs after what is alike', () => {
    expect(explain({ rhythm: 0.8, timbre: 0.7, harmony: 0.8, brighter: 0.3 }, 0.6)).toBe('similar rhythm, same key area, but a brighter sound');
    expect(explain({ rhythm: 0.8, timbre: 0.3, harmony: -0.2 }, 0.6)).toBe('similar rhythm, but a different key');
  });

  it('explains a 74% match whose groups all differ without listing only differences', () => {
    // Before: "different rhythm, brighter timbre, different key" beside "74% similar".
    const text = explain({ rhythm: 0.05, timbre: 0.4, harmony: 0.0, brighter: 0.3 }, 0.74);
    expect(text).toMatch(/^similar overall sound, but /);
    expect(parts(text)[1]).toHaveLength(1);
  });

  it('a low score with nothing alike leads with its closest aspect, not named again as a difference', () => {
    expect(explain({ rhythm: 0.05, timbre: 0.0, harmony: -0.3 }, 0.45)).toBe('closest in rhythm, but a different key and a different timbre');
    expect(explain({ rhythm: 0.3, timbre: 0.2, harmony: 0.0, brighter: -0.3 }, 0.5)).toBe('closest in rhythm, but a different key and a darker sound');
  });

  it('never contradicts the score, over a grid of group similarities, brightness and scores', () => {
    const levels = [-0.5, 0, 0.1, 0.3, 0.6, 0.9, 1];
    const opposites: [RegExp, RegExp][] = [
      [/similar rhythm|closest in rhythm/, /different rhythm/],
      [/similar (rhythm and )?timbre|closest in timbre/, /brighter|darker|different timbre/],
      [/same key area|closest in harmony/, /different key/],
    ];
    let checked = 0;
    for (const rhythm of levels)
      for (const timbre of levels)
        for (const harmony of levels)
          for (const brighter of [-0.3, 0, 0.3])
            for (const similarity of [0.3, 0.55, HIGH_SIMILARITY, 0.74, 0.9]) {
              const text = explain({ rhythm, timbre, harmony, brighter }, similarity);
              const [alike, differs] = parts(text);
              const where = `${text} <- ${JSON.stringify({ rhythm, timbre, harmony, brighter, similarity })}`;
              // What is alike comes first, and there is always something.
              expect(alike, where).toMatch(/^(similar|same|closest)/);
              expect(alike, where).not.toMatch(/different|brighter|darker/);
              for (const d of differs) expect(d, where).toMatch(/^a (different|brighter|darker)/);
              for (const [yes, no] of opposites) expect(yes.test(text) && no.test(text), where).toBe(false);
              if (similarity >= HIGH_SIMILARITY) {
                expect(alike, where).toMatch(/similar|same/); // not "closest in" alone
                expect(differs.length, where).toBeLessThanOrEqual(1);
              }
              checked++;
            }
    expect(checked).toBe(7 * 7 * 7 * 3 * 5);
  });

  it('gives null for a model without descriptor groups (CLAP)', () => {
    const [q, m] = pair({ rhythm: 1, timbre: 1, harmony: 1 });
    expect(explainMatch({ ...manifest, groups: undefined }, q, m, 0.9)).toBeNull();
  });
});
