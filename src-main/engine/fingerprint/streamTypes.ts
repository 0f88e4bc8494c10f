// The stream matcher's options, events and results (streamMatcher.ts), and the defaults tracklists and listening use.
import { STREAM_DECISION_RULE, type DecisionRule } from './decisionRule.js';
import type { ExactCandidate } from './searchClip.js';

export interface StreamMatchOptions {
  /** Seconds of audio each window searches. */
  readonly windowSeconds: number;
  /** Seconds between window starts. */
  readonly hopSeconds: number;
  /** A window continues a song when its offset lies within this of where the song should be by now. */
  readonly offsetToleranceSeconds: number;
  /** Windows in a row a song may go unheard (talk over it, a loud break) and still continue. */
  readonly maxMissedWindows: number;
  /** Windows that must agree before a song is reported (one of them passing the per-clip rule). */
  readonly minWindows: number;
  /**
   * Windows in a row a song not reported yet may go unheard and still continue (0: dropped at its first miss). In a
   * loud room a true song's evidence comes and goes from window to window; one missed window used to drop it, and the
   * windows it had agreed on were lost with it (seed 7: *The Great Gigantic Secret* never reached a second window).
   */
  readonly pendingMissedWindows: number;
  /** A last, shorter window is searched when it holds at least this much audio. */
  readonly minTailSeconds: number;
  /** A song that is still followed falls back to the full search when its votes drop below this share of its last. */
  readonly fadeRatio: number;
  /** Unknown stretches shorter than this between or around songs are not reported. */
  readonly minUnknownSeconds: number;
  /**
   * While no song is playing or pending, the full search runs on every this-many-th window only: windows half a
   * window apart overlap, so every second of unknown audio is still searched in full once (at 2 with the defaults),
   * and a song that starts is found by the next full search, then confirmed by following it.
   */
  readonly discoveryStride: number;
  /**
   * Ask for the audio check (takeCheckRequests / resolveCheck) before reporting a song whose best window has fewer
   * than rule.auditBelowAligned votes, as identify does for a clip. Off: the votes decide.
   */
  readonly audioCheck: boolean;
  /**
   * A check asked for by window n takes effect right before window n + checkLagWindows + 1, which waits for it: the
   * songs found do not depend on how fast checks are answered. Tracklists 2: a true song checked on its second window
   * has often reached the votes no song is checked with two windows on, and is judged on those (decide: heard-match);
   * with 0 a room song found short there was turned down and began again 10-35 s late.
   */
  readonly checkLagWindows: number;
  /**
   * A song its check found short is heard again when a later window accepts it at the same alignment, up to this many
   * checks in all, and judged on them together: their judged peaks pooled (audioCheck.ts shortfall over all of them).
   * Through a room, the share of a true song's peaks that fall short is a rate set by the room (its response's narrow
   * dips, 5-7 % of the peaks at the median), measured on a few hundred peaks per window: one window in eight reads
   * above rule.maxShortfall by chance, and pooling two or three windows brings it back to the rate. Music that only
   * shares material with the track falls short at its own, higher rate however often it is heard. 1: one check.
   */
  readonly maxSongChecks: number;
  /**
   * A check hears a song at its own speed or at a tempo up to this many 1 % steps either side of it (pitch kept),
   * whichever gives its track the most votes where it plays (StreamMatcher.checkHypothesis). 0: its own speed.
   */
  readonly checkTempoSteps: number;
  /**
   * A song whose check is out, with at least this many aligned votes when it was asked, and that leads its own vote in
   * a window, spares that window the full search, as a confirmed song does (StreamMatcher.leadsWhileChecked).
   * Infinity: only confirmed songs do.
   */
  readonly followWhileCheckedAligned: number;
  /**
   * A track's checks that fell short at other alignments in the last this-many seconds of the stream (near misses only:
   * no more than twice rule.maxShortfall short) are pooled with a new check of it (StreamMatcher.trackRecord). Music
   * that shares material with a library track (a soundtrack's stems reused in another of its pieces) is found at one
   * alignment after another, each falling short at its own rate, just over the bar; a single check of a few seconds
   * reads under it by chance now and then, and the piece was named. A track playing is found at one alignment and
   * followed there, so its own checks never meet such a record. 0: each song judged on its own checks only.
   */
  readonly trackRecordSeconds: number;
  /**
   * A check that passes by less than its own noise is not enough to name a song: with n judged peaks, a shortfall
   * above rule.maxShortfall - z * sqrt(m (1 - m) / n) (m = maxShortfall, z = undecidedZ) leaves the song undecided, to
   * be heard again on audio the check did not hear, its checks pooled, up to this many more times; then the bar alone
   * decides. A 4 s check judges 150-300 peaks: one standard error is 1.6-2.3 points of shortfall, and music sharing
   * a track's material (9-12 % short) read 7.5-8.4 % in one check and was named, while a track itself plays 0-7 % short.
   * 0: one check's verdict stands (tracklists: their checks hear 10 s windows, pooled by maxSongChecks).
   */
  readonly undecidedChecks: number;
  /** Standard errors of its judged peaks a check must pass by to name a song at once (undecidedChecks). */
  readonly undecidedZ: number;
  /**
   * A check whose clip leans against its track band by band (timeDirection.ts directionAgreement's t at
   * -undecidedDirectionT or below, but above rule.backwardsMinT's refusal) leaves the song undecided too (undecidedChecks),
   * and its checks' t are pooled (their sum over the square root of their count) before decide reads them. A piece
   * played backwards keeps reading so window after window and its pooled t reaches the bar; a true song's one unlucky
   * window does not repeat (seeds 6 and 7, 265 passing 4 s checks: none at -2 or below, the lowest -1.58). SuperTux's
   * *The Cave* played backwards (seed 23, a tracker tune that reads nearly the same either way) was named twice on one
   * check each, t -3.26. 0: off, and each check's own t decides (tracklists: 10 s checks).
   */
  readonly undecidedDirectionT: number;
  /**
   * A song followed at the edge of the search's speed range (rule.hypotheses: one 1 % step further is not tried) whose
   * track, in its last window, gets at least beyondRangeRatio times its votes one step past that edge (and
   * rule.minAligned more) plays faster or slower than the range: it is turned down before it is checked or named
   * (StreamMatcher.beyondSpeedRange). Such music is not the track as the product follows it, and what the search
   * found at the edge is a coincidence of it: seed 20's *Heroes09* on a turntable at x0.888 (11 % slow) matched its own
   * passage a whole tone lower at x0.92 key-locked (24 votes; 42 at x0.91, 113 at x0.89), and Keep listening's 2.6 s
   * check passed it. 1.25 asks for a clear rise: a song at the edge or half a step past it votes about as well one step
   * further. Tracklists too (one rule): asked, it turned down nothing in 24 h of bench:mix mixes (seeds 6-15) nor in
   * 22.6 h of negatives (seeds 18-21: the *Heroes09* stretch never got that far in a tracklist's 10 s windows).
   * 0: not asked.
   */
  readonly beyondRangeRatio: number;
  /**
   * A song about to be named unheard (its votes reach rule.auditBelowAligned) is first asked where its track plays best
   * beyond the speeds searched: turntable speeds (time and pitch together) from one 1 % step past the grid's edge to
   * +-beyondRangeProbe, its track's votes anywhere in it (trackVote over the whole track) against its own there. With
   * beyondRangeRatio times them (and rule.minAligned more) at one of those speeds, the music plays beyond the range and
   * the song is turned down, as at the edge (beyondRangeRatio). A song named unheard is never checked, so nothing else
   * would tell: seed 24's TecnoballZ *high-score* on a turntable at x1.15 (a tracker module's repeated patterns) got 62
   * votes mid-grid at x1.03 in one window and was named; every check of it after fell 14-17 % short. 0: not asked
   * (tracklists: they hear every song).
   */
  readonly beyondRangeProbe: number;
  /**
   * A song is not checked or named from a window whose audio is more than fadeTailDb quieter (RMS) than the stream over
   * the FADE_REFERENCE_SECONDS before it: the tail of a fade-out or of a piece's last chord, 30-50 dB under the music,
   * the least distinctive seconds of a recording and those the pieces of one album share. It waits for a window at
   * the music's level (a quiet intro that swells is named then). Warzone's held-out *Track19* ends on what the library's
   * *Track10* ends on: Keep listening named *Track10* from the last seconds of *Track19* in three of the four negative
   * sets made in sessions 33-34 that played *Track19* to its end (seeds 21, 24, 27; not 23), each from a window
   * 40-46 dB under the 30 s before it, its check 4.6-5.6 % short. 0: off (tracklists: a song there is named from two
   * 10 s windows).
   */
  readonly fadeTailDb: number;
  /**
   * A check with no verdict (too few of its track's peaks in the audio it heard for a verdict) of a window that runs
   * past its track's end (its last stored peak, where the audio puts it) leaves a song its votes would name unheard
   * (under rule.auditBelowAligned) undecided: heard again on audio the check did not hear, up to this many times; then
   * the votes decide, as before. A track cannot play past its end, so the next window does not continue such a song and
   * it is let go there (forgetPeaks). Keep listening named held-out *Starfall* as the library's *Farewell* (24 votes)
   * and a room copy of *tecno-winn* at x0.864 as *The beauty of the flat lands* (14 votes), each from a window 0.9-1.4 s
   * past its track's end, the check judging 0 and 36 peaks (40 make a verdict; seed 30's negatives). A check without a
   * verdict mid-track (a passage with little in the check's bands: the e2e's synthetic songs, 2 of the namings in
   * seeds 6, 7, 14, 15's mixes) leaves the votes to decide at once, as before (heard again, such a song waited two more
   * checks, 8 s or more). 0: the votes decide at once (tracklists: 10 s windows).
   */
  readonly unheardChecks: number;
  /**
   * Frames per peak-computing block (fingerprintAudio.ts: the peaks do not depend on it, only how soon they are
   * ready). Large blocks suit files; live audio wants ~1 s, or nothing is searched until a block fills.
   */
  readonly peakWindowFrames: number;
  /**
   * Peaks no window or song will read again are let go once at least this many have piled up (the rest copied then):
   * what is let go depends on the windows run only, never on how far the audio was read ahead of them.
   */
  readonly forgetPeaksBlock: number;
  /**
   * Seconds into the stream where the first window begins (then every hopSeconds): a part of a long recording
   * (tracklistParts.ts) searches the windows one matcher over the whole recording would.
   */
  readonly firstWindowSeconds: number;
  readonly rule: DecisionRule;
}

export const DEFAULT_STREAM_OPTIONS: StreamMatchOptions = Object.freeze({
  windowSeconds: 10,
  hopSeconds: 5,
  offsetToleranceSeconds: 0.5,
  maxMissedWindows: 1,
  minWindows: 2,
  pendingMissedWindows: 1,
  minTailSeconds: 4,
  fadeRatio: 0.35,
  minUnknownSeconds: 3,
  discoveryStride: 2,
  audioCheck: false,
  checkLagWindows: 2,
  maxSongChecks: 3,
  checkTempoSteps: 3,
  followWhileCheckedAligned: 60,
  trackRecordSeconds: 0,
  undecidedChecks: 0,
  undecidedZ: 1,
  undecidedDirectionT: 0,
  beyondRangeRatio: 1.25,
  beyondRangeProbe: 0,
  fadeTailDb: 0,
  unheardChecks: 0,
  peakWindowFrames: 2048,
  forgetPeaksBlock: 4096,
  firstWindowSeconds: 0,
  rule: STREAM_DECISION_RULE,
});

/** One song heard in the stream. Frames are the stream's (0 = its first sample), at config.hopSizeSamples. */
export interface StreamSegment {
  readonly trackNum: number;
  readonly startFrame: number;
  readonly endFrame: number;
  /** Where the stream's startFrame falls in the track, in track frames. */
  readonly trackStartFrame: number;
  readonly timeFactor: number;
  readonly pitchFactor: number;
  /** Windows that agreed on it, and how many of those passed the per-clip rule on their own. */
  readonly windows: number;
  readonly acceptedWindows: number;
  /** The most aligned votes one window gave it, and the best per-clip confidence. */
  readonly maxAligned: number;
  readonly confidence: number;
  /** The best accepted window's candidate (window-relative offset), for an audio check by the caller. */
  readonly evidence: { readonly windowStartFrame: number; readonly candidate: ExactCandidate };
  /** Other tracks holding the same recording, heard over this stretch too (streamSameRecording.ts); absent when none. */
  readonly sameRecording?: readonly number[];
}

export type StreamEvent =
  /**
   * A song is confirmed (reported once, when enough windows agree). `sameAs`: the track number of a song reported
   * before and still heard when this one is the same recording in another library file, heard over the same stretch
   * (streamSameRecording.ts): the same song, not a new one (keep listening logs it once); absent otherwise.
   */
  | { readonly type: 'song'; readonly segment: StreamSegment; readonly sameAs?: number }
  /** A confirmed song stopped being heard; its boundaries are final. `sameAs` as its 'song' event said. */
  | { readonly type: 'song-end'; readonly segment: StreamSegment; readonly sameAs?: number };

/** A song waiting for its audio check: the caller checks `pcm` (one window) against the track and calls resolveCheck. */
export interface CheckRequest {
  readonly id: number;
  readonly trackNum: number;
  /** The window's audio (mono, config.sampleRateHz) and the candidate within it (offset = track frame at its start). */
  readonly pcm: Float32Array;
  readonly candidate: { readonly offsetFrames: number; readonly timeFactor: number; readonly pitchFactor: number };
  /**
   * Also measure which way the clip and the track run in time (a stream rule with backwardsAsymmetry, backwardsMinT or
   * backwardsClearT on).
   */
  readonly direction: boolean;
}

export interface StreamStats {
  readonly windows: number;
  readonly fullSearches: number;
  readonly lookups: number;
  readonly cacheHits: number;
  /** Songs turned down that the matcher still remembers (to take up again, or not to start again where they were). */
  readonly turnedDown: number;
}

/** The options that turn off what the false-match work added (bench:mix --rule previous compares the two). */
export const PREVIOUS_STREAM_OPTIONS: Partial<StreamMatchOptions> = Object.freeze({
  rule: Object.freeze({ ...STREAM_DECISION_RULE, minPeakSharpness: 0, ridgeMinWindows: 0 }),
});
