// Packs a track's peaks into bytes for the landmark store (match verification reads them back). Pure.
// Layout per peak, little-endian: frame u32, pitch as centi-semitones u16 (0..655.35 semitones) = 6 bytes.
import type { Peak } from './peaks.js';

const BYTES_PER_PEAK = 6;

export function packPeaks(peaks: readonly Peak[]): Uint8Array {
  const bytes = new Uint8Array(peaks.length * BYTES_PER_PEAK);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < peaks.length; i++) {
    const o = i * BYTES_PER_PEAK;
    view.setUint32(o, peaks[i].frame, true);
    view.setUint16(o + 4, Math.max(0, Math.min(65535, Math.round(peaks[i].pitch * 100))), true);
  }
  return bytes;
}

/** Peaks back from packPeaks (prominence is not stored: 0). */
export function unpackPeaks(bytes: Uint8Array): Peak[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = Math.floor(bytes.byteLength / BYTES_PER_PEAK);
  const peaks = new Array<Peak>(count);
  for (let i = 0; i < count; i++) {
    const o = i * BYTES_PER_PEAK;
    peaks[i] = { frame: view.getUint32(o, true), pitch: view.getUint16(o + 4, true) / 100, prominenceDb: 0 };
  }
  return peaks;
}
