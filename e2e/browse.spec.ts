// Browsing and playing the library through the real UI (issue 14): the first-run welcome on an empty library (its own
// host, a fresh data folder, "~/Music" typed in the browser), sorting by a column and moving through the grid with
// the keyboard, the Albums view and an album in track order, playing a track in the player bar, "More like this"
// beside the list without scrolling at 1280x800 and 1920x1080 (the answer of Listen at 800x600: listen-small.spec.ts),
// and a selected track the list leaves out (said, then found with "Show all tracks"; the scroll to a row anywhere in
// 100,000 tracks is proven by tracksSlice.test.ts, this library has five).
// In the 'identify' project: the shared host's library is indexed by library.spec.ts first.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openApp, saveScreen } from './support/host.js';
import { startOwnHost, stopOwnHost, type OwnHost } from './support/ownHost.js';
import { E2E_ROOT, MUSIC_DIR, SONGS } from './support/paths.js';

/** Whether the element lies wholly inside the viewport with the page not scrolled. */
async function expectInViewWithoutScrolling(page: Page, locator: Locator): Promise<void> {
  await expect(locator).toBeVisible();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  const box = (await locator.boundingBox())!;
  const viewport = page.viewportSize()!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
}

const titlesInView = (page: Page) => page.getByTestId('track-title').allTextContents();

test.describe('first run', () => {
  let work: string;
  let host: OwnHost | undefined;
  test.beforeAll(async () => {
    mkdirSync(E2E_ROOT, { recursive: true });
    work = mkdtempSync(path.join(E2E_ROOT, 'welcome-'));
    const music = path.join(work, 'home', 'Music');
    mkdirSync(music, { recursive: true });
    for (const song of SONGS.slice(2, 4)) copyFileSync(path.join(MUSIC_DIR, song.file), path.join(music, path.basename(song.file)));
    host = await startOwnHost(path.join(work, 'data'), { HOME: path.join(work, 'home') });
  });
  test.afterAll(async () => {
    await stopOwnHost(host);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('an empty library opens on the welcome, which adds ~/Music and shows the tracks', async ({ page }, testInfo) => {
    await page.goto(host!.url);
    const welcome = page.getByTestId('welcome');
    await expect(welcome).toBeVisible();
    await expect(welcome.getByRole('heading', { level: 1 })).toHaveText(/Welcome/);
    await expect(welcome).toContainText(/music folder/i);
    await expect(page.getByTestId('listen-button')).toHaveCount(0); // not a Listen that can only fail
    await saveScreen(page, testInfo, 'welcome');
    await welcome.getByTestId('folder-path-input').fill('~/Music');
    await welcome.getByTestId('add-folder-button').click();
    await expect(page.getByTestId('screen-library')).toBeVisible();
    await expect(page.getByTestId('folder-item')).toContainText(path.join(work, 'home', 'Music'));
    await expect(page.getByTestId('track-row')).toHaveCount(2, { timeout: 90_000 });
    await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-running', 'false', { timeout: 90_000 });
    // Once the library has music, Listen is the first screen again.
    await page.getByTestId('nav-listen').click();
    await expect(page.getByTestId('listen-button')).toBeVisible();
    await expect(page.getByTestId('welcome')).toHaveCount(0);
  });
});

test.describe('the library', () => {
  test('sorts by a column, both ways, and moves through the grid with the keyboard', async ({ page }, testInfo) => {
    await openApp(page);
    await page.getByTestId('nav-library').click();
    await expect(page.getByTestId('track-row')).toHaveCount(SONGS.length);
    const sorted = SONGS.map((s) => s.title).sort();

    await page.getByTestId('sort-title').click();
    await expect(page.getByTestId('column-title')).toHaveAttribute('aria-sort', 'ascending');
    await expect(page.getByTestId('column-artist')).toHaveAttribute('aria-sort', 'none');
    await expect.poll(() => titlesInView(page)).toEqual(sorted);
    await page.getByTestId('sort-title').click();
    await expect(page.getByTestId('column-title')).toHaveAttribute('aria-sort', 'descending');
    await expect.poll(() => titlesInView(page)).toEqual([...sorted].reverse());
    await page.getByTestId('sort-duration').click();
    await expect(page.getByTestId('column-length')).toHaveAttribute('aria-sort', 'ascending');
    await page.getByTestId('sort-title').click();
    await expect.poll(() => titlesInView(page)).toEqual(sorted);
    await saveScreen(page, testInfo, 'sorted-by-title');

    // A grid: rows of cells under column headers, one tab stop, arrow keys move, Enter opens the row.
    const grid = page.getByRole('grid');
    await expect(grid.getByRole('columnheader')).toHaveCount(6);
    await expect(grid.getByRole('row').nth(1).getByRole('gridcell')).toHaveCount(6);
    await expect(grid.locator('[role="row"][tabindex="0"]')).toHaveCount(1);
    // The header's sort buttons come first in the tab order, then the rows as one stop.
    await page.getByTestId('sort-format').focus();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('track-row').first()).toBeFocused();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).not.toBe('row');
    await page.keyboard.press('Shift+Tab');
    await expect(page.getByTestId('track-row').first()).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('track-row').nth(2)).toBeFocused();
    await expect(grid.locator('[role="row"][tabindex="0"]')).toHaveCount(1);
    await page.keyboard.press('End');
    await expect(page.getByTestId('track-row').nth(SONGS.length - 1)).toBeFocused();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('track-detail').getByRole('heading', { level: 2 })).toHaveText(sorted[0]);
    // The focus ring of a row is drawn inside it, where the scroller cannot clip it.
    const outlineOffset = await page
      .getByTestId('track-row')
      .first()
      .evaluate((el) => getComputedStyle(el).outlineOffset);
    expect(outlineOffset).toBe('-2px');
    await saveScreen(page, testInfo, 'keyboard');
  });

  test('the Albums view lists the albums with covers; an album lists its tracks', async ({ page }, testInfo) => {
    await openApp(page);
    await page.getByTestId('nav-library').click();
    await page.getByTestId('view-albums').click();
    const albums = [...new Set(SONGS.flatMap((s) => (s.album ? [s.album] : [])))].sort();
    await expect(page.getByTestId('album-tile')).toHaveCount(albums.length);
    expect(await page.getByTestId('album-name').allTextContents()).toEqual(albums);
    await saveScreen(page, testInfo, 'albums');
    await page.getByTestId('album-tile').filter({ hasText: 'First Light' }).click();
    await expect(page.getByTestId('tracks-heading')).toContainText('First Light');
    await expect.poll(() => titlesInView(page)).toEqual(['Alpha', 'Beta']);
    await saveScreen(page, testInfo, 'album-first-light');
    await page.getByTestId('tracks-filter-back').click();
    await expect(page.getByTestId('album-tile')).toHaveCount(albums.length);

    await page.getByTestId('view-artists').click();
    await expect(page.getByTestId('artist-item')).toHaveCount(new Set(SONGS.flatMap((s) => (s.artist ? [s.artist] : []))).size);
    await page.getByTestId('artist-item').filter({ hasText: 'The Synthetics' }).click();
    await expect.poll(() => titlesInView(page)).toEqual(['Alpha', 'Beta']);
  });

  test('plays a track in the player bar, with a playhead', async ({ page }, testInfo) => {
    await openApp(page);
    await page.getByTestId('nav-library').click();
    await page.getByTestId('track-row').filter({ hasText: 'Gamma' }).click();
    await page.getByTestId('track-play').click();
    const bar = page.getByTestId('player-bar');
    await expect(bar).toBeVisible();
    await expect(page.getByTestId('player-audio')).toHaveAttribute('data-state', 'playing', { timeout: 10_000 });
    await expect(page.getByTestId('player-title')).toContainText('Gamma');
    await expect.poll(async () => Number(await page.getByTestId('player-playhead').inputValue()), { timeout: 10_000 }).toBeGreaterThan(0);
    // Seek with the playhead.
    await page.getByTestId('player-playhead').fill('40');
    expect(await page.getByTestId('player-audio').evaluate((el: HTMLAudioElement) => el.currentTime)).toBeGreaterThanOrEqual(39);
    await saveScreen(page, testInfo, 'playing');
    await page.getByTestId('player-toggle').click();
    await expect(page.getByTestId('player-audio')).toHaveAttribute('data-state', 'paused');
    // "Show in folder" is the desktop app's: not offered in the browser.
    await expect(page.getByTestId('track-show-in-folder')).toHaveCount(0);
  });

  test('a selected track the list leaves out: says so, and "Show all tracks" finds, selects and focuses its row', async ({ page }, testInfo) => {
    await openApp(page);
    await page.getByTestId('nav-library').click();
    await page.getByTestId('track-row').filter({ hasText: 'Beta' }).click();
    await expect(page.getByTestId('similar-track')).toHaveCount(SONGS.length - 1);
    await page.getByTestId('track-search').fill('beta');
    await expect(page.getByTestId('track-row')).toHaveCount(1);
    await expect(page.getByTestId('tracks-selected-missing')).toHaveCount(0);
    // "More like this" opens Gamma, which the search leaves out of the list.
    await page.getByTestId('similar-track').getByRole('button', { name: 'Gamma' }).click();
    await expect(page.getByTestId('tracks-selected-missing')).toContainText('The selected track is not in this list (the search leaves it out).');
    await saveScreen(page, testInfo, 'selected-not-in-list');
    await page.getByTestId('tracks-show-all').click();
    await expect(page.getByTestId('tracks-selected-missing')).toHaveCount(0);
    await expect(page.getByTestId('track-search')).toHaveValue('');
    await expect(page.getByTestId('track-row')).toHaveCount(SONGS.length);
    const gamma = page.getByTestId('track-row').filter({ hasText: 'Gamma' });
    await expect(gamma).toHaveAttribute('aria-selected', 'true');
    await expect(gamma).toBeFocused();
    await saveScreen(page, testInfo, 'selected-found');
  });

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 1920, height: 1080 },
  ]) {
    test(`"More like this" is beside the list, in view without scrolling, at ${viewport.width}x${viewport.height}`, async ({ page }, testInfo) => {
      await page.setViewportSize(viewport);
      await openApp(page);
      await page.getByTestId('nav-library').click();
      await page.getByTestId('track-row').filter({ hasText: 'Beta' }).click();
      await expect(page.getByTestId('similar-track')).toHaveCount(SONGS.length - 1);
      await expectInViewWithoutScrolling(page, page.getByTestId('similar-tracks'));
      // Beside the list, not below it.
      const table = (await page.getByTestId('tracks-table').boundingBox())!;
      const panel = (await page.getByTestId('track-detail').boundingBox())!;
      expect(panel.x).toBeGreaterThanOrEqual(table.x + table.width);
      await expectInViewWithoutScrolling(page, page.getByTestId('track-row').filter({ hasText: 'Beta' }));
      await page.screenshot({ path: testInfo.outputPath(`more-like-this-${viewport.width}x${viewport.height}.png`) });
    });
  }
});
