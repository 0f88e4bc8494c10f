import { describe, expect, it } from 'vitest';
import { FINGERPRINT_CONFIG as C } from './config.js';
import type { Peak } from './peaks.js';
import { indexTrackPeaks, verifyCandidate } from './verifyMatch.js';

/** A deterministic scatter of peaks: one every 3 frames at pseudo-random pitches. */
function scatter(seed: number, frames: number): Peak[] {
  const out: Peak[] = [];
  for (let f = 0; f < frames; f += 3) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out.push({ frame: f, pitch: 12 + (seed / 2 ** 32) * 50, prominenceDb: 10 });
  }
  return out;
}

describe('verifyCandidate', () => {
  const track = scatter(1, 3000);
  const index = indexTrackPeaks(track, C);

  it('matches every peak of an exact excerpt at the right offset, and few at the decoys', () => {
    const clip = track.filter((p) => p.frame >= 900 && p.frame < 1200).map((p) => ({ ...p, frame: p.frame - 900 }));
    const v = verifyCandidate(clip, index, 900, { timeFactor: 1, pitchFactor: 1 }, C);
    expect(v.consideredPeaks).toBe(clip.length);
    expect(v.matchedPeaks).toBe(clip.length);
    expect(v.decoyMax).toBeLessThan(clip.length / 4);
    expect(v.score).toBeGreaterThan(10);
  });

  it('finds the excerpt of a 3 % faster, higher clip under that hypothesis', () => {
    const clip = track
      .filter((p) => p.frame >= 900 && p.frame < 1200)
      .map((p) => ({ ...p, frame: (p.frame - 900) / 1.03, pitch: p.pitch + 12 * Math.log2(1.03) }));
    const right = verifyCandidate(clip, index, 900, { timeFactor: 1.03, pitchFactor: 1.03 }, C);
    const wrong = verifyCandidate(clip, index, 900, { timeFactor: 1, pitchFactor: 1 }, C);
    expect(right.matchedPeaks).toBeGreaterThan(0.9 * clip.length);
    expect(wrong.matchedPeaks).toBeLessThan(0.3 * clip.length);
  });

  it('scores unrelated peaks near chance', () => {
    const v = verifyCandidate(scatter(99, 300), index, 900, { timeFactor: 1, pitchFactor: 1 }, C);
    expect(v.score).toBeLessThan(4);
  });
});
