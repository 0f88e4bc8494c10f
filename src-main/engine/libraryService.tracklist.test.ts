// LibraryService's tracklists, in-process on generated songs: a recording sent as bytes is written to the data
// folder's tmp/, listed song by song with progress events carrying its run id, and deleted; cancelTracklist stops a
// run ('cancelled'); a run id in use is refused; leftovers of a crash are swept at open; tracklistFile (a host's
// streamed upload) gives the same answer.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TracklistRunProgress } from '../../src-preload/contract/api.js';
import { inProcessRunners } from './libraryEngine.js';
import { LibraryService } from './libraryService.js';
import { addFolderScanned, ok } from './testing/serviceTesting.js';
import { cutClip, encodeWav, synthSong, writeWav } from './testing/synthAudio.js';

const RATE = 8000;
let root: string;
let service: LibraryService;
let mixBytes: Uint8Array;
const dataDir = (): string => path.join(root, 'data');

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ai-service-tracklist-'));
  const music = path.join(root, 'music');
  mkdirSync(music);
  const one = synthSong(61, 60, RATE);
  const two = synthSong(62, 60, RATE);
  await writeWav(path.join(music, 'One.wav'), one, RATE);
  await writeWav(path.join(music, 'Two.wav'), two, RATE);
  const mix = new Float32Array(RATE * 60);
  mix.set(cutClip(one, RATE, 10, 30), 0);
  mix.set(cutClip(two, RATE, 20, 30), RATE * 30);
  mixBytes = encodeWav(mix, RATE);
  // A crash's leftover (old) and an upload still streaming in (fresh): only the old one is swept at open.
  mkdirSync(path.join(dataDir(), 'tmp'), { recursive: true });
  writeFileSync(path.join(dataDir(), 'tmp', 'upload-old.wav'), 'x');
  const hourAgo = new Date(Date.now() - 2 * 3_600_000);
  utimesSync(path.join(dataDir(), 'tmp', 'upload-old.wav'), hourAgo, hourAgo);
  writeFileSync(path.join(dataDir(), 'tmp', 'upload-fresh.wav'), 'x');
  service = await LibraryService.open({ dataDir: dataDir(), runners: inProcessRunners(1), watch: false, embedderManifest: null, log: () => {} });
  await addFolderScanned(service, music);
}, 120_000);

afterAll(async () => {
  await service?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('LibraryService tracklists', () => {
  it('swept the old upload a crash left, not the fresh one', () => {
    expect(readdirSync(path.join(dataDir(), 'tmp'))).toEqual(['upload-fresh.wav']);
    rmSync(path.join(dataDir(), 'tmp', 'upload-fresh.wav'));
  });

  it('lists the songs of a recording sent as bytes, with progress for its run id, and deletes its temporary file', async () => {
    const progress: TracklistRunProgress[] = [];
    const off = service.on('tracklistProgress', (p) => progress.push(p));
    let tmpDuring: string[] = [];
    const offPeek = service.on('tracklistProgress', () => (tmpDuring = readdirSync(path.join(dataDir(), 'tmp'))));
    const list = ok(await service.tracklistClip({ audio: { kind: 'file', fileName: 'set.wav', bytes: mixBytes }, runId: 'run-a' }));
    off();
    offPeek();
    expect(list.segments.filter((s) => s.track).map((s) => s.track!.title)).toEqual(['One', 'Two']);
    expect(list.durationSeconds).toBeCloseTo(60, 0);
    expect(progress.every((p) => p.runId === 'run-a')).toBe(true);
    expect(progress[0]).toMatchObject({ doneSeconds: 0, songs: 0 });
    expect(progress.at(-1)).toMatchObject({ songs: 2, totalSeconds: list.durationSeconds, doneSeconds: list.durationSeconds });
    expect(tmpDuring).toHaveLength(1);
    expect(tmpDuring[0]).toMatch(/^upload-[0-9a-f-]+\.wav$/);
    expect(readdirSync(path.join(dataDir(), 'tmp'))).toEqual([]);
  }, 60_000);

  it('gives the same answer for a file a host wrote (tracklistFile), leaving the file to its owner', async () => {
    const file = path.join(root, 'upload.wav');
    writeFileSync(file, mixBytes);
    const list = ok(await service.tracklistFile({ filePath: file, runId: 'run-b' }));
    expect(list.segments.filter((s) => s.track).map((s) => s.track!.title)).toEqual(['One', 'Two']);
    expect(readdirSync(root)).toContain('upload.wav');
  }, 60_000);

  it('stops a run on cancelTracklist, and on its signal, answering cancelled; refuses a run id in use', async () => {
    // Cancelled on the run's first progress event (sent as it starts), not on a later one: a short mix can be
    // searched before a second event is due.
    const off = service.on('tracklistProgress', (p) => {
      if (p.runId === 'run-c') void service.cancelTracklist('run-c');
    });
    const first = service.tracklistClip({ audio: { kind: 'file', fileName: 'set.wav', bytes: mixBytes }, runId: 'run-c' });
    const again = await service.tracklistClip({ audio: { kind: 'file', fileName: 'set.wav', bytes: mixBytes }, runId: 'run-c' });
    expect(again).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await first).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    off();
    const controller = new AbortController();
    controller.abort();
    expect(await service.tracklistClip({ audio: { kind: 'file', fileName: 'set.wav', bytes: mixBytes }, runId: 'run-d' }, controller.signal)).toMatchObject({
      ok: false,
      error: { code: 'cancelled' },
    });
    expect(readdirSync(path.join(dataDir(), 'tmp'))).toEqual([]);
    // Cancelling a run that is not going is a no-op.
    expect(await service.cancelTracklist('nothing')).toEqual({ ok: true, value: undefined });
  }, 60_000);

  it('answers what cannot be decoded with its code', async () => {
    const result = await service.tracklistClip({
      audio: { kind: 'file', fileName: 'junk.mp3', bytes: new TextEncoder().encode('not audio at all') },
      runId: 'run-e',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(['unsupported-format', 'decode-failed']).toContain(result.error.code);
  });
});
