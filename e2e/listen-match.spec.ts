// Listen with the microphone fed from a degraded excerpt of Beta from 1:00: the app names Beta at about 1:00
// (offset 60 s +- 3 s) within the time limit, stops by itself, and Play from here starts past the offset; the vibe
// lane's suggestions sit beside it and "More like this" opens the track's similar songs.
import { expect, test } from '@playwright/test';
import { openApp, saveScreen } from './support/host.js';
import { CLIPS, clipPath, micLaunchOptions } from './support/paths.js';

test.use({ launchOptions: micLaunchOptions(clipPath(CLIPS.micBeta.file)) });

test('Listen names the song and where in it the room is', async ({ page }, testInfo) => {
  await openApp(page);
  await expect(page.getByTestId('listen-button')).toHaveAttribute('data-phase', 'idle');
  await page.getByTestId('listen-button').click();
  await expect(page.getByTestId('listen-button')).toHaveAttribute('data-phase', 'listening');
  // The level meter moves (the recording is not silence).
  await expect.poll(async () => Number(await page.getByTestId('listen-level').getAttribute('data-level')), { timeout: 5000 }).toBeGreaterThan(0.05);
  await saveScreen(page, testInfo, 'listening');

  const result = page.getByTestId('result');
  await expect(result).toHaveAttribute('data-outcome', 'matched', { timeout: 20_000 });
  await expect(page.getByTestId('listen-button')).toHaveAttribute('data-phase', 'idle');
  await expect(page.getByTestId('result-title')).toHaveText(CLIPS.micBeta.song);
  await expect(page.getByTestId('result-artist')).toHaveText('The Synthetics');
  await expect(page.getByTestId('result-album')).toHaveText('First Light');
  const offsetSeconds = Number(await page.getByTestId('result-offset').getAttribute('data-offset-seconds'));
  expect(Math.abs(offsetSeconds - CLIPS.micBeta.startSeconds)).toBeLessThanOrEqual(3);
  await expect(page.getByTestId('result-offset')).toHaveText(/^at 1:0[0-3]$|^at 0:5[7-9]$/);
  await expect(page.getByTestId('result-confidence')).toHaveText(/\d+% sure/);
  await expect(page.getByTestId('result-timeline-match')).toBeVisible();
  // Beta carries an embedded cover.
  await expect(page.getByTestId('result-artwork')).toBeVisible();
  await saveScreen(page, testInfo, 'listen-result');

  // Play from here: the library copy starts beyond the match offset (offset + time since the clip started).
  await page.getByTestId('play-from-here').click();
  const audio = page.getByTestId('player-audio'); // the app's one player, in the player bar
  await expect(audio).toHaveAttribute('data-state', 'playing', { timeout: 10_000 });
  const position = await audio.evaluate((el: HTMLAudioElement) => el.currentTime);
  expect(position).toBeGreaterThan(offsetSeconds);
  expect(position).toBeLessThan(offsetSeconds + 60);
  await audio.evaluate((el: HTMLAudioElement) => el.pause());

  // Beside the exact match, the vibe lane lists other songs that sound like the clip, never the matched one.
  const vibeItems = page.getByTestId('vibe-item');
  await expect(vibeItems.first()).toBeVisible();
  expect(await vibeItems.allTextContents()).not.toContainEqual(expect.stringMatching(/^Beta\b/));
  // "More like this" opens the matched track on the Library screen with its similar tracks.
  await page.getByTestId('result-more-like-this').click();
  await expect(page.getByTestId('screen-library')).toBeVisible();
  await expect(page.getByTestId('track-detail').getByRole('heading', { level: 2 })).toHaveText(CLIPS.micBeta.song);
  await expect(page.getByTestId('similar-track').first()).toBeVisible();
});
