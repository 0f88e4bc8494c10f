// The tracks table, rendered to HTML with the store bound: when the selected track (opened from History, a result or
// "More like this") is not in the list the table shows, it says so and offers the whole library. The scrolling to a
// track's row anywhere in 100,000 is the store's work (tracksSlice.test.ts) plus the grid's effect (browser only).
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TrackId } from '../../../src-preload/contract/library';
import { createBoundTestStore, createTestStore, htmlText } from '../../store/testDeps';
import { TracksTable } from './TracksTable';

let store: ReturnType<typeof createTestStore>['store'];
beforeEach(() => {
  ({ store } = createBoundTestStore());
});

const text = htmlText;
const ID = 'a0000000-0000-4000-8000-000000000001' as TrackId;

describe('the selected track and the list', () => {
  it('says the selected track is not in a filtered list, with a button that shows all tracks', () => {
    store.setState({
      trackFilter: { kind: 'artist', artist: 'Zed' },
      trackTotal: 3,
      selectedTrackId: ID,
      selectedTrackRow: { trackId: ID, row: null, seq: 1 },
    });
    const html = renderToStaticMarkup(<TracksTable />);
    expect(html).toContain('data-testid="tracks-selected-missing"');
    expect(text(html)).toContain('The selected track is not in this list (it is by another artist).');
    expect(html).toMatch(/data-testid="tracks-show-all"[^>]*>Show all tracks</);
  });

  it('names the search when it is what leaves the track out', () => {
    store.setState({ trackQuery: 'solo', trackTotal: 1, selectedTrackId: ID, selectedTrackRow: { trackId: ID, row: null, seq: 1 } });
    expect(text(renderToStaticMarkup(<TracksTable />))).toContain('The selected track is not in this list (the search leaves it out).');
  });

  it('says nothing when the track is in the list or nothing is selected', () => {
    store.setState({ trackTotal: 500, selectedTrackId: ID, selectedTrackRow: { trackId: ID, row: 420, seq: 2 } });
    expect(renderToStaticMarkup(<TracksTable />)).not.toContain('tracks-selected-missing');
    store.setState({ selectedTrackId: null, selectedTrackRow: null });
    expect(renderToStaticMarkup(<TracksTable />)).not.toContain('tracks-selected-missing');
  });
});
