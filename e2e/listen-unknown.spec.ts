// Listen to music that is not in the library: the app keeps asking until the time limit, stops by itself and
// says "not in your library" in plain words, with the library songs that sound like it beside.
import { expect, test } from '@playwright/test';
import { openApp, saveScreen } from './support/host.js';
import { CLIPS, clipPath, micLaunchOptions } from './support/paths.js';

test.use({ launchOptions: micLaunchOptions(clipPath(CLIPS.micUnknown.file)) });

test('Listen to a song not in the library says so at the time limit', async ({ page }, testInfo) => {
  await openApp(page);
  // Keyboard shortcut: Space (focus is not in a text field).
  await page.locator('body').press('Space');
  await expect(page.getByTestId('listen-button')).toHaveAttribute('data-phase', 'listening');
  await expect(page.getByTestId('listen-status')).toHaveText(/searched \d+ time/, { timeout: 8000 });
  await expect(page.getByTestId('listen-silent')).toHaveCount(0);
  const result = page.getByTestId('result');
  await expect(result).toHaveAttribute('data-outcome', 'not-in-library', { timeout: 25_000 });
  await expect(page.getByTestId('not-in-library')).toContainText('Not in your library');
  // The vibe lane still suggests songs of the library that sound like it (the default mode is exact + vibe).
  await expect(page.getByTestId('vibe-item').first()).toBeVisible();
  await expect(page.getByTestId('vibe-item').first()).toHaveAttribute('data-similarity', /^0\.\d{3}$|^1\.000$/);
  await expect(page.getByTestId('listen-button')).toHaveAttribute('data-phase', 'idle');
  await saveScreen(page, testInfo, 'listen-not-in-library');
});
