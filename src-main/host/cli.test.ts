// End to end through the real doors: the CLI indexes a generated library (LMDB store, fingerprint worker pool),
// identifies noisy clips of it with the offset, says "no match" for music that is not in it, and lists tracks.
import { existsSync, mkdtempSync, promises as fsp, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNoise, bandLimit, cutClip, synthSong, writeSongFile, writeWav } from '../engine/testing/synthAudio.js';
import { acquireDataLock } from '../engine/dataLock.js';
import { inProcessRunners } from '../engine/libraryEngine.js';
import { LibraryService } from '../engine/libraryService.js';
import { main } from './cli.js';
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
  for (const [rel, seed, tags] of files) songs.set(tags.title, await writeSongFile(path.join(lib, rel), seed, 40, tags, { sampleRateHz: RATE }));
  await fsp.writeFile(path.join(lib, 'broken.mp3'), 'not really an mp3');
  // Clips: 8 s of Beta from 0:25 with noise and a phone's band limit (WAV), 5 s of Gamma from 0:20 as mp3-in-wav,
  // and a song that is not in the library.
  const clips = path.join(dir, 'clips');
  await fsp.mkdir(clips);
  await writeWav(path.join(clips, 'beta-noisy.wav'), bandLimit(addNoise(cutClip(songs.get('Beta')!, RATE, 25, 8), 5, 7), RATE, 300, 3400), RATE);
  await writeSongFile(path.join(clips, 'unknown.mp3'), 999, 8, {}, { sampleRateHz: RATE });
  // The same unknown song as a WAV, for the cases about answers rather than formats (no ffmpeg decode per call).
  await writeWav(path.join(clips, 'unknown.wav'), synthSong(999, 8, RATE), RATE);
  await writeWav(path.join(clips, 'gamma.wav'), cutClip(songs.get('Gamma')!, RATE, 20, 5), RATE);
  await writeWav(path.join(clips, 'tiny.wav'), cutClip(songs.get('Gamma')!, RATE, 20, 0.5), RATE);
  // A recording of three library songs back to back (Beta from 0:10, Gamma from 0:05, Alpha from 0:20, 20 s each),
  // then 20 s of a song that is not in the library.
  const parts = [
    cutClip(songs.get('Beta')!, RATE, 10, 20),
    cutClip(songs.get('Gamma')!, RATE, 5, 20),
    cutClip(songs.get('Alpha')!, RATE, 20, 20),
    synthSong(998, 20, RATE),
  ];
  const mix = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (mix.set(p, at), at + p.length), 0);
  await writeWav(path.join(clips, 'mix.wav'), addNoise(mix, 20, 3), RATE);
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
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.clip)).toEqual(clips);
    // The HTTP API's shape (apiJson.ts): snake_case, each match with its track nested.
    expect(Object.keys(lines[0])).toEqual(['clip', 'query_duration_ms', 'exact_matches', 'vibe_matches', 'mode_used', 'clip_seconds']);
    const beta = lines[0].exact_matches[0];
    expect(Object.keys(beta)).toEqual(['track', 'confidence', 'offset_seconds', 'aligned_hashes', 'speed_factor', 'pitch_factor']);
    expect(beta.track).toMatchObject({ title: 'Beta', artist: 'Band', album: 'Album', format: 'flac' });
    expect(beta.track.file_path).toBe(path.join(dir, 'music', 'Band', 'Album', '02 Beta.flac'));
    expect(beta.offset_seconds).toBeCloseTo(25, 0);
    expect(beta.confidence).toBeGreaterThan(0.5);
    expect(beta.aligned_hashes).toBeGreaterThan(10);
    expect(lines[0].query_duration_ms).toBeGreaterThanOrEqual(0);
    expect(lines[0].clip_seconds).toBeCloseTo(8, 0);
    expect(lines[1].exact_matches).toEqual([]);
    expect(lines[2].exact_matches[0].track).toMatchObject({ title: 'Gamma', artist: 'Solo' });
    expect(lines[2].exact_matches[0].offset_seconds).toBeCloseTo(20, 0);
    expect(lines[3].error.code).toBe('clip-too-short');
    expect(lines[4].error.code).toBe('not-found');
  }, 60_000);

  it('answers the vibe lane beside the exact one (--mode), and similar <track>', async () => {
    const data = path.join(dir, 'data');
    const unknown = path.join(dir, 'clips', 'unknown.wav');
    const both = JSON.parse((await run(['identify', unknown, '--data', data, '--json', '--max-results', '2'])).out);
    expect(both.exact_matches).toEqual([]);
    expect(both.vibe_matches).toHaveLength(2);
    expect(Object.keys(both.vibe_matches[0])).toEqual(['track', 'similarity', 'embedding_model', 'explanation']);
    expect(Object.keys(both.vibe_matches[0].track)).toEqual(['id', 'title', 'artist', 'album', 'duration_seconds', 'format', 'file_path']);
    expect(both.vibe_matches[0].similarity).toBeGreaterThanOrEqual(both.vibe_matches[1].similarity);
    const exact = JSON.parse((await run(['identify', unknown, '--data', data, '--json', '--mode', 'exact'])).out);
    expect(exact.vibe_matches).toEqual([]);
    const vibe = JSON.parse((await run(['identify', path.join(dir, 'clips', 'gamma.wav'), '--data', data, '--json', '--mode', 'vibe'])).out);
    expect(vibe.exact_matches).toEqual([]);
    expect(vibe.vibe_matches.length).toBeGreaterThan(0);
    const all = JSON.parse((await run(['tracks', '--data', data, '--json', '--search', 'solo'])).out);
    const similar = JSON.parse((await run(['similar', all.items[0].id, '--data', data, '--json', '--max-results', '3'])).out);
    expect(Object.keys(similar)).toEqual(['track_id', 'vibe_matches']);
    expect(similar.track_id).toBe(all.items[0].id);
    expect(similar.vibe_matches).toHaveLength(3);
    expect(similar.vibe_matches.map((m: { track: { title: string } }) => m.track.title)).not.toContain('Gamma');
    // A track named by its file's path is the same track.
    const byPath = JSON.parse((await run(['similar', all.items[0].file_path, '--data', data, '--json', '--max-results', '3'])).out);
    expect(byPath.track_id).toBe(all.items[0].id);
    expect((await run(['similar', '/no/such/file.mp3', '--data', data])).code).toBe(1);
    expect((await run(['similar', all.items[0].id, '--data', data, '--max-results', '51'])).code).toBe(2); // the contract's 1..50
    expect((await run(['identify', unknown, '--data', data, '--mode', 'fuzzy'])).code).toBe(2);
  }, 60_000);

  it('tracklist: one line per stretch, in time order, with where in each song; exit 0', async () => {
    const mix = path.join(dir, 'clips', 'mix.wav');
    const { code, out, err } = await run(['tracklist', mix, '--data', path.join(dir, 'data')]);
    expect(err).toBe(''); // no progress when stderr is not a terminal
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${mix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 3 songs in 1:20 \\(\\d+ ms\\)$`));
    expect(lines.slice(1, 4)).toEqual([
      expect.stringMatching(/^0:0[0-2]-0:(19|20|21) {2}Beta — Band {2}\(from 0:1\d\)$/),
      expect.stringMatching(/^0:(19|20|21)-0:(39|40|41) {2}Gamma — Solo {2}\(from 0:0\d\)$/),
      expect.stringMatching(/^0:(39|40|41)-(0:59|1:0[01]) {2}Alpha — Band {2}\(from 0:2\d\)$/),
    ]);
    expect(lines[4]).toMatch(/^(0:59|1:0[01])-1:20 {2}not in your library$/);
  }, 60_000);

  it('tracklist --json: one line per recording in the documented shape; an unreadable one carries its error (exit 2)', async () => {
    const mix = path.join(dir, 'clips', 'mix.wav');
    const missing = path.join(dir, 'clips', 'missing.wav');
    const { code, out } = await run(['tracklist', mix, missing, '--data', path.join(dir, 'data'), '--json']);
    expect(code).toBe(2);
    const [line, error] = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(Object.keys(line)).toEqual(['file', 'duration_seconds', 'segments']);
    expect(line.file).toBe(mix);
    expect(line.duration_seconds).toBeCloseTo(80, 0);
    expect(line.segments.map((s: { track: { title: string } | null }) => s.track?.title ?? null)).toEqual(['Beta', 'Gamma', 'Alpha', null]);
    const beta = line.segments[0];
    expect(Object.keys(beta)).toEqual(['start', 'end', 'track', 'offset_seconds', 'speed_factor', 'pitch_factor', 'confidence']);
    expect(beta).toMatchObject({ track: { artist: 'Band', file_path: path.join(dir, 'music', 'Band', 'Album', '02 Beta.flac') }, speed_factor: 1 });
    expect(beta.track.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(beta.offset_seconds).toBeCloseTo(10 + beta.start, 0);
    expect(beta.confidence).toBeGreaterThan(0.5);
    expect(line.segments[3]).toMatchObject({ track: null, offset_seconds: null, speed_factor: null, pitch_factor: null, confidence: null });
    expect(line.segments[3].end).toBeCloseTo(80, 0);
    expect(error).toEqual({ file: missing, error: { code: 'not-found', detail: expect.any(String) } });
  }, 60_000);

  it('tracklist --cue and --csv: a CUE sheet and RFC 4180 rows; a recording with no song exits 1', async () => {
    const data = path.join(dir, 'data');
    const mix = path.join(dir, 'clips', 'mix.wav');
    const cue = await run(['tracklist', mix, '--data', data, '--cue']);
    expect(cue.code).toBe(0);
    expect(cue.out).toContain('FILE "mix.wav" WAVE\r\n');
    expect(cue.out.match(/TRACK \d\d AUDIO/g)).toEqual(['TRACK 01 AUDIO', 'TRACK 02 AUDIO', 'TRACK 03 AUDIO', 'TRACK 04 AUDIO']);
    expect(cue.out).toMatch(/TRACK 02 AUDIO\r\n {4}TITLE "Gamma"\r\n {4}PERFORMER "Solo"\r\n {4}INDEX 01 00:(19|20|21):\d\d\r\n/);
    expect(cue.out).toContain('TITLE "Unknown"');
    const csv = await run(['tracklist', mix, '--data', data, '--csv']);
    expect(csv.code).toBe(0);
    const rows = csv.out.split('\r\n');
    expect(rows[0]).toBe('start,end,start_time,end_time,title,artist,album,offset_seconds,speed_factor,confidence,track_id,path');
    expect(rows.slice(1, 5).map((r) => r.split(',')[4])).toEqual(['Beta', 'Gamma', 'Alpha', '']);
    expect(rows[5]).toBe('');
    const none = await run(['tracklist', path.join(dir, 'clips', 'unknown.mp3'), '--data', data]);
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/unknown\.mp3: no song of your library in 0:08/);
    expect(none.out).toMatch(/0:00-0:08 {2}not in your library/);
  }, 60_000);

  it('tracklist shows progress on stderr when it is a terminal, on one rewritten line', async () => {
    let out = '';
    let err = '';
    const code = await main(['tracklist', path.join(dir, 'clips', 'mix.wav'), '--data', path.join(dir, 'data'), '--json'], {
      stdout: (text) => (out += text),
      stderr: (text) => (err += text),
      isTty: true,
    });
    expect(code).toBe(0);
    expect(err).toMatch(/\r\x1b\[Kmix\.wav: \d:\d\d of 1:20 searched, \d songs? so far/);
    expect(err.endsWith('\r\x1b[K')).toBe(true); // the progress line is cleared before the answer
    expect(JSON.parse(out).segments).toHaveLength(4);
  }, 60_000);

  it('tracklist refuses two formats, --cue or --csv with several recordings, and no recording (exit 2)', async () => {
    const mix = path.join(dir, 'clips', 'mix.wav');
    const both = await run(['tracklist', mix, '--json', '--csv']);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/choose one of --json, --cue and --csv \(got --json and --csv\)/);
    const several = await run(['tracklist', mix, mix, '--cue']);
    expect(several.code).toBe(2);
    expect(several.err).toMatch(/--cue takes one recording/);
    expect((await run(['tracklist'])).code).toBe(2);
    expect((await run(['tracklist', mix, '--mode', 'exact'])).err).toMatch(/^tracklist does not take --mode/);
  });

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
    const unknown = await run(['identify', clip('gamma.wav'), clip('unknown.wav'), '--data', data, '--mode', 'exact']);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/unknown\.wav: not in your library/);
    const missing = await run(['identify', clip('missing.wav'), clip('unknown.wav'), '--data', data, '--mode', 'exact']);
    expect(missing.code).toBe(2);
    expect(missing.out).toMatch(/missing\.wav: error: not-found/);
    // With --mode vibe a clip is named by the tracks it sounds like.
    expect((await run(['identify', clip('unknown.wav'), '--data', data, '--mode', 'vibe'])).code).toBe(0);
  }, 60_000);

  it('keeps History as the app does for a dropped file: one entry per clip, the same bytes again count on it', async () => {
    const data = path.join(dir, 'data');
    const clip = (name: string) => path.join(dir, 'clips', name);
    const history = async () => {
      const service = await LibraryService.open({ dataDir: data, runners: inProcessRunners(1), watch: false, scanOnOpen: false, lockAs: null, log: () => {} });
      try {
        const page = await service.listHistory({ perPage: 1000 });
        if (!page.ok) throw new Error(page.error.code);
        return page.value.items;
      } finally {
        await service.close();
      }
    };
    const before = (await history()).find((e) => e.clipName === 'gamma.wav');
    expect((await run(['identify', clip('gamma.wav'), clip('unknown.wav'), '--data', data, '--mode', 'exact'])).code).toBe(1);
    const entries = await history();
    const gamma = entries.find((e) => e.clipName === 'gamma.wav')!;
    expect(gamma).toMatchObject({ source: 'file', mode: 'exact', match: { title: 'Gamma', artist: 'Solo' }, trackFileName: 'Gamma.ogg' });
    expect(gamma.count).toBe((before?.count ?? 0) + 1);
    expect(entries.filter((e) => e.clipName === 'gamma.wav')).toHaveLength(1);
    expect(entries.find((e) => e.clipName === 'unknown.wav')).toMatchObject({ match: null });
    // A clip that could not be read is not an identification: nothing is kept.
    await run(['identify', clip('missing.wav'), '--data', data]);
    expect((await history()).some((e) => e.clipName === 'missing.wav')).toBe(false);
  }, 60_000);

  it('has --help and -h for the program and for every command, with the exit codes', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const { code, out } = await run(args);
      expect(code).toBe(0);
      expect(out).toMatch(/audio-ident identify <clip>/);
      expect(out).toMatch(/exit codes:/);
    }
    for (const command of ['index', 'identify', 'tracklist', 'similar', 'tracks', 'serve']) {
      for (const flag of ['--help', '-h']) {
        const { code, out, err } = await run([command, flag]);
        expect(code, `${command} ${flag}`).toBe(0);
        expect(out).toContain(`audio-ident ${command} `);
        expect(out).toMatch(/1 {2}not found/);
        expect(err).toBe('');
      }
    }
    expect((await run(['help', 'tracks'])).out).not.toContain('audio-ident identify');
    const tracklistHelp = (await run(['tracklist', '--help'])).out;
    expect(tracklistHelp).toContain('audio-ident tracklist <recording>... [--data DIR] [--json | --cue | --csv]');
    expect(tracklistHelp).toMatch(/some recording named no song \(tracklist\)/);
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
    expect(before.err).toMatch(/warning: The fingerprint index was missing.*\(4 tracks\)\. Exact matches are missing until you run: audio-ident index/);
    const index = await run(['index', path.join(dir, 'music'), '--data', data]);
    expect(index.code).toBe(0);
    expect(JSON.parse(index.out)).toMatchObject({ added: 0, rebuilt: 4, unchanged: 1, removed: 0, failed: 0 });
    const after = await run(['identify', gamma, '--data', data, '--json', '--mode', 'exact']);
    expect(after.err).toBe('');
    expect(JSON.parse(after.out).exact_matches[0].track).toMatchObject({ title: 'Gamma' });
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
      expect(JSON.parse(reader.out).exact_matches[0].track).toMatchObject({ title: 'Gamma' });
    } finally {
      lock.release();
    }
  }, 60_000);

  it('answers usage errors with exit code 2', async () => {
    expect((await run(['identify'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['tracks', '--page', 'zero'])).code).toBe(2);
    // The contract's limits (parseArgs), in the CLI's words, before any catalog is opened.
    const tooMany = await run(['tracks', '--per-page', '5000', '--data', path.join(dir, 'never-opened')]);
    expect(tooMany.code).toBe(2);
    expect(tooMany.err).toMatch(/^--per-page must be an integer in 1\.\.1000/);
    expect(existsSync(path.join(dir, 'never-opened'))).toBe(false);
    expect((await run(['identify', 'x.wav', '--max-results', '51'])).err).toMatch(/^--max-results must be an integer in 1\.\.50/);
  });
});
