import { describe, expect, it } from 'vitest';
import { memoryPostings } from '../testing/memoryPostings.js';
import { addNoise, concatPcm, synthSong } from '../testing/synthAudio.js';
import { FINGERPRINT_CONFIG as C, frameSeconds } from './config.js';
import { STREAM_DECISION_RULE } from './decisionRule.js';
import { extractSignalPeaks } from './fingerprintAudio.js';
import type { Peak } from './peaks.js';
import { alignedEdges, lowerBound, type BoundaryContext } from './streamBoundaries.js';
import { startSong } from './streamSong.js';

const RATE = C.sampleRateHz;
const FPS = 1 / frameSeconds(C);
const TRACK = 11;

/** The stream matcher's view of a recording: its peaks by window (frames relative to the window), and the lookup. */
function contextOf(stream: Float32Array, lookup: (hash: number) => Uint32Array): BoundaryContext {
  const peaks = extractSignalPeaks(stream, C, 'query');
  return {
    config: C,
    rule: STREAM_DECISION_RULE,
    windowFrames: Math.round(4 * FPS),
    hopFrames: Math.round(FPS),
    peaksIn: (from: number, to: number): Peak[] => {
      const out: Peak[] = [];
      for (let i = lowerBound(peaks, from); i < peaks.length && peaks[i].frame < to; i++) out.push({ ...peaks[i], frame: peaks[i].frame - from });
      return out;
    },
    lookup,
  };
}

describe('alignedEdges: where a followed song starts and stops in the stream', () => {
  // 20 s of music not in the library, then the track from its 10 s for 30 s (stream 20-50 s), then 10 s unknown.
  const track = synthSong(TRACK, 60, RATE);
  const stream = addNoise(concatPcm([synthSong(98, 20, RATE), track.slice(10 * RATE, 40 * RATE), synthSong(99, 10, RATE)]), 20, 5);
  const ctx = contextOf(stream, memoryPostings(new Map([[TRACK, track]]), C).lookup);
  const trackFrameAt = (streamSeconds: number): number => Math.round((streamSeconds - 20 + 10) * FPS);
  const song = (firstWindowSeconds: number, lastWindowEndSeconds: number) =>
    startSong(
      { trackNum: TRACK, offsetFrames: trackFrameAt(firstWindowSeconds), alignedCount: 30, confidence: 1, timeFactor: 1, pitchFactor: 1 },
      Math.round(firstWindowSeconds * FPS),
      Math.round(lastWindowEndSeconds * FPS),
    );

  it('places a song opened on a window that holds all of its start at its first aligned landmarks', () => {
    const edges = alignedEdges(song(19, 50), ctx)!;
    expect(edges).not.toBeNull();
    expect(edges[0] / FPS).toBeGreaterThan(19.5);
    expect(edges[0] / FPS).toBeLessThan(21);
    expect(edges[1] / FPS).toBeGreaterThan(48.5);
    expect(edges[1] / FPS).toBeLessThan(51);
  });

  it('places a song opened on a window that barely holds it (its last 0.3 s) at its start, not in its last window', () => {
    // The first window is 16.3-20.3 s: too few of the song's landmarks in it to make an edge. The start used to be read
    // in the last window (46-50 s), reporting a 30 s song as its last 4 s.
    const edges = alignedEdges(song(16.3, 50), ctx)!;
    expect(edges).not.toBeNull();
    expect(edges[0] / FPS).toBeGreaterThan(19.5);
    expect(edges[0] / FPS).toBeLessThan(21.5);
    expect(edges[1] / FPS).toBeGreaterThan(48.5);
  });

  it('places a song whose last window barely holds it (its first 0.3 s) at its end, not in its first window', () => {
    const edges = alignedEdges(song(20, 53.7), ctx)!;
    expect(edges).not.toBeNull();
    expect(edges[0] / FPS).toBeLessThan(21);
    expect(edges[1] / FPS).toBeGreaterThan(48.5);
    expect(edges[1] / FPS).toBeLessThan(51);
  });
});
