// The contract's conformance script (src-preload/contract/libraryConformance.ts) against the real LibraryService on
// a generated library: its transcript is libraryConformance.expected.json, which the fakes are held to (the
// one fake library: src-preload/contract/fake/fakeLibrary.conformance.test.ts; the host's fake backend over it:
// host/fakeBackend.conformance.test.ts). UPDATE_CONFORMANCE=1 writes the file from this run.
import { existsSync, mkdtempSync, promises as fsp, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_TRACKS, conformancePath, runLibraryConformance } from '../../src-preload/contract/libraryConformance.js';
import { inProcessRunners } from './libraryEngine.js';
import { LibraryService } from './libraryService.js';
import { cutClip, encodeWav, writeSongFile } from './testing/synthAudio.js';

const RATE = 22050;
const EXPECTED = new URL('../../src-preload/contract/libraryConformance.expected.json', import.meta.url);
let dir: string;
let service: LibraryService;
let betaClip: Uint8Array;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'conformance-'));
  const root = path.join(dir, 'music');
  for (const [i, t] of CONFORMANCE_TRACKS.entries()) {
    const file = path.join(root, conformancePath(t));
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const tags: Record<string, string> = { title: t.title };
    if (t.artist) tags.artist = t.artist;
    if (t.album) tags.album = t.album;
    if (t.trackNumber) Object.assign(tags, { track: String(t.trackNumber), disc: '1' });
    const pcm = await writeSongFile(file, 40 + i, t.durationSeconds, tags, { sampleRateHz: RATE });
    if (t.title === 'Beta') betaClip = encodeWav(cutClip(pcm, RATE, 30, 6), RATE);
  }
  service = await LibraryService.open({ dataDir: path.join(dir, 'data'), runners: inProcessRunners(2), watch: false, scanOnOpen: false, log: () => {} });
  const finished = new Promise((resolve) => service.on('scanFinished', resolve));
  const added = await service.addFolder(root);
  expect(added.ok).toBe(true);
  await finished;
}, 180_000);

afterAll(async () => {
  await service?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the contract conformance script', () => {
  it('the real LibraryService answers it as libraryConformance.expected.json says', async () => {
    const transcript = await runLibraryConformance(service, { libraryRoot: path.join(dir, 'music'), betaClip: { fileName: 'beta-clip.wav', bytes: betaClip } });
    if (process.env.UPDATE_CONFORMANCE === '1' || !existsSync(EXPECTED)) writeFileSync(EXPECTED, JSON.stringify(transcript, null, 1) + '\n');
    expect(transcript).toEqual(JSON.parse(readFileSync(EXPECTED, 'utf8')));
  }, 60_000);
});
