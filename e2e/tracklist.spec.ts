// A long recording dropped on the window opens the Tracklist view: the three library songs of a 100 s mix are listed
// in order with their times and where in each song the mix was, the timeline shows one block per song, a row plays
// its song from there, and Export CSV downloads those rows. A 106 MB recording (40 minutes) goes to the host as a
// streamed upload, shows its progress, and Cancel stops it, leaving no file behind.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { hostInfo, openApp, saveScreen } from './support/host.js';
import { MIX, SONGS, clipPath } from './support/paths.js';

/** "1:06" -> 66. */
const seconds = (clock: string): number => clock.split(':').reduce((total, part) => total * 60 + Number(part), 0);

test('drop a 100 s mix of three songs -> Tracklist lists them in order with times; Export CSV downloads the rows', async ({ page }, testInfo) => {
  await openApp(page);
  const base64 = readFileSync(clipPath(MIX.file)).toString('base64');
  await page.evaluate(
    ({ base64, name }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: 'audio/wav' }));
      document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { base64, name: MIX.file },
  );
  // Longer than a minute: the Tracklist view, not the one-clip answer.
  await expect(page.getByTestId('screen-tracklist')).toBeVisible();
  await expect(page.getByTestId('nav-tracklist')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('tracklist-file')).toContainText(MIX.file);
  await expect(page.getByTestId('tracklist')).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });

  const songs = page.locator('[data-testid="tracklist-row"][data-kind="song"]');
  await expect(songs).toHaveCount(3);
  let expectedStart = 0;
  for (const [i, part] of MIX.parts.entries()) {
    const row = songs.nth(i);
    await expect(row.getByTestId('tracklist-row-title')).toHaveText(part.song);
    const artist = SONGS.find((s) => s.title === part.song)!.artist!;
    await expect(row.getByTestId('tracklist-row-artist')).toContainText(artist);
    const [start, end] = (await row.getByTestId('tracklist-row-time').innerText()).split('–').map(seconds);
    expect(Math.abs(start - expectedStart), `${part.song} starts at ${start}`).toBeLessThanOrEqual(2);
    expect(Math.abs(end - (expectedStart + part.seconds)), `${part.song} ends at ${end}`).toBeLessThanOrEqual(2);
    // "from m:ss": where in the song the mix was at the row's start.
    const from = seconds((await row.getByTestId('tracklist-row-from').innerText()).replace('from ', ''));
    expect(Math.abs(from - (part.startSeconds + (start - expectedStart)))).toBeLessThanOrEqual(2);
    await expect(row.getByTestId('tracklist-row-speed')).toHaveText('');
    expectedStart += part.seconds;
  }
  await expect(page.locator('[data-testid="tracklist-block"][data-kind="song"]')).toHaveCount(3);
  await expect(page.getByTestId('tracklist-summary')).toHaveText('3 songs of your library in 1:40.');

  // A row plays its song from where the mix was in it.
  await songs.nth(1).getByTestId('tracklist-row-play').click();
  const audio = page.getByTestId('tracklist-audio');
  await expect(audio).toHaveAttribute('data-state', 'playing');
  const position = await audio.evaluate((el) => (el as HTMLAudioElement).currentTime);
  expect(position).toBeGreaterThanOrEqual(MIX.parts[1].startSeconds - 2);
  expect(position).toBeLessThan(MIX.parts[1].startSeconds + 10);
  await audio.evaluate((el) => (el as HTMLAudioElement).pause());
  await saveScreen(page, testInfo, 'tracklist');

  const downloading = page.waitForEvent('download');
  await page.getByTestId('tracklist-export-csv').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('mix-alpha-gamma-epsilon.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  const rows = csv.trim().split('\r\n');
  expect(rows[0]).toBe('start,end,start_time,end_time,title,artist,album,offset_seconds,speed_factor,confidence,track_id,path');
  const named = rows
    .slice(1)
    .map((r) => r.split(','))
    .filter((cells) => cells[4] !== '');
  expect(named.map((cells) => cells[4])).toEqual(MIX.parts.map((p) => p.song));
  expect(Math.abs(Number(named[1][0]) - MIX.parts[0].seconds)).toBeLessThanOrEqual(2);

  const cueDownload = page.waitForEvent('download');
  await page.getByTestId('tracklist-export-cue').click();
  const cue = readFileSync(await (await cueDownload).path(), 'utf8');
  expect(cue).toContain(`FILE "${MIX.file}" WAVE`);
  expect(cue.match(/TITLE "(Alpha|Gamma|Epsilon)"/g)).toEqual(MIX.parts.map((p) => `TITLE "${p.song}"`));
});

test('a 106 MB recording is uploaded whole, shows its progress, and Cancel stops it, leaving nothing in tmp/', async ({ page }, testInfo) => {
  await openApp(page);
  const base64 = readFileSync(clipPath(MIX.file)).toString('base64');
  const repeats = 24; // 24 x 100 s = 40 minutes, 106 MB of 16-bit 22.05 kHz WAV: more than any /rpc wire message
  const sizeBytes = await page.evaluate(
    ({ base64, repeats }) => {
      const mix = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const HEADER = 44; // the fixture is a plain 16-bit mono WAV: RIFF, fmt (16 bytes), data
      const dataBytes = (mix.length - HEADER) * repeats;
      const bytes = new Uint8Array(HEADER + dataBytes);
      bytes.set(mix.subarray(0, HEADER), 0);
      const view = new DataView(bytes.buffer);
      view.setUint32(4, 36 + dataBytes, true);
      view.setUint32(40, dataBytes, true);
      for (let i = 0; i < repeats; i++) bytes.set(mix.subarray(HEADER), HEADER + i * (mix.length - HEADER));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'forty-minute-set.wav', { type: 'audio/wav' }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      return bytes.length;
    },
    { base64, repeats },
  );
  expect(sizeBytes).toBeGreaterThan(100 * 1024 * 1024);
  await expect(page.getByTestId('screen-tracklist')).toBeVisible();
  await expect(page.getByTestId('tracklist-file')).toHaveText('forty-minute-set.wav · 40:00');
  // The engine is searching: its progress (seconds of the recording done, of 40:00) moves the bar.
  await expect(page.getByTestId('tracklist-progress-text')).toHaveText(/^Searched \d+:\d\d of 40:00 · \d+ songs? so far$/, { timeout: 60_000 });
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /^\d+$/);
  await saveScreen(page, testInfo, 'tracklist-progress');
  await page.getByTestId('tracklist-cancel').click();
  await expect(page.getByTestId('tracklist')).toHaveAttribute('data-phase', 'cancelled');
  await expect(page.getByTestId('tracklist-cancelled')).toBeVisible();
  // The host deleted the upload.
  const tmp = path.join(hostInfo().dataDir, 'tmp');
  await expect.poll(() => readdirSync(tmp)).toEqual([]);
  await saveScreen(page, testInfo, 'tracklist-cancelled');
});
