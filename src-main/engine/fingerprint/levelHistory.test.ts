import { describe, expect, it } from 'vitest';
import { LevelHistory } from './levelHistory.js';

const constant = (value: number, length: number) => new Float32Array(length).fill(value);

describe('LevelHistory: how loud a stretch of the stream was', () => {
  it('reads the RMS of the whole blocks inside a stretch, whatever the chunks it arrived in', () => {
    const h = new LevelHistory(100, 1000);
    // 300 samples at 0.5 (-6.02 dB), then 300 at 0.05 (-26.02 dB), pushed in odd chunks.
    const pcm = new Float32Array([...constant(0.5, 300), ...constant(0.05, 300)]);
    for (let at = 0; at < pcm.length; at += 77) h.push(pcm.subarray(at, at + 77));
    expect(h.levelDb(0, 300)).toBeCloseTo(-6.02, 2);
    expect(h.levelDb(300, 600)).toBeCloseTo(-26.02, 2);
    // Both halves: mean square (0.25 + 0.0025) / 2.
    expect(h.levelDb(0, 600)).toBeCloseTo(10 * Math.log10((0.25 + 0.0025) / 2), 2);
    // Only whole blocks count: [50, 250) holds block 1 only.
    expect(h.levelDb(50, 250)).toBeCloseTo(-6.02, 2);
  });

  it('has nothing to say of a stretch not heard yet, or let go', () => {
    const h = new LevelHistory(100, 3);
    h.push(constant(0.1, 250)); // blocks 0, 1 whole; block 2 partial
    expect(h.levelDb(200, 300)).toBeNull();
    expect(h.levelDb(0, 50)).toBeNull(); // no whole block inside
    h.push(constant(0.2, 350)); // blocks 2..5 whole: 0..2 let go (keeps 3)
    expect(h.levelDb(0, 300)).toBeNull();
    expect(h.levelDb(300, 600)).toBeCloseTo(20 * Math.log10(0.2), 2);
  });

  it('reads digital silence as very quiet, not as an error', () => {
    const h = new LevelHistory(10, 10);
    h.push(new Float32Array(50));
    expect(h.levelDb(0, 50)).toBe(-200);
  });
});
