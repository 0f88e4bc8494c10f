// Reads RIFF/WAVE files (PCM 8/16/24/32-bit integer and 32/64-bit float, WAVE_FORMAT_EXTENSIBLE too) into mono
// Float32 in pure JS: the fast path for WAV clips, which then never wait for an ffmpeg process. Pure parsing; returns
// null for anything it does not handle so the caller can fall back to ffmpeg.

export interface WavPcm {
  readonly sampleRateHz: number;
  readonly channelCount: number;
  /** Mono (channels averaged), in [-1, 1]. */
  readonly pcm: Float32Array;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export function parseWav(bytes: Uint8Array): WavPcm | null {
  if (bytes.byteLength < 12) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number): string => String.fromCharCode(bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return null;
  let format = 0;
  let channelCount = 0;
  let sampleRateHz = 0;
  let bits = 0;
  let dataOffset = -1;
  let dataLength = 0;
  for (let o = 12; o + 8 <= bytes.byteLength; ) {
    const id = tag(o);
    const size = view.getUint32(o + 4, true);
    const body = o + 8;
    if (id === 'fmt ' && size >= 16) {
      format = view.getUint16(body, true);
      channelCount = view.getUint16(body + 2, true);
      sampleRateHz = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
      if (format === WAVE_FORMAT_EXTENSIBLE && size >= 26) format = view.getUint16(body + 24, true);
    } else if (id === 'data') {
      dataOffset = body;
      // Streams written live may leave the size at 0 or 0xFFFFFFFF: take what is there.
      dataLength = Math.min(size === 0 || size === 0xffffffff ? Infinity : size, bytes.byteLength - body);
      break;
    }
    o = body + size + (size & 1);
  }
  if (dataOffset < 0 || channelCount < 1 || sampleRateHz < 1) return null;
  const isFloat = format === WAVE_FORMAT_IEEE_FLOAT && (bits === 32 || bits === 64);
  const isInt = format === WAVE_FORMAT_PCM && (bits === 8 || bits === 16 || bits === 24 || bits === 32);
  if (!isFloat && !isInt) return null;
  const bytesPerSample = bits / 8;
  const frameBytes = bytesPerSample * channelCount;
  const frames = Math.floor(dataLength / frameBytes);
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
