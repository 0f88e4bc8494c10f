// Keep listening with the fake microphone playing a room: Gamma (from 0:05) for 35 s, Delta (from 0:20) for 35 s,
// then 30 s of a song not in the library. Switched on, the app shows the song playing now, and its room log lists
// Gamma then Delta with wall-clock times and where in each song, then an unknown stretch; one notification per song;
// the log exports as CSV with those rows. The "now playing" file chosen in Settings names each song while it plays
// and is emptied for the unknown stretch and on stop; the room log is still there after a reload, until Clear log.
// Real host, real engine; about 90 s of audio.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { openApp, saveScreen } from './support/host.js';
import { clipPath, micLaunchOptions, ROOM } from './support/paths.js';

test.use({ launchOptions: micLaunchOptions(clipPath(ROOM.file)) });

test('Keep listening logs two songs in order with times, then an unknown stretch; the log exports to CSV', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  // The page's Notifications API, recorded: granted, and each notification's title kept.
  await page.addInitScript(() => {
    const shown: string[] = [];
    (window as unknown as { __notifications: string[] }).__notifications = shown;
    class RecordedNotification {
      static permission: NotificationPermission = 'default';
      static async requestPermission(): Promise<NotificationPermission> {
        RecordedNotification.permission = 'granted';
        return 'granted';
      }
      constructor(title: string) {
        shown.push(title);
      }
      close(): void {}
    }
    Object.defineProperty(window, 'Notification', { value: RecordedNotification, configurable: true, writable: true });
  });
  await openApp(page);
  // The now-playing file, chosen in Settings (off by default; turned off again at the end: the host is shared).
  const nowPlaying = testInfo.outputPath('obs', 'now-playing.txt');
  mkdirSync(path.dirname(nowPlaying), { recursive: true });
  const nowPlayingText = () => readFileSync(nowPlaying, 'utf8');
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('now-playing-state')).toHaveText('Off.');
  await page.getByTestId('now-playing-path').fill(nowPlaying);
  await page.getByTestId('now-playing-save').click();
  await expect(page.getByTestId('now-playing-state')).toContainText(nowPlaying);
  expect(nowPlayingText()).toBe('');
  await page.getByTestId('nav-listen').click();
  const toggle = page.getByTestId('keep-listening-switch');
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await expect(page.getByTestId('mic-select')).toBeVisible();
  await toggle.click();
  await expect(toggle).toHaveAttribute('data-phase', 'on');
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  // Listen waits while Keep listening has the microphone.
  await expect(page.getByTestId('listen-button')).toBeDisabled();

  // Gamma, live: its title and a position that advances (it plays from 0:05).
  await expect(page.getByTestId('keep-now-title')).toHaveText('Gamma', { timeout: 30_000 });
  await expect.poll(nowPlayingText, { timeout: 5_000 }).toBe('Solo Voice - Gamma');
  const position = page.getByTestId('keep-now-position');
  const first = await position.textContent();
  await expect.poll(async () => position.textContent(), { timeout: 5_000 }).not.toBe(first);
  await saveScreen(page, testInfo, 'keep-listening-gamma');

  // Then Delta, then the stretch not in the library.
  await expect(page.getByTestId('keep-now-title')).toHaveText('Delta', { timeout: 40_000 });
  await expect.poll(nowPlayingText, { timeout: 5_000 }).toBe('Delta'); // untagged artist: the title alone
  const rows = page.getByTestId('room-log-row');
  await expect(rows.last()).toHaveAttribute('data-kind', 'unknown', { timeout: 45_000 });
  await expect.poll(nowPlayingText, { timeout: 5_000 }).toBe('');
  await saveScreen(page, testInfo, 'keep-listening-log');
  await toggle.click();
  await expect(toggle).toHaveAttribute('data-phase', 'idle', { timeout: 15_000 });

  const titles = await page.getByTestId('room-log-title').allTextContents();
  expect(titles).toEqual(['Gamma', 'Delta', 'Not in your library']);
  await expect(rows.nth(0)).toHaveAttribute('data-kind', 'song');
  await expect(rows.nth(1)).toContainText('from 0:');
  expect(await page.evaluate(() => (window as unknown as { __notifications: string[] }).__notifications)).toEqual(['Gamma', 'Delta']);
  await expect(page.getByTestId('keep-notifications-denied')).toHaveCount(0);
  await saveScreen(page, testInfo, 'keep-listening-stopped');
  // The switch, the picker and the room log pass axe as the other screens do (no critical or serious finding).
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  expect(
    axe.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);

  // Export CSV: a header and the three rows, with wall-clock times, positions and lengths that fit the room.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('room-log-export-csv').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^audio-ident-room-log-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
  const lines = readFileSync(await download.path(), 'utf8')
    .trimEnd()
    .split('\r\n');
  expect(lines[0]).toBe('started_at,ended_at,seconds,title,artist,album,position_seconds,speed,confidence,path');
  const cells = lines.slice(1).map((l) => l.split(','));
  expect(cells.map((c) => c[3])).toEqual(['Gamma', 'Delta', 'not in the library']);
  const at = (iso: string) => Date.parse(iso);
  // Gamma starts with the session and lasts about 35 s; Delta starts about 35 s later, from about 0:20 of itself.
  // (Ends are placed where the song's last aligned landmarks are heard: through the fake microphone a few seconds early.)
  const [gamma, delta, unknown] = cells;
  expect(Math.abs(Number(gamma[2]) - 35)).toBeLessThan(6);
  expect(Math.abs(Number(delta[2]) - 35)).toBeLessThan(6);
  expect(Math.abs((at(delta[0]) - at(gamma[0])) / 1000 - 35)).toBeLessThan(4);
  expect(Math.abs(at(unknown[0]) - at(delta[1]))).toBeLessThan(4000);
  expect(Math.abs(Number(gamma[6]) - ROOM.parts[0].startSeconds)).toBeLessThan(4);
  expect(Math.abs(Number(delta[6]) - ROOM.parts[1].startSeconds)).toBeLessThan(4);
  expect(gamma[4]).toBe('Solo Voice');
  expect(gamma[9]).toMatch(/Gamma\.ogg$/);
  expect(unknown[9]).toBe('');
  expect(nowPlayingText()).toBe('');

  // The room log survives a reload; Clear log (confirmed) forgets it, also for the next reload.
  await page.reload();
  await page
    .getByTestId('nav-status')
    .getByText(/tracks/)
    .waitFor();
  await expect(page.getByTestId('room-log-title')).toHaveText(['Gamma', 'Delta', 'Not in your library']);
  await page.getByTestId('room-log-clear').click();
  await page.getByTestId('room-log-clear-yes').click();
  await expect(page.getByTestId('keep-view')).toHaveCount(0);
  await page.reload();
  await page
    .getByTestId('nav-status')
    .getByText(/tracks/)
    .waitFor();
  await expect(page.getByTestId('keep-listening-switch')).toBeVisible();
  await expect(page.getByTestId('keep-view')).toHaveCount(0);

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('now-playing-off').click();
  await expect(page.getByTestId('now-playing-state')).toHaveText('Off.');
});
