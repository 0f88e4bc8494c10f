// Decodes a query clip to mono PCM at the fingerprint rate: WAV (what recorders and the mic path produce) is parsed
// and resampled in JS, skipping ffmpeg's process start-up; everything else goes through ffmpeg.
import { promises as fsp } from 'node:fs';
import { fileSystemError } from '../errors.js';
import { decodeAudio, decodeAudioBytes, type DecodeOptions } from './decodeAudio.js';
import { statRegularFile } from './regularFile.js';
import { resamplePcm } from './resample.js';
import { parseWav } from './wavFile.js';

/** Input read beyond what is asked for, so the resampler's kernel sees real samples at the end. */
const RESAMPLE_MARGIN_SECONDS = 1;

function fromWav(bytes: Uint8Array, options: DecodeOptions): Float32Array | null {
  // Only what was asked for is parsed and resampled: a long WAV with a cap costs the cap, not its length.
  const readSeconds = options.maxSeconds === undefined ? undefined : (options.startSeconds ?? 0) + options.maxSeconds + RESAMPLE_MARGIN_SECONDS;
  const wav = parseWav(bytes, readSeconds);
  if (!wav) return null;
  const pcm = resamplePcm(wav.pcm, wav.sampleRateHz, options.sampleRateHz);
  const start = Math.round((options.startSeconds ?? 0) * options.sampleRateHz);
  const end = options.maxSeconds === undefined ? pcm.length : start + Math.round(options.maxSeconds * options.sampleRateHz);
  return start === 0 && end >= pcm.length ? pcm : pcm.slice(start, end);
}

/** Regular files only (a FIFO named `x.wav` would block the read for ever): see statRegularFile. */
export async function decodeClipFile(filePath: string, options: DecodeOptions): Promise<Float32Array> {
  await statRegularFile(filePath);
  if (/\.wave?$/i.test(filePath)) {
    let bytes: Uint8Array;
    try {
      bytes = await fsp.readFile(filePath);
    } catch (err) {
      throw fileSystemError(err, filePath);
    }
    const pcm = fromWav(bytes, options);
    if (pcm) return pcm;
  }
  return decodeAudio(filePath, options);
}

export async function decodeClipBytes(bytes: Uint8Array, options: DecodeOptions): Promise<Float32Array> {
  return fromWav(bytes, options) ?? decodeAudioBytes(bytes, options);
}
