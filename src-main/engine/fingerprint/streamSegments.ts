// The stream matcher's final list: the songs heard, one entry per song played through (continuations merged),
// crossfades split at their middle, and the unknown stretches between them. Pure.
import type { StreamSegment } from './streamTypes.js';

/**
 * The songs heard, sorted into time order. One song heard again after a quiet passage (a breakdown, talk over it) at
 * the position it would have reached is one entry, not two, when nothing else was heard in between; overlaps
 * (crossfades, or a song heard under another) meet in the middle of the overlap.
 */
export function mergeSegments(segments: readonly StreamSegment[], toleranceFrames: number): StreamSegment[] {
  const all = [...segments].sort((a, b) => a.startFrame - b.startFrame || a.endFrame - b.endFrame);
  const merged: StreamSegment[] = [];
  for (const s of all) {
    const last = merged[merged.length - 1];
    if (last && continues(last, s, toleranceFrames)) {
      merged[merged.length - 1] = {
        ...last,
        endFrame: Math.max(last.endFrame, s.endFrame),
        windows: last.windows + s.windows,
        acceptedWindows: last.acceptedWindows + s.acceptedWindows,
        maxAligned: Math.max(last.maxAligned, s.maxAligned),
        confidence: Math.max(last.confidence, s.confidence),
        evidence: s.confidence > last.confidence ? s.evidence : last.evidence,
      };
    } else merged.push(s);
  }
  const out = merged.map((s) => ({ ...s }));
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

/** Whether `next` is the song `prev` left off, at the track position it would have reached by then (same speed). */
function continues(prev: StreamSegment, next: StreamSegment, toleranceFrames: number): boolean {
  if (prev.trackNum !== next.trackNum || prev.timeFactor !== next.timeFactor) return false;
  const expected = prev.trackStartFrame + (next.startFrame - prev.startFrame) * prev.timeFactor;
  const drift = 0.005 * Math.abs(next.startFrame - prev.startFrame);
  return Math.abs(next.trackStartFrame - expected) <= toleranceFrames + drift;
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
