// A clip to identify, from a file or from encoded bytes, to mono PCM: refused before decoding when too large
// ('file-too-large'), decoded to at most a second past MAX_CLIP_SECONDS (enough to tell it is too long, never
// hours), then refused when too short or too long. Async (ffmpeg); no state.
import { encodedClip, type ClipAudio } from './audio/clipAudio.js';
import { decodeClipBytes, decodeClipFile } from './audio/decodeClip.js';
import type { DecodeOptions } from './audio/decodeAudio.js';
import { statRegularFile } from './audio/regularFile.js';
import { AppError } from './errors.js';
import { checkClipLength, MAX_CLIP_SECONDS } from './jobs/identifyClip.js';

/** Clip files larger than this are refused unless the caller sets another limit. */
export const DEFAULT_MAX_CLIP_BYTES = 100 * 1024 * 1024;

export interface ClipReadOptions {
  /** The rate the PCM comes out at (the fingerprint config's). */
  readonly sampleRateHz: number;
  /** Default DEFAULT_MAX_CLIP_BYTES. */
  readonly maxClipBytes?: number;
  /** Aborting kills ffmpeg; the call rejects with 'cancelled'. */
  readonly signal?: AbortSignal;
}

/** A clip read: mono PCM at options.sampleRateHz, and the clip itself for lanes that read it at another rate. */
export interface ClipRead {
  readonly pcm: Float32Array;
  readonly clip: ClipAudio;
}

/** A clip file of any format ffmpeg reads, as mono PCM at options.sampleRateHz. Regular files only. */
export async function readClipFile(clipPath: string, options: ClipReadOptions): Promise<ClipRead> {
  // Regular files only (a FIFO would block for ever); EACCES/EPERM say permission-denied, not not-found.
  const { size } = await statRegularFile(clipPath);
  checkClipBytes(size, options.maxClipBytes);
  const clip = encodedClip((sampleRateHz) => decodeClipFile(clipPath, decodeOptions({ ...options, sampleRateHz })));
  const pcm = await clip.at(options.sampleRateHz);
  checkClipLength(pcm.length, options.sampleRateHz);
  return { pcm, clip };
}

/** Encoded clip bytes (an upload, a recording) as mono PCM at options.sampleRateHz. */
export async function readClipBytes(bytes: Uint8Array, options: ClipReadOptions): Promise<ClipRead> {
  checkClipBytes(bytes.byteLength, options.maxClipBytes);
  const clip = encodedClip((sampleRateHz) => decodeClipBytes(bytes, decodeOptions({ ...options, sampleRateHz })));
  const pcm = await clip.at(options.sampleRateHz);
  checkClipLength(pcm.length, options.sampleRateHz);
  return { pcm, clip };
}

function checkClipBytes(size: number, limit = DEFAULT_MAX_CLIP_BYTES): void {
  if (size > limit) throw new AppError('file-too-large', `the clip is ${mb(size)} MB; the limit is ${mb(limit)} MB`);
}

function decodeOptions({ sampleRateHz, signal }: ClipReadOptions): DecodeOptions {
  return { sampleRateHz, maxSeconds: MAX_CLIP_SECONDS + 1, ...(signal ? { signal } : {}) };
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
