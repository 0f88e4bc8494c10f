// Tests for createF32leSplitter: any split of the byte stream yields the same samples, in order.
import { describe, expect, it } from 'vitest';
import { createF32leSplitter } from './f32leChunks.js';

function bytesOf(samples: number[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(samples.length * 4));
  samples.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return new Uint8Array(view.buffer);
}

describe('createF32leSplitter', () => {
  const samples = Array.from({ length: 37 }, (_, i) => Math.fround(Math.sin(i) * 0.9));
  const bytes = bytesOf(samples);

  it('reassembles samples split at every possible pair of cut points', () => {
    for (let a = 0; a <= bytes.length; a += 1) {
      for (const b of [a, a + 1, a + 3, a + 5, bytes.length]) {
        if (b > bytes.length) continue;
        const splitter = createF32leSplitter();
        const parts = [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)].map((p) => splitter.push(p));
        const joined = parts.flatMap((p) => Array.from(p));
        expect(joined).toEqual(samples);
        expect(splitter.pendingByteCount).toBe(0);
      }
    }
  });

  it('returns fresh, aligned arrays and holds back a partial sample', () => {
    const splitter = createF32leSplitter();
    const first = splitter.push(bytes.subarray(1, 7)); // 6 bytes from an odd offset
    expect(first.length).toBe(1);
    expect(first.byteOffset).toBe(0);
    expect(splitter.pendingByteCount).toBe(2);
    const tiny = splitter.push(bytes.subarray(7, 8));
    expect(tiny.length).toBe(0);
    expect(splitter.pendingByteCount).toBe(3);
  });
});
