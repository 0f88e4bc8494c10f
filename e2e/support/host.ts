// The running browser host (started by globalSetup) as the specs see it, and a screenshot helper: every spec saves
// the screen it checked as a test artifact (they are what a user sees; look at them).
import { readFileSync } from 'node:fs';
import type { Page, TestInfo } from '@playwright/test';
import { HOST_INFO_PATH } from './paths.js';

export interface HostInfo {
  /** http://127.0.0.1:PORT/?token=... */
  readonly url: string;
  readonly token: string;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly dataDir: string;
  readonly pid: number;
}

export function hostInfo(): HostInfo {
  return JSON.parse(readFileSync(HOST_INFO_PATH, 'utf8')) as HostInfo;
}

/** Saves a full-page PNG of the current screen into the test's output folder and attaches it to the report. */
export async function saveScreen(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
  return file;
}

/** Opens the app and waits until it has talked to the host once (the status line shows a track count). */
export async function openApp(page: Page): Promise<void> {
  await page.goto(hostInfo().url);
  await page
    .getByTestId('nav-status')
    .getByText(/tracks/)
    .waitFor();
}
