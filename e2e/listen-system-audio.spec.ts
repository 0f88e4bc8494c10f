// The computer's own sound in the browser host, in Debian's Chromium with its fake capture UI, which accepts the
// share dialog by itself and shares a fake screen whose sound is the test clip (Beta from 1:00, as "the computer
// playing it"). "Listen with" offers "This computer's sound" (Chromium shares tab or system audio from its dialog);
// Listen with it names Beta, with the shared picture stopped at once; the choice is remembered across a reload. A
// share without sound (the user left "Share tab audio" off: the page's stream has its audio tracks taken away) is
// said in plain words.
import { expect, test, type Page } from '@playwright/test';
import { openApp, saveScreen } from './support/host.js';
import { CLIPS, clipPath, micLaunchOptions } from './support/paths.js';

test.use({ launchOptions: micLaunchOptions(clipPath(CLIPS.micBeta.file)) });

/** Records the tracks of every stream getDisplayMedia gives the page; `dropAudio`: as if shared without sound. */
async function recordDisplayMedia(page: Page, dropAudio: boolean): Promise<void> {
  await page.addInitScript((drop: boolean) => {
    const shared: MediaStreamTrack[] = [];
    (window as unknown as { __shared: MediaStreamTrack[] }).__shared = shared;
    const original = navigator.mediaDevices.getDisplayMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getDisplayMedia = async (options?: DisplayMediaStreamOptions) => {
      const stream = await original(options);
      shared.push(...stream.getTracks());
      if (drop) {
        for (const track of stream.getAudioTracks()) {
          track.stop();
          stream.removeTrack(track);
        }
      }
      return stream;
    };
  }, dropAudio);
}

const sharedTracks = (page: Page) =>
  page.evaluate(() => (window as unknown as { __shared: MediaStreamTrack[] }).__shared.map((t) => ({ kind: t.kind, state: t.readyState })));

async function chooseComputerSound(page: Page): Promise<void> {
  await openApp(page);
  await expect(page.getByTestId('mic-help')).toHaveAttribute('data-system-audio', 'share-dialog');
  await expect(page.getByTestId('mic-help')).toContainText('Share tab audio');
  await page.getByTestId('mic-select').selectOption({ label: "This computer's sound" });
}

test("Listen with the computer's sound names the song it plays; the picture is dropped; the choice is remembered", async ({ page }, testInfo) => {
  await recordDisplayMedia(page, false);
  await chooseComputerSound(page);
  await page.reload();
  await expect(page.getByTestId('mic-select')).toHaveValue('audio-ident:system-audio');

  await page.getByTestId('listen-button').click();
  await expect(page.getByTestId('listen-button')).toHaveAttribute('data-phase', 'listening');
  const tracks = await sharedTracks(page);
  expect(tracks.map((t) => t.kind).sort()).toEqual(['audio', 'video']);
  expect(tracks.find((t) => t.kind === 'video')?.state).toBe('ended');
  expect(tracks.find((t) => t.kind === 'audio')?.state).toBe('live');
  await expect(page.getByTestId('result')).toHaveAttribute('data-outcome', 'matched', { timeout: 20_000 });
  await expect(page.getByTestId('result-title')).toHaveText(CLIPS.micBeta.song);
  await saveScreen(page, testInfo, 'listen-system-audio-matched');
});

test('a share without sound is said plainly, and nothing keeps running', async ({ page }, testInfo) => {
  await recordDisplayMedia(page, true);
  await chooseComputerSound(page);
  await page.getByTestId('listen-button').click();
  await expect(page.getByTestId('listen-problem')).toHaveAttribute('data-problem', 'no-system-audio', { timeout: 15_000 });
  await expect(page.getByTestId('result')).toContainText('No sound was shared');
  await expect(page.getByTestId('listen-button')).toHaveAttribute('data-phase', 'idle');
  expect((await sharedTracks(page)).every((t) => t.state === 'ended')).toBe(true);
  await saveScreen(page, testInfo, 'listen-system-audio-no-sound');
});
