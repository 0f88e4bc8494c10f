// Accessibility and plain words (issue 14): axe-core on every screen (Listen idle, Listen with a result, LibraryEngine,
// History, Settings) in the light and the dark theme, with no critical or serious finding; each screen has one h1;
// the answer of Listen is announced through a polite live region; technical figures wait under a closed "Details"
// disclosure; keyboard focus rings are drawn whole (not clipped by a scrolling container).
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { openApp, saveScreen } from './support/host.js';
import { CLIPS, clipPath } from './support/paths.js';

type Axe = Awaited<ReturnType<AxeBuilder['analyze']>>;

/** One line per failing node: rule, impact, what axe says, and where. */
function describeViolations(violations: Axe['violations']): string {
  return violations
    .flatMap((v) =>
      v.nodes.map((n) => `[${v.impact}] ${v.id}: ${v.help}\n    at ${n.target.join(' ')}\n    ${n.failureSummary?.replace(/\n/g, '\n    ') ?? ''}`),
    )
    .join('\n');
}

/** Runs axe on the page as it is and fails on any critical or serious violation, listing them. */
async function expectNoSeriousViolations(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
  await testInfo.attach(`axe-${name}.json`, { body: JSON.stringify(results.violations, null, 2), contentType: 'application/json' });
  // Soft, so that one run lists the findings of every screen; the short form keeps the report readable.
  const found = serious.flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id} at ${n.target.join(' ')}`));
  expect.soft(found, `${name}: axe found critical/serious violations:\n${describeViolations(serious)}`).toEqual([]);
}

async function checkScreen(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await expectNoSeriousViolations(page, testInfo, name);
  await expect.soft(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await saveScreen(page, testInfo, name);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    test('every screen passes axe (no critical or serious findings) and has one h1', async ({ page }, testInfo) => {
      await openApp(page);
      await expect(page.getByTestId('result-empty')).toBeVisible();
      await checkScreen(page, testInfo, `${scheme}-listen-idle`);

      await page.getByTestId('file-input').setInputFiles(clipPath(CLIPS.pickEpsilon.file));
      await expect(page.getByTestId('result')).toHaveAttribute('data-outcome', 'matched', { timeout: 20_000 });
      await checkScreen(page, testInfo, `${scheme}-listen-result`);

      await page.getByTestId('nav-library').click();
      await expect(page.getByTestId('screen-library')).toBeVisible();
      await expect(page.getByTestId('failed-file').first()).toBeVisible();
      await checkScreen(page, testInfo, `${scheme}-library`);

      await page.getByTestId('nav-history').click();
      await expect(page.getByTestId('history-entry').first()).toBeVisible();
      await checkScreen(page, testInfo, `${scheme}-history`);

      await page.getByTestId('nav-settings').click();
      await expect(page.getByTestId('model-list').locator('li').first()).toBeVisible();
      await checkScreen(page, testInfo, `${scheme}-settings`);
    });
  });
}

test('the answer is announced through a polite live region', async ({ page }, testInfo) => {
  await openApp(page);
  const region = page.getByTestId('result-announcer');
  await expect(region).toHaveAttribute('aria-live', 'polite');
  const before = (await region.textContent()) ?? '';
  await page.getByTestId('file-input').setInputFiles(clipPath(CLIPS.pickEpsilon.file));
  await expect(page.getByTestId('result')).toHaveAttribute('data-outcome', 'matched', { timeout: 20_000 });
  await expect(region).toContainText(CLIPS.pickEpsilon.song);
  await expect(region).toContainText(/at \d+:\d\d/);
  expect(await region.textContent()).not.toBe(before);
  await saveScreen(page, testInfo, 'announced');
});

test('plain words first: the figures wait under a closed Details disclosure', async ({ page }, testInfo) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(clipPath(CLIPS.pickEpsilon.file));
  await expect(page.getByTestId('result')).toHaveAttribute('data-outcome', 'matched', { timeout: 20_000 });
  await expect(page.getByTestId('result-offset')).toHaveText(/^at \d+:\d\d$/);
  await expect(page.getByTestId('result-confidence')).toHaveText(/^\d+% sure$/);
  await expect(page.getByTestId('result')).not.toContainText(/aligned hashes/, { useInnerText: true });
  await expect(page.getByTestId('result-aligned')).toBeHidden();
  await page.getByTestId('result-details').getByText('Details').click();
  await expect(page.getByTestId('result-aligned')).toBeVisible();
  await expect(page.getByTestId('result-aligned')).toHaveText(/^\d+ aligned hashes$/);
  await saveScreen(page, testInfo, 'result-details-open');

  // The corrupt file of the library: words first, the decoder's own message one click away.
  await page.getByTestId('nav-library').click();
  const failed = page.getByTestId('failed-file').first();
  await expect(failed.getByTestId('failed-file-error')).toBeVisible();
  const detail = failed.getByTestId('failed-file-detail');
  await expect(detail).toBeHidden();
  await failed.getByText('Details').click();
  await expect(detail).toBeVisible();
  await expect(detail).not.toBeEmpty();
  await expectNoSeriousViolations(page, testInfo, 'library-details-open');
  await saveScreen(page, testInfo, 'failed-details-open');
});

/** Presses Tab `presses` times; for each focused control, whether its ring (outline + offset) is drawn whole. */
async function clippedFocusRings(page: Page, presses: number): Promise<string[]> {
  const problems: string[] = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    const problem = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const name = `${el.tagName}${el.getAttribute('role') ? `[role=${el.getAttribute('role')}]` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
      const style = getComputedStyle(el);
      if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0) return `${name}: no focus outline`;
      const grow = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset || '0');
      const r = el.getBoundingClientRect();
      const ring = { left: r.left - grow, top: r.top - grow, right: r.right + grow, bottom: r.bottom + grow };
      // Every ancestor that clips its overflow must hold the whole ring inside its padding box.
      for (let p = el.parentElement; p && p !== document.documentElement; p = p.parentElement) {
        const ps = getComputedStyle(p);
        if (ps.overflowX === 'visible' && ps.overflowY === 'visible') continue;
        const b = p.getBoundingClientRect();
        const left = b.left + p.clientLeft;
        const top = b.top + p.clientTop;
        const right = left + p.clientWidth;
        const bottom = top + p.clientHeight;
        if (ring.left < left - 0.5 || ring.top < top - 0.5 || ring.right > right + 0.5 || ring.bottom > bottom + 0.5) {
          return `${name}: ring clipped by ${p.tagName}.${p.className}`;
        }
      }
      return null;
    });
    if (problem && !problems.includes(problem)) problems.push(problem);
  }
  return problems;
}

test('keyboard focus rings are drawn whole, not clipped by their container', async ({ page }, testInfo) => {
  await openApp(page);
  const clipped: string[] = [];
  clipped.push(...(await clippedFocusRings(page, 12)));
  await saveScreen(page, testInfo, 'focus-listen');
  for (const screen of ['library', 'history', 'settings'] as const) {
    await page.getByTestId(`nav-${screen}`).click();
    await expect(page.getByTestId(`screen-${screen}`)).toBeVisible();
    if (screen === 'library') await expect(page.getByTestId('track-row').first()).toBeVisible();
    clipped.push(...(await clippedFocusRings(page, 20)));
    await saveScreen(page, testInfo, `focus-${screen}`);
  }
  expect(clipped).toEqual([]);
});
