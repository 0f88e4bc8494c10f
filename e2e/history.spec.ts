// History you can use: the same file dropped twice is one entry with "×2"; search filters the list; clicking an
// entry reopens its result (Play from here starts at the match; Open track shows it in the LibraryEngine); Export CSV
// downloads the entries found; Clear history asks first; an entry's delete button removes it.
// The clip is Gamma with one sample nudged, under a name of its own, so no other spec's drops count on its entry.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openApp, saveScreen } from './support/host.js';
import { CLIPS, clipPath } from './support/paths.js';

/** Drops one file onto the window, as a user dragging it from a file manager would (a real drop event). */
async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page.evaluate(
    ({ base64, name }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: 'audio/wav' }));
      document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { base64: bytes.toString('base64'), name },
  );
}

test('History: one entry ×2 for the same file, search, clear asks first, reopen, play, open track, export CSV, delete', async ({ page }, testInfo) => {
  const clip = CLIPS.dropGamma;
  const bytes = Buffer.from(readFileSync(clipPath(clip.file)));
  bytes[bytes.length - 2] ^= 1; // the last 16-bit sample, one step louder or softer: new bytes, the same music
  const stamp = Date.now().toString(36);
  const firstName = `history-${stamp}.wav`;
  const secondName = `history-${stamp} (again).wav`;

  await openApp(page);
  await dropFile(page, firstName, bytes);
  await expect(page.getByTestId('result')).toHaveAttribute('data-outcome', 'matched', { timeout: 20_000 });
  await expect(page.getByTestId('result')).toContainText(firstName);
  // The same bytes again, under another name.
  await dropFile(page, secondName, bytes);
  await expect(page.getByTestId('result')).toContainText(secondName, { timeout: 20_000 });
  await expect(page.getByTestId('result')).toHaveAttribute('data-outcome', 'matched');

  await page.getByTestId('nav-history').click();
  const mine = page.getByTestId('history-entry').filter({ hasText: `history-${stamp}` });
  await expect(mine).toHaveCount(1);
  await expect(mine).toHaveAttribute('data-count', '2');
  await expect(mine.getByTestId('history-entry-count')).toHaveText('×2');
  await expect(mine).toContainText(secondName);
  await expect(mine).toContainText(clip.song);
  // Newest first, under today's heading.
  const today = page.getByTestId('history-day').first();
  await expect(today.getByRole('heading', { level: 3 })).toHaveText('Today');
  await expect(today.getByTestId('history-entry').first()).toHaveAttribute('data-count', '2');

  // Search: only this entry; then a search that finds nothing says so.
  const search = page.getByRole('searchbox', { name: 'Search history' });
  await search.fill(stamp);
  await expect(page.getByTestId('history-entry')).toHaveCount(1);
  await expect(page.getByTestId('history-count')).toHaveText('1 found');
  await search.fill(`${stamp} nothing-like-this`);
  await expect(page.getByTestId('history-no-match')).toBeVisible();
  await expect(page.getByTestId('history-entry')).toHaveCount(0);
  await search.fill(stamp);
  await expect(page.getByTestId('history-entry')).toHaveCount(1);

  // Clear history asks first; Cancel keeps everything.
  await page.getByTestId('history-clear').click();
  await expect(page.getByTestId('history-clear-confirm')).toContainText('cannot be undone');
  await expect(page.getByTestId('history-clear-no')).toBeFocused();
  await page.getByTestId('history-clear-no').click();
  await expect(page.getByTestId('history-clear-confirm')).toHaveCount(0);
  await expect(page.getByTestId('history-entry')).toHaveCount(1);
  await saveScreen(page, testInfo, 'history-search');

  // Reopen: the stored result, as Listen showed it.
  await mine.getByTestId('history-entry-open').click();
  const detail = page.getByTestId('history-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByTestId('result')).toHaveAttribute('data-outcome', 'matched');
  await expect(detail.getByTestId('result-title')).toHaveText(clip.song);
  await expect(detail.getByTestId('history-detail-count')).toContainText('2 times');
  const offsetSeconds = Number(await detail.getByTestId('result-offset').getAttribute('data-offset-seconds'));
  expect(Math.abs(offsetSeconds - clip.startSeconds)).toBeLessThanOrEqual(1.5);
  await saveScreen(page, testInfo, 'history-reopened');

  // Play: a past answer plays from where the clip was in the song (no time since added).
  await detail.getByTestId('play-from-here').click();
  const audio = page.getByTestId('player-audio'); // the app's one player, in the player bar
  await expect(audio).toHaveAttribute('data-state', 'playing', { timeout: 10_000 });
  const position = await audio.evaluate((el: HTMLAudioElement) => el.currentTime);
  expect(position).toBeGreaterThanOrEqual(offsetSeconds - 1);
  expect(position).toBeLessThan(offsetSeconds + 10);
  await audio.evaluate((el: HTMLAudioElement) => el.pause());

  // Export CSV of what the search found: a header and this one entry.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('history-export-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^audio-ident-history-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  const rows = csv.split('\r\n');
  expect(rows[0]).toMatch(/^last_seen,first_seen,count,source,clip_name,/);
  expect(rows).toHaveLength(3); // header, the entry, and the empty string after the last CRLF
  expect(rows[1]).toContain(`,2,file,${secondName},`);
  expect(rows[1]).toContain(`,match,${clip.song},`);

  // Open track: the Library with that track selected.
  await detail.getByTestId('history-open-track').click();
  await expect(page.getByTestId('screen-library')).toBeVisible();
  await expect(page.getByTestId('track-detail').getByRole('heading', { level: 2 })).toHaveText(clip.song);

  // Back on History (the search is kept): delete the entry with its own button.
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-entry')).toHaveCount(1);
  await page.getByRole('button', { name: `Delete from History: ${clip.song}, ${secondName}` }).click();
  await expect(page.getByTestId('history-entry')).toHaveCount(0);
  await expect(page.getByTestId('history-no-match')).toBeVisible();
  await expect(page.getByTestId('history-detail')).toHaveCount(0);
});
