// Two library files of one recording heard over the same stretch: one entry, the other file beside it.
import { describe, expect, it } from 'vitest';
import { synthSong } from '../testing/synthAudio.js';
import { FINGERPRINT_CONFIG as C } from './config.js';
import { STREAM_DECISION_RULE } from './decisionRule.js';
import { extractSignalPeaks } from './fingerprintAudio.js';
import type { Peak } from './peaks.js';
import { absorbSameRecordings, sameRecordingTest } from './streamSameRecording.js';
import { mergeSegmentPair } from './streamSegments.js';
import type { StreamSegment } from './streamTypes.js';

const RATE = C.sampleRateHz;
const FPS = RATE / C.hopSizeSamples;

function song(trackNum: number, startSeconds: number, endSeconds: number, trackAtSeconds: number, maxAligned = 40): StreamSegment {
  const startFrame = Math.round(startSeconds * FPS);
  return {
    trackNum,
    startFrame,
    endFrame: Math.round(endSeconds * FPS),
    trackStartFrame: Math.round(trackAtSeconds * FPS),
    timeFactor: 1,
    pitchFactor: 1,
    windows: 4,
    acceptedWindows: 2,
    maxAligned,
    confidence: 0.9,
    evidence: {
      windowStartFrame: startFrame,
      candidate: { trackNum, offsetFrames: 0, alignedCount: maxAligned, confidence: 0.9, timeFactor: 1, pitchFactor: 1 },
    },
  };
}

// Track 1 and track 2 hold one recording, track 2 starting 10 s into it (another release, with an intro cut);
// track 3 is other music.
const audio = synthSong(61, 60, RATE);
const peaks = new Map<number, Peak[]>([
  [1, extractSignalPeaks(audio, C, 'track')],
  [2, extractSignalPeaks(audio.subarray(10 * RATE), C, 'track')],
  [3, extractSignalPeaks(synthSong(62, 60, RATE), C, 'track')],
]);
const same = sameRecordingTest((n) => peaks.get(n) ?? [], C, STREAM_DECISION_RULE);

describe('sameRecordingTest', () => {
  it('says one recording when the two tracks agree at the offset the two alignments imply', () => {
    // Track 1 from 24 s at 20 s into the stream; track 2 from 16 s at 22 s, i.e. 10 s behind track 1: the same audio.
    // (Times on whole frames: the synthetic song repeats itself, so one frame off lets a decoy offset agree too.)
    expect(same(song(1, 20, 50, 24), song(2, 22, 50, 16))).toBe(true);
  });

  it('says two songs for other music, for the same tracks at an offset they do not share, and for little overlap', () => {
    expect(same(song(1, 20, 50, 24), song(3, 20, 50, 24))).toBe(false);
    expect(same(song(1, 20, 50, 24), song(2, 20, 50, 3))).toBe(false);
    expect(same(song(1, 0, 30, 5), song(2, 20, 50, 20))).toBe(false); // a crossfade's worth of overlap
  });
});

describe('absorbSameRecordings', () => {
  it('keeps the entry with more evidence and lists the other file beside it, in time order', () => {
    const out = absorbSameRecordings([song(9, 0, 20, 0), song(1, 20, 50, 24, 30), song(2, 22, 50, 16, 55), song(4, 50, 80, 0)], same);
    expect(out.map((s) => [s.trackNum, s.sameRecording ?? []])).toEqual([
      [9, []],
      [2, [1]],
      [4, []],
    ]);
    expect(out[1].startFrame).toBe(Math.round(22 * FPS)); // the kept entry's own span and alignment
  });

  it('lists each other file once, never the kept one (two parts of a recording may each have kept the other file)', () => {
    const fromPart1 = { ...song(1, 20, 50, 24, 30), sameRecording: [2] };
    const fromPart2 = { ...song(2, 22, 50, 16, 55), sameRecording: [1] };
    const [one] = absorbSameRecordings([fromPart1, fromPart2], same);
    expect([one.trackNum, one.sameRecording]).toEqual([2, [1]]);
    // A song joined across a cut keeps the other files both halves saw.
    expect(mergeSegmentPair(song(1, 0, 20, 0), { ...song(1, 20, 40, 20), sameRecording: [5] }).sameRecording).toEqual([5]);
  });
});
