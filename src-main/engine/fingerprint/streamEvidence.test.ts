import { describe, expect, it } from 'vitest';
import { memoryPostings } from '../testing/memoryPostings.js';
import { resampleLinear, synthSong } from '../testing/synthAudio.js';
import { FINGERPRINT_CONFIG as C } from './config.js';
import { STREAM_DECISION_RULE as RULE, isSharpPeak, speedGrid } from './decisionRule.js';
import { extractSignalPeaks } from './fingerprintAudio.js';
import { makeQueryKeys } from './landmarks.js';
import { voteOffsets } from './matcher.js';
import { beyondRangeSpeeds, loopTeeth, offsetProfile, playsBeyondRange } from './streamEvidence.js';

const RATE = C.sampleRateHz;
const FPS = RATE / C.hopSizeSamples;
const IDENTITY = { timeFactor: 1, pitchFactor: 1 };

/** A one-track store (track 1) of `pcm`. */
function store(pcm: Float32Array): (h: number) => Uint32Array {
  return memoryPostings(new Map([[1, pcm]]), C).lookup;
}

/** The clip's best vote for track 1 and its offset profile. */
function profileOf(clip: Float32Array, lookup: (h: number) => Uint32Array) {
  const peaks = extractSignalPeaks(clip, C, 'query');
  const [best] = voteOffsets(makeQueryKeys(peaks, C, IDENTITY, RULE.keyTolerance), lookup, RULE.offsetToleranceFrames);
  return { best, profile: offsetProfile(peaks, C, lookup, RULE, { trackNum: 1, offsetFrames: best.offsetFrames, ...IDENTITY }) };
}

describe('offsetProfile: a recording lines up at one offset; a repeated sound at many', () => {
  const song = synthSong(21, 40, RATE);
  const clip = song.slice(10 * RATE, 20 * RATE);

  it("finds the clip of a track as a sharp peak: its own offset far above the track's others", () => {
    const { best, profile } = profileOf(clip, store(song));
    expect(best.offsetFrames / FPS).toBeCloseTo(10, 0);
    expect(profile.aligned).toBeGreaterThanOrEqual(best.alignedCount * 0.8);
    expect(profile.sharpness).toBeGreaterThanOrEqual(RULE.minPeakSharpness);
    expect(isSharpPeak(profile.aligned, profile.farAligned, RULE)).toBe(true);
    expect(profile.spread).toBeGreaterThan(0.8); // aligned votes all through the window
  });

  it('sees a comb when the track holds the same sound again 2 s later (an echo, a loop): not a sharp peak', () => {
    // The track: the song plus itself 2 s later, at equal level. The clip lines up at both offsets.
    const echoed = new Float32Array(song.length);
    const lag = 2 * RATE;
    for (let i = 0; i < song.length; i++) echoed[i] = 0.5 * (song[i] + (i >= lag ? song[i - lag] : 0));
    const { best, profile } = profileOf(clip, store(echoed));
    expect(best.alignedCount).toBeGreaterThanOrEqual(RULE.minAligned);
    expect(profile.farAligned).toBeGreaterThan(profile.aligned / RULE.minPeakSharpness);
    expect(isSharpPeak(profile.aligned, profile.farAligned, RULE)).toBe(false);
    // The clip rule (bar 0) would not tell them apart.
    expect(isSharpPeak(profile.aligned, profile.farAligned, { ...RULE, minPeakSharpness: 0 })).toBe(true);
  });
});

describe("loopTeeth: a loop's other repeats, as sharp as the candidate's and nearly as strong", () => {
  // Postings written by hand: every landmark of the clip votes for track 1 at offsets chosen by its index.
  const peaks = extractSignalPeaks(synthSong(22, 6, RATE), C, 'query');
  const keys = makeQueryKeys(peaks, C, IDENTITY, RULE.keyTolerance);
  const landmarks = new Set(Array.from(keys.landmarkIds)).size;
  function lookupWith(offsetsOf: (landmark: number) => number[]): (h: number) => Uint32Array {
    const postings = new Map<number, number[]>();
    for (let k = 0; k < keys.count; k++) {
      if (k > 0 && keys.landmarkIds[k] === keys.landmarkIds[k - 1]) continue; // one key per landmark is enough
      let list = postings.get(keys.hashes[k]);
      if (!list) postings.set(keys.hashes[k], (list = []));
      for (const d of offsetsOf(keys.landmarkIds[k])) list.push(1, keys.frames[k] + d);
    }
    return (h) => Uint32Array.from(postings.get(h) ?? []);
  }
  const teethOf = (lookup: (h: number) => Uint32Array, rule = RULE): number[] =>
    loopTeeth(peaks, C, lookup, rule, { trackNum: 1, offsetFrames: 1000, ...IDENTITY });

  it('keeps sharp teeth with at least loopToothShare of the best; drops weak ones, ridges, blunt teeth and the candidate', () => {
    expect(landmarks).toBeGreaterThan(100);
    const lookup = lookupWith((i) => [
      1000, // the candidate: every landmark
      ...(i % 10 < 8 ? [1300] : []), // a repeat with 80 % of the votes: a tooth
      ...(i % 10 < 3 ? [1700] : []), // 30 %: under loopToothShare (0.5)
      2200 + (i % 61), // a ridge: the votes spread over a second of offsets
      ...(i % 10 < 6 ? [2600] : []), // 60 %, but 40 % only 6 frames away: blunt
      ...(i % 10 >= 6 ? [2606] : []),
      ...(i % 10 < 6 ? [3000] : []), // 60 % and alone: a tooth
    ]);
    expect(teethOf(lookup)).toEqual([1300, 3000]);
    expect(teethOf(lookup, { ...RULE, loopToothShare: 0.7 })).toEqual([1300]);
    expect(teethOf(lookup, { ...RULE, loopToothShare: 0 })).toEqual([]); // off
  });

  it('finds none for a recording heard once: its other offsets hold chance votes only', () => {
    const song = synthSong(21, 40, RATE);
    const clip = song.slice(10 * RATE, 20 * RATE);
    const clipPeaks = extractSignalPeaks(clip, C, 'query');
    const lookup = store(song);
    const [best] = voteOffsets(makeQueryKeys(clipPeaks, C, IDENTITY, RULE.keyTolerance), lookup, RULE.offsetToleranceFrames);
    expect(loopTeeth(clipPeaks, C, lookup, RULE, { trackNum: 1, offsetFrames: best.offsetFrames, ...IDENTITY })).toEqual([]);
  });
});

describe('beyondRangeSpeeds: turntable speeds past the grid, nearest first', () => {
  it("starts one 1 % step past the grid's turntable edge and stops at the probe", () => {
    expect(beyondRangeSpeeds(speedGrid(0.04), 0.06).map((f) => +f.toFixed(2))).toEqual([1.05, 0.95, 1.06, 0.94]);
    const stream = beyondRangeSpeeds(RULE.hypotheses, 0.2);
    expect(stream.slice(0, 4).map((f) => +f.toFixed(2))).toEqual([1.09, 0.91, 1.1, 0.9]);
    expect(stream).toHaveLength(24);
    expect(beyondRangeSpeeds(RULE.hypotheses, 0.08)).toEqual([]);
  });
});

describe('playsBeyondRange: where a track votes best beyond the speeds searched', () => {
  const song = synthSong(23, 60, RATE);
  const track = { trackNum: 1, frames: Math.round(60 * FPS) };
  const lookup = store(song);
  // Keep listening's window: 4 s, at 20 s into the track.
  const window = (speed: number) =>
    extractSignalPeaks(resampleLinear(song.slice(20 * RATE, (20 + 4 * speed + 0.1) * RATE), speed), C, 'query').filter((p) => p.frame < 4 * FPS);
  const asked = (speed: number, heardAt: number) =>
    playsBeyondRange(window(speed), C, lookup, track, { timeFactor: heardAt, pitchFactor: heardAt }, RULE, 0.2, 1.25);

  it('says so of a track played 14 % fast, whatever speed inside the grid it was found at', () => {
    expect(asked(1.14, 1.08)).toBe(true);
    expect(asked(1.14, 1.03)).toBe(true);
    expect(asked(0.86, 0.97)).toBe(true);
  });

  it('does not of a track played at the speed it was found at, inside the grid or on its edge', () => {
    expect(asked(1, 1)).toBe(false);
    expect(asked(1.05, 1.05)).toBe(false);
    expect(asked(1.08, 1.08)).toBe(false);
    expect(asked(0.92, 0.92)).toBe(false);
  });
});
