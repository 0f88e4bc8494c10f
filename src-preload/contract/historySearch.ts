// What a History search matches, as one pure function (no imports with a runtime, so anyone may import it): the
// catalog calls it from SQL (src-main/engine/catalog/history.ts registers it as a function), and the renderer's fake
// bridge calls it on its entries, so both find the same entries.
//
// Each whitespace-separated word must occur somewhere (a substring, not only a word start: History is short, and
// "love" should find "Glove Affair") in the text of an entry: the dropped file's name, the source ("microphone" or
// "file"), the matched or sounds-like track's title, artist, album and file name. Case and accents are ignored.
import type { HistoryEntry } from './api.js';

export type SearchableHistoryEntry = Pick<HistoryEntry, 'source' | 'clipName' | 'match' | 'soundsLike' | 'trackFileName'>;

/** Lower-cased, compatibility-decomposed and without combining marks: "Beyoncé" and "BEYONCE" fold alike. */
export function foldSearchText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a search, folded; empty for whitespace alone (which matches everything). */
export function historySearchWords(search: string | undefined): string[] {
  if (!search) return [];
  return foldSearchText(search)
    .split(/\s+/u)
    .filter((w) => w !== '');
}

/** The text a search looks in, folded; fields are separated by newlines so no word spans two of them. */
export function historySearchText(entry: SearchableHistoryEntry): string {
  const fields = [
    entry.source === 'mic' ? 'microphone' : 'file',
    entry.clipName,
    entry.match?.title,
    entry.match?.artist,
    entry.match?.album,
    entry.soundsLike?.title,
    entry.soundsLike?.artist,
    entry.trackFileName,
  ];
  return foldSearchText(fields.filter((f): f is string => typeof f === 'string' && f !== '').join('\n'));
}

/** True when every word of the search occurs in the entry's text. */
export function matchesHistorySearch(entry: SearchableHistoryEntry, search: string | undefined): boolean {
  const words = historySearchWords(search);
  if (words.length === 0) return true;
  const text = historySearchText(entry);
  return words.every((w) => text.includes(w));
}
