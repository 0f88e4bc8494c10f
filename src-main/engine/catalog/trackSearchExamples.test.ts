// The fakes' search (src-preload/contract/trackSearchMatch.ts) and the real catalog answer the same examples
// (src-preload/contract/trackSearchExamples.json).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openCatalog } from './openCatalog.js';
import { type SearchableTrack, matchesTrackSearch } from '../../../src-preload/contract/trackSearchMatch.js';

const examples = JSON.parse(fs.readFileSync(new URL('../../../src-preload/contract/trackSearchExamples.json', import.meta.url), 'utf8')) as {
  tracks: SearchableTrack[];
  cases: { search: string; titles: string[] }[];
};

describe('track search examples', () => {
  it.each(examples.cases)('the fakes: $search', ({ search, titles }) => {
    expect(
      examples.tracks
        .filter((t) => matchesTrackSearch(t, search))
        .map((t) => t.title)
        .sort(),
    ).toEqual(titles);
  });

  it('the real catalog answers every example the same way', () => {
    const catalog = openCatalog(':memory:');
    try {
      examples.tracks.forEach((t, i) => {
        catalog.insertTrack({ ...t, fileHashSha256: String(i).padStart(64, '0'), fileSizeBytes: 1, fileMtimeMs: 1 });
      });
      for (const { search, titles } of examples.cases) {
        const found = catalog
          .listTracks({ search, page: 1, perPage: 100 })
          .items.map((r) => r.title)
          .sort();
        expect(found, JSON.stringify(search)).toEqual(titles);
      }
    } finally {
      catalog.close();
    }
  });
});
