// Terminal escape injection (issue 15 #9): the helper itself, then the CLI's human and JSON output for a library whose
// tags and file names hold escape sequences, newlines, C1 controls and bidi overrides.
import { mkdtempSync, promises as fsp, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutClip, writeSongFile, writeWav } from '../engine/testing/synthAudio.js';
import { runCliCaptured } from './testing/captureCli.js';
import { terminalJson, terminalText } from './terminalText.js';

// Anything a terminal acts on, except the newlines the CLI itself ends lines with.
const UNSAFE_IN_OUTPUT = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const EVIL_TITLE = 'Evil\u001b[2J\u001b]0;owned\u0007 Title\nforged line\u202Egnp.exe\u009b31m';
const EVIL_ARTIST = 'Band\u001b[31m'; // (a trailing CR would be trimmed by the tag reader)

describe('terminalText', () => {
  it('escapes C0 (tab and newline too), DEL, C1 and bidi controls as visible text', () => {
    expect(terminalText('a\u001b[2Jb')).toBe('a\\x1B[2Jb');
    expect(terminalText('\t\n\r\u0000\u007f\u0085\u009b')).toBe('\\x09\\x0A\\x0D\\x00\\x7F\\x85\\x9B');
    expect(terminalText('abc\u202Efdp.exe \u2066x\u2069 \u200f')).toBe('abc\\u202Efdp.exe \\u2066x\\u2069 \\u200F');
  });

  it('leaves ordinary text alone: accents, CJK, emoji, right-to-left letters', () => {
    for (const text of ['Beyoncé – Déjà Vu', '坂本龍一', 'Song 🎵', 'فيروز', 'C:\\Music\\a.mp3']) expect(terminalText(text)).toBe(text);
  });

  it('terminalJson also escapes what JSON.stringify leaves raw (DEL, C1, bidi), and still parses back the same', () => {
    const value = { title: EVIL_TITLE, n: 1 };
    expect(JSON.stringify(value)).toMatch(/[\u007f-\u009f\u202e]/u); // the gap this closes
    const json = terminalJson(value);
    expect(json).not.toMatch(UNSAFE_IN_OUTPUT);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('CLI output with hostile tags and file names', () => {
  const RATE = 22050;
  let dir: string;
  let data: string;
  let clip: string;
  let song: Float32Array;

  const run = runCliCaptured;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cli-escapes-'));
    data = path.join(dir, 'data');
    const music = path.join(dir, 'music');
    await fsp.mkdir(music);
    song = await writeSongFile(
      path.join(music, 'evil\u001b[31m\u202E.mp3'),
      21,
      20,
      { title: EVIL_TITLE, artist: EVIL_ARTIST, album: 'Al\u001bbum' },
      { sampleRateHz: RATE },
    );
    await fsp.writeFile(path.join(music, 'broken\u001b[2J.mp3'), 'not really an mp3');
    clip = path.join(dir, 'clip\u001b[5m.wav');
    await writeWav(clip, cutClip(song, RATE, 6, 8), RATE);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('escapes tags, paths and error details in every human-readable output', async () => {
    const index = await run(['index', path.join(dir, 'music'), '--data', data, '--workers', '1']);
    expect(index.code).toBe(0);
    expect(index.err).toMatch(/broken\\x1B\[2J\.mp3/);
    expect(index.err).not.toMatch(UNSAFE_IN_OUTPUT);
    expect(index.out).not.toMatch(UNSAFE_IN_OUTPUT);

    const identify = await run(['identify', clip, path.join(dir, 'missing\u001b[2J.wav'), '--data', data, '--mode', 'exact']);
    expect(identify.out).toContain('Evil\\x1B[2J');
    expect(identify.out).toContain('clip\\x1B[5m.wav');
    expect(identify.out).not.toMatch(UNSAFE_IN_OUTPUT);

    const tracks = await run(['tracks', '--data', data]);
    expect(tracks.out).toContain('\\u202Egnp.exe');
    expect(tracks.out).not.toMatch(UNSAFE_IN_OUTPUT);

    const similar = await run(['similar', path.join(dir, 'nowhere\u001b[2J.mp3'), '--data', data]);
    expect(similar.code).toBe(1);
    expect(similar.err).not.toMatch(UNSAFE_IN_OUTPUT);

    const usage = await run(['frob\u001b[2J']);
    expect(usage.code).toBe(2);
    expect(usage.err + usage.out).not.toMatch(UNSAFE_IN_OUTPUT);
    const badOption = await run(['tracks', '--evil\u001b[2J']);
    expect(badOption.err + badOption.out).not.toMatch(UNSAFE_IN_OUTPUT);
  }, 120_000);

  it('JSON output carries the exact text, with every control character \\u-escaped', async () => {
    const tracks = await run(['tracks', '--data', data, '--json']);
    expect(tracks.out).not.toMatch(UNSAFE_IN_OUTPUT);
    const titles = JSON.parse(tracks.out).items.map((t: { title: string }) => t.title);
    expect(titles).toContain(EVIL_TITLE);
    const identify = await run(['identify', clip, '--data', data, '--json', '--mode', 'exact']);
    expect(identify.out).not.toMatch(UNSAFE_IN_OUTPUT);
    expect(JSON.parse(identify.out).exact_matches[0].track).toMatchObject({ title: EVIL_TITLE, artist: EVIL_ARTIST });
  }, 60_000);
});
