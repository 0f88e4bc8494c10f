// End to end through the real doors: the CLI indexes a generated library (LMDB store, fingerprint worker pool),
// identifies noisy clips of it with the offset, says "no match" for music that is not in it, and lists tracks.
import { mkdtempSync, promises as fsp, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNoise, bandLimit, cutClip, synthSong, writeSongFile, writeWav } from '../engine/testing/synthAudio.js';
import { acquireDataLock } from '../engine/dataLock.js';
import { runCliCaptured } from './testing/captureCli.js';

const RATE = 22050;
let dir: string;
const songs = new Map<string, Float32Array>();

const run = runCliCaptured;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cli-e2e-'));
  const lib = path.join(dir, 'music');
  await fsp.mkdir(path.join(lib, 'Band', 'Album'), { recursive: true });
  const files: [string, number, Record<string, string>][] = [
    ['Band/Album/01 Alpha.mp3', 11, { title: 'Alpha', artist: 'Band', album: 'Album' }],
    ['Band/Album/02 Beta.flac', 12, { title: 'Beta', artist: 'Band', album: 'Album' }],
    ['Gamma.ogg', 13, { title: 'Gamma', artist: 'Solo' }],
    ['Delta.m4a', 14, { title: 'Delta' }],
  ];
  for (const [rel, seed, tags] of files) songs.set(tags.title, await writeSongFile(path.join(lib, rel), seed, 75, tags, { sampleRateHz: RATE }));
  await fsp.writeFile(path.join(lib, 'broken.mp3'), 'not really an mp3');
  // Clips: 8 s of Beta from 1:00 with noise and a phone's band limit (WAV), 5 s of Gamma from 0:20 as mp3-in-wav,
  // and a song that is not in the library.
  const clips = path.join(dir, 'clips');
  await fsp.mkdir(clips);
  await writeWav(path.join(clips, 'beta-noisy.wav'), bandLimit(addNoise(cutClip(songs.get('Beta')!, RATE, 60, 8), 5, 7), RATE, 300, 3400), RATE);
  await writeSongFile(path.join(clips, 'unknown.mp3'), 999, 8, {}, { sampleRateHz: RATE });
  await writeWav(path.join(clips, 'gamma.wav'), cutClip(songs.get('Gamma')!, RATE, 20, 5), RATE);
  await writeWav(path.join(clips, 'tiny.wav'), cutClip(songs.get('Gamma')!, RATE, 20, 0.5), RATE);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audio-ident CLI', () => {
  it('indexes a folder: summary JSON on stdout, progress and failures on stderr', async () => {
    const { code, out, err } = await run(['index', path.join(dir, 'music'), '--data', path.join(dir, 'data'), '--workers', '2']);
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(summary).toMatchObject({ added: 4, failed: 1, removed: 0, cancelled: false });
    expect(err).toMatch(/broken\.mp3: unsupported-format/);
    expect(err).toMatch(/indexing: \d+\/5 files/);
  }, 120_000);

  it('identifies clips in order, with offsets, no match for an unknown song, and typed errors', async () => {
    const clips = ['beta-noisy.wav', 'unknown.mp3', 'gamma.wav', 'tiny.wav', 'missing.wav'].map((c) => path.join(dir, 'clips', c));
    const { code, out } = await run(['identify', ...clips, '--data', path.join(dir, 'data'), '--json', '--max-results', '3']);
    expect(code).toBe(2); // missing.wav and tiny.wav are input errors; the other clips are still answered
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.clip)).toEqual(clips);
    expect(lines[0].exact[0]).toMatchObject({ title: 'Beta', artist: 'Band', album: 'Album' });
    expect(lines[0].exact[0].path).toBe(path.join(dir, 'music', 'Band', 'Album', '02 Beta.flac'));
    expect(lines[0].exact[0].offsetSeconds).toBeCloseTo(60, 0);
    expect(lines[0].exact[0].confidence).toBeGreaterThan(0.5);
    expect(lines[0].exact[0].alignedHashes).toBeGreaterThan(10);
    expect(lines[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(lines[1].exact).toEqual([]);
    expect(lines[2].exact[0]).toMatchObject({ title: 'Gamma', artist: 'Solo' });
    expect(lines[2].exact[0].offsetSeconds).toBeCloseTo(20, 0);
    expect(lines[3].error.code).toBe('clip-too-short');
    expect(lines[4].error.code).toBe('not-found');
  }, 60_000);

  it('answers the vibe lane beside the exact one (--mode), and similar <track>', async () => {
    const data = path.join(dir, 'data');
    const unknown = path.join(dir, 'clips', 'unknown.mp3');
    const both = JSON.parse((await run(['identify', unknown, '--data', data, '--json', '--max-results', '2'])).out);
    expect(both.exact).toEqual([]);
    expect(both.vibe).toHaveLength(2);
    expect(Object.keys(both.vibe[0]).sort()).toEqual(['artist', 'embeddingModel', 'explanation', 'path', 'similarity', 'title', 'trackId']);
    expect(both.vibe[0].similarity).toBeGreaterThanOrEqual(both.vibe[1].similarity);
    const exact = JSON.parse((await run(['identify', unknown, '--data', data, '--json', '--mode', 'exact'])).out);
    expect(exact.vibe).toEqual([]);
    const vibe = JSON.parse((await run(['identify', path.join(dir, 'clips', 'gamma.wav'), '--data', data, '--json', '--mode', 'vibe'])).out);
    expect(vibe.exact).toEqual([]);
    expect(vibe.vibe.length).toBeGreaterThan(0);
    const all = JSON.parse((await run(['tracks', '--data', data, '--json', '--search', 'solo'])).out);
    const similar = JSON.parse((await run(['similar', all.items[0].id, '--data', data, '--json', '--max-results', '3'])).out);
    expect(similar.trackId).toBe(all.items[0].id);
    expect(similar.vibe).toHaveLength(3);
    expect(similar.vibe.map((m: { title: string }) => m.title)).not.toContain('Gamma');
    expect((await run(['similar', '/no/such/file.mp3', '--data', data])).code).toBe(1);
    expect((await run(['identify', unknown, '--data', data, '--mode', 'fuzzy'])).code).toBe(2);
  }, 60_000);

  it('lists and searches tracks, and a re-index of the unchanged folder is a no-op', async () => {
    const all = JSON.parse((await run(['tracks', '--data', path.join(dir, 'data'), '--json'])).out);
    expect(all.total).toBe(4);
    expect(all.items.map((t: { title: string }) => t.title).sort()).toEqual(['Alpha', 'Beta', 'Delta', 'Gamma']);
    const found = JSON.parse((await run(['tracks', '--data', path.join(dir, 'data'), '--json', '--search', 'solo'])).out);
    expect(found.items.map((t: { title: string }) => t.title)).toEqual(['Gamma']);
    const again = JSON.parse((await run(['index', path.join(dir, 'music'), '--data', path.join(dir, 'data')])).out);
    expect(again).toMatchObject({ added: 0, unchanged: 5, failed: 0 }); // 4 tracks + the broken file, not retried
  }, 60_000);

  it('exits 0 when every clip is named, 1 when one named nothing, 2 when a clip is missing', async () => {
    const data = path.join(dir, 'data');
    const clip = (name: string) => path.join(dir, 'clips', name);
    expect((await run(['identify', clip('gamma.wav'), clip('beta-noisy.wav'), '--data', data, '--mode', 'exact'])).code).toBe(0);
    const unknown = await run(['identify', clip('gamma.wav'), clip('unknown.mp3'), '--data', data, '--mode', 'exact']);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/unknown\.mp3: not in your library/);
    const missing = await run(['identify', clip('missing.wav'), clip('unknown.mp3'), '--data', data, '--mode', 'exact']);
    expect(missing.code).toBe(2);
    expect(missing.out).toMatch(/missing\.wav: error: not-found/);
    // With --mode vibe a clip is named by the tracks it sounds like.
    expect((await run(['identify', clip('unknown.mp3'), '--data', data, '--mode', 'vibe'])).code).toBe(0);
  }, 60_000);

  it('has --help and -h for the program and for every command, with the exit codes', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const { code, out } = await run(args);
      expect(code).toBe(0);
      expect(out).toMatch(/audio-ident identify <clip>/);
      expect(out).toMatch(/exit codes:/);
    }
    for (const command of ['index', 'identify', 'similar', 'tracks', 'serve']) {
      for (const flag of ['--help', '-h']) {
        const { code, out, err } = await run([command, flag]);
        expect(code, `${command} ${flag}`).toBe(0);
        expect(out).toContain(`audio-ident ${command} `);
        expect(out).toMatch(/1 {2}not found/);
        expect(err).toBe('');
      }
    }
    expect((await run(['help', 'tracks'])).out).not.toContain('audio-ident identify');
  });

  it('refuses options that do not belong to the command, with exit 2 and plain words', async () => {
    const foreign = await run(['identify', 'clip.wav', '--port', '8080']);
    expect(foreign.code).toBe(2);
    expect(foreign.err).toMatch(/^identify does not take --port \(it takes --data, --max-results, --mode, --json; see audio-ident identify --help\)/);
    const unknown = await run(['tracks', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^tracks does not take --bogus/);
    expect(unknown.err).not.toMatch(/Unknown option/);
    expect((await run(['serve', '--json'])).code).toBe(2);
    expect((await run(['index', '/x', '--mode', 'vibe'])).code).toBe(2);
    const noValue = await run(['identify', 'clip.wav', '--mode']);
    expect(noValue.code).toBe(2);
    expect(noValue.err).toMatch(/--mode needs a value/);
    expect((await run([])).code).toBe(2);
  });

  it('notices a deleted landmark store: identify warns, index reports the tracks it rebuilt, clips are named again', async () => {
    const data = path.join(dir, 'data');
    const gamma = path.join(dir, 'clips', 'gamma.wav');
    await fsp.rm(path.join(data, 'landmarks'), { recursive: true, force: true });
    const before = await run(['identify', gamma, '--data', data, '--json', '--mode', 'exact']);
    expect(before.err).toMatch(/warning: the fingerprint index is missing: 4 tracks must be fingerprinted again.*audio-ident index/);
    const index = await run(['index', path.join(dir, 'music'), '--data', data]);
    expect(index.code).toBe(0);
    expect(JSON.parse(index.out)).toMatchObject({ added: 0, rebuilt: 4, unchanged: 1, removed: 0, failed: 0 });
    const after = await run(['identify', gamma, '--data', data, '--json', '--mode', 'exact']);
    expect(after.err).toBe('');
    expect(JSON.parse(after.out).exact[0]).toMatchObject({ title: 'Gamma' });
    expect(JSON.parse((await run(['tracks', '--data', data, '--json'])).out).total).toBe(4);
  }, 120_000);

  it('refuses a second index on a data folder another writer holds, naming it; identify still runs beside it', async () => {
    const data = path.join(dir, 'data');
    const lock = acquireDataLock(data, 'index');
    try {
      const second = await run(['index', path.join(dir, 'music'), '--data', data]);
      expect(second.code).toBe(3); // another failure (not a usage error, not "nothing named")
      expect(second.err).toMatch(new RegExp(`library-busy: .*in use by "index" \\(pid ${process.pid} on `));
      const reader = await run(['identify', path.join(dir, 'clips', 'gamma.wav'), '--data', data, '--json', '--mode', 'exact']);
      expect(JSON.parse(reader.out).exact[0]).toMatchObject({ title: 'Gamma' });
    } finally {
      lock.release();
    }
  }, 60_000);

  it('answers usage errors with exit code 2', async () => {
    expect((await run(['identify'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['tracks', '--page', 'zero'])).code).toBe(2);
  });
});
