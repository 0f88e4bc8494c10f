import { describe, expect, it } from 'vitest';
import { FINGERPRINT_CONFIG as C } from './config.js';
import type { Peak } from './peaks.js';
import { DEFAULT_DECISION_RULE, isSameRecording, STREAM_DECISION_RULE, WIDE_VERIFICATION } from './decisionRule.js';
import { scatterPeaks } from '../testing/peakScatter.js';
import { indexTrackPeaks, NARROW_VERIFICATION, trackAgreement, verifyCandidate } from './verifyMatch.js';

const scatter = scatterPeaks;

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

  it("meets peaks a room moved by 2 frames with the clip rule's tolerance (2.5 frames), not with the narrow one (1.5)", () => {
    // A room tips a sustained partial's maximum a frame or three either way (peakSurvival: ~40 % of the found peaks
    // stay on their frame). Here every peak of the excerpt moves 2 frames, alternately earlier and later.
    const clip = track
      .filter((p) => p.frame >= 900 && p.frame < 1200)
      .map((p, i) => ({ ...p, frame: p.frame - 900 + (i % 2 === 0 ? 2 : -2) }))
      .sort((a, b) => a.frame - b.frame);
    const identity = { timeFactor: 1, pitchFactor: 1 };
    const wide = verifyCandidate(clip, index, 900, identity, C, WIDE_VERIFICATION);
    const narrow = verifyCandidate(clip, index, 900, identity, C, NARROW_VERIFICATION);
    expect(wide.matchedPeaks).toBeGreaterThan(0.95 * wide.consideredPeaks);
    expect(narrow.matchedPeaks).toBeLessThan(0.2 * narrow.consideredPeaks);
    expect(wide.score).toBeGreaterThan(10);
    expect(DEFAULT_DECISION_RULE.verification).toBe(WIDE_VERIFICATION);
    expect(STREAM_DECISION_RULE.verification).toBe(NARROW_VERIFICATION);
  });

  it('measures chance over every decoy offset it is given', () => {
    // Decoys on a repeat of the excerpt (the track plays it again 600 frames later) count it as chance; others do not.
    const repeat = track.filter((p) => p.frame >= 900 && p.frame < 1200).map((p) => ({ ...p, frame: p.frame + 600 }));
    const looped = [...track.filter((p) => p.frame < 1500), ...repeat];
    const loopIndex = indexTrackPeaks(looped, C);
    const clip = track.filter((p) => p.frame >= 900 && p.frame < 1200).map((p) => ({ ...p, frame: p.frame - 900 }));
    const identity = { timeFactor: 1, pitchFactor: 1 };
    const onRepeat = verifyCandidate(clip, loopIndex, 900, identity, C, { ...NARROW_VERIFICATION, decoySteps: [600] });
    const offRepeat = verifyCandidate(clip, loopIndex, 900, identity, C, { ...NARROW_VERIFICATION, decoySteps: [331] });
    expect(onRepeat.decoyMean).toBe(clip.length);
    expect(onRepeat.score).toBe(0);
    expect(offRepeat.decoyMean).toBeLessThan(clip.length / 4);
  });

  it('scores unrelated peaks near chance', () => {
    const v = verifyCandidate(scatter(99, 300), index, 900, { timeFactor: 1, pitchFactor: 1 }, C);
    expect(v.score).toBeLessThan(4);
  });

  it('stands an exact excerpt far above its own moments at other frequencies (the shifted decoys)', () => {
    const clip = track.filter((p) => p.frame >= 900 && p.frame < 1200).map((p) => ({ ...p, frame: p.frame - 900 }));
    const v = verifyCandidate(clip, index, 900, { timeFactor: 1, pitchFactor: 1 }, C);
    expect(v.shiftedDecoyMean).toBeLessThan(clip.length / 4);
    expect(v.shiftedScore).toBeGreaterThan(10);
    const faster = clip.map((p) => ({ ...p, frame: p.frame / 1.03, pitch: p.pitch + 12 * Math.log2(1.03) }));
    expect(verifyCandidate(faster, index, 900, { timeFactor: 1.03, pitchFactor: 1.03 }, C).shiftedScore).toBeGreaterThan(10);
  });
});

describe('verifyCandidate: two recordings that only share a beat', () => {
  /** A drum on every beat: each hit a burst of peaks over 1.5 frames at random frequencies (a noise burst's peaks). */
  function drums(seed: number, beats: number, beatFrames: number): Peak[] {
    const out: Peak[] = [];
    for (let b = 0; b < beats; b++) {
      for (let k = 0; k < 20; k++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const frame = Math.round(b * beatFrames) + (k % 2);
        out.push({ frame, pitch: 12 + (seed / 2 ** 32) * 50, prominenceDb: 10 });
      }
    }
    return out.sort((a, b) => a.frame - b.frame);
  }
  const track = drums(1, 60, 39.4);
  const index = indexTrackPeaks(track, C);
  // Another song's drum on the same beat: hits at the same instants, other noise, so other frequencies.
  const clip = drums(2, 5, 39.4);
  const offset = Math.round(20 * 39.4);

  it('looks far above chance against decoy offsets, which move the clip off the beat', () => {
    const v = verifyCandidate(clip, index, offset, { timeFactor: 1, pitchFactor: 1 }, C);
    expect(v.score).toBeGreaterThan(DEFAULT_DECISION_RULE.minVerifyScore);
  });

  it('matches no more than its own instants do at other frequencies: below minShiftedScore', () => {
    const v = verifyCandidate(clip, index, offset, { timeFactor: 1, pitchFactor: 1 }, C);
    expect(v.matchedPeaks).toBeGreaterThan(0);
    expect(v.shiftedScore).toBeLessThan(DEFAULT_DECISION_RULE.minShiftedScore);
    // The drum of the track itself, on the same beat, stands far above it.
    const own = track.filter((p) => p.frame >= offset && p.frame < offset + 5 * 39.4).map((p) => ({ ...p, frame: p.frame - offset }));
    expect(verifyCandidate(own, index, offset, { timeFactor: 1, pitchFactor: 1 }, C).shiftedScore).toBeGreaterThan(DEFAULT_DECISION_RULE.minShiftedScore);
  });
});

describe('trackAgreement', () => {
  const track = scatter(1, 3000);
  const index = indexTrackPeaks(track, C);

  it('finds another file of the same recording, 40 frames later and 1 % higher, in agreement', () => {
    const copy = indexTrackPeaks(
      track.map((p) => ({ ...p, frame: p.frame + 40, pitch: p.pitch + 12 * Math.log2(1.01) })),
      C,
    );
    const g = trackAgreement(index, copy, 0, 3000, 40);
    expect(g.considered).toBe(1000);
    expect(g.matched).toBe(1000);
    expect(g.decoyMax).toBeLessThan(150);
    expect(isSameRecording(g, DEFAULT_DECISION_RULE)).toBe(true);
    // At the wrong relative offset the same two files look unrelated.
    expect(isSameRecording(trackAgreement(index, copy, 0, 3000, 0), DEFAULT_DECISION_RULE)).toBe(false);
  });

  it('does not take a track that shares one 300-frame passage for the same recording', () => {
    const other = scatter(7, 3000);
    const sharing = indexTrackPeaks(
      [...other.filter((p) => p.frame < 900 || p.frame >= 1200), ...track.filter((p) => p.frame >= 900 && p.frame < 1200)].sort((a, b) => a.frame - b.frame),
      C,
    );
    const g = trackAgreement(index, sharing, 0, 3000, 0);
    expect(g.matched).toBeGreaterThanOrEqual(100); // the shared passage
    expect(g.matched).toBeLessThan(0.5 * g.considered);
    expect(isSameRecording(g, DEFAULT_DECISION_RULE)).toBe(false);
    // Compared over the shared passage alone, it would agree: the span is what tells the two apart.
    expect(isSameRecording(trackAgreement(index, sharing, 900, 1200, 0), DEFAULT_DECISION_RULE)).toBe(true);
  });

  it('counts only peaks whose counterpart lies inside track B', () => {
    const short = indexTrackPeaks(
      track.filter((p) => p.frame < 1500),
      C,
    );
    const g = trackAgreement(index, short, 0, 3000, 0);
    expect(g.considered).toBe(500);
    expect(g.matched).toBe(500);
  });
});
