// A song the stream matcher is following: where it plays (its track offset advancing with the stream at the
// segment's speed), the windows that agreed on it, and its evidence. Each window's vote either continues it, at the
// position the audio predicts, or not.
import type { Hypothesis } from './landmarks.js';
import type { ExactCandidate } from './searchClip.js';
import type { StreamSegment } from './streamTypes.js';

export interface Active {
  trackNum: number;
  hypothesis: Hypothesis;
  /** trackFrame(f) = anchorTrack + (f - anchorStream) * timeFactor. */
  anchorStream: number;
  anchorTrack: number;
  firstWindowStart: number;
  /** The track frame at firstWindowStart (the head's own anchor: a speed between grid steps drifts)... */
  headTrack: number;
  /** ...and the hypothesis it was heard at there (the song may be followed at another since: adoptHypothesis). */
  headHypothesis: Hypothesis;
  lastWindowEnd: number;
  windows: number;
  acceptedWindows: number;
  /** Accepted windows whose offset was a sharp peak, not the top of a ridge or a comb (decisionRule isSharpPeak). */
  sharpWindows: number;
  missed: number;
  lastAligned: number;
  maxAligned: number;
  /** The largest share of a window's best vote it had (decisionRule minShare). */
  maxShare: number;
  confidence: number;
  evidence: { windowStartFrame: number; candidate: ExactCandidate } | null;
  confirmed: boolean;
  /** The audio check: not needed/asked yet, asked (request id), or passed. */
  check: 'none' | number | 'passed';
  /** maxAligned when the check was asked for (what the decision rule hears it against). */
  checkAligned: number;
  /**
   * Its check found it short of its track as a plain song (not as a loop, not as backwards audio): a window that later
   * accepts it at the same alignment takes it up again (StreamMatcher.runWindow), to be heard again while it has had
   * fewer than options.maxSongChecks checks, or as it was when that window gives it the votes no song is checked with
   * (rule.auditBelowAligned).
   */
  shortWhenHeard: boolean;
  /**
   * Its checks with a verdict so far, pooled: judged peaks, those that fell short, and contrast x judged (a weighted
   * mean); the sum and count of their direction t (options.undecidedDirectionT); and its checks without a verdict that
   * left it to be heard again (options.unheardChecks).
   */
  heard: { checks: number; judged: number; short: number; contrastSum: number; directionSum: number; directions: number; unjudged: number };
  /**
   * Its checks so far passed too narrowly to name it on so few judged peaks (options.undecidedChecks): it is heard
   * again on a window starting at this stream frame or later (one that shares no audio with the last check).
   * -Infinity: not waiting.
   */
  undecidedUntil: number;
  /** The latest window that extended it, and its offset there (what a check request hears). */
  lastWindowStart: number;
  lastOffset: number;
  /** When confirmed beside a song reported before that is the same recording (another file of it): that one's track. */
  sameAs: number | null;
  /**
   * A loop's other teeth in the window that last extended it (track frames at anchorStream, as anchorTrack): the song
   * also continues at any of them advanced with the audio (decisionRule loopToothShare). Empty unless it is a comb.
   */
  teeth: number[];
  /** Windows the clip rule accepted at one of the loop's other repeats (a.teeth), not where the audio predicted. */
  toothHops: number;
  /**
   * Its check as a loop (decide: loopRepeat) failed where the plain one would not have: it is followed on where the
   * audio predicts only, as before teeth (unloopSong).
   */
  teethRefused: boolean;
  /** Windows in a row since it last continued at another tooth (the row it would have had without teeth)... */
  plainRow: number;
  /** ...and the longest such row: without teeth, the song that a row of that many windows would have been. */
  longestRow: number;
  /**
   * The shortest jump (track frames) it made to another of its loop's repeats; 0: it never jumped. After a jump the
   * line through its anchor may place its start a whole number of repeats off, before the track began or so that it
   * ends after the track does: songSegment moves it back inside (loopStart).
   */
  repeatFrames: number;
  /** Windows whose full search verified it before it was followed, when no window's clip rule accepted it (sighting). */
  sightings: number;
}

export const sameHypothesis = (a: Hypothesis, b: Hypothesis): boolean => a.timeFactor === b.timeFactor && a.pitchFactor === b.pitchFactor;

/** A song first heard in the window [from, to) as candidate `c` (not extended yet: see extendSong). */
export function startSong(c: ExactCandidate, from: number, to: number): Active {
  return {
    trackNum: c.trackNum,
    hypothesis: { timeFactor: c.timeFactor, pitchFactor: c.pitchFactor },
    anchorStream: from,
    anchorTrack: c.offsetFrames,
    firstWindowStart: from,
    headTrack: c.offsetFrames,
    headHypothesis: { timeFactor: c.timeFactor, pitchFactor: c.pitchFactor },
    lastWindowEnd: to,
    windows: 0,
    acceptedWindows: 0,
    sharpWindows: 0,
    missed: 0,
    lastAligned: 0,
    maxAligned: 0,
    maxShare: 0,
    confidence: 0,
    evidence: null,
    confirmed: false,
    check: 'none',
    checkAligned: 0,
    shortWhenHeard: false,
    heard: { checks: 0, judged: 0, short: 0, contrastSum: 0, directionSum: 0, directions: 0, unjudged: 0 },
    undecidedUntil: Number.NEGATIVE_INFINITY,
    lastWindowStart: from,
    lastOffset: c.offsetFrames,
    sameAs: null,
    teeth: [],
    toothHops: 0,
    teethRefused: false,
    plainRow: 0,
    longestRow: 0,
    repeatFrames: 0,
    sightings: 0,
  };
}

/** The track frame the song should have reached at stream frame `windowStart`. */
export function predictedOffset(a: Active, windowStart: number): number {
  return a.anchorTrack + (windowStart - a.anchorStream) * a.hypothesis.timeFactor;
}

/**
 * Whether a vote for `trackNum` at `offsetFrames` in the window at `windowStart` continues song `a`; `atTeeth`: also at
 * one of its loop's other repeats (a.teeth), as a window the clip rule accepts may (decisionRule loopToothShare).
 */
export function continuesSong(a: Active, trackNum: number, offsetFrames: number, windowStart: number, toleranceFrames: number, atTeeth = false): boolean {
  if (trackNum !== a.trackNum) return false;
  // The tolerance grows with the gap since the anchor: a speed between grid steps drifts by up to 0.5 %.
  const drift = 0.005 * Math.abs(windowStart - a.anchorStream);
  const advance = predictedOffset(a, windowStart) - a.anchorTrack;
  // At the position the audio predicts, or (atTeeth) at one of a loop's other repeats advanced as much.
  return [a.anchorTrack, ...(atTeeth ? a.teeth : [])].some((t) => Math.abs(offsetFrames - (t + advance)) <= toleranceFrames + drift);
}

/**
 * A song whose check as a loop failed (decide: loopRepeat) while the check as a plain song would not have: it drops
 * its teeth and is followed on as a song without them is, with the windows of its longest row between hops to
 * another tooth (without teeth each hop breaks the row, and the longest row is the song the stream would have had).
 * A forward loop heard through a room (3-15 % short) is then no worse off than without teeth.
 */
export function unloopSong(a: Active): void {
  a.teeth = [];
  a.toothHops = 0;
  a.teethRefused = true;
  a.check = 'none';
  a.windows = Math.max(1, a.longestRow);
}

/** The song continues at another of its loop's repeats, `offsetFrames`, in the window at `windowStart` (a hop). */
export function hopToTooth(a: Active, offsetFrames: number, windowStart: number): void {
  a.toothHops++;
  const jump = Math.abs(offsetFrames - predictedOffset(a, windowStart));
  if (jump > 0 && (a.repeatFrames === 0 || jump < a.repeatFrames)) a.repeatFrames = jump;
}

/** A new row of windows without a hop starts at this window (extended already in it, or to be: extendSong). */
export function startRow(a: Active, extendedAlready: boolean): void {
  a.plainRow = extendedAlready ? 1 : 0;
  a.longestRow = Math.max(a.longestRow, a.plainRow);
}

/** Extends the song by the window [windowStart, windowEnd) and its vote; `accepted` when the window passed the clip rule. */
export function extendSong(
  a: Active,
  windowStart: number,
  windowEnd: number,
  vote: { offsetFrames: number; alignedCount: number },
  accepted: ExactCandidate | null,
): void {
  a.anchorStream = windowStart;
  a.anchorTrack = vote.offsetFrames;
  a.teeth = []; // the matcher finds this window's (loopTeeth)
  a.lastWindowEnd = windowEnd;
  a.lastWindowStart = windowStart;
  a.lastOffset = vote.offsetFrames;
  a.windows++;
  a.plainRow++;
  a.longestRow = Math.max(a.longestRow, a.plainRow);
  a.lastAligned = vote.alignedCount;
  a.maxAligned = Math.max(a.maxAligned, vote.alignedCount);
  if (accepted) {
    a.acceptedWindows++;
    if (
      !a.evidence ||
      accepted.confidence > a.confidence ||
      (accepted.confidence === a.confidence && accepted.alignedCount > a.evidence.candidate.alignedCount)
    ) {
      a.evidence = { windowStartFrame: windowStart, candidate: accepted };
    }
    a.confidence = Math.max(a.confidence, accepted.confidence);
  }
}

/**
 * Moves the song to the (speed, pitch) hypothesis under which a full search of the window at `windowStart` heard it
 * with more votes than under its own. A song's hypothesis is the one its first window found, and a song that starts
 * late in that window (a crossfade) may be found at a neighbouring grid step; a DJ may also move the pitch fader
 * mid-song. Followed 2 % off, a song loses most of its votes to the offset drifting across each window, so its own
 * votes look like a fade (a full search every other window), and its reported speed and edges are off. The head keeps
 * its own anchor and hypothesis (headTrack, headHypothesis): measured where the song began, at the speed it had there.
 */
export function adoptHypothesis(a: Active, vote: { offsetFrames: number; alignedCount: number }, hypothesis: Hypothesis, windowStart: number): void {
  a.hypothesis = { timeFactor: hypothesis.timeFactor, pitchFactor: hypothesis.pitchFactor };
  a.anchorStream = windowStart;
  a.anchorTrack = vote.offsetFrames;
  a.teeth = []; // found at the old hypothesis's position: recomputed after the window
  a.lastOffset = vote.offsetFrames;
  a.lastAligned = vote.alignedCount;
  a.maxAligned = Math.max(a.maxAligned, vote.alignedCount);
}

/**
 * The song as a segment: from its first window to its last, or between `edges` (where its landmarks start and stop).
 * `trackFrames`, the track's length, places a loop that jumped between its repeats inside the track (loopStart).
 */
export function songSegment(a: Active, edges?: readonly [number, number] | null, trackFrames?: number): StreamSegment {
  const [startFrame, endFrame] = edges ?? [a.firstWindowStart, a.lastWindowEnd];
  const trackAt = (f: number): number => a.anchorTrack + (f - a.anchorStream) * a.hypothesis.timeFactor;
  return {
    trackNum: a.trackNum,
    startFrame,
    endFrame,
    trackStartFrame: a.repeatFrames > 0 ? loopStart(a, startFrame, endFrame, trackFrames) : trackAt(startFrame),
    timeFactor: a.hypothesis.timeFactor,
    pitchFactor: a.hypothesis.pitchFactor,
    windows: a.windows,
    acceptedWindows: a.acceptedWindows,
    maxAligned: a.maxAligned,
    confidence: a.confidence,
    evidence: a.evidence!,
  };
}

/**
 * Where a loop that jumped between its repeats starts in its track: the audio tells its position only up to a whole
 * number of repeats (each repeat votes alike), and the line through its latest anchor, drawn back to where it began,
 * may cross the track's start after the loop played on (seed 9: -34 s into a track). That line as it is when it
 * keeps the stretch heard inside the track, otherwise moved by whole repeats until it does (or, for a stretch longer
 * than the track, until it starts at or after the track's start). The latest anchor rather than the head: a loop's
 * head is often at another repeat than the truth, which the full search's later hop corrects (seed 9: two loops
 * placed right by their latest anchor were 53-69 s off from their head).
 */
export function loopStart(a: Active, startFrame: number, endFrame: number, trackFrames?: number): number {
  const step = a.repeatFrames;
  const length = (endFrame - startFrame) * a.hypothesis.timeFactor;
  const latest = trackFrames === undefined ? Number.POSITIVE_INFINITY : trackFrames - length; // the latest start that fits
  let at = a.anchorTrack + (startFrame - a.anchorStream) * a.hypothesis.timeFactor;
  while (at < 0) at += step;
  while (at > latest && at - step >= 0) at -= step;
  return at;
}
