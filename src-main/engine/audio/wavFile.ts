// Reads RIFF/WAVE files (PCM 8/16/24/32-bit integer and 32/64-bit float, WAVE_FORMAT_EXTENSIBLE too) into mono
// Float32 in pure JS: the fast path for WAV clips, which then never wait for an ffmpeg process. Pure parsing; returns
// null for anything it does not handle so the caller can fall back to ffmpeg, and throws AppError('unsupported-format')
// for a header no real recording has (a sample rate outside 1 kHz..768 kHz, 0 or absurdly many channels), which
// would otherwise make a 3 s file decode as 122 hours or a resampler table of gigabytes, in JS or in ffmpeg alike.
import { AppError } from '../errors.js';

export interface WavPcm {
  readonly sampleRateHz: number;
  readonly channelCount: number;
  /** Mono (channels averaged), in [-1, 1]. */
  readonly pcm: Float32Array;
}

/** Sample rates a WAV header may claim: telephone-grade 1 kHz (some loggers) up to DXD-style 768 kHz. */
export const MIN_SAMPLE_RATE_HZ = 1000;
export const MAX_SAMPLE_RATE_HZ = 768_000;
/** Channels a WAV header may claim: 7th-order ambisonics has 64; more is a damaged or hostile header. */
export const MAX_CHANNEL_COUNT = 64;

/** The fmt chunk's claims, before any sample is read. */
export interface WavFormat {
  readonly format: number;
  readonly channelCount: number;
  readonly sampleRateHz: number;
  readonly bits: number;
  /** Byte offset of the data chunk's body, -1 when none was found in the bytes given. */
  readonly dataOffset: number;
  readonly dataLength: number;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Reads the RIFF/WAVE chunk headers (the first few KB of a file are enough when the fmt chunk comes first, as it
 * does in practice); null when the bytes are not RIFF/WAVE or hold no fmt chunk. Throws AppError('unsupported-format')
 * for an impossible sample rate or channel count (see checkWavFormat).
 */
export function readWavFormat(bytes: Uint8Array): WavFormat | null {
  if (bytes.byteLength < 12) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number): string => String.fromCharCode(bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return null;
  let format = 0;
  let channelCount = 0;
  let sampleRateHz = 0;
  let bits = 0;
  let hasFmt = false;
  let dataOffset = -1;
  let dataLength = 0;
  for (let o = 12; o + 8 <= bytes.byteLength;) {
    const id = tag(o);
    const size = view.getUint32(o + 4, true);
    const body = o + 8;
    if (id === 'fmt ' && size >= 16 && body + 16 <= bytes.byteLength) {
      hasFmt = true;
      format = view.getUint16(body, true);
      channelCount = view.getUint16(body + 2, true);
      sampleRateHz = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
      if (format === WAVE_FORMAT_EXTENSIBLE && size >= 26 && body + 26 <= bytes.byteLength) format = view.getUint16(body + 24, true);
    } else if (id === 'data') {
      dataOffset = body;
      // Streams written live may leave the size at 0 or 0xFFFFFFFF: take what is there.
      dataLength = Math.max(0, Math.min(size === 0 || size === 0xffffffff ? Infinity : size, bytes.byteLength - body));
      break;
    }
    o = body + size + (size & 1);
  }
  if (!hasFmt) return null;
  const wav = { format, channelCount, sampleRateHz, bits, dataOffset, dataLength };
  checkWavFormat(wav);
  return wav;
}

/** Refuses a header no real recording has: the rate outside MIN..MAX_SAMPLE_RATE_HZ, 0 or > MAX_CHANNEL_COUNT channels. */
export function checkWavFormat(wav: Pick<WavFormat, 'sampleRateHz' | 'channelCount'>): void {
  if (wav.sampleRateHz < MIN_SAMPLE_RATE_HZ || wav.sampleRateHz > MAX_SAMPLE_RATE_HZ) {
    throw new AppError(
      'unsupported-format',
      `the WAV header claims a sample rate of ${wav.sampleRateHz} Hz; only ${MIN_SAMPLE_RATE_HZ}..${MAX_SAMPLE_RATE_HZ} Hz is accepted`,
    );
  }
  if (wav.channelCount < 1 || wav.channelCount > MAX_CHANNEL_COUNT) {
    throw new AppError('unsupported-format', `the WAV header claims ${wav.channelCount} channels; only 1..${MAX_CHANNEL_COUNT} are accepted`);
  }
}

/** Parses the samples too; `maxSeconds` stops reading after that much audio (a clip's length cap). */
export function parseWav(bytes: Uint8Array, maxSeconds = Number.POSITIVE_INFINITY): WavPcm | null {
  const header = readWavFormat(bytes);
  if (!header || header.dataOffset < 0) return null;
  const { channelCount, sampleRateHz, bits, dataOffset, dataLength } = header;
  const format = header.format;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isFloat = format === WAVE_FORMAT_IEEE_FLOAT && (bits === 32 || bits === 64);
  const isInt = format === WAVE_FORMAT_PCM && (bits === 8 || bits === 16 || bits === 24 || bits === 32);
  if (!isFloat && !isInt) return null;
  const bytesPerSample = bits / 8;
  const frameBytes = bytesPerSample * channelCount;
  const frames = Math.min(Math.floor(dataLength / frameBytes), Math.ceil(maxSeconds * sampleRateHz));
  const pcm = new Float32Array(frames);
  const read = (o: number): number => {
    if (isFloat) return bits === 32 ? view.getFloat32(o, true) : view.getFloat64(o, true);
    switch (bits) {
      case 8:
        return (bytes[o] - 128) / 128;
      case 16:
        return view.getInt16(o, true) / 32768;
      case 24: {
        const v = bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16);
        return ((v << 8) >> 8) / 8388608;
      }
      default:
        return view.getInt32(o, true) / 2147483648;
    }
  };
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    const base = dataOffset + f * frameBytes;
    for (let c = 0; c < channelCount; c++) sum += read(base + c * bytesPerSample);
    pcm[f] = sum / channelCount;
  }
  return { sampleRateHz, channelCount, pcm };
}
