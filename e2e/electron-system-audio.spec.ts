// The computer's own sound in the desktop app, end to end with Playwright's Electron driver on a fresh data folder:
// the bridge says what this OS allows (as app/systemAudio.ts judges it), the main process's display-media handler
// grants our own page a screen with loopback audio (the picture is what the page drops), the "Listen with" picker
// offers "This computer's sound" where allowed and remembers it across a reload, and Listen with it either listens
// or says in plain words why it cannot (a machine without a sound server shares no sound): never an internal error.
// Skips with its reason when no Electron binary is present (as on the project's CI machines), like electron.spec.ts.
// Run: npx playwright test e2e/electron-system-audio.spec.ts (Linux without a display: xvfb-run -a npx playwright ...).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { NO_ELECTRON_HINT, findElectronBinary } from '../scripts/electronBinary.mjs';
import { systemAudioSupport } from '../src-main/app/systemAudio.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronBinary = findElectronBinary();
const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const SYSTEM_AUDIO_INPUT_ID = 'audio-ident:system-audio';
const SYSTEM_AUDIO_PROBLEMS = ['system-audio-cancelled', 'no-system-audio', 'system-audio-unavailable'];

test.describe("Electron: the computer's own sound", () => {
  test.skip(!electronBinary, `no Electron binary on this machine: ${NO_ELECTRON_HINT}`);
  test.skip(needsDisplay, 'no display for Electron: run under xvfb-run -a');
  test.describe.configure({ mode: 'serial' });

  let dir: string;
  let app: ElectronApplication;
  let page: Page;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    dir = mkdtempSync(path.join(os.tmpdir(), 'electron-system-audio-'));
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    // No AUDIO_IDENT_FAKE_MIC: the fake-capture switches would answer getDisplayMedia themselves.
    const env = Object.fromEntries(
      Object.entries({ ...process.env, ELECTRON_ENABLE_LOGGING: '1' }).filter(
        (e): e is [string, string] => e[0] !== 'AUDIO_IDENT_FAKE_MIC' && e[1] !== undefined,
      ),
    );
    app = await electron.launch({
      executablePath: electronBinary!,
      args: [root, `--data-dir=${path.join(dir, 'data')}`, ...(isRoot ? ['--no-sandbox'] : [])],
      cwd: root,
      env,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the bridge says what this system allows, and our page is granted a screen with its sound', async () => {
    const osVersion = await app.evaluate(() => process.getSystemVersion());
    const expected = systemAudioSupport(process.platform, osVersion);
    const said = await page.evaluate(() => (globalThis as unknown as { library: { systemAudioSupport(): Promise<string> } }).library.systemAudioSupport());
    expect(said).toBe(expected);

    const granted = await page.evaluate(async () => {
      try {
        const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
        const seen = { ok: true, video: stream.getVideoTracks().length, audio: stream.getAudioTracks().length, error: '' };
        for (const track of stream.getTracks()) track.stop();
        return seen;
      } catch (error) {
        return { ok: false, video: 0, audio: 0, error: (error as Error).name };
      }
    });
    test.info().annotations.push({ type: 'display media', description: JSON.stringify(granted) });
    if (expected === 'loopback') {
      expect(granted.ok, granted.error).toBe(true);
      expect(granted.video).toBe(1);
    } else {
      expect(granted).toMatchObject({ ok: false, error: 'NotAllowedError' });
    }
  });

  test('"Listen with" offers it where allowed, remembers it, and Listen with it listens or says why not', async () => {
    test.setTimeout(60_000);
    const expected = systemAudioSupport(process.platform, await app.evaluate(() => process.getSystemVersion()));
    await page.getByTestId('nav-listen').click();
    const select = page.getByTestId('mic-select');
    await expect(select).toBeVisible();
    const help = page.getByTestId('mic-help');
    await expect(help).toHaveAttribute(
      'data-system-audio',
      expected === 'loopback' ? 'loopback' : expected === 'macos-too-old' ? 'macos-too-old' : 'unsupported',
    );
    if (expected !== 'loopback') {
      await expect(page.getByTestId('mic-option-system-audio')).toHaveCount(0);
      return;
    }
    await select.selectOption(SYSTEM_AUDIO_INPUT_ID);
    await page.reload();
    await page.getByTestId('nav-listen').click();
    await expect(page.getByTestId('mic-select')).toHaveValue(SYSTEM_AUDIO_INPUT_ID);

    const listen = page.getByTestId('listen-button');
    await listen.click();
    const problem = page.getByTestId('listen-problem');
    await expect
      .poll(async () => ((await problem.count()) > 0 ? 'problem' : await listen.getAttribute('data-phase')), { timeout: 20_000 })
      .toMatch(/problem|listening/);
    if ((await problem.count()) > 0) {
      expect(SYSTEM_AUDIO_PROBLEMS).toContain(await problem.getAttribute('data-problem'));
    } else {
      await listen.click(); // stop
    }
    await expect(page.getByTestId('result-error')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('electron-system-audio.png') });
  });
});
