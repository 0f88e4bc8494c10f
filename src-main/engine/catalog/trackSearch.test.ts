// Tests the search text -> FTS5 plan: words become quoted prefix strings, nothing the user types is syntax.
import { describe, expect, it } from 'vitest';
import { MAX_SEARCH_WORDS, escapeLike, planTrackSearch } from './trackSearch.js';

describe('planTrackSearch', () => {
  it('lists everything for empty, blank or punctuation-only text', () => {
    for (const text of [undefined, null, '', '   ', '\t\n', '"', '-', '*', ':', '( )', '"" -- **', '\u0000', '!!!', '\u0301']) {
      expect(planTrackSearch(text), JSON.stringify(text)).toEqual({ kind: 'all' });
    }
  });

  it('quotes each word as a prefix string, ANDed by juxtaposition', () => {
    expect(planTrackSearch('beat')).toEqual({ kind: 'fts', match: '"beat"*' });
    expect(planTrackSearch('  The  Beat\tIt ')).toEqual({ kind: 'fts', match: '"The"* "Beat"* "It"*' });
    expect(planTrackSearch('AND OR NOT')).toEqual({ kind: 'fts', match: '"AND"* "OR"* "NOT"*' });
    expect(planTrackSearch('NEAR(a b')).toEqual({ kind: 'fts', match: '"NEAR(a"* "b"*' });
    expect(planTrackSearch('say "hi"')).toEqual({ kind: 'fts', match: '"say"* """hi"""*' });
    expect(planTrackSearch('title:x -y z*')).toEqual({ kind: 'fts', match: '"title:x"* "-y"* "z*"*' });
    expect(planTrackSearch('a\u0000b')).toEqual({ kind: 'fts', match: '"a"* "b"*' });
  });

  it('drops repeated words and keeps at most MAX_SEARCH_WORDS', () => {
    expect(planTrackSearch('love love LOVE')).toEqual({ kind: 'fts', match: '"love"* "LOVE"*' });
    const many = Array.from({ length: 200 }, (_, i) => `w${i}`);
    expect(planTrackSearch(many.join(' '))).toEqual({
      kind: 'fts',
      match: many
        .slice(0, MAX_SEARCH_WORDS)
        .map((w) => `"${w}"*`)
        .join(' '),
    });
    expect(planTrackSearch('a '.repeat(20_000))).toEqual({ kind: 'fts', match: '"a"*' });
  });

  it('drops words without letters or digits when others remain', () => {
    expect(planTrackSearch('love - 🎵 "')).toEqual({ kind: 'fts', match: '"love"*' });
    expect(planTrackSearch('東京')).toEqual({ kind: 'fts', match: '"東京"*' });
  });

  it('falls back to a literal LIKE pattern for symbol-only text', () => {
    expect(planTrackSearch('🎵')).toEqual({ kind: 'like', pattern: '%🎵%' });
    expect(planTrackSearch(' ♪ % ')).toEqual({ kind: 'like', pattern: '%♪ \\%%' });
    expect(planTrackSearch('+')).toEqual({ kind: 'like', pattern: '%+%' });
  });

  it('escapes LIKE wildcards', () => {
    expect(escapeLike('a%b_c\\d')).toBe('a\\%b\\_c\\\\d');
  });
});
