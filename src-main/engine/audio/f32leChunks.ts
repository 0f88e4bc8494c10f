// Turns a byte stream of little-endian float32 samples, cut at arbitrary byte offsets, into aligned Float32Arrays.
// Pure apart from the splitter's own carry (at most 3 bytes of an unfinished sample); no I/O.

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface F32leSplitter {
  /** Returns the samples completed by `bytes` as a fresh, aligned array (length 0 when none completed). */
  push(bytes: Uint8Array): Float32Array;
  /** Bytes held back waiting for the rest of their sample, 0..3. */
  readonly pendingByteCount: number;
}

export function createF32leSplitter(): F32leSplitter {
  const pending = new Uint8Array(4);
  let pendingCount = 0;
  return {
    push(bytes: Uint8Array): Float32Array {
      const totalBytes = pendingCount + bytes.length;
      const sampleCount = Math.floor(totalBytes / 4);
      const out = new Float32Array(sampleCount);
      if (sampleCount === 0) {
        pending.set(bytes, pendingCount);
        pendingCount += bytes.length;
        return out;
      }
      const outBytes = new Uint8Array(out.buffer);
      outBytes.set(pending.subarray(0, pendingCount), 0);
      const takenFromBytes = sampleCount * 4 - pendingCount;
      outBytes.set(bytes.subarray(0, takenFromBytes), pendingCount);
      pendingCount = bytes.length - takenFromBytes;
      pending.set(bytes.subarray(takenFromBytes), 0);
      if (!IS_LITTLE_ENDIAN) {
        for (let i = 0; i < outBytes.length; i += 4) {
          const b0 = outBytes[i];
          const b1 = outBytes[i + 1];
          outBytes[i] = outBytes[i + 3];
          outBytes[i + 1] = outBytes[i + 2];
          outBytes[i + 2] = b1;
          outBytes[i + 3] = b0;
        }
      }
      return out;
    },
    get pendingByteCount() {
      return pendingCount;
    },
  };
}
