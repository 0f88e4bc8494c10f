// Library: add the generated music folder by path (the browser door has no native dialog) -> the scan's progress
// reaches done -> every song is listed; the corrupt file is listed as failed with its error in words; a track's
// detail shows it fingerprinted and embedded, with "more like this". Runs first: the 'identify' project depends on this indexed library.
import { expect, test } from '@playwright/test';
import { openApp, saveScreen } from './support/host.js';
import { CORRUPT_FILE, MUSIC_DIR, SONGS } from './support/paths.js';

test('add a folder, watch it index, list its tracks and its failed file', async ({ page }, testInfo) => {
  await openApp(page);
  await page.getByTestId('nav-library').click();
  await expect(page.getByTestId('folders-empty')).toBeVisible();

  await page.getByTestId('folder-path-input').fill(MUSIC_DIR);
  await page.getByTestId('add-folder-button').click();
  await expect(page.getByTestId('folder-item')).toHaveCount(1);
  await expect(page.getByTestId('folder-item')).toContainText(MUSIC_DIR);

  // Progress shows up and reaches done with every file counted.
  const progress = page.getByTestId('scan-progress');
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('data-running', 'false', { timeout: 90_000 });
  await expect(page.getByTestId('scan-done')).toBeVisible();
  await expect(page.getByTestId('scan-files')).toHaveText(`${SONGS.length + 1} / ${SONGS.length + 1} files`);
  await expect(page.getByTestId('scan-progress-bar')).toHaveAttribute('aria-valuenow', '100');

  // Tracks listed.
  await expect(page.getByTestId('track-count')).toHaveAttribute('data-total', String(SONGS.length));
  await expect(page.getByTestId('track-row')).toHaveCount(SONGS.length);
  const titles = await page.getByTestId('track-title').allTextContents();
  expect(titles.sort()).toEqual(SONGS.map((s) => s.title).sort());
  await expect(page.getByTestId('folder-item')).toContainText(`${SONGS.length} tracks`);

  // The corrupt file, with its error in plain words (not a code).
  const failed = page.getByTestId('failed-file');
  await expect(failed).toHaveCount(1);
  await expect(failed.getByTestId('failed-file-name')).toHaveText(CORRUPT_FILE);
  await expect(failed.getByTestId('failed-file-error')).toHaveText(/audio format|could not be decoded|damaged/i);

  // Search narrows the table; a track's detail shows its fingerprint.
  await page.getByTestId('track-search').fill('solo voice');
  await expect(page.getByTestId('track-row')).toHaveCount(1);
  await expect(page.getByTestId('track-title')).toHaveText('Gamma');
  await page.getByTestId('track-search').fill('');
  await expect(page.getByTestId('track-row')).toHaveCount(SONGS.length);
  await page.getByTestId('track-row').filter({ hasText: 'Beta' }).click();
  // Space on the focused row is the row's, not the Listen shortcut: the Library stays and nothing records.
  await page.getByTestId('track-row').filter({ hasText: 'Beta' }).focus();
  await page.keyboard.press(' ');
  await expect(page.getByTestId('screen-library')).toBeVisible();
  await expect(page.getByTestId('nav-library')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('track-detail-fingerprint')).toHaveAttribute('data-status', 'indexed');
  await expect(page.getByTestId('track-detail-fingerprint')).toContainText(/landmarks/);
  await expect(page.getByTestId('track-detail-path')).toContainText('02 Beta.flac');
  // The vibe lane: embedded during the same scan, and "more like this" lists the other songs (never Beta itself).
  await expect(page.getByTestId('track-detail-embedding')).toHaveAttribute('data-status', 'indexed');
  const similar = page.getByTestId('similar-track');
  await expect(similar).toHaveCount(SONGS.length - 1);
  expect(await similar.allTextContents()).not.toContainEqual(expect.stringMatching(/^Beta\b/));
  await saveScreen(page, testInfo, 'library');
  // A click on a similar track opens it.
  const next = (await similar.first().getByRole('button').textContent())!;
  await similar.first().getByRole('button').click();
  await expect(page.getByTestId('track-detail').getByRole('heading', { level: 2 })).toHaveText(next);
});
