// Listen in a small window (800x600): the answer (title and "at 1:00") is in view without scrolling, beside the
// Listen button rather than below it. The microphone plays the noisy excerpt of Beta from 1:00.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openApp } from './support/host.js';
import { CLIPS, clipPath, micLaunchOptions } from './support/paths.js';

test.use({ launchOptions: micLaunchOptions(clipPath(CLIPS.micBeta.file)), viewport: { width: 800, height: 600 } });

async function expectInViewWithoutScrolling(page: Page, locator: Locator): Promise<void> {
  await expect(locator).toBeVisible();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  const box = (await locator.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(600);
  expect(box.x + box.width).toBeLessThanOrEqual(800);
}

test('at 800x600 the answer of Listen is in view without scrolling', async ({ page }, testInfo) => {
  await openApp(page);
  await page.getByTestId('listen-button').click();
  await expect(page.getByTestId('result')).toHaveAttribute('data-outcome', 'matched', { timeout: 20_000 });
  await expect(page.getByTestId('result-title')).toHaveText(CLIPS.micBeta.song);
  await expectInViewWithoutScrolling(page, page.getByTestId('result-title'));
  await expectInViewWithoutScrolling(page, page.getByTestId('result-offset'));
  await page.screenshot({ path: testInfo.outputPath('listen-800x600.png') });
});
