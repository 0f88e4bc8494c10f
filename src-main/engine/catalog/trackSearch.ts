// Turns the text a user typed into the library search into a plan for the catalog's full-text index (tracks_fts,
// migration 0050). Pure: no I/O.
//
// Rules: the text is split on whitespace; each word becomes one FTS5 string, double quotes doubled, with a trailing
// `*`, so it is a prefix query ("beat" finds "Beatles") and nothing the user types is FTS5 syntax (AND, OR, NOT,
// NEAR(, `-`, `:`, `*`, `^`, quotes and parentheses are all just text inside a string). Words are ANDed (FTS5's
// implicit AND between strings). The index's tokenizer splits a word that holds punctuation into a phrase:
// "ac/dc" must find "AC" followed by a token starting "dc", "hey_ju" finds "Hey_Jude.flac".
// A word without a single letter or digit ("-", "&", "🎵") would be an empty phrase, which matches nothing, so it
// is dropped. When nothing is left, a text of only punctuation lists everything (the user is still typing), and a
// text with symbols the tokenizer never indexes (emoji, ♪, +, $) falls back to a LIKE substring match. That is the
// only fallback: scripts written without spaces (Chinese, Japanese, Thai) are tokenized, one token per run of
// characters, so a prefix of a run finds it ("東京" finds "東京事変") but its middle does not ("事変"); see
// migration 0050.

export type TrackSearchPlan =
  /** No filter: list everything. */
  | { readonly kind: 'all' }
  /** An FTS5 MATCH expression over tracks_fts. */
  | { readonly kind: 'fts'; readonly match: string }
  /** A LIKE pattern (ESCAPE '\') over the same fields, for text the tokenizer cannot index. */
  | { readonly kind: 'like'; readonly pattern: string };

/** What unicode61 keeps as token characters: letters, digits, private use. */
const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}]/u;
/** Characters unicode61 never indexes but a title may hold: emoji and other symbols. */
const SYMBOL_CHAR = /\p{S}/u;
/**
 * Words past this many (after dropping repeats) are ignored: FTS5's cost grows faster than linearly with the number
 * of ANDed strings (20,000 words took seconds), and no one types 64 different words into a search box.
 */
export const MAX_SEARCH_WORDS = 64;
/** Control characters (NUL included) never belong in a search; they become spaces. */
const CONTROL_CHARS = /\p{Cc}/gu;

export function planTrackSearch(search: string | null | undefined): TrackSearchPlan {
  const text = (search ?? '').replace(CONTROL_CHARS, ' ').trim();
  if (text === '') return { kind: 'all' };
  const words = [...new Set(text.split(/\s+/u).filter((word) => TOKEN_CHAR.test(word)))].slice(0, MAX_SEARCH_WORDS);
  if (words.length > 0) {
    return { kind: 'fts', match: words.map((word) => `"${word.replaceAll('"', '""')}"*`).join(' ') };
  }
  if (SYMBOL_CHAR.test(text)) return { kind: 'like', pattern: `%${escapeLike(text)}%` };
  return { kind: 'all' };
}

/** Escapes LIKE's wildcards so user text matches literally (used with ESCAPE '\'). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
