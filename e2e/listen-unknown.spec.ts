// Listen to music that is not in the library: the app keeps asking until the time limit, stops by itself and
// says "not in your library" in plain words, with the library songs that sound like it beside. Every ask pushes only
// the audio recorded since the last one: what the page sends adds up to the seconds recorded, not to the sum of the
// growing clips.
import { expect, test } from '@playwright/test';
import { openApp, saveScreen } from './support/host.js';
import { watchListenTraffic } from './support/listenTraffic.js';
import { CLIPS, clipPath, micLaunchOptions } from './support/paths.js';

test.use({ launchOptions: micLaunchOptions(clipPath(CLIPS.micUnknown.file)) });

test('Listen to a song not in the library says so at the time limit', async ({ page }, testInfo) => {
  await openApp(page);
  const traffic = watchListenTraffic(page);
  // Keyboard shortcut: Space (focus is not in a text field).
  const pressedAt = Date.now();
  await page.locator('body').press('Space');
  await expect(page.getByTestId('listen-button')).toHaveAttribute('data-phase', 'listening');
  await expect(page.getByTestId('listen-status')).toHaveText(/searched \d+ time/, { timeout: 8000 });
  await expect(page.getByTestId('listen-silent')).toHaveCount(0);
  const result = page.getByTestId('result');
  await expect(result).toHaveAttribute('data-outcome', 'not-in-library', { timeout: 25_000 });
  const listenedSeconds = (Date.now() - pressedAt) / 1000;

  // One clip session; its pushes together hold about the audio recorded: never more than the time the Listen took,
  // though the whole clip was searched at every ask (the growing clip sent at each of 2+ asks would add up to more,
  // e.g. 3 + 4 + ... + 15 = 117 s for a 15 s Listen). No whole-clip identifyClip.
  await traffic.settled();
  expect(traffic.identifyClipCount).toBe(0);
  expect(traffic.listenStartCount).toBe(1);
  const asks = traffic.pushBytes.length;
  expect(asks).toBeGreaterThanOrEqual(3);
  const heardSeconds = Math.max(...traffic.heardSeconds);
  expect(heardSeconds).toBeGreaterThanOrEqual(3);
  expect(heardSeconds).toBeLessThanOrEqual(listenedSeconds + 0.5);
  // The bytes sent are those seconds of floats (at most the device's rate; 8 kHz in exact mode) and a small header
  // per push, nothing more.
  const deviceRateHz = await page.evaluate(async () => {
    const context = new AudioContext();
    const rate = context.sampleRate;
    await context.close();
    return rate;
  });
  const pushedBytes = traffic.pushBytes.reduce((n, b) => n + b, 0);
  expect(pushedBytes).toBeGreaterThan(heardSeconds * 8000 * 4);
  expect(pushedBytes).toBeLessThanOrEqual(heardSeconds * deviceRateHz * 4 + asks * 1024);
  await expect(page.getByTestId('not-in-library')).toContainText('Not in your library');
  // The vibe lane still suggests songs of the library that sound like it (the default mode is exact + vibe).
  await expect(page.getByTestId('vibe-item').first()).toBeVisible();
  await expect(page.getByTestId('vibe-item').first()).toHaveAttribute('data-similarity', /^0\.\d{3}$|^1\.000$/);
  await expect(page.getByTestId('listen-button')).toHaveAttribute('data-phase', 'idle');
  await saveScreen(page, testInfo, 'listen-not-in-library');
});
