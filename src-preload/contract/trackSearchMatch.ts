// The fakes' library search, as the real catalog searches (src-main/engine/catalog/trackSearch.ts over the FTS5
// index of migration 0050): each whitespace-separated word of the search must be a prefix of a word of the title,
// artist, album, file name (last path component) or format; a word holding punctuation ("ac/dc", "hey_ju") must
// match consecutive words, its last one as a prefix; all words ANDed; case- and accent-insensitive. Text of only
// punctuation matches everything; text of only symbols (emoji) matches as a substring.
// The contract's statement of what a library search matches, as a pure function (no imports, so anyone may import
// it): the fake library (fake/fakeLibrary.ts) searches with it, and trackSearchMatch.test.ts holds it
// and the real catalog to the same table, trackSearchExamples.json.

export interface SearchableTrack {
  readonly title: string;
  readonly artist: string | null;
  readonly album: string | null;
  readonly filePath: string;
  readonly format: string;
}

/** What the index's tokenizer (unicode61) keeps as word characters. */
const WORD_CHAR = /[\p{L}\p{N}\p{Co}]/u;
const NOT_WORD_CHARS = /[^\p{L}\p{N}\p{Co}]+/u;

/** Lower-cased, accents removed, split into words: unicode61 remove_diacritics 2, near enough for a fake. */
function wordsOf(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(NOT_WORD_CHARS)
    .filter((w) => w !== '');
}

/** The last path component, after '/' or '\'. */
function fileNameOf(filePath: string): string {
  return filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
}

/** Whether `words` holds `phrase` consecutively, its last word as a prefix. */
function hasPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  for (let start = 0; start + phrase.length <= words.length; start++) {
    const last = phrase.length - 1;
    if (phrase.every((p, i) => (i === last ? words[start + i].startsWith(p) : words[start + i] === p))) return true;
  }
  return false;
}

export function matchesTrackSearch(track: SearchableTrack, search: string | null | undefined): boolean {
  const text = (search ?? '').replace(/\p{Cc}/gu, ' ').trim();
  const fields = [track.title, track.artist, track.album, fileNameOf(track.filePath), track.format].filter(
    (field): field is string => typeof field === 'string' && field !== '',
  );
  const phrases = text
    .split(/\s+/u)
    .filter((chunk) => WORD_CHAR.test(chunk))
    .map(wordsOf);
  if (phrases.length === 0) {
    // Only punctuation: everything; symbols the index never holds (emoji): a substring of a field.
    if (!/\p{S}/u.test(text)) return true;
    return fields.some((field) => field.toLowerCase().includes(text.toLowerCase()));
  }
  const fieldWords = fields.map(wordsOf);
  return phrases.every((phrase) => fieldWords.some((words) => hasPhrase(words, phrase)));
}
