// Identify a file: dropped anywhere on the window (a real DataTransfer drop event), or picked with the file input.
// Both name the right song and offset; History then lists them, newest first.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openApp, saveScreen } from './support/host.js';
import { CLIPS, clipPath } from './support/paths.js';

test('drop a file onto the window -> match', async ({ page }, testInfo) => {
  await openApp(page);
  const clip = CLIPS.dropGamma;
  const base64 = readFileSync(clipPath(clip.file)).toString('base64');
  // Drag over shows the drop overlay; the drop identifies the file.
  await page.evaluate(
    ({ base64, name }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: 'audio/wav' }));
      (window as unknown as { __e2eTransfer: DataTransfer }).__e2eTransfer = transfer;
      document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { base64, name: clip.file },
  );
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await page.evaluate(() => {
    const transfer = (window as unknown as { __e2eTransfer: DataTransfer }).__e2eTransfer;
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
  await expect(page.getByTestId('result')).toHaveAttribute('data-outcome', 'matched', { timeout: 20_000 });
  await expect(page.getByTestId('result-title')).toHaveText(clip.song);
  const offsetSeconds = Number(await page.getByTestId('result-offset').getAttribute('data-offset-seconds'));
  expect(Math.abs(offsetSeconds - clip.startSeconds)).toBeLessThanOrEqual(1.5);
  await expect(page.getByTestId('result')).toContainText(clip.file);
  await saveScreen(page, testInfo, 'drop-result');
});

test('pick a file -> match, then History lists both files', async ({ page }, testInfo) => {
  await openApp(page);
  const clip = CLIPS.pickEpsilon;
  await page.getByTestId('file-input').setInputFiles(clipPath(clip.file));
  await expect(page.getByTestId('result')).toHaveAttribute('data-outcome', 'matched', { timeout: 20_000 });
  await expect(page.getByTestId('result-title')).toHaveText(clip.song);
  const offsetSeconds = Number(await page.getByTestId('result-offset').getAttribute('data-offset-seconds'));
  expect(Math.abs(offsetSeconds - clip.startSeconds)).toBeLessThanOrEqual(1.5);
  await saveScreen(page, testInfo, 'pick-result');

  await page.getByTestId('nav-history').click();
  const entries = page.getByTestId('history-entry');
  await expect(entries.first()).toContainText(clip.song);
  await expect(entries.first()).toHaveAttribute('data-source', 'file');
  await expect(entries.filter({ hasText: CLIPS.dropGamma.file })).toHaveCount(1);
  await saveScreen(page, testInfo, 'history');
});

test('drop several files at once -> each is identified, in order, with its own answer', async ({ page }, testInfo) => {
  await openApp(page);
  const clips = [CLIPS.dropGamma, CLIPS.pickEpsilon];
  const payload = clips.map((c) => ({
    base64: readFileSync(clipPath(c.file)).toString('base64'),
    name: c.file,
    type: c.file.endsWith('.mp3') ? 'audio/mpeg' : 'audio/wav',
  }));
  await page.evaluate((files) => {
    const transfer = new DataTransfer();
    for (const f of files) transfer.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, payload);
  const entries = page.getByTestId('batch-entry');
  await expect(entries).toHaveCount(2);
  for (const [i, clip] of clips.entries()) {
    await expect(entries.nth(i)).toHaveAttribute('data-outcome', 'matched', { timeout: 30_000 });
    await expect(entries.nth(i)).toContainText(clip.file);
    await expect(entries.nth(i)).toContainText(clip.song);
  }
  // The latest answer is shown in full below the list.
  await expect(page.getByTestId('result-title')).toHaveText(clips[1].song);
  await saveScreen(page, testInfo, 'drop-several');
});
