// Test helper: synthetic songs as real files: WAV writing, and ffmpeg encoding to the formats a library holds, with
// tags and covers. For tests and benchmarks only.
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveFfmpeg } from '../audio/ffmpegPath.js';
import { synthSong } from './synthSong.js';

/** A mono WAV file's bytes: 16-bit PCM (clipped to [-1, 1]) or 32-bit IEEE float. Pure. */
export function encodeWav(pcm: Float32Array, sampleRateHz: number, bits: 16 | 32 = 16): Uint8Array {
  const isFloat = bits === 32;
  const bytesPerSample = bits / 8;
  const dataBytes = pcm.length * bytesPerSample;
  const fmtBytes = isFloat ? 18 : 16;
  const factBytes = isFloat ? 12 : 0;
  const headerBytes = 12 + 8 + fmtBytes + factBytes + 8;
  const buffer = new ArrayBuffer(headerBytes + dataBytes);
  const view = new DataView(buffer);
  let offset = 0;
  const writeTag = (tag: string): void => {
    for (let i = 0; i < 4; i++) view.setUint8(offset + i, tag.charCodeAt(i));
    offset += 4;
  };
  const u32 = (value: number): void => {
    view.setUint32(offset, value, true);
    offset += 4;
  };
  const u16 = (value: number): void => {
    view.setUint16(offset, value, true);
    offset += 2;
  };
  writeTag('RIFF');
  u32(headerBytes - 8 + dataBytes);
  writeTag('WAVE');
  writeTag('fmt ');
  u32(fmtBytes);
  u16(isFloat ? 3 : 1);
  u16(1);
  u32(sampleRateHz);
  u32(sampleRateHz * bytesPerSample);
  u16(bytesPerSample);
  u16(bits);
  if (isFloat) {
    u16(0); // cbSize
    writeTag('fact');
    u32(4);
    u32(pcm.length);
  }
  writeTag('data');
  u32(dataBytes);
  for (let i = 0; i < pcm.length; i++) {
    if (isFloat) {
      view.setFloat32(offset, pcm[i], true);
      offset += 4;
    } else {
      const clipped = Math.max(-1, Math.min(1, pcm[i]));
      view.setInt16(offset, Math.round(clipped < 0 ? clipped * 32768 : clipped * 32767), true);
      offset += 2;
    }
  }
  return new Uint8Array(buffer);
}

/** Writes `pcm` as a mono WAV file (see encodeWav). */
export async function writeWav(filePath: string, pcm: Float32Array, sampleRateHz: number, bits: 16 | 32 = 16): Promise<void> {
  await fsp.writeFile(filePath, encodeWav(pcm, sampleRateHz, bits));
}

export interface EncodeAudioOptions {
  /** ffmpeg metadata keys: title, artist, album, album_artist, track, genre, date, ... */
  readonly tags?: Readonly<Record<string, string>>;
  /** A PNG or JPEG to embed as the front cover (mp3, flac, m4a only). */
  readonly coverPath?: string;
}

const CODEC_ARGS: Readonly<Record<string, readonly string[]>> = {
  mp3: ['-c:a', 'libmp3lame', '-q:a', '4'],
  flac: ['-c:a', 'flac'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '4'],
  oga: ['-c:a', 'libvorbis', '-q:a', '4'],
  opus: ['-c:a', 'libopus', '-b:a', '96k'],
  m4a: ['-c:a', 'aac', '-b:a', '128k'],
  wav: ['-c:a', 'pcm_s16le'],
};
const COVER_FORMATS = new Set(['mp3', 'flac', 'm4a']);

/** Encodes a WAV into the format named by outPath's extension (mp3, flac, ogg/oga, opus, m4a, wav), overwriting. */
export async function encodeAudio(wavPath: string, outPath: string, options: EncodeAudioOptions = {}): Promise<void> {
  const ext = path.extname(outPath).slice(1).toLowerCase();
  const codecArgs = CODEC_ARGS[ext];
  if (!codecArgs) throw new Error(`encodeAudio: cannot encode .${ext} (use ${Object.keys(CODEC_ARGS).join(', ')})`);
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', wavPath];
  if (options.coverPath !== undefined) {
    if (!COVER_FORMATS.has(ext)) throw new Error(`encodeAudio: cannot embed a cover in .${ext}`);
    args.push('-i', options.coverPath, '-map', '0:a:0', '-map', '1:v:0', '-c:v', 'copy');
    args.push(
      ...(ext === 'mp3'
        ? ['-id3v2_version', '3', '-metadata:s:v', 'title=Album cover', '-metadata:s:v', 'comment=Cover (front)']
        : ['-disposition:v', 'attached_pic']),
    );
  } else {
    args.push('-map', '0:a:0');
  }
  args.push(...codecArgs);
  for (const [key, value] of Object.entries(options.tags ?? {})) args.push('-metadata', `${key}=${value}`);
  args.push(outPath);
  await runFfmpegTool(args);
}

/**
 * Synthesises song `seed` (synthSong at sampleRateHz, default 22050) and writes it to filePath in the format its
 * extension names, with tags. Returns the synthesised samples (before any lossy encoding).
 */
export async function writeSongFile(
  filePath: string,
  seed: number,
  durationSeconds: number,
  tags?: Readonly<Record<string, string>>,
  options: { sampleRateHz?: number; coverPath?: string } = {},
): Promise<Float32Array> {
  const sampleRateHz = options.sampleRateHz ?? 22050;
  const pcm = synthSong(seed, durationSeconds, sampleRateHz);
  const isPlainWav = /\.wav$/i.test(filePath) && tags === undefined && options.coverPath === undefined;
  if (isPlainWav) {
    await writeWav(filePath, pcm, sampleRateHz);
    return pcm;
  }
  const tempDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'synth-song-'));
  try {
    const wavPath = path.join(tempDir, 'song.wav');
    await writeWav(wavPath, pcm, sampleRateHz);
    await encodeAudio(wavPath, filePath, { tags, coverPath: options.coverPath });
  } finally {
    await fsp.rm(tempDir, { recursive: true, force: true });
  }
  return pcm;
}

/** Runs ffmpeg with `args`; rejects with its stderr when it fails. */
export function runFfmpegTool(args: readonly string[]): Promise<void> {
  const ffmpeg = resolveFfmpeg();
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg.path, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

/**
 * Writes what one of ffmpeg's lavfi generators makes (`sine=frequency=440:duration=3`, `testsrc=...`) to `outPath`,
 * encoded with `outputArgs` (codec, bitrate): test fixtures of any format without committing a file.
 */
export function writeLavfiFile(source: string, outputArgs: readonly string[], outPath: string): Promise<void> {
  return runFfmpegTool(['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', source, ...outputArgs, outPath]);
}
