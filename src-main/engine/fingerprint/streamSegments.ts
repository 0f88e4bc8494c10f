// The stream matcher's final list: the songs heard, one entry per song played through (continuations merged),
// crossfades split at their middle, and the unknown stretches between them. Pure.
import { absorbSameRecordings, otherFiles, type SameRecordingTest } from './streamSameRecording.js';
import type { StreamSegment } from './streamTypes.js';

/**
 * The songs heard, sorted into time order. One song heard again after a quiet passage (a breakdown, talk over it) at
 * the position it would have reached is one entry, not two, when nothing else was heard in between; so is one heard
 * without a break at positions that jump (a loop or a repeated section: each window's best offset may be another
 * repeat of the same material, and the matcher then follows it as a new song); two library files of one recording
 * heard over the same stretch are one entry (when `same` is given); other overlaps (crossfades, or a song heard under
 * another) meet in the middle of the overlap.
 */
export function mergeSegments(segments: readonly StreamSegment[], toleranceFrames: number, same?: SameRecordingTest): StreamSegment[] {
  const all = [...segments].sort((a, b) => a.startFrame - b.startFrame || a.endFrame - b.endFrame);
  const merged: StreamSegment[] = [];
  for (const s of all) {
    const last = merged[merged.length - 1];
    if (last && (continuesSegment(last, s, toleranceFrames) || playsOn(last, s, toleranceFrames))) merged[merged.length - 1] = mergeSegmentPair(last, s);
    else merged.push(s);
  }
  const out = (same ? absorbSameRecordings(merged, same) : merged).map((s) => ({ ...s }));
  for (let i = 1; i < out.length; i++) {
    const prev = out[i - 1];
    const cur = out[i];
    if (cur.startFrame < prev.endFrame) {
      if (cur.endFrame <= prev.endFrame) continue; // contained: both reported as heard
      const mid = Math.round((cur.startFrame + prev.endFrame) / 2);
      const moved = mid - cur.startFrame;
      out[i - 1] = { ...prev, endFrame: mid };
      out[i] = { ...cur, startFrame: mid, trackStartFrame: cur.trackStartFrame + moved * cur.timeFactor };
    }
  }
  return out;
}

/** One entry for a song heard as `first`, then (from a later or equal start) as `next`, at a consistent position. */
export function mergeSegmentPair(first: StreamSegment, next: StreamSegment): StreamSegment {
  const others = otherFiles(first.trackNum, first.sameRecording, next.sameRecording);
  return {
    ...first,
    ...(others.length > 0 ? { sameRecording: others } : {}),
    endFrame: Math.max(first.endFrame, next.endFrame),
    windows: first.windows + next.windows,
    acceptedWindows: first.acceptedWindows + next.acceptedWindows,
    maxAligned: Math.max(first.maxAligned, next.maxAligned),
    confidence: Math.max(first.confidence, next.confidence),
    evidence: next.confidence > first.confidence ? next.evidence : first.evidence,
  };
}

/** Whether `next` is the song `prev` left off, at the track position it would have reached by then (same speed). */
export function continuesSegment(prev: StreamSegment, next: StreamSegment, toleranceFrames: number): boolean {
  if (prev.trackNum !== next.trackNum || prev.timeFactor !== next.timeFactor) return false;
  const expected = prev.trackStartFrame + (next.startFrame - prev.startFrame) * prev.timeFactor;
  const drift = 0.005 * Math.abs(next.startFrame - prev.startFrame);
  return Math.abs(next.trackStartFrame - expected) <= toleranceFrames + drift;
}

/**
 * Whether `next` (starting at or after `prev`) is the same track heard on without a break: it starts before `prev`
 * ends, or within `toleranceFrames` of it, whatever position it was found at. The entry keeps `prev`'s position.
 */
export function playsOn(prev: StreamSegment, next: StreamSegment, toleranceFrames: number): boolean {
  return prev.trackNum === next.trackNum && next.startFrame <= prev.endFrame + toleranceFrames;
}

/** Stretches of the stream (frames) at least minFrames long in which none of `segments` (in time order) plays. */
export function unknownStretches(segments: readonly StreamSegment[], totalFrames: number, minFrames: number): { startFrame: number; endFrame: number }[] {
  const out: { startFrame: number; endFrame: number }[] = [];
  let cursor = 0;
  for (const s of segments) {
    if (s.startFrame - cursor >= minFrames) out.push({ startFrame: cursor, endFrame: s.startFrame });
    cursor = Math.max(cursor, s.endFrame);
  }
  if (totalFrames - cursor >= minFrames) out.push({ startFrame: cursor, endFrame: totalFrames });
  return out;
}
