// Settings -> vibe models, through the real UI against its own `audio-ident serve` (a fresh data folder, two of the
// generated songs) whose downloadable model list points, through the test-only AUDIO_IDENT_MODEL_REGISTRY, at a small
// generated model with CLAP's contract served slowly by a local HTTP server (the real CLAP weights cannot be
// downloaded here): Download -> the progress bar moves -> Cancel -> partial -> Resume -> installed -> "Use this
// model" -> the library is re-embedded with it -> back to the built-in model. A second model points at an address
// where nothing listens, as when the computer is offline: its download fails in plain words.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { generateTestClapModel, startModelServer, testModelManifest, type ModelServer } from '../src-main/engine/testing/modelServer.js';
import { saveScreen } from './support/host.js';
import { startOwnHost, stopOwnHost, type OwnHost } from './support/ownHost.js';
import { E2E_ROOT, MUSIC_DIR } from './support/paths.js';

const MODEL_ID = 'test-clap';
/** Served from a port where nothing listens: the download fails as it does offline. */
const OFFLINE_ID = 'test-offline';
const BUILTIN_ID = 'builtin-descriptors-v2';
const SONG_FILES = ['Delta.wav', 'Solo Voice/Gamma.ogg'];

let work: string;
let server: ModelServer;
let host: OwnHost | undefined;
let hostUrl: string;
let musicDir: string;

test.beforeAll(async () => {
  mkdirSync(E2E_ROOT, { recursive: true });
  work = mkdtempSync(path.join(E2E_ROOT, 'models-'));
  musicDir = path.join(work, 'music');
  mkdirSync(musicDir);
  for (const file of SONG_FILES) copyFileSync(path.join(MUSIC_DIR, file), path.join(musicDir, path.basename(file)));
  const bytes = generateTestClapModel(path.join(work, 'test-clap.onnx'));
  // ~130 KB in 8 KB chunks every 150 ms: about 2.5 s, long enough to watch the bar and to cancel half-way.
  server = await startModelServer(bytes, { chunkBytes: 8 * 1024, delayMs: 150 });
  const registryPath = path.join(work, 'registry.json');
  const offline = testModelManifest(OFFLINE_ID, 'http://127.0.0.1:1/test-offline.onnx', bytes, { description: 'Test model that cannot be reached' });
  writeFileSync(registryPath, JSON.stringify([testModelManifest(MODEL_ID, server.url, bytes), offline]));
  host = await startOwnHost(path.join(work, 'data'), { AUDIO_IDENT_MODEL_REGISTRY: registryPath });
  hostUrl = host.url;
});

test.afterAll(async () => {
  await stopOwnHost(host);
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Samples the download bar's aria-valuenow until the bar goes away. */
async function watchBar(page: Page, until: () => Promise<boolean>): Promise<number[]> {
  const bar = page.getByTestId(`model-${MODEL_ID}-progress-bar`);
  const values: number[] = [];
  for (let i = 0; i < 400 && !(await until()); i++) {
    const value = await bar.getAttribute('aria-valuenow', { timeout: 200 }).catch(() => null);
    if (value !== null) values.push(Number(value));
    await page.waitForTimeout(50);
  }
  return values;
}

async function expectTracksEmbeddedWith(page: Page, modelId: string): Promise<void> {
  await page.getByTestId('nav-library').click();
  for (const title of ['Delta', 'Gamma']) {
    await page.getByTestId('track-row').filter({ hasText: title }).click();
    await expect(page.getByTestId('track-detail-embedding')).toHaveAttribute('data-status', 'indexed');
    await expect(page.getByTestId('track-detail-embedding')).toContainText(modelId, { timeout: 30_000 });
  }
  // "More like this" answers from the active model's index.
  await expect(page.getByTestId('similar-track')).toHaveCount(1);
}

test('download a vibe model with progress, cancel and resume it, use it, and switch back', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.goto(hostUrl);
  await page
    .getByTestId('nav-status')
    .getByText(/tracks/)
    .waitFor();

  // A small library, indexed with the built-in model.
  await page.getByTestId('nav-library').click();
  await page.getByTestId('folder-path-input').fill(musicDir);
  await page.getByTestId('add-folder-button').click();
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-running', 'false', { timeout: 90_000 });
  await expect(page.getByTestId('track-row')).toHaveCount(2);

  // Settings lists the built-in model (in use) and the downloadable one.
  await page.getByTestId('nav-settings').click();
  const builtin = page.getByTestId(`model-${BUILTIN_ID}`);
  const card = page.getByTestId(`model-${MODEL_ID}`);
  await expect(builtin).toHaveAttribute('data-active', 'true');
  await expect(page.getByTestId(`model-${BUILTIN_ID}-active`)).toHaveText('In use');
  await expect(card).toHaveAttribute('data-state', 'missing');
  await expect(page.getByTestId(`model-${MODEL_ID}-license`)).toContainText('test-only');
  await expect(page.getByTestId(`model-${MODEL_ID}-use`)).toHaveCount(0);

  // Download, watch the bar move, cancel half-way: the partial download stays.
  await page.getByTestId(`model-${MODEL_ID}-download`).click();
  await expect(page.getByTestId(`model-${MODEL_ID}-progress-bar`)).toBeVisible();
  await expect(page.getByTestId(`model-${MODEL_ID}-bytes`)).toContainText(' / ');
  await expect
    .poll(async () => Number(await page.getByTestId(`model-${MODEL_ID}-progress-bar`).getAttribute('aria-valuenow')), { timeout: 10_000 })
    .toBeGreaterThan(10);
  await saveScreen(page, testInfo, 'model-downloading');
  await page.getByTestId(`model-${MODEL_ID}-cancel`).click();
  await expect(card).toHaveAttribute('data-state', 'partial');
  await expect(page.getByTestId(`model-${MODEL_ID}-state`)).toContainText('Partly downloaded');
  await expect(page.getByTestId(`model-${MODEL_ID}-progress`)).toHaveCount(0);

  // Resume: the bar starts where it stopped and reaches the end; then the model is verified and installed.
  await page.getByTestId(`model-${MODEL_ID}-download`).click();
  const values = await watchBar(page, async () => (await card.getAttribute('data-state')) === 'installed');
  await expect(card).toHaveAttribute('data-state', 'installed');
  expect(values.length).toBeGreaterThan(0);
  expect(values[0]).toBeGreaterThan(10); // resumed, not restarted
  expect(values.every((v, i) => i === 0 || v >= values[i - 1])).toBe(true);
  expect(server.ranges.filter((r) => r !== undefined)).toHaveLength(1);
  await expect(page.getByTestId(`model-${MODEL_ID}-state`)).toHaveText('Downloaded');
  await expect(page.getByTestId(`model-${MODEL_ID}-error`)).toHaveCount(0);

  // Use it: it becomes the active model and a scan re-embeds the library.
  await page.getByTestId(`model-${MODEL_ID}-use`).click();
  await expect(card).toHaveAttribute('data-active', 'true');
  await expect(page.getByTestId(`model-${MODEL_ID}-active`)).toBeVisible();
  await expect(builtin).toHaveAttribute('data-active', 'false');
  await expect(page.getByTestId('scan-done')).toBeVisible({ timeout: 90_000 });
  await saveScreen(page, testInfo, 'model-in-use');
  await expectTracksEmbeddedWith(page, MODEL_ID);

  // And back to the built-in model.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId(`model-${BUILTIN_ID}-use`).click();
  await expect(builtin).toHaveAttribute('data-active', 'true');
  await expect(card).toHaveAttribute('data-active', 'false');
  await expect(page.getByTestId('scan-done')).toBeVisible({ timeout: 90_000 });
  await expectTracksEmbeddedWith(page, BUILTIN_ID);
});

test('a download that cannot reach its server says to check the connection; the built-in model stays in use', async ({ page }, testInfo) => {
  await page.goto(hostUrl);
  await page
    .getByTestId('nav-status')
    .getByText(/tracks/)
    .waitFor();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId(`model-${OFFLINE_ID}-download`).click();
  const error = page.getByTestId(`model-${OFFLINE_ID}-error`);
  await expect(error).toContainText('Check your internet connection');
  await expect(error).toContainText('The built-in model stays in use');
  await expect(error).not.toContainText('127.0.0.1');
  // The technical reason (the address it tried) is one click away.
  const detail = page.getByTestId(`model-${OFFLINE_ID}-error-detail`);
  await expect(detail).toBeHidden();
  await page.getByTestId(`model-${OFFLINE_ID}-details`).getByText('Details').click();
  await expect(detail).toContainText('127.0.0.1:1');
  await expect(page.getByTestId(`model-${BUILTIN_ID}`)).toHaveAttribute('data-active', 'true');
  await expect(page.getByTestId(`model-${OFFLINE_ID}`)).toHaveAttribute('data-state', 'missing');
  await saveScreen(page, testInfo, 'model-download-offline');
});
