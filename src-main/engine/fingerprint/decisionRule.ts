// The decision rule: every bar that decides whether a clip names a track, in one place. `decide()` turns evidence
// (votes, peak verification, the audio check) into a verdict, a confidence and a reason; the clip search
// (searchClip.ts), the audio-check audit (auditMatches.ts) and the stream matcher all call it. Pure.
// What each bar is, how it was calibrated and on which query sets: docs/decision-rule.md. Change a value here only
// with a re-calibration (bench:exact, bench:mix), and record it there.
import type { Hypothesis, KeyTolerance } from './landmarks.js';
import { NARROW_VERIFICATION, type TrackAgreement, type VerificationConfig } from './verifyMatch.js';
import { DEFAULT_AUDIO_CHECK, type AudioCheckConfig } from './audioCheckConfig.js';

export { DEFAULT_AUDIO_CHECK, type AudioCheckConfig } from './audioCheckConfig.js';
import type { Decision, DecisionReason, Evidence, HeardEvidence, PeakEvidence } from './decisionEvidence.js';
export type { Decision, DecisionReason, Evidence, HeardEvidence, PeakEvidence } from './decisionEvidence.js';

export interface DecisionRule {
  /** Fewest aligned landmarks for any answer. */
  readonly minAligned: number;
  /** The answer must have at least this many times the aligned votes of the background (the best other track). */
  readonly minRatio: number;
  /** Stop trying hypotheses once a track has this many aligned votes and passes the rule. */
  readonly earlyStopAligned: number;
  readonly offsetToleranceFrames: number;
  /** Lookup tolerance as recorded, and under the other hypotheses (which also absorb the grid's step). */
  readonly keyTolerance: KeyTolerance;
  readonly shiftedKeyTolerance: KeyTolerance;
  /** A clip the as-recorded vote does not settle is voted as recorded again with this (wider) tolerance; null: not. */
  readonly jitterKeyTolerance: KeyTolerance | null;
  /** Tried in order; the first should be {1, 1}. */
  readonly hypotheses: readonly Hypothesis[];
  /** The other hypotheses are first screened with fewer, narrower keys; the best `refineCount` get the full search. */
  readonly screenFanOut: number;
  readonly screenKeyTolerance: KeyTolerance;
  /** Screening reads only the clip's first this-many seconds (the full search reads all of it). */
  readonly screenMaxSeconds: number;
  /**
   * Screens read only the keys whose postings are no longer than this quantile of the as-recorded vote's non-empty
   * posting lists (and never fewer than screenKeyFloor pairs); 0: every key. A screen only ranks the hypotheses, and a
   * long list is mostly chance: on the corpus index the keys of at most 32 pairs hold 18 % of the postings a vote reads
   * but 52 % of a true match's votes, so the rare keys rank the true hypothesis as well for a fraction of the work.
   */
  readonly screenKeyQuantile: number;
  readonly screenKeyFloor: number;
  readonly refineCount: number;
  /** With track peaks available, the best `verifyCount` tracks are verified peak by peak (verifyMatch.ts)... */
  readonly verifyCount: number;
  /** How the verification meets the clip's peaks with the track's: tolerances and decoy offsets (verifyMatch.ts). */
  readonly verification: VerificationConfig;
  /** When no track outvotes the runner-up, the verified candidate with the best peak-test score leads (searchClip.ts). */
  readonly peakLead: boolean;
  /**
   * ...and a candidate below minRatio but at least verifiedMinRatio times the background is still accepted when its
   * verification score reaches minVerifyScore and verifyDominance times every other verified track's.
   */
  readonly verifiedMinRatio: number;
  readonly minVerifyScore: number;
  readonly verifyDominance: number;
  /**
   * The peak test's weak tier: a candidate with at least weakVotesMinRatio times the background (short of
   * verifiedMinRatio: in a room the background's chance votes may outnumber the recording's) is accepted when its score
   * reaches weakVotesMinScore (and the dominance above)... and, once heard, when its audio follows the track with a
   * spectral contrast of at least weakVotesMinContrast: music sharing material with the track (a module reusing its
   * samples, a remix sharing a stem) verifies as well as a room clip there, and follows the track less.
   */
  readonly weakVotesMinRatio: number;
  readonly weakVotesMinScore: number;
  readonly weakVotesMinContrast: number;
  /**
   * The weak tier also asks the matched peaks to stand weakVotesMinShiftedScore above the same moments at other
   * frequencies (minShiftedScore asks every answer for less): tracker modules sharing samples play them on the same
   * rows, so a held-out module meets a library one's peaks at those instants at many frequencies (6-7 where two of
   * them were named); a room clip of the recording meets them at its own (15 or more in 95 % of the weak tier's answers).
   */
  readonly weakVotesMinShiftedScore: number;
  /**
   * Two tracks are one recording when, over the clip's span plus this margin each side, at least
   * sameRecordingMinPeaks of the first track's peaks are compared, at least sameRecordingMinAgreement of them agree
   * with the second's, and the agreement is sameRecordingDecoyFactor times its best decoy.
   */
  readonly sameRecordingMarginFrames: number;
  readonly sameRecordingMinPeaks: number;
  readonly sameRecordingMinAgreement: number;
  readonly sameRecordingDecoyFactor: number;
  /**
   * The audio check (audioCheck.ts, run by the caller with the track's own audio): an accepted match with fewer aligned
   * votes than auditBelowAligned must not fall short of the track on more than maxShortfall of its judged peaks...
   * Nor must one with more votes whose peaks do not verify (a peak test score under minVerifyScore): its votes came
   * from something other than the recording's own peaks (a loop or a held sound repeating one hash), so they prove
   * nothing however many they are...
   */
  readonly auditBelowAligned: number;
  readonly maxShortfall: number;
  /**
   * ...and when nothing is accepted, the best candidate is still accepted if it has rescueMinAligned votes and
   * rescueMinRatio times the background, and its check falls short on at most rescueMaxShortfall of its peaks with a
   * spectral contrast of at least rescueMinContrast (the clip follows the track, not just noise hiding everything).
   */
  readonly rescueMinAligned: number;
  readonly rescueMinRatio: number;
  readonly rescueMaxShortfall: number;
  readonly rescueMinContrast: number;
  /**
   * A candidate that two independent measures single out is accepted though its votes are short of the bars (a near
   * miss) or its check falls short by more than maxShortfall (a heard match): its peak test scores at least
   * corroborateMinScore and corroborateDominance times every other verified track, and its audio check follows the
   * track (contrast at least corroborateMinContrast) while falling short on at most corroborateMaxShortfall of its
   * peaks. A room raises every track's chance votes (reverberation and ambience add peaks), so the vote ratio and the
   * rescue's 3 % shortfall turn true matches down there; the verification score is measured against the track's own
   * decoy offsets, and the contrast against the track's own spectrogram, so neither grows with the room's clutter.
   */
  readonly corroborateMinScore: number;
  readonly corroborateDominance: number;
  readonly corroborateMinContrast: number;
  readonly corroborateMaxShortfall: number;
  /** How the audio check measures, and how many judged peaks it needs for a verdict. */
  readonly audioCheck: AudioCheckConfig;
  /**
   * Evidence must be made of distinct information, not one sound repeated. A clip whose peaks occupy fewer than
   * minClipBins distinct FFT bins (a stationary tone: 1; silence and DC: none) is not searched; a candidate whose
   * verified matched peaks span fewer than minMatchedBins distinct bins (a tone lining up with a held note of the
   * track) is never an answer.
   */
  readonly minClipBins: number;
  readonly minMatchedBins: number;
  /**
   * Nor is a candidate whose verified matched peaks are fewer than minShiftedScore standard deviations above what the
   * clip's peaks meet at the same moments when moved off their frequencies (verifyMatch's shifted decoys): peaks that
   * coincide only because both recordings have sound at those instants (two songs' drums on one beat, each a noise
   * burst whose spectral peaks lie anywhere) say when, not what.
   */
  readonly minShiftedScore: number;
  /**
   * Streams only (0 turns it off; clips keep 0). A window's offset must stand out of the same track's other offsets:
   * at least minPeakSharpness times the most votes any other offset window 25-320 frames (0.4-5 s) away gets
   * (streamEvidence.ts). A sound held or looped (a drone, a tracker pattern, a reversed track's sustained chord) gives
   * the same hashes at every frame of the clip and of the track, so its votes form a ridge or a comb of equal teeth,
   * and the best offset is a chance pick among them; a recording heard plays its own landmarks at one offset. Songs
   * with loops of their own (tracker modules) also form combs, so a ridge does not refuse a song: it asks for more
   * windows whose best offset advances with the audio, ridgeMinWindows in a row, before the song is reported (a chance
   * pick among the teeth lands where the audio predicts about one window in five; the recording's own offset, nearly
   * every window).
   */
  readonly minPeakSharpness: number;
  readonly ridgeMinWindows: number;
  /**
   * Streams only (0 turns it off). A song is reported only when, in at least one of its windows, its aligned votes
   * reach minShare of the most any track got in that window. In one place at one time one song plays; two are heard at
   * once in a crossfade, where the incoming song comes to rival the outgoing one and then leads, and as two library
   * files of one recording, which vote alike. A track that shares a passage with the song playing (a composer's
   * reused material, often at another tempo or key) aligns a tenth of that song's votes, window after window, and
   * never more.
   */
  readonly minShare: number;
  /**
   * Streams only (0 turns it off; clips keep 0). A loop (a tracker pattern played again, a phrase repeated) lines a
   * window up at each of its repeats with about the same votes, each a sharp tooth, and which tooth is the best is
   * chance: a module's best offset jumped from one repeat to another every few windows, so the ridgeMinWindows windows
   * in a row its comb needs never came (Biniax "Gargl", bench:mix seed 8). A song with no sharp window keeps its
   * window's other teeth (streamEvidence.ts loopTeeth: at least loopToothShare of the best tooth's votes, and
   * minPeakSharpness times above their own flanks 4-24 frames away), and a later window the clip rule accepts
   * continues it at any of them advanced with the audio. A held sound's ridge (a reversed chord) has no sharp tooth:
   * its flanks hold as many votes. A beat-periodic track played backwards is a loop of its own hits too (a steady
   * pattern reads the same backwards), and by the offsets alone its teeth advance with the audio as a forward loop's
   * do: a song continued at a tooth is therefore confirmed only once its audio check passes as a rescue's must
   * (rescueMaxShortfall, rescueMinContrast; decisionEvidence loopRepeat). Forward loops fell 0-1 % short, backwards
   * tracks 6.7-17 % (session 19).
   */
  readonly loopToothShare: number;
  /**
   * Streams: a song no single window names (each window's votes short of the clip rule's bars, as in a loud room) is
   * taken up once the full searches of this many windows that share no audio verified it (the peak test's score at
   * least minVerifyScore) at positions that advance with the audio (StreamMatcher.sight); then followed and confirmed
   * as any song, and named only once its audio check passes with a verdict. 0: off (clips; Keep listening).
   */
  readonly sightingMinWindows: number;
  /**
   * Streams only (0 turns it off; clips keep 0). Music played backwards can line up with the track it reverses: a
   * steady pattern of hits reads the same either way (reversed Warzone *Track23*, Ardentryst *Castle2*, Dave Gnukem
   * *Monkey Drama* were named by Keep listening on 150-420 votes at an offset advancing with the audio, and verified).
   * Which way the audio runs in time tells them apart (timeDirection.ts timeAsymmetry): a match whose clip reads
   * backwards by backwardsAsymmetry or more is heard against the track, and refused when it reads at least twice that
   * below the track's audio under it: a true clip reads as its track does (a room's decays push it up, noise toward
   * 0), a reversed one as the negative of wherever it came from (reversed Track23 read -0.19 over a stretch of the track
   * reading -0.02 that its hits line up with). (bench:mix seeds 6-9, dry and through rooms: of 3,828 4 s windows a
   * second apart over the first 16 s of the true pieces, where Keep listening decides, one did both: a key-locked
   * x1.016 piece in a crossfade; its check window did not, and it was named 1 s later.) A track that itself swells is
   * not refused: its clip reads as it does.
   */
  readonly backwardsAsymmetry: number;
  /**
   * Streams only (0 turns it off; clips keep 0): a heard match whose clip runs against the track band by band
   * (timeDirection.ts directionAgreement: the t of the slope of the clip's band asymmetries on the track's) at
   * -backwardsMinT or below is refused as backwards, whatever the two means read. The means alone could not refuse
   * reversed Ardentryst *Castle2* (clip -0.027 over track +0.078, named as heard; its bands: slope -0.46, t -5.8):
   * noise shrinks a true clip's mean toward 0 too, so a bar on the difference of the means would turn true songs in
   * noisy rooms down; noise widens the bands' scatter instead of turning their slope, and the t stays above the bar.
   */
  readonly backwardsMinT: number;
  /**
   * Streams only (0 turns it off): a track refused as backwards in a stream, by a check that found its audio otherwise
   * (no more than maxShortfall short of it), is suspected of being played backwards for as long as the track lasts (a
   * reversed playback of it lasts no longer), and a match to it in that time is named only once heard to run with the
   * track: its directionAgreement t at backwardsClearT or above. A reversed track's windows that happen to read as
   * neither were named at once on 104 votes (Heroes *Electric dream*, seven times refused as backwards in the 110 s
   * before; its bands then: slope 0.0, t 0.0; Ardentryst *Castle2*, t -1.8). A true clip of a track reads it with a t
   * of 4 (through the mixes' rooms) to 23 (dry) at the median.
   */
  readonly backwardsClearT: number;
}

/**
 * The hypotheses tried: as recorded first, then 1 % steps of turntable speed (time and pitch together) and of
 * key-locked time stretch (3 % and up: below that the as-recorded search absorbs it) up to +-maxSpeed, and of pitch
 * shift (tempo kept) up to +-6 %.
 */
export function speedGrid(maxSpeed = 0.06): Hypothesis[] {
  const out: Hypothesis[] = [{ timeFactor: 1, pitchFactor: 1 }];
  const upTo = (max: number): number[] => {
    const steps: number[] = [];
    for (let k = 1; k <= Math.round(max * 100); k++) steps.push(k / 100, -k / 100);
    return steps;
  };
  for (const d of upTo(maxSpeed)) out.push({ timeFactor: 1 + d, pitchFactor: 1 + d }); // turntable speed
  for (const d of upTo(0.06)) out.push({ timeFactor: 1, pitchFactor: 1 + d }); // pitch shift, tempo kept
  for (const d of upTo(maxSpeed)) if (Math.abs(d) >= 0.03) out.push({ timeFactor: 1 + d, pitchFactor: 1 }); // time stretch
  return out;
}

/**
 * The hypothesis one grid step (1 %) past `h` away from as-recorded, in every factor that is off 1, when the grid does
 * not hold it (h at the edge of the speeds searched); null when it does, or h is as recorded.
 */
export function beyondGridStep(h: Hypothesis, grid: readonly Hypothesis[], step = 0.01): Hypothesis | null {
  const out = (f: number): number => (Math.abs(f - 1) < 1e-9 ? 1 : f + Math.sign(f - 1) * step);
  const next = { timeFactor: out(h.timeFactor), pitchFactor: out(h.pitchFactor) };
  if (next.timeFactor === 1 && next.pitchFactor === 1) return null;
  const near = (a: number, b: number): boolean => Math.abs(a - b) < step / 4;
  return grid.some((g) => near(g.timeFactor, next.timeFactor) && near(g.pitchFactor, next.pitchFactor)) ? null : next;
}

/** Decoy offsets of the clip rule's verification: 24, odd, 1.6-8.8 s either side (the mean over 8 varied by a vote or two). */
const WIDE_DECOY_STEPS = Object.freeze([97, 131, 173, 211, 257, 293, 331, 373, 419, 461, 503, 547].flatMap((d) => [-d, d]));

/** The clip rule's verification: a room moves a peak's maximum by 1-3 frames, so +-2.5 frames; 24 decoys. */
export const WIDE_VERIFICATION: VerificationConfig = Object.freeze({ frameTolerance: 2.5, binTolerance: 1, decoySteps: WIDE_DECOY_STEPS });

// Calibration of every value below (sets, figures, history): docs/decision-rule.md.
export const DEFAULT_DECISION_RULE: DecisionRule = Object.freeze({
  minAligned: 6,
  minRatio: 3,
  earlyStopAligned: 60,
  offsetToleranceFrames: 1,
  keyTolerance: Object.freeze({ bins: 0.3, relative: 0, frames: 0 }),
  shiftedKeyTolerance: Object.freeze({ bins: 0.3, relative: 0.005, frames: 0 }),
  // Off: the second vote as recorded (+-1 frame) won 2.4 points on the unseen room-seed105 but named a held-out module
  // sharing material with a library one (room-neg205); it waits for a discriminator of partial matches.
  jitterKeyTolerance: null,
  hypotheses: Object.freeze(speedGrid()),
  screenFanOut: 3,
  screenMaxSeconds: 8,
  screenKeyTolerance: Object.freeze({ bins: 0.3, relative: 0.005, frames: 0 }),
  // Every key for clips: their rule was calibrated so, and the rare keys reorder which weak runners-up get verified,
  // which the peak-test dominance depends on (session 14: one held-out clip through corroboration). Streams use 0.75.
  screenKeyQuantile: 0,
  screenKeyFloor: 16,
  refineCount: 3,
  verifyCount: 3,
  verification: WIDE_VERIFICATION,
  peakLead: true,
  verifiedMinRatio: 2,
  minVerifyScore: 6.5,
  verifyDominance: 1.5,
  weakVotesMinRatio: 0.5,
  weakVotesMinScore: 9,
  weakVotesMinContrast: 0.15,
  weakVotesMinShiftedScore: 10,
  sameRecordingMarginFrames: 1875, // 30 s
  sameRecordingMinPeaks: 50,
  sameRecordingMinAgreement: 0.5,
  sameRecordingDecoyFactor: 3,
  auditBelowAligned: 60,
  maxShortfall: 0.085,
  rescueMinAligned: 8,
  rescueMinRatio: 1.2,
  rescueMaxShortfall: 0.03,
  rescueMinContrast: 0.1,
  corroborateMinScore: 10,
  corroborateDominance: 2.5,
  corroborateMinContrast: 0.25,
  corroborateMaxShortfall: 0.1,
  audioCheck: DEFAULT_AUDIO_CHECK,
  minClipBins: 6,
  minMatchedBins: 2,
  minShiftedScore: 3.5,
  minPeakSharpness: 0,
  ridgeMinWindows: 0,
  minShare: 0,
  loopToothShare: 0,
  sightingMinWindows: 0,
  backwardsAsymmetry: 0,
  backwardsMinT: 0,
  backwardsClearT: 0,
});

/**
 * The stream matcher's rule: the clip rule with the speed grid widened to +-8 % (a DJ deck's pitch fader). Clips keep
 * +-6 % (their rule was calibrated with it); a stream's songs must also agree across windows and pass the audio check.
 */
export const STREAM_DECISION_RULE: DecisionRule = Object.freeze({
  ...DEFAULT_DECISION_RULE,
  hypotheses: Object.freeze(speedGrid(0.08)),
  jitterKeyTolerance: null,
  screenKeyQuantile: 0.75,
  // Keep listening and tracklists keep the peak test as calibrated on bench:mix (session 17): not re-measured yet.
  verification: NARROW_VERIFICATION,
  peakLead: false,
  // Every song heard before it is named, however many votes: a held-out track playing a library one's material (seed
  // 18: Warzone *Track27* in *Track18*) gets 70 votes a window, and a stream makes thousands of decisions an hour.
  // Its check runs at the tempo and place a vote over the steps around the song's puts it (StreamMatcher.checkHypothesis).
  auditBelowAligned: Number.POSITIVE_INFINITY,
  weakVotesMinRatio: Number.POSITIVE_INFINITY, // no weak tier
  minPeakSharpness: 3,
  ridgeMinWindows: 4,
  minShare: 0.25,
  loopToothShare: 0.5,
  sightingMinWindows: 2,
  backwardsAsymmetry: 0.03,
  backwardsMinT: 4,
  backwardsClearT: 2,
});

/** The one decision rule: evidence in, verdict out. Pure. */
export function decide(evidence: Evidence, rule: DecisionRule = DEFAULT_DECISION_RULE): Decision {
  switch (evidence.kind) {
    case 'clip':
      return evidence.distinctBins < rule.minClipBins
        ? refuse('one-sound', false)
        : { verdict: 'accept', confidence: 0, reason: 'searchable', wantsCheck: false };
    case 'votes': {
      const { aligned, background, peaks } = evidence;
      // The votes may line up on one sound repeated (a tone on a held note): not distinct evidence of the recording.
      if (peaks && peaks.matchedBinCount < rule.minMatchedBins) return refuse('one-sound', false);
      // ...or on instants both recordings merely have sound at (drums on one beat), not on the recording's own peaks.
      if (peaks && peaks.shiftedScore < rule.minShiftedScore) return refuse('same-moments', false);
      const byVotes = voteConfidence(aligned, background, rule);
      const heardBelow = wantsHearing(aligned, peaks, rule, isWeakVotes(aligned, background, rule));
      if (byVotes > 0) return accept(byVotes, 'votes', heardBelow);
      if (peaks && passesPeakTest(aligned, background, peaks, rule)) {
        // Accepted on the peak test: confidence from how far the score clears its bar.
        return accept(Math.min(1, 0.5 + 0.5 * (1 - Math.exp(-(peaks.score - rule.minVerifyScore) / 10))), 'peaks', heardBelow);
      }
      return refuse('weak', isRescuable(aligned, background, rule));
    }
    case 'heard-match': {
      const t = evidence.check?.directionT;
      if (rule.backwardsMinT > 0 && t !== undefined && t <= -rule.backwardsMinT) return refuse('backwards', false);
      if (rule.backwardsClearT > 0 && evidence.suspectBackwards) {
        // Its track was just heard played backwards: named only once heard to run with it.
        if (!evidence.check) return refuse('unheard', true);
        if (t === undefined || t < rule.backwardsClearT) return refuse('backwards', false);
      }
      const clipAsymmetry = evidence.check?.clipAsymmetry ?? evidence.clipAsymmetry;
      if (rule.backwardsAsymmetry > 0 && clipAsymmetry !== undefined && clipAsymmetry <= -rule.backwardsAsymmetry) {
        // The clip runs backwards: heard, it is refused if it reads well below the track under it (a track reversed).
        const track = evidence.check?.trackAsymmetry;
        if (track !== undefined && track - clipAsymmetry >= 2 * rule.backwardsAsymmetry) return refuse('backwards', false);
        // Not heard yet: judged as before, and asks to be heard.
        if (!evidence.check) return { ...decide({ ...evidence, clipAsymmetry: undefined }, rule), wantsCheck: true };
      }
      if (evidence.loopRepeat) {
        // Followed at a loop's other repeat: the offsets alone cannot tell a loop played on from a beat-periodic track
        // played backwards (its hits read the same), so the audio must follow the track as closely as a rescue's does.
        const check = judged(evidence.check, rule);
        if (!check) return refuse('unheard', true);
        return check.shortfall <= rule.rescueMaxShortfall && check.contrast >= rule.rescueMinContrast
          ? accept(evidence.confidence, 'heard', false)
          : refuse('falls-short', false);
      }
      const weakVotes = isWeakVotes(evidence.aligned, evidence.background, rule);
      // A song found by its sightings alone (stream-song) must be heard too, with a verdict; so must one whose track's
      // material was just heard at other alignments.
      const mustHear = weakVotes || evidence.sighted === true || evidence.sharedMaterial === true;
      if (!wantsHearing(evidence.aligned, evidence.peaks, rule, mustHear)) return accept(evidence.confidence, 'overwhelming', false);
      const check = judged(evidence.check, rule);
      // The weak tier's answer must be heard to follow its track, not only to hold its peaks: its votes are short of the
      // background's, and music sharing material with the track holds its peaks as well as a room clip does, so a
      // check with no verdict (too few judged peaks, the track's file gone) leaves it with nothing to stand on.
      if (!check) return mustHear ? refuse('unheard', true) : accept(evidence.confidence, 'unheard', true);
      if (weakVotes && check.contrast < rule.weakVotesMinContrast) return refuse('falls-short', false);
      if (check.shortfall <= rule.maxShortfall) return accept(evidence.confidence, 'heard', false);
      return isCorroborated(evidence.peaks, check, rule) ? accept(evidence.confidence, 'corroborated', false) : refuse('falls-short', false);
    }
    case 'stream-song': {
      // The windows in a row (minWindows, the stream's option) are counted by the matcher; here, what they must hold.
      const sighted = rule.sightingMinWindows > 0 && (evidence.sightings ?? 0) >= rule.sightingMinWindows;
      if (evidence.acceptedWindows < 1 && !sighted) return refuse('weak', false);
      if (evidence.sharpWindows < 1 && evidence.windows < rule.ridgeMinWindows) return refuse('ridge', false);
      if (evidence.share < rule.minShare) return refuse('overheard', false);
      return accept(evidence.confidence, 'windows', false);
    }
    case 'heard-near-miss': {
      const { aligned, background, matchedBinCount, shiftedScore } = evidence;
      const distinct =
        (matchedBinCount === undefined || matchedBinCount >= rule.minMatchedBins) && (shiftedScore === undefined || shiftedScore >= rule.minShiftedScore);
      if (!distinct || !isRescuable(aligned, background, rule)) return refuse('not-rescued', false);
      const check = judged(evidence.check, rule);
      if (!check) return refuse('unheard', true);
      if (check.shortfall <= rule.rescueMaxShortfall && check.contrast >= rule.rescueMinContrast) {
        // Just past the bar, rising as the shortfall falls below it.
        return accept(round3(0.5 + 0.25 * (1 - check.shortfall / Math.max(rule.rescueMaxShortfall, 1e-9))), 'rescued', false);
      }
      if (evidence.peaks && isCorroborated(evidence.peaks, check, rule)) {
        // Just past the bar, rising with how far the peak test clears its own.
        return accept(round3(0.5 + 0.25 * (1 - Math.exp(-(evidence.peaks.score - rule.corroborateMinScore) / 10))), 'corroborated', false);
      }
      return refuse('not-rescued', false);
    }
  }
}

function accept(confidence: number, reason: DecisionReason, wantsCheck: boolean): Decision {
  return { verdict: 'accept', confidence, reason, wantsCheck };
}

function refuse(reason: DecisionReason, wantsCheck: boolean): Decision {
  return { verdict: 'refuse', confidence: 0, reason, wantsCheck };
}

/** Confidence in 0..1 from how far the aligned count clears the rule's two vote bars; 0 below them. */
function voteConfidence(aligned: number, background: number, rule: DecisionRule): number {
  const bar = Math.max(rule.minAligned, rule.minRatio * Math.max(background, 1));
  const margin = aligned - bar;
  if (margin < 0) return 0;
  return Math.min(1, 0.5 + 0.5 * (1 - Math.exp(-margin / Math.max(4, bar / 2))));
}

/**
 * The peak test: a candidate short of minRatio is still accepted when it has at least minAligned votes, its
 * verification score is verifyDominance times the best score of the other verified tracks (at least 1), and either it
 * has verifiedMinRatio times the background and a score of minVerifyScore (the strong tier) or weakVotesMinRatio times
 * the background, a score of weakVotesMinScore and a shifted score of weakVotesMinShiftedScore (the weak tier).
 */
function passesPeakTest(aligned: number, background: number, peaks: PeakEvidence, rule: DecisionRule): boolean {
  const { score, othersScore, shiftedScore } = peaks;
  const bg = Math.max(background, 1);
  const strong = aligned >= rule.verifiedMinRatio * bg && score >= rule.minVerifyScore;
  const weak = aligned >= rule.weakVotesMinRatio * bg && score >= rule.weakVotesMinScore && shiftedScore >= rule.weakVotesMinShiftedScore;
  return aligned >= rule.minAligned && (strong || weak) && score >= rule.verifyDominance * Math.max(othersScore, 1);
}

/** Whether an accepted match's votes are short of the peak test's strong tier (the weak tier accepted it). */
function isWeakVotes(aligned: number, background: number | undefined, rule: DecisionRule): boolean {
  if (!Number.isFinite(rule.weakVotesMinRatio)) return false; // a rule without a weak tier (streams)
  return background !== undefined && aligned < rule.verifiedMinRatio * Math.max(background, 1) && aligned < rule.minRatio * Math.max(background, 1);
}

/**
 * Two independent measures single the candidate out: its peaks verify far above chance and above every other verified
 * track's, and its audio follows the track's (contrast) without missing more of it than a room's notches and ambience
 * hide (shortfall). Music sharing a loop with the track passes the first, and falls short or fails to follow it.
 */
function isCorroborated(peaks: PeakEvidence | undefined, check: HeardEvidence, rule: DecisionRule): boolean {
  return (
    peaks !== undefined &&
    peaks.shiftedScore >= rule.minShiftedScore &&
    peaks.score >= rule.corroborateMinScore &&
    peaks.score >= rule.corroborateDominance * Math.max(peaks.othersScore, 1) &&
    check.contrast >= rule.corroborateMinContrast &&
    check.shortfall <= rule.corroborateMaxShortfall
  );
}

/**
 * Whether an accepted match is heard: the peak test's weak tier accepted it, or it has under auditBelowAligned votes, or
 * more whose peaks score under minVerifyScore.
 */
function wantsHearing(aligned: number, peaks: PeakEvidence | undefined, rule: DecisionRule, weakVotes: boolean): boolean {
  return weakVotes || aligned < rule.auditBelowAligned || (peaks !== undefined && peaks.score < rule.minVerifyScore);
}

function isRescuable(aligned: number, background: number, rule: DecisionRule): boolean {
  return aligned >= rule.rescueMinAligned && aligned >= rule.rescueMinRatio * Math.max(background, 1);
}

/** An audio check with a verdict (enough judged peaks), or undefined. */
function judged(check: HeardEvidence | undefined, rule: DecisionRule): HeardEvidence | undefined {
  return check && isJudged(check, rule.audioCheck) ? check : undefined;
}

/** Whether an audio check has enough peaks to say anything. */
export function isJudged(check: { readonly judged: number }, config: AudioCheckConfig = DEFAULT_AUDIO_CHECK): boolean {
  return check.judged >= config.minJudgedPeaks;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Whether a window's offset peak stands out of the track's offsets 0.4-5 s away (farAligned; minPeakSharpness 0: always). */
export function isSharpPeak(aligned: number, farAligned: number, rule: DecisionRule): boolean {
  return aligned >= rule.minPeakSharpness * Math.max(farAligned, 1);
}

/**
 * The longest posting list (pairs) a screen reads: the rule.screenKeyQuantile quantile of `lengths` (the as-recorded
 * vote's non-empty lists), at least rule.screenKeyFloor; Infinity (every key) when the quantile is 0 or nothing was found.
 */
export function screenKeyBar(lengths: readonly number[], rule: Pick<DecisionRule, 'screenKeyQuantile' | 'screenKeyFloor'>): number {
  if (!(rule.screenKeyQuantile > 0) || lengths.length === 0) return Number.POSITIVE_INFINITY;
  const sorted = Float64Array.from(lengths).sort();
  const at = Math.min(sorted.length - 1, Math.floor(rule.screenKeyQuantile * sorted.length));
  return Math.max(rule.screenKeyFloor, sorted[at]);
}

/** Whether `aligned` votes are at least minRatio times `other`'s: a lead no runner-up threatens. */
export function outvotes(aligned: number, other: number, rule: DecisionRule): boolean {
  return aligned >= rule.minRatio * other;
}

/**
 * Whether the second vote as recorded (with rule.jitterKeyTolerance) replaces the first, each given as its leader's and
 * runner-up's aligned votes: the wider keys' leader must clear the plain vote bars (minAligned, minRatio: not the peak
 * test's lower ratio, the rescue's or corroboration's, which were calibrated on exact frame differences) and stand
 * further above its runner-up than the first vote's leader did.
 */
export function widerVoteStands(first: readonly [number, number], wider: readonly [number, number], rule: DecisionRule): boolean {
  const separation = ([lead, runnerUp]: readonly [number, number]): number => lead / Math.max(1, runnerUp);
  return voteConfidence(wider[0], wider[1], rule) > 0 && separation(wider) > separation(first);
}

/** Whether the search may stop trying hypotheses: the leader has earlyStopAligned votes and outvotes the runner-up. */
export function settlesSearch(leader: number, runnerUp: number, rule: DecisionRule): boolean {
  return leader >= rule.earlyStopAligned && outvotes(leader, runnerUp, rule);
}

/** Whether a track agreement (verifyMatch.trackAgreement) says the two tracks hold the same recording. */
export function isSameRecording(agreement: TrackAgreement, rule: DecisionRule): boolean {
  return (
    agreement.considered >= rule.sameRecordingMinPeaks &&
    agreement.matched >= rule.sameRecordingMinAgreement * agreement.considered &&
    agreement.matched >= rule.sameRecordingDecoyFactor * Math.max(agreement.decoyMax, 1)
  );
}
