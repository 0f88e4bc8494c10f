// The fake bridge's search answers the same examples as the real catalog and the fake backend
// (src-preload/contract/trackSearchExamples.json; see src-main/host/testing/fakeTrackSearch.test.ts).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type SearchableTrack, matchesTrackSearch } from './fakeTrackSearch';

const examples = JSON.parse(
  fs.readFileSync(new URL('../../src-preload/contract/trackSearchExamples.json', import.meta.url), 'utf8'),
) as { tracks: SearchableTrack[]; cases: { search: string; titles: string[] }[] };

describe('track search examples', () => {
  it.each(examples.cases)('the fake bridge: $search', ({ search, titles }) => {
    expect(examples.tracks.filter((t) => matchesTrackSearch(t, search)).map((t) => t.title).sort()).toEqual(titles);
  });
});
