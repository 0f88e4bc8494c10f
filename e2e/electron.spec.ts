// The desktop app end to end with Playwright's Electron driver: a fresh data folder, a generated library added
// through the native folder dialog (stubbed in the main process), then Listen with a WAV clip fed to Chromium as the
// microphone (AUDIO_IDENT_FAKE_MIC) -> the right song and an offset near 60 s. Also checks, in the running app, the
// window's security settings, what the page can reach, the CSP header and media:// byte ranges.
// Skips with its reason when no Electron binary is present (as on the project's CI machines).
// Run: npx playwright test e2e/electron.spec.ts (Linux without a display: xvfb-run -a npx playwright test ...).
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { LIBRARY_METHODS } from '../src-preload/contract/api.js';
import { addNoise, cutClip, writeSongFile, writeWav } from '../src-main/engine/testing/synthAudio.js';
import { NO_ELECTRON_HINT, findElectronBinary } from '../scripts/electronBinary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronBinary = findElectronBinary();
const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const RATE = 22050;

test.describe('Electron app', () => {
  test.skip(!electronBinary, `no Electron binary on this machine: ${NO_ELECTRON_HINT}`);
  test.skip(needsDisplay, 'no display for Electron: run under xvfb-run -a');
  test.describe.configure({ mode: 'serial' });

  let dir: string;
  let musicDir: string;
  let app: ElectronApplication;
  let page: Page;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    dir = mkdtempSync(path.join(os.tmpdir(), 'electron-e2e-'));
    musicDir = path.join(dir, 'music');
    mkdirSync(musicDir);
    await writeSongFile(path.join(musicDir, 'Alpha.mp3'), 11, 75, { title: 'Alpha', artist: 'Band' }, { sampleRateHz: RATE });
    const beta = await writeSongFile(path.join(musicDir, 'Beta.flac'), 12, 75, { title: 'Beta', artist: 'Band' }, { sampleRateHz: RATE });
    await writeSongFile(path.join(musicDir, 'Gamma.ogg'), 13, 75, { title: 'Gamma', artist: 'Solo' }, { sampleRateHz: RATE });
    // The "room": 12 s of Beta from 1:00 with noise, as a 16-bit WAV (Chromium's fake capture cannot read 24-bit or mp3).
    const clipPath = path.join(dir, 'beta-at-60s.wav');
    await writeWav(clipPath, addNoise(cutClip(beta, RATE, 60, 12), 15, 5), RATE);

    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    app = await electron.launch({
      executablePath: electronBinary!,
      args: [root, `--data-dir=${path.join(dir, 'data')}`, ...(isRoot ? ['--no-sandbox'] : [])],
      cwd: root,
      env: { ...process.env, AUDIO_IDENT_FAKE_MIC: clipPath, ELECTRON_ENABLE_LOGGING: '1' },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the window is locked down and the page sees only window.library', async () => {
    expect(page.url()).toBe('app://audio-ident/index.html');
    // No Node in the page (nodeIntegration off, sandboxed) and nothing from the preload's isolated world but
    // window.library (contextIsolation). The webPreferences flags themselves are unit-tested (security.test.ts).
    const seen = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown> & { library: Record<string, unknown> };
      return { require: typeof g.require, process: typeof g.process, ipc: typeof g.ipcRenderer, keys: Object.keys(g.library).sort(), door: g.library.door };
    });
    expect(seen).toEqual({
      require: 'undefined',
      process: 'undefined',
      ipc: 'undefined',
      keys: [...LIBRARY_METHODS, 'door', 'mediaUrl', 'on', 'pickFolder', 'showInFolder', 'systemAudioSupport'].sort(),
      door: 'electron',
    });
    const csp = await app.evaluate(async ({ net }) => (await net.fetch('app://audio-ident/index.html')).headers.get('content-security-policy'));
    expect(csp).toContain("script-src 'self'");
    // Navigation away is refused: the page stays where it is.
    await page.evaluate(() => void (window.location.href = 'https://example.org/'));
    await page.waitForTimeout(500);
    expect(page.url()).toBe('app://audio-ident/index.html');
  });

  test('adds a folder through the native dialog and lists its tracks', async () => {
    test.setTimeout(180_000);
    // Playwright cannot click in a native dialog: answer it from the main process instead.
    await app.evaluate(({ dialog }, folder) => {
      dialog.showOpenDialog = async () => ({ canceled: false, filePaths: [folder] });
    }, musicDir);
    await page.getByTestId('nav-library').click();
    await page.getByTestId('pick-folder-button').click();
    await expect(page.getByTestId('folder-item')).toHaveCount(1);
    await expect(page.getByTestId('track-row')).toHaveCount(3, { timeout: 150_000 });
    await page.screenshot({ path: test.info().outputPath('electron-library.png') });
  });

  test('serves library audio over media:// with byte ranges', async () => {
    const trackId = await page.evaluate(async () => {
      const lib = (globalThis as unknown as { library: { listTracks(q: object): Promise<{ ok: boolean; value: { items: Array<{ id: string }> } }> } }).library;
      const result = await lib.listTracks({ search: 'Beta' });
      return result.ok ? result.value.items[0].id : null;
    });
    expect(trackId).toMatch(/^[0-9a-f-]{36}$/);
    const response = await app.evaluate(async ({ net }, url) => {
      const r = await net.fetch(url, { headers: { Range: 'bytes=0-99' } });
      return { status: r.status, range: r.headers.get('content-range'), bytes: (await r.arrayBuffer()).byteLength };
    }, `media://track/${trackId}`);
    expect(response.status).toBe(206);
    expect(response.range).toMatch(/^bytes 0-99\/\d+$/);
    expect(response.bytes).toBe(100);
  });

  test('Listen names the song playing in the room and where in it the room is', async () => {
    test.setTimeout(90_000);
    await page.getByTestId('nav-listen').click();
    await page.getByTestId('listen-button').click();
    await expect(page.getByTestId('result-title')).toHaveText('Beta', { timeout: 30_000 });
    const offsetSeconds = Number(await page.getByTestId('result-offset').getAttribute('data-offset-seconds'));
    expect(offsetSeconds).toBeGreaterThan(57);
    expect(offsetSeconds).toBeLessThan(66);
    await page.screenshot({ path: test.info().outputPath('electron-listen-result.png') });
  });
});
