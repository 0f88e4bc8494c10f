// Tests for readAudioInfo / readArtwork on files encodeAudio tags here, and on garbage (which must never throw).
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { createRng, runFfmpegTool, writeSongFile } from '../testing/synthAudio.js';
import { readArtwork, readAudioInfo, shortFormatName } from './readTags.js';

/** Garbage that is the same on every run (fresh random bytes made this test fail once in a while: some parse). */
function noiseBytes(length: number, seed: number): Buffer {
  const rng = createRng(seed);
  return Buffer.from(Array.from({ length }, () => Math.floor(rng() * 256)));
}

let dir = '';
const at = (name: string): string => path.join(dir, name);
const TAGS = { title: 'Café Nocturne', artist: 'The Seeds', album: 'Synthetic Hits', album_artist: 'Various', track: '3/12', disc: '2/3', genre: 'Electronic' };
const WITH_COVER = ['mp3', 'flac', 'm4a'];
const SECONDS = 4;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'read-tags-'));
  await runFfmpegTool(['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=red:s=16x16', '-frames:v', '1', at('cover.png')]);
  await Promise.all([
    ...['mp3', 'flac', 'ogg', 'opus', 'm4a'].map((ext) =>
      writeSongFile(at(`song.${ext}`), 21, SECONDS, TAGS, WITH_COVER.includes(ext) ? { coverPath: at('cover.png') } : {}),
    ),
    writeSongFile(at('plain.mp3'), 22, 2, {}),
    writeSongFile(at('song.wav'), 23, 2, { title: 'Wave Title', artist: 'Wave Artist' }),
    fsp.writeFile(at('text.mp3'), 'not audio at all\n'.repeat(100)),
    fsp.writeFile(at('random.flac'), noiseBytes(4096, 1)),
    fsp.writeFile(at('random.bin'), noiseBytes(4096, 2)),
    fsp.writeFile(at('broken-id3.mp3'), Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x7f\x7f', 'latin1'), noiseBytes(300, 3)])),
  ]);
}, 120_000);

afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('readAudioInfo', () => {
  for (const ext of ['mp3', 'flac', 'ogg', 'opus', 'm4a']) {
    it(`reads the tags encodeAudio wrote into .${ext}`, async () => {
      const info = await readAudioInfo(at(`song.${ext}`));
      expect(info).toMatchObject({
        title: 'Café Nocturne',
        artist: 'The Seeds',
        album: 'Synthetic Hits',
        albumArtist: 'Various',
        trackNumber: 3,
        discNumber: 2,
        genre: 'Electronic',
        format: ext,
        hasPicture: WITH_COVER.includes(ext),
      });
      expect(info.tagError).toBeUndefined();
      expect(info.sampleRateHz).toBeGreaterThan(0);
      expect(info.channelCount).toBeGreaterThan(0);
      // Without a full scan music-metadata knows no duration for Ogg streams; where it does, it is right.
      if (info.durationSeconds !== null) expect(info.durationSeconds).toBeCloseTo(SECONDS, 0);
      if (ext !== 'ogg' && ext !== 'opus') expect(info.durationSeconds).not.toBeNull();
      if (ext === 'mp3') expect(info.bitrate).toBeGreaterThan(8000);
    });
  }

  it('reads RIFF INFO tags from a wav', async () => {
    const info = await readAudioInfo(at('song.wav'));
    expect(info).toMatchObject({ title: 'Wave Title', artist: 'Wave Artist', format: 'wav', sampleRateHz: 22050, channelCount: 1 });
    expect(info.durationSeconds).toBeCloseTo(2, 2);
  });

  it('gives nulls, not empty strings, for an untagged file', async () => {
    const info = await readAudioInfo(at('plain.mp3'));
    expect(info).toMatchObject({ title: null, artist: null, album: null, trackNumber: null, discNumber: null, genre: null, format: 'mp3', hasPicture: false });
  });

  it('never throws on garbage: nulls, the extension as format, and tagError where parsing failed', async () => {
    const text = await readAudioInfo(at('text.mp3'));
    expect(text).toMatchObject({ title: null, artist: null, format: 'mp3', hasPicture: false });
    for (const [name, format] of [
      ['random.flac', 'flac'],
      ['random.bin', 'bin'],
      ['broken-id3.mp3', 'mp3'],
    ]) {
      const info = await readAudioInfo(at(name));
      expect(info).toMatchObject({ title: null, artist: null, durationSeconds: null, format, hasPicture: false });
      expect(info.tagError).toEqual(expect.any(String));
    }
  });

  it('throws not-found for a missing file', async () => {
    const err = await readAudioInfo(at('missing.mp3')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('not-found');
  });
});

describe('readArtwork', () => {
  for (const ext of WITH_COVER) {
    it(`returns the embedded PNG from .${ext}`, async () => {
      const art = await readArtwork(at(`song.${ext}`));
      const png = await fsp.readFile(at('cover.png'));
      expect(art?.mime).toBe('image/png');
      expect(Buffer.from(art!.data).equals(png)).toBe(true);
    });
  }

  it('returns null without a picture or on garbage', async () => {
    expect(await readArtwork(at('song.ogg'))).toBeNull();
    expect(await readArtwork(at('random.flac'))).toBeNull();
  });
});

describe('shortFormatName', () => {
  it('maps music-metadata container/codec names', () => {
    expect(shortFormatName('MPEG', 'MPEG 1 Layer 3')).toBe('mp3');
    expect(shortFormatName('MPEG', 'MPEG 1 Layer 2')).toBe('mp2');
    expect(shortFormatName('Ogg', 'Opus')).toBe('opus');
    expect(shortFormatName('Ogg', 'Vorbis I')).toBe('ogg');
    expect(shortFormatName('M4A/isom/iso2', 'MPEG-4/AAC')).toBe('m4a');
    expect(shortFormatName('M4A/mp42/isom', 'ALAC')).toBe('alac');
    expect(shortFormatName('EBML/webm', 'OPUS')).toBe('webm');
    expect(shortFormatName('ASF/audio', 'Windows Media Audio 9.1')).toBe('wma');
    expect(shortFormatName('WAVE', 'PCM')).toBe('wav');
    expect(shortFormatName('AIFF-C', 'PCM')).toBe('aiff');
    expect(shortFormatName(undefined, undefined)).toBeUndefined();
  });
});
