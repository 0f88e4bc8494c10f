// The "Now playing" file card on the Settings screen, rendered to HTML with the store bound: what it is for and how
// to use it (OBS "Read from file"), off by default; the path in use and Turn off when on; a refusal in plain words;
// a later write that failed.
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { createBoundTestStore, createTestStore, htmlText } from '../../store/testDeps';
import { NowPlayingFileCard } from './NowPlayingFileCard';
import { SettingsScreen } from './SettingsScreen';

let store: ReturnType<typeof createTestStore>['store'];
beforeEach(() => {
  ({ store } = createBoundTestStore());
});

describe('NowPlayingFileCard', () => {
  it('is on the Settings screen, explains itself, and is off by default', () => {
    store.setState({ nowPlayingFile: { path: null, lastError: null } });
    const html = renderToStaticMarkup(<SettingsScreen />);
    expect(html).toContain('data-testid="now-playing-card"');
    const text = htmlText(html);
    expect(text).toContain('“Now playing” file');
    expect(text).toMatch(/while Keep listening runs, this text file holds one line with the song heard now \(“Artist - Title”\)/);
    expect(text).toContain('OBS Text source with “Read from file”');
    expect(text).toContain('Off.');
    expect(html).not.toContain('now-playing-off');
    expect(html).toMatch(/aria-label="Now playing file path"[^>]*value=""/);
  });

  it('says where it writes when on, offers Turn off, and shows a refusal in words', () => {
    store.setState({
      nowPlayingFile: { path: '/home/me/obs/now.txt', lastError: null },
      nowPlayingError: { code: 'file-not-writable', detail: "/home/me/.local/share/audio-ident/now.txt is inside the app's data folder" },
    });
    const html = renderToStaticMarkup(<NowPlayingFileCard />);
    const text = htmlText(html);
    expect(text).toContain('On: writes to /home/me/obs/now.txt');
    expect(html).toContain('value="/home/me/obs/now.txt"');
    expect(html).toContain('data-testid="now-playing-off"');
    expect(text).toMatch(/That file cannot be written: .* \(\/home\/me\/\.local\/share\/audio-ident\/now\.txt is inside the app's data folder\)/);
    expect(html).not.toContain('now-playing-write-failed');
  });

  it('says so when a later write failed, and words a relative path', () => {
    store.setState({
      nowPlayingFile: { path: '/mnt/usb/now.txt', lastError: { code: 'file-not-writable', detail: '/mnt/usb/now.txt cannot be written (ENOENT)' } },
      nowPlayingPathProblem: 'relative-path',
    });
    const text = htmlText(renderToStaticMarkup(<NowPlayingFileCard />));
    expect(text).toContain('The last update of the file failed: That file cannot be written');
    expect(text).toContain('(/mnt/usb/now.txt cannot be written (ENOENT))');
    expect(text).toContain('Type the full path of the file, e.g. /home/you/obs/now-playing.txt or ~/now-playing.txt.');
  });
});
