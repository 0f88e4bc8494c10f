// The screen registry (screens.tsx) drives the navigation and the router: the tabs in SCREEN_IDS order with their
// labels (Tracklist only once a long recording was dropped), the shown screen's h1 from its label, and the first-run
// welcome in place of Listen (without the hidden h1). Rendered to HTML with the store bound.
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TracklistRun } from '../features/tracklist/tracklistSlice';
import { createBoundTestStore, createTestStore } from '../store/testDeps';
import { App } from './App';
import { NavBar } from './NavBar';

let store: ReturnType<typeof createTestStore>['store'];
let bridge: ReturnType<typeof createTestStore>['bridge'];
beforeEach(() => {
  ({ store, bridge } = createBoundTestStore());
});

const tabs = (html: string) => [...html.matchAll(/<button[^>]*data-testid="nav-(\w+)"[^>]*>([^<]*)</g)].map((m) => `${m[1]}:${m[2]}`);

describe('screen registry', () => {
  it('gives the navigation its tabs in order, Tracklist only while a recording is listed', () => {
    expect(tabs(renderToStaticMarkup(<NavBar />))).toEqual(['listen:Listen', 'library:Library', 'history:History', 'settings:Settings']);
    store.setState({ tracklist: { runId: 'r1' } as TracklistRun, screen: 'tracklist' });
    const html = renderToStaticMarkup(<NavBar />);
    expect(tabs(html)).toEqual(['listen:Listen', 'tracklist:Tracklist', 'library:Library', 'history:History', 'settings:Settings']);
    expect(html).toMatch(/<button[^>]*aria-current="page"[^>]*data-testid="nav-tracklist"/);
  });

  it('routes to the shown screen under an h1 of its label; the welcome replaces Listen with its own heading', () => {
    store.setState({ screen: 'settings' });
    const settings = renderToStaticMarkup(<App bridge={bridge} />);
    expect(settings).toContain('data-testid="screen-settings"');
    expect(settings).toMatch(/<h1 class="visually-hidden" data-testid="screen-heading">Settings<\/h1>/);

    store.setState({ screen: 'listen', foldersLoaded: true, folders: [], status: { trackCount: 0 } as never });
    const welcome = renderToStaticMarkup(<App bridge={bridge} />);
    expect(welcome).toContain('data-testid="screen-listen"');
    expect(welcome).not.toContain('data-testid="screen-heading"');
    expect(welcome).toMatch(/<h1[^>]*>[^<]+<\/h1>/); // the welcome's own
  });
});
