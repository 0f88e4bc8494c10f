// Playwright e2e: the real renderer in Debian's Chromium against the real browser host (`audio-ident serve`) on a
// fresh data folder, with a library and clips the global setup generates. Projects run in order: 'library' adds
// the folder and waits for the scan; 'identify' (Listen, drop/pick, the HTTP API, History, axe) needs it.
// Never `playwright install`.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './e2e/support/paths.js';

export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  globalSetup: './e2e/globalSetup.ts',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'library', testMatch: /library\.spec\.ts$/ },
    { name: 'identify', testMatch: /(listen-.*|drop|httpApi|history|browse|a11y|tracklist|keep-listening)\.spec\.ts$/, dependencies: ['library'] },
    { name: 'electron', testMatch: /electron(-system-audio)?\.spec\.ts$/ },
    // Its own host (a local model server behind AUDIO_IDENT_MODEL_REGISTRY), so switching models touches no other spec.
    { name: 'models', testMatch: /models\.spec\.ts$/ },
  ],
});
