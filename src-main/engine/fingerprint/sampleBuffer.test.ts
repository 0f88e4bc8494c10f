import { describe, expect, it } from 'vitest';
import { SampleBuffer } from './sampleBuffer.js';

const ramp = (from: number, n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => from + i);

describe('SampleBuffer', () => {
  it('keeps samples by absolute index across growth and drops, and copies only what it still holds', () => {
    const b = new SampleBuffer();
    for (let at = 0; at < 30000; at += 7000) b.keep(ramp(at, 7000)); // 35000 samples, grown past 8192 by doubling
    expect(b.start).toBe(0);
    expect(b.samples.length).toBe(35000);
    b.forgetBefore(20000);
    expect(b.start).toBe(20000);
    expect(Array.from(b.samples.subarray(0, 3))).toEqual([20000, 20001, 20002]);
    expect(Array.from(b.copy(34998, 10))).toEqual([34998, 34999]); // cut at the end
    expect(Array.from(b.copy(19998, 4))).toEqual([20000, 20001]); // and at the start
    b.forgetBefore(10000); // already gone: nothing changes
    b.forgetBefore(40000); // past the end: nothing changes
    expect(b.start).toBe(20000);
    b.keep(ramp(35000, 2));
    expect(b.samples[b.samples.length - 1]).toBe(35001);
    b.release();
    expect(b.samples.length).toBe(0);
    expect(b.start).toBe(35002);
  });
});
