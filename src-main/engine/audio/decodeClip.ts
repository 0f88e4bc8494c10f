// Decodes a query clip to mono PCM at the fingerprint rate: WAV (what recorders and the mic path produce) is parsed
// and resampled in JS, skipping ffmpeg's process start-up; everything else goes through ffmpeg.
import { promises as fsp } from 'node:fs';
import { AppError } from '../errors.js';
import { decodeAudio, decodeAudioBytes, type DecodeOptions } from './decodeAudio.js';
import { resamplePcm } from './resample.js';
import { parseWav } from './wavFile.js';

function fromWav(bytes: Uint8Array, options: DecodeOptions): Float32Array | null {
  const wav = parseWav(bytes);
  if (!wav) return null;
  const pcm = resamplePcm(wav.pcm, wav.sampleRateHz, options.sampleRateHz);
  const start = Math.round((options.startSeconds ?? 0) * options.sampleRateHz);
  const end = options.maxSeconds === undefined ? pcm.length : start + Math.round(options.maxSeconds * options.sampleRateHz);
  return start === 0 && end >= pcm.length ? pcm : pcm.slice(start, end);
}

export async function decodeClipFile(filePath: string, options: DecodeOptions): Promise<Float32Array> {
  if (/\.wave?$/i.test(filePath)) {
    let bytes: Uint8Array;
    try {
      bytes = await fsp.readFile(filePath);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new AppError('not-found', `no file at ${filePath}`, { cause: err });
      if (code === 'EACCES' || code === 'EPERM') throw new AppError('permission-denied', filePath, { cause: err });
      throw err;
    }
    const pcm = fromWav(bytes, options);
    if (pcm) return pcm;
  }
  return decodeAudio(filePath, options);
}

export async function decodeClipBytes(bytes: Uint8Array, options: DecodeOptions): Promise<Float32Array> {
  return fromWav(bytes, options) ?? decodeAudioBytes(bytes, options);
}
