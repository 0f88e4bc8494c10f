// Two library files of one recording (a copy in another format, the same song on an album and a compilation, two
// renders of one tracker module) are both heard wherever it plays: the stream names each, over the same stretch. The
// test identify uses for such a pair (searchClip.ts: isSameRecording over the tracks' stored peaks) tells them from
// two songs heard at once, so that a tracklist lists the recording once, with its other files beside it, and Keep
// listening logs it once (the stream matcher's 'song' event of the second file names the first: sameAs). Pure.
import type { FingerprintConfig } from './config.js';
import { isSameRecording, type DecisionRule } from './decisionRule.js';
import type { PeaksOfTrack } from './searchClip.js';
import type { StreamSegment } from './streamTypes.js';
import { indexTrackPeaks, trackAgreement, type TrackPeakIndex } from './verifyMatch.js';

/** Whether two songs heard over (most of) the same stretch are one recording in two library files. */
export type SameRecordingTest = (a: StreamSegment, b: StreamSegment) => boolean;

/** Two songs are compared only where the shorter spends at least this share of its time under the longer. */
export const SAME_RECORDING_MIN_OVERLAP = 0.8;

/** Tracks whose peaks a test keeps indexed. */
const MAX_INDEXED_TRACKS = 16;

/**
 * The test over the tracks' stored peaks: over the stretch both play, the first track's peaks are compared with the
 * second's at the offset the two alignments imply (isSameRecording: enough of them agree, far above any other offset).
 */
export function sameRecordingTest(peaksOf: PeaksOfTrack, config: FingerprintConfig, rule: DecisionRule): SameRecordingTest {
  // The tracks compared lately (a listening session runs for hours: the oldest is let go).
  const indexes = new Map<number, TrackPeakIndex>();
  const indexOf = (num: number): TrackPeakIndex => {
    let index = indexes.get(num);
    if (index) indexes.delete(num);
    else index = indexTrackPeaks(peaksOf(num), config);
    indexes.set(num, index);
    if (indexes.size > MAX_INDEXED_TRACKS) indexes.delete(indexes.keys().next().value!);
    return index;
  };
  return (a, b) => {
    if (a.trackNum === b.trackNum || a.timeFactor !== b.timeFactor || a.pitchFactor !== b.pitchFactor) return false;
    const from = Math.max(a.startFrame, b.startFrame);
    const to = Math.min(a.endFrame, b.endFrame);
    const shorter = Math.min(a.endFrame - a.startFrame, b.endFrame - b.startFrame);
    if (shorter <= 0 || to - from < SAME_RECORDING_MIN_OVERLAP * shorter) return false;
    const tf = a.timeFactor;
    // At stream frame t, a plays its track at a.trackStartFrame + (t - a.startFrame) * tf, and b likewise.
    const delta = b.trackStartFrame - b.startFrame * tf - (a.trackStartFrame - a.startFrame * tf);
    const agreement = trackAgreement(
      indexOf(a.trackNum),
      indexOf(b.trackNum),
      a.trackStartFrame + (from - a.startFrame) * tf,
      a.trackStartFrame + (to - a.startFrame) * tf,
      delta,
    );
    return isSameRecording(agreement, rule);
  };
}

/**
 * The songs with each pair the test calls one recording made one entry: the one with more evidence (the most votes
 * a window gave it, then the longer, then the lower track number), its span kept, the other's track (and those it
 * had absorbed) listed in its `sameRecording`. Returned in time order.
 */
export function absorbSameRecordings(segments: readonly StreamSegment[], same: SameRecordingTest): StreamSegment[] {
  const out = [...segments];
  for (let i = 0; i < out.length; i++) {
    for (let j = i + 1; j < out.length; j++) {
      const a = out[i];
      const b = out[j];
      if (b.startFrame >= a.endFrame || a.startFrame >= b.endFrame) continue;
      if (!same(a, b)) continue;
      const [kept, gone] = stronger(a, b) ? [a, b] : [b, a];
      out[i] = { ...kept, sameRecording: otherFiles(kept.trackNum, kept.sameRecording, [gone.trackNum], gone.sameRecording) };
      out.splice(j, 1);
      j = i; // compare the merged entry with the rest again
    }
  }
  return out.sort((a, b) => a.startFrame - b.startFrame || a.endFrame - b.endFrame);
}

/** The track numbers of `lists`, each once, without `own` (two entries of one recording may each list the other). */
export function otherFiles(own: number, ...lists: (readonly number[] | undefined)[]): number[] {
  return [...new Set(lists.flatMap((l) => l ?? []))].filter((n) => n !== own);
}

function stronger(a: StreamSegment, b: StreamSegment): boolean {
  if (a.maxAligned !== b.maxAligned) return a.maxAligned > b.maxAligned;
  const lengthA = a.endFrame - a.startFrame;
  const lengthB = b.endFrame - b.startFrame;
  if (lengthA !== lengthB) return lengthA > lengthB;
  return a.trackNum < b.trackNum;
}
