// Stage 7: a stream of audio -> the songs in it, in time order (tracklists of long recordings; keep listening).
//
// Audio arrives in chunks of any size. Peaks are computed once, as it arrives (PeakStream), and read in windows of
// `windowSeconds` every `hopSeconds`. A window is first checked against the songs already playing ("following"):
// one vote under each such song's (speed, pitch) hypothesis, which is all most windows cost. Only when no playing
// song leads its own vote table (a change, a crossfade, music not in the library) does the window get the full clip
// search (searchPeaks: the hypothesis grid and the per-clip decision rule). Postings are cached across windows
// (postingsCache.ts: overlapping windows, and the repeats of the music within a budget), so each hash is read from the
// store about once.
//
// Evidence adds up across the stream instead of trusting one window: a song is reported only when at least
// `minWindows` windows agree on it at one consistent position (the track offset advancing with the audio, at the
// segment's speed), and one of them passed the per-clip rule. A chance alignment that passes the rule in one window
// has to reappear in the next one at the offset the audio predicts, which music not in the library does not do.
// Boundaries are then placed where the song's aligned landmarks start and stop (not at window edges). Two library
// files of one recording are both followed; the one confirmed second says it is the first's recording (the 'song'
// event's sameAs), and the final list makes them one entry (streamSameRecording.ts). Pure: the
// store's lookup and the tracks' stored peaks are passed in. Beside it: streamTypes.ts (options, events), streamSong.ts
// (following one song), streamBoundaries.ts (where a song starts and stops), streamSegments.ts (the final list).
import type { FingerprintConfig } from './config.js';
import { PeakStream } from './fingerprintAudio.js';
import { makeQueryKeys, type Hypothesis } from './landmarks.js';
import { trackVote, voteOffsets, type LookupFn, type TrackVote } from './matcher.js';
import type { Peak } from './peaks.js';
import type { AudioCheck } from './audioCheck.js';
import { beyondGridStep, decide, isJudged, isSharpPeak, type Evidence } from './decisionRule.js';
import { PostingsCache } from './postingsCache.js';
import { searchPeaks, type ExactCandidate, type PeaksOfTrack, type SearchOutcome } from './searchClip.js';
import { loopTeeth, offsetProfile, playsBeyondRange } from './streamEvidence.js';
import { timeAsymmetry } from './timeDirection.js';
import { SampleBuffer } from './sampleBuffer.js';
import { LevelHistory } from './levelHistory.js';
import { alignedEdges, alignedSpan, lowerBound, type BoundaryContext } from './streamBoundaries.js';
import { sameRecordingTest, type SameRecordingTest } from './streamSameRecording.js';
import { mergeSegments, unknownStretches } from './streamSegments.js';
import {
  adoptHypothesis,
  continuesSong,
  extendSong,
  hopToTooth,
  predictedOffset,
  sameHypothesis,
  songSegment,
  startRow,
  startSong,
  unloopSong,
  type Active,
} from './streamSong.js';
import { DEFAULT_STREAM_OPTIONS, type CheckRequest, type StreamEvent, type StreamMatchOptions, type StreamSegment, type StreamStats } from './streamTypes.js';

/**
 * Adds a check with a verdict to a song's pooled checks (options.maxSongChecks) and returns them as one check: the
 * shortfall over all their judged peaks, the contrast their judged-weighted mean; the rest is this check's.
 */
function poolCheck(a: Active, result: AudioCheck, poolDirection: boolean): AudioCheck {
  const h = a.heard;
  h.checks++;
  h.judged += result.judged;
  h.short += Math.round(result.shortfall * result.judged);
  h.contrastSum += result.contrast * result.judged;
  if (poolDirection && result.directionT !== undefined) {
    h.directionSum += result.directionT;
    h.directions++;
  }
  if (h.checks === 1) return result;
  const pooled = { ...result, judged: h.judged, shortfall: h.short / h.judged, contrast: h.contrastSum / h.judged };
  // Independent windows' t, pooled as one (Stouffer): a lean that repeats grows with their number, a fluke fades.
  return poolDirection && h.directions > 1 ? { ...pooled, directionT: h.directionSum / Math.sqrt(h.directions) } : pooled;
}

/** The tempo step (pitch kept) a check tries either side of a song's own speed (options.checkTempoSteps). */
const CHECK_TEMPO_STEP = 0.01;

/** The stretch of stream before a window its level is compared with (options.fadeTailDb). */
const FADE_REFERENCE_SECONDS = 30;

/** How long a track refused as backwards stays suspect when its length is not known (no peaks reader). */
const BACKWARDS_MEMORY_SECONDS = 600;

export { DEFAULT_STREAM_OPTIONS, type CheckRequest, type StreamEvent, type StreamMatchOptions, type StreamSegment, type StreamStats } from './streamTypes.js';

/** A track verified by full searches at an alignment advancing with the audio, not yet a song (StreamMatcher.sight). */
interface Sighting {
  /** Its windows so far, as the song it would be. */
  readonly song: Active;
  /** The start of the last window counted (the sightings counted are a whole window apart), and how many. */
  counted: number;
  count: number;
}

/** The confidence a song found by its sightings is reported with: just past the bar, as a rescued clip's least. */
const SIGHTED_CONFIDENCE = 0.5;

export class StreamMatcher {
  private readonly config: FingerprintConfig;
  private readonly options: StreamMatchOptions;
  private readonly peaksOf: PeaksOfTrack | undefined;
  /** Two files of one recording heard at once are one song (needs the tracks' peaks). */
  private readonly sameRecording: SameRecordingTest | undefined;
  private readonly cache: PostingsCache;
  private readonly peakStream: PeakStream;
  /** Peaks kept (sorted by frame): from the earliest frame a window or a boundary still needs. */
  private peaks: Peak[] = [];
  private readonly windowFrames: number;
  private readonly hopFrames: number;
  private readonly toleranceFrames: number;
  private readonly boundaryContext: BoundaryContext;
  private nextWindowStart = 0;
  private active: Active[] = [];
  private readonly done: StreamSegment[] = [];
  private windows = 0;
  private fullSearches = 0;
  /** Windows since the last full search (discoveryStride). */
  private sinceFullSearch = Number.POSITIVE_INFINITY;
  private finished = false;
  /** The current window's audio, for check requests. */
  private readonly recent = new SampleBuffer();
  /** The stream's loudness, a quarter second at a time (options.fadeTailDb); null when not asked. */
  private readonly levels: LevelHistory | null;
  private nextCheckId = 1;
  private readonly checkRequests: CheckRequest[] = [];
  /** Songs closed while their check was still out: reported (or not) when it comes back. */
  private readonly closedPending = new Map<number, Active>();
  /** Alignments the audio check turned down: not opened again. */
  private readonly rejected: Active[] = [];
  /** Tracks' lengths in frames, as trackFrames read them (undefined: no peaks at hand). */
  private readonly trackLengths = new Map<number, number | undefined>();
  /** Tracks the full searches verified without accepting, each at an alignment advancing with the audio (sightings). */
  private sightings: Sighting[] = [];
  /**
   * Per track, its checks that fell short by a near miss (options.trackRecordSeconds): the window that asked (its start
   * frame), the song, and the check's judged peaks, those short and contrast x judged.
   */
  private readonly shortRecord = new Map<number, { frame: number; song: Active; judged: number; short: number; contrastSum: number }[]>();
  /** Tracks refused as backwards, and the stream frame until which a match to one is suspect (backwardsClearT). */
  private readonly backwardsUntil = new Map<number, number>();
  /** Checks asked for whose verdict has not taken effect, in the order asked: the window that asked, the verdict once back. */
  private readonly asked: { id: number; window: number; back: boolean; result: AudioCheck | undefined }[] = [];
  /** Frames of audio in all, once finish() is called. */
  private totalFrames = 0;
  private tailDone = false;
  private closedAll = false;

  constructor(config: FingerprintConfig, lookup: LookupFn, peaksOf?: PeaksOfTrack, options: Partial<StreamMatchOptions> = {}) {
    this.config = config;
    this.options = { ...DEFAULT_STREAM_OPTIONS, ...options };
    this.peaksOf = peaksOf;
    this.sameRecording = peaksOf ? sameRecordingTest(peaksOf, config, this.options.rule) : undefined;
    const { binBits, deltaBits, frameDeltaBits } = config.hashLayout;
    this.cache = new PostingsCache(lookup, binBits + deltaBits + frameDeltaBits);
    this.peakStream = new PeakStream(config, 'query', { windowFrames: this.options.peakWindowFrames });
    const fps = config.sampleRateHz / config.hopSizeSamples;
    this.windowFrames = Math.round(this.options.windowSeconds * fps);
    this.hopFrames = Math.max(1, Math.round(this.options.hopSeconds * fps));
    this.toleranceFrames = this.options.offsetToleranceSeconds * fps;
    this.nextWindowStart = Math.max(0, Math.round(this.options.firstWindowSeconds * fps));
    if (this.hopFrames > this.windowFrames) throw new RangeError('hopSeconds must not exceed windowSeconds');
    // Blocks of a quarter second, kept for the reference stretch, a window, and the most audio a run holds ahead of
    // its windows (tracklistRun's MAX_BACKLOG_SECONDS).
    const block = Math.max(1, Math.round(config.sampleRateHz / 4));
    this.levels = this.options.fadeTailDb > 0 ? new LevelHistory(block, 4 * (FADE_REFERENCE_SECONDS + this.options.windowSeconds + 180)) : null;
    this.boundaryContext = {
      config,
      rule: this.options.rule,
      windowFrames: this.windowFrames,
      hopFrames: this.hopFrames,
      peaksIn: (from, to) => this.windowPeaks(from, to),
      lookup: this.cache.get,
    };
  }

  /** Seconds of audio pushed so far. */
  get seconds(): number {
    return this.peakStream.sampleCount / this.config.sampleRateHz;
  }

  /**
   * Seconds of audio whose peaks are ready but which no window has searched yet: audio held (its peaks and its samples)
   * while a window waits for a check's verdict; 0 otherwise. (Audio pushed beyond the peaks ready is at most a peak
   * block, peakWindowFrames.)
   */
  get backlogSeconds(): number {
    const ready = this.finished ? this.totalFrames : this.peakStream.readyFrame;
    return (Math.max(0, ready - (this.nextWindowStart + this.windowFrames)) * this.config.hopSizeSamples) / this.config.sampleRateHz;
  }

  get stats(): StreamStats {
    return {
      windows: this.windows,
      fullSearches: this.fullSearches,
      lookups: this.cache.lookups,
      cacheHits: this.cache.hits,
      turnedDown: this.rejected.length,
    };
  }

  /** Songs confirmed and still being heard (boundaries not final). */
  get playing(): StreamSegment[] {
    return this.active.filter((a) => a.confirmed).map((a) => this.toSegment(a, false));
  }

  /**
   * Feeds mono PCM at config.sampleRateHz; returns what the windows it completed found. A window before which a
   * check's verdict is due (options.checkLagWindows) waits for it, its audio kept: resolveCheck runs it.
   */
  push(pcm: Float32Array): StreamEvent[] {
    if (this.finished) throw new Error('StreamMatcher: push after finish');
    this.peakStream.push(pcm);
    if (this.options.audioCheck) this.recent.keep(pcm);
    this.levels?.push(pcm);
    this.takePeaks();
    const events: StreamEvent[] = [];
    this.pump(events);
    return events;
  }

  /**
   * Ends the stream: searches the last part, closes every song; returns the last events (those it got to: while a check
   * is out, resolveCheck goes on with the windows and the closing; `ended` says when all is done).
   */
  finish(): StreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    this.peaks.push(...this.peakStream.finish());
    this.totalFrames = Math.ceil(this.peakStream.sampleCount / this.config.hopSizeSamples);
    const events: StreamEvent[] = [];
    this.pump(events);
    return events;
  }

  /** finish() has run every window and closed every song (the verdicts of checks still out then come after). */
  get ended(): boolean {
    return this.closedAll;
  }

  /**
   * Runs the windows the audio allows, each after the check verdicts due before it (options.checkLagWindows), in the
   * order the checks were asked for; stops at a window whose verdict has not come back. So a stream's songs do not
   * depend on how fast checks are answered: a tracklist's checks read the track's file while the windows went on, and
   * how many windows ran meanwhile, and with them the list, varied with the machine's load (a loop followed at another
   * repeat, a boundary 1.2 s off, from one run to the next). After finish(): the last window, then the songs closed.
   */
  private pump(events: StreamEvent[]): void {
    if (this.closedAll) {
      this.applyVerdicts(Number.POSITIVE_INFINITY, events);
      return;
    }
    this.applyVerdicts(this.windows + 1, events);
    const ready = this.finished ? this.totalFrames : this.peakStream.readyFrame;
    while (this.nextWindowStart + this.windowFrames <= ready) {
      if (!this.applyVerdicts(this.windows + 1, events)) return; // the window waits for a verdict due before it
      this.runWindow(this.nextWindowStart, this.nextWindowStart + this.windowFrames, events);
      this.nextWindowStart += this.hopFrames;
    }
    if (!this.finished) {
      // The last window of finish() may reach one window back.
      if (this.options.audioCheck) this.recent.forgetBefore(Math.max(0, (this.nextWindowStart - this.windowFrames) * this.config.hopSizeSamples));
      return;
    }
    if (!this.tailDone) {
      if (!this.applyVerdicts(this.windows + 1, events)) return;
      this.tailDone = true;
      // One last window ending at the end of the audio when what it adds is worth a search.
      const minTail = (this.options.minTailSeconds * this.config.sampleRateHz) / this.config.hopSizeSamples;
      const lastEnd = this.nextWindowStart - this.hopFrames + this.windowFrames;
      if (this.totalFrames - Math.max(lastEnd, 0) >= minTail || (this.windows === 0 && this.totalFrames >= minTail)) {
        this.runWindow(Math.max(0, this.totalFrames - this.windowFrames), this.totalFrames, events);
      }
    }
    // Closing the songs counts as the next window: the verdicts due by then first. A song whose check is out then is
    // closed pending (close), its verdict taken as it comes, in the order asked.
    if (!this.applyVerdicts(this.windows + 1, events)) return;
    for (const a of this.active) this.close(a, events);
    this.active = [];
    this.closedAll = true;
    this.applyVerdicts(Number.POSITIVE_INFINITY, events);
  }

  /**
   * Applies the verdicts due before window number `next` (1-based: a check asked by window n is due before window
   * n + checkLagWindows + 1), in the order asked; false when one of them has not come back.
   */
  private applyVerdicts(next: number, events: StreamEvent[]): boolean {
    while (this.asked.length > 0 && this.asked[0].window + this.options.checkLagWindows + 1 <= next) {
      const first = this.asked[0];
      if (!first.back) return false;
      this.asked.shift();
      this.applyCheck(first.id, first.result, events);
    }
    return true;
  }

  /** The audio checks wanted since the last call (only with options.audioCheck). */
  takeCheckRequests(): CheckRequest[] {
    return this.checkRequests.splice(0, this.checkRequests.length);
  }

  /** Audio checks asked for whose verdict has not taken effect yet. */
  get pendingChecks(): number {
    return this.asked.length;
  }

  /**
   * The verdict of a check request (undefined: no verdict, the track could not be read, too little of it in the
   * band). It takes effect before the window options.checkLagWindows after the one that asked for it, whenever it
   * comes back (pump): returns the events of what it let run.
   */
  resolveCheck(id: number, result: AudioCheck | undefined): StreamEvent[] {
    const entry = this.asked.find((x) => x.id === id);
    if (!entry || entry.back) return [];
    entry.back = true;
    entry.result = result;
    const events: StreamEvent[] = [];
    this.pump(events);
    return events;
  }

  /**
   * Applies a check verdict: undefined (no verdict: the track could not be read, too little of it in the band)
   * leaves the votes to decide, as identify does (not in a window past the track's end: options.unheardChecks); a
   * shortfall above rule.maxShortfall turns the song down, unless a later window gives it the votes no song is checked
   * with (rule.auditBelowAligned: runWindow takes it up again).
   */
  private applyCheck(id: number, result: AudioCheck | undefined, events: StreamEvent[]): void {
    const closed = this.closedPending.get(id);
    const asked = closed ?? this.active.find((x) => x.check === id);
    if (!asked) return;
    // Its checks with a verdict are judged together: their judged peaks pooled (options.maxSongChecks).
    const judgedResult = result && isJudged(result, this.options.rule.audioCheck) ? result : undefined;
    const pooled = judgedResult ? this.trackRecord(asked, poolCheck(asked, judgedResult, this.options.undecidedDirectionT > 0)) : result;
    const heard = {
      kind: 'heard-match',
      // Heard against the votes it had when the check was asked, or the votes no song is checked with if it reached
      // them while the check was out: a song is judged the same whenever its check comes back (and as one that
      // reached them before its check was asked, which is never checked).
      aligned: asked.maxAligned >= this.options.rule.auditBelowAligned ? asked.maxAligned : asked.checkAligned,
      confidence: asked.confidence,
      loopRepeat: asked.toothHops > 0,
      suspectBackwards: this.suspectBackwards(asked),
      sighted: asked.acceptedWindows === 0,
      sharedMaterial: this.hasTrackRecord(asked),
      ...(pooled ? { check: pooled } : {}),
    } as const;
    const verdict = decide(heard, this.options.rule);
    const failed = verdict.verdict === 'refuse';
    // Heard as its track's audio (no shorter of it than a true match may be), but running the other way.
    if (verdict.reason === 'backwards' && result && isJudged(result, this.options.rule.audioCheck) && result.shortfall <= this.options.rule.maxShortfall) {
      this.heardBackwards(asked);
    }
    // Refused only as a loop (followed at its other repeats): not turned down, followed on without its teeth.
    const plain = failed && heard.loopRepeat ? decide({ ...heard, loopRepeat: false }, this.options.rule) : verdict;
    const unlooped = failed && heard.loopRepeat && plain.verdict === 'accept';
    if ((unlooped || !failed) && plain.reason === 'heard' && pooled && this.undecided(asked, pooled)) {
      // Passed (as a plain song) by less than its own noise: heard again on audio this check did not hear before it is
      // named.
      if (unlooped) unloopSong(asked);
      this.hearAgain(asked, id, closed);
      return;
    }
    if (!judgedResult && verdict.reason === 'unheard' && !failed && asked.heard.unjudged < this.options.unheardChecks && this.windowPastTrackEnd(asked)) {
      // Not heard (no verdict) in a window that runs past its track's end, and about to be named on its votes alone:
      // heard again first (options.unheardChecks), which a track that has ended cannot be.
      asked.heard.unjudged++;
      this.hearAgain(asked, id, closed);
      return;
    }
    if (unlooped) {
      // Heard as a plain song it passes: judged as the song its longest row without a hop would have been.
      unloopSong(asked);
      if (closed) this.closedPending.delete(id);
      if (asked.windows >= this.options.minWindows && decide(this.songEvidence(asked), this.options.rule).verdict === 'accept') {
        asked.check = 'passed';
        this.confirm(asked, events);
        if (closed) this.close(closed, events);
      }
      return;
    }
    if (failed) asked.shortWhenHeard = verdict.reason === 'falls-short' && !heard.loopRepeat && !heard.suspectBackwards;
    // Turned down after being left undecided: no longer waiting to be heard again (taken up as any song turned down).
    if (failed) asked.undecidedUntil = Number.NEGATIVE_INFINITY;
    if (failed && asked.shortWhenHeard && judgedResult) this.recordShort(asked, judgedResult);
    if (closed) {
      this.closedPending.delete(id);
      if (failed) this.rejected.push(closed);
      else {
        closed.check = 'passed';
        this.confirm(closed, events);
        this.close(closed, events);
      }
      return;
    }
    const a = asked;
    if (failed) {
      this.rejected.push(a);
      this.active = this.active.filter((x) => x !== a);
    } else {
      a.check = 'passed';
      this.confirm(a, events);
    }
    return;
  }

  /**
   * A song's pooled check, pooled further with its track's near misses at other alignments in the last
   * options.trackRecordSeconds of the stream (shortRecord): as if heard over all of them.
   */
  private trackRecord(a: Active, check: AudioCheck): AudioCheck {
    const record = this.recordOf(a);
    if (record.length === 0) return check;
    let judged = check.judged;
    let short = check.shortfall * check.judged;
    let contrastSum = check.contrast * check.judged;
    for (const r of record) {
      judged += r.judged;
      short += r.short;
      contrastSum += r.contrastSum;
    }
    return { ...check, judged, shortfall: short / judged, contrast: contrastSum / judged };
  }

  /**
   * Whether a song's track has near misses at other alignments in the last options.trackRecordSeconds (trackRecord):
   * then it is heard, however many votes it has (decide: sharedMaterial). Seed 22's Naev *Collective1* played
   * backwards was checked at three alignments in 30 s (9-12 % short), then reached the 60 votes a song is named
   * with unheard and was named.
   */
  private hasTrackRecord(a: Active): boolean {
    return this.recordOf(a).length > 0;
  }

  /** A song's track's near misses at other alignments in the last options.trackRecordSeconds of the stream. */
  private recordOf(a: Active): { judged: number; short: number; contrastSum: number }[] {
    if (this.options.trackRecordSeconds <= 0) return [];
    const since = a.lastWindowStart - this.options.trackRecordSeconds * (this.config.sampleRateHz / this.config.hopSizeSamples);
    return (this.shortRecord.get(a.trackNum) ?? []).filter((r) => r.song !== a && r.frame >= since);
  }

  /**
   * Whether the window a song was last heard in (its check's) runs past its track's end (its last stored peak), where
   * the audio puts it; a track whose length is unknown: no.
   */
  private windowPastTrackEnd(a: Active): boolean {
    const frames = this.trackFrames(a.trackNum);
    return frames !== undefined && a.lastOffset + this.windowFrames * a.hypothesis.timeFactor > frames;
  }

  /**
   * Leaves a song undecided: heard again on a window that shares no audio with its last check before it is named; one
   * closed while its check was out is kept to be taken up again where the audio predicts (runWindow).
   */
  private hearAgain(asked: Active, id: number, closed: Active | undefined): void {
    asked.check = 'none';
    asked.undecidedUntil = asked.lastWindowStart + this.windowFrames;
    if (closed) {
      this.closedPending.delete(id);
      this.rejected.push(asked);
    }
  }

  /**
   * Whether a song's pooled check passed too narrowly for its judged peaks, or leaning backwards
   * (options.undecidedDirectionT), with checks left (options.undecidedChecks).
   */
  private undecided(a: Active, check: AudioCheck): boolean {
    const { undecidedChecks, undecidedZ, undecidedDirectionT } = this.options;
    if (undecidedChecks <= 0 || a.heard.checks > undecidedChecks) return false;
    if (undecidedDirectionT > 0 && check.directionT !== undefined && check.directionT <= -undecidedDirectionT) return true;
    const bar = this.options.rule.maxShortfall;
    return check.shortfall > bar - undecidedZ * Math.sqrt((bar * (1 - bar)) / Math.max(1, check.judged));
  }

  /** Keeps a check that turned its song down by a near miss in its track's record (trackRecord); forgets old ones. */
  private recordShort(a: Active, result: AudioCheck): void {
    if (this.options.trackRecordSeconds <= 0 || result.shortfall > 2 * this.options.rule.maxShortfall) return;
    const since = a.lastWindowStart - this.options.trackRecordSeconds * (this.config.sampleRateHz / this.config.hopSizeSamples);
    // Every track's record let go as it ages (a listening session runs for hours).
    for (const [trackNum, entries] of this.shortRecord) if (entries[entries.length - 1].frame < since) this.shortRecord.delete(trackNum);
    const record = (this.shortRecord.get(a.trackNum) ?? []).filter((r) => r.frame >= since);
    const judged = result.judged;
    record.push({ frame: a.lastWindowStart, song: a, judged, short: result.shortfall * judged, contrastSum: result.contrast * judged });
    this.shortRecord.set(a.trackNum, record);
  }

  /**
   * The songs heard (confirmed ones only), in time order, with boundaries placed where each song's aligned landmarks
   * start and stop; a crossfade is split at its middle. Call after finish() for the final list.
   */
  segments(): StreamSegment[] {
    return mergeSegments(this.heard(), this.toleranceFrames, this.sameRecording);
  }

  /**
   * The songs heard (confirmed ones only) as followed, not merged yet (overlaps not split): a part of a long recording
   * hands these on (tracklistParts.ts), so that its songs and the next part's are merged once, as one matcher's are.
   */
  heard(): StreamSegment[] {
    return [...this.done, ...this.playing];
  }

  /** Stretches of the stream (frames) longer than minUnknownSeconds in which no song was reported. */
  unknownStretches(totalFrames: number): { startFrame: number; endFrame: number }[] {
    const minFrames = (this.options.minUnknownSeconds * this.config.sampleRateHz) / this.config.hopSizeSamples;
    return unknownStretches(this.segments(), totalFrames, minFrames);
  }

  private takePeaks(): void {
    const fresh = this.peakStream.drain();
    for (const p of fresh) this.peaks.push(p);
  }

  private windowPeaks(from: number, to: number): Peak[] {
    const out: Peak[] = [];
    let i = lowerBound(this.peaks, from);
    for (; i < this.peaks.length && this.peaks[i].frame < to; i++) out.push({ ...this.peaks[i], frame: this.peaks[i].frame - from });
    return out;
  }

  private consistent(a: Active, trackNum: number, offsetFrames: number, windowStart: number, atTeeth = false): boolean {
    return continuesSong(a, trackNum, offsetFrames, windowStart, this.toleranceFrames, atTeeth);
  }

  private runWindow(from: number, to: number, events: StreamEvent[]): void {
    this.windows++;
    this.cache.nextWindow();
    const peaks = this.windowPeaks(from, to);
    const rule = this.options.rule;
    const extended = new Set<Active>();
    let followedLead = false;

    // 1. Follow the songs already playing: one vote per distinct hypothesis among them.
    const votesByHypothesis: { hypothesis: Hypothesis; votes: TrackVote[] }[] = [];
    for (const a of this.active) {
      let entry = votesByHypothesis.find((e) => sameHypothesis(e.hypothesis, a.hypothesis));
      if (!entry) {
        const identity = a.hypothesis.timeFactor === 1 && a.hypothesis.pitchFactor === 1;
        const keys = makeQueryKeys(peaks, this.config, a.hypothesis, identity ? rule.keyTolerance : rule.shiftedKeyTolerance);
        entry = { hypothesis: a.hypothesis, votes: voteOffsets(keys, this.cache.get, rule.offsetToleranceFrames) };
        votesByHypothesis.push(entry);
      }
      const own = entry.votes.find((v) => v.trackNum === a.trackNum);
      if (!own || own.alignedCount < rule.minAligned || !this.consistent(a, own.trackNum, own.offsetFrames, from)) continue;
      const lead = entry.votes[0].trackNum === a.trackNum;
      const fading = own.alignedCount < this.options.fadeRatio * a.lastAligned;
      extendSong(a, from, to, own, null);
      extended.add(a);
      if (lead && !fading && (a.confirmed || this.leadsWhileChecked(a))) followedLead = true;
    }

    // 2. The full search when no confirmed song leads (a change, a fade, unknown music, nothing playing yet); with
    // nothing playing or pending, only on every discoveryStride-th window.
    const idle = this.active.length === 0;
    const discoveryDue = !idle || this.sinceFullSearch + 1 >= this.options.discoveryStride;
    let searched: SearchOutcome | null = null;
    if (followedLead || !discoveryDue) this.sinceFullSearch++;
    if (!followedLead && discoveryDue) {
      this.sinceFullSearch = 0;
      this.fullSearches++;
      const outcome = searchPeaks(peaks, this.config, this.cache.get, rule, 5, this.peaksOf);
      searched = outcome;
      const seen = new Set<number>();
      for (const c of outcome.matches) {
        if (seen.has(c.trackNum)) continue;
        seen.add(c.trackNum);
        const refused = this.rejected.findIndex((r) => this.consistent(r, c.trackNum, c.offsetFrames, from));
        if (refused >= 0) {
          // A song its check found short, accepted again at the same alignment: taken up again where it was, to be
          // heard again with its checks pooled (options.maxSongChecks), or, heard now with the votes no song is checked
          // with (rule.auditBelowAligned), as if it had reached them before its check was asked. In a room, a true
          // song's first windows may hold 40-50 votes and fall just short (their peaks under the room's ambience and
          // notches), and its later ones 60-90.
          const r = this.rejected[refused];
          // A song left undecided by its checks (options.undecidedChecks) that stopped being heard is taken up too.
          const undecided = r.undecidedUntil > Number.NEGATIVE_INFINITY;
          if (!undecided && (!r.shortWhenHeard || (c.alignedCount < rule.auditBelowAligned && r.heard.checks >= this.options.maxSongChecks))) continue;
          this.rejected.splice(refused, 1);
          r.check = 'none';
          r.missed = 0;
          this.active.push(r);
        }
        // A window the clip rule accepts also continues a loop at another of its repeats (decisionRule loopToothShare):
        // following alone never moves a song from the position the audio predicts.
        const plain = this.active.find((a) => this.consistent(a, c.trackNum, c.offsetFrames, from));
        const hit = plain ?? this.active.find((a) => this.consistent(a, c.trackNum, c.offsetFrames, from, true));
        if (hit && !plain) {
          hopToTooth(hit, c.offsetFrames, from);
          startRow(hit, extended.has(hit));
        }
        if (hit) {
          const own = extended.has(hit) ? hit.lastAligned : 0;
          const heardBetter = !sameHypothesis(hit.hypothesis, { timeFactor: c.timeFactor, pitchFactor: c.pitchFactor }) && c.alignedCount > own;
          if (extended.has(hit)) {
            // Already counted by following; the full search's verdict adds that the window passes the rule alone.
            hit.acceptedWindows++;
            this.weighPeak(hit, peaks, c);
            if (!hit.evidence || c.confidence > hit.confidence) hit.evidence = { windowStartFrame: from, candidate: c };
            hit.confidence = Math.max(hit.confidence, c.confidence);
          } else {
            extendSong(hit, from, to, c, c);
            this.weighPeak(hit, peaks, c);
            extended.add(hit);
          }
          if (heardBetter) adoptHypothesis(hit, c, c, from);
        } else {
          const a = startSong(c, from, to);
          extendSong(a, from, to, c, c);
          this.weighPeak(a, peaks, c);
          this.active.push(a);
          extended.add(a);
        }
      }
      // The best vote, even below the rule's bars, keeps a song going that the audio already showed (a noisy patch).
      const best = outcome.best;
      if (best && !seen.has(best.trackNum) && best.alignedCount >= rule.minAligned) {
        const hit = this.active.find((a) => !extended.has(a) && this.consistent(a, best.trackNum, best.offsetFrames, from));
        if (hit) {
          extendSong(hit, from, to, best, null);
          extended.add(hit);
        }
      }
      if (rule.sightingMinWindows > 0) this.sight(outcome, seen, extended, peaks, from, to);
    }

    // A song whose offsets are a comb (no sharp window yet) keeps this window's other teeth: a loop continues at any
    // of its repeats (decisionRule loopToothShare).
    for (const a of extended) {
      // Only where a check can hear it (decide: loopRepeat), and not again once its check as a loop failed.
      if (rule.loopToothShare > 0 && this.options.audioCheck && !a.teethRefused && a.sharpWindows === 0) {
        a.teeth = loopTeeth(peaks, this.config, this.cache.get, rule, { trackNum: a.trackNum, offsetFrames: a.anchorTrack, ...a.hypothesis });
      }
    }

    // Each song's share of the window's best vote, under any hypothesis tried (decisionRule minShare): a track heard
    // only under the song playing, with a small part of its votes, is not reported.
    let windowBest = 0;
    for (const e of votesByHypothesis) windowBest = Math.max(windowBest, e.votes[0]?.alignedCount ?? 0);
    if (searched) windowBest = Math.max(windowBest, searched.best?.alignedCount ?? 0);
    for (const a of extended) if (windowBest > 0) a.maxShare = Math.max(a.maxShare, Math.min(1, a.lastAligned / windowBest));

    // 3. Bookkeeping: count misses, confirm (the most voted first: of two files of one recording it is the one named),
    // close what is no longer heard.
    for (const a of this.active) a.missed = extended.has(a) ? 0 : a.missed + 1;
    for (const a of [...this.active].sort((x, y) => y.maxAligned - x.maxAligned)) {
      if (!a.confirmed && a.check === 'none' && a.windows >= this.options.minWindows && decide(this.songEvidence(a), rule).verdict === 'accept') {
        if (this.beyondSpeedRange(a)) {
          // Turned down for good at this alignment (never found short: not taken up again).
          this.rejected.push(a);
          this.active = this.active.filter((x) => x !== a);
          continue;
        }
        // Not from a fade's tail: it waits for a window at the music's level.
        if (this.fadeTail(a)) continue;
        // A song followed at a loop's other repeats is confirmed only once heard (decide: loopRepeat).
        // So is one whose audio runs backwards while its track's runs forwards (decide: backwardsAsymmetry).
        const clipAsymmetry =
          this.options.audioCheck && rule.backwardsAsymmetry > 0 ? timeAsymmetry(this.checkClip(a).pcm, this.config.sampleRateHz) : undefined;
        const unheard = decide(
          {
            kind: 'heard-match',
            aligned: a.maxAligned,
            confidence: a.confidence,
            loopRepeat: a.toothHops > 0,
            suspectBackwards: this.suspectBackwards(a),
            sighted: a.acceptedWindows === 0,
            sharedMaterial: this.hasTrackRecord(a),
            ...(clipAsymmetry !== undefined ? { clipAsymmetry } : {}),
          },
          rule,
        );
        if (this.options.audioCheck && !unheard.wantsCheck && this.playsBeyondRange(a)) {
          // Named unheard, nothing else would tell: turned down for good at this alignment, as at the grid's edge.
          this.rejected.push(a);
          this.active = this.active.filter((x) => x !== a);
          continue;
        }
        if (!this.options.audioCheck || !unheard.wantsCheck) this.confirm(a, events);
        else if ((this.options.minWindows >= 2 || this.fillsWindow(a)) && a.lastWindowStart >= a.undecidedUntil) this.requestCheck(a);
      }
    }
    const still: Active[] = [];
    for (const a of this.active) {
      // A song whose check is out or that waits to be heard again (undecided) keeps its evidence as a named one does.
      const asked = typeof a.check === 'number' || a.undecidedUntil > Number.NEGATIVE_INFINITY;
      if (a.missed > this.options.maxMissedWindows || (!a.confirmed && !asked && a.missed > this.options.pendingMissedWindows)) this.close(a, events);
      else still.push(a);
    }
    this.active = still;
    this.forgetPeaks(from);
  }

  /**
   * Whether a song whose check is out leads a window it leads its own vote in as a confirmed song does (no full search):
   * when its track had options.followWhileCheckedAligned votes when the check was asked, and no other song playing
   * awaits its confirmation. Such a song was named without a check until every tracklist song was heard (decisionRule
   * auditBelowAligned), and followed so. A full search also sets right the other songs followed beside it: a second
   * library file of the same recording followed at a neighbouring pitch step (seed 15's *area1-game*, .flac and .ogg,
   * x1.06: the .ogg stayed at pitch x1.05, drifted 0.7 s over the song, and was not found to be the same recording).
   */
  private leadsWhileChecked(a: Active): boolean {
    return typeof a.check === 'number' && a.checkAligned >= this.options.followWhileCheckedAligned && this.active.every((o) => o === a || o.confirmed);
  }

  /** Whether a song's track was refused as backwards in the stream not long before (decisionRule backwardsClearT). */
  private suspectBackwards(a: Active): boolean {
    return this.options.rule.backwardsClearT > 0 && a.lastWindowStart <= (this.backwardsUntil.get(a.trackNum) ?? Number.NEGATIVE_INFINITY);
  }

  /**
   * A song refused as backwards whose audio otherwise matched its track: the track is suspect for as long as it lasts
   * (a reversed playback of it lasts no longer). A check that also fell short says nothing of which way it was played.
   */
  private heardBackwards(a: Active): void {
    const fps = this.config.sampleRateHz / this.config.hopSizeSamples;
    const trackFrames = this.trackFrames(a.trackNum) ?? BACKWARDS_MEMORY_SECONDS * fps;
    const until = a.lastWindowStart + this.windowFrames + trackFrames;
    this.backwardsUntil.set(a.trackNum, Math.max(until, this.backwardsUntil.get(a.trackNum) ?? until));
  }

  /** What the decision rule hears of a song followed so far (decide: stream-song). */
  private songEvidence(a: Active): Evidence {
    return {
      kind: 'stream-song',
      windows: a.windows,
      acceptedWindows: a.acceptedWindows,
      sharpWindows: a.sharpWindows,
      confidence: a.confidence,
      share: a.maxShare,
      sightings: a.sightings,
    };
  }

  /**
   * Whether the window a song was last heard in starts where the song does (its aligned landmarks in its first window
   * begin), or later. A song named from one window (minWindows 1, Keep listening) most often began inside that
   * window: checked there, the check judges the audio before it (or, trimmed to the song, its first second or two)
   * and falls short of the track, and a refused check is final. Its check waits for a window it fills, a few
   * windows a second apart at most. (Tracklists, minWindows 2, check on their second window, 5 s on, as calibrated.)
   */
  private fillsWindow(a: Active): boolean {
    const head = alignedSpan(a, a.firstWindowStart, a.firstWindowStart + this.windowFrames, this.boundaryContext);
    const songStart = head ? head[0] : a.firstWindowStart;
    return a.lastWindowStart >= songStart - this.hopFrames / 2;
  }

  /**
   * Sightings (decisionRule sightingMinWindows): the tracks this window's full search verified (the peak test's score
   * at least rule.minVerifyScore) without the clip rule accepting them. Through a loud room a song's windows may each
   * fall short of the rule's bars (12-15 votes against a background of 8-10) while the search still verifies it at
   * the position the audio predicts, window after window; chance verifies a track at an alignment that advances with
   * the audio seldom, and in two windows that share no audio hardly ever (overlapping windows share their chance
   * alignments, so only windows a whole window apart count). A track sighted so in rule.sightingMinWindows windows,
   * each within maxMissedWindows + 1 windows of the last, is taken up as a song from its first sighting: followed,
   * confirmed as any song (its sightings standing in for an accepted window), and named only once its audio check
   * passes with a verdict.
   */
  private sight(outcome: SearchOutcome, accepted: ReadonlySet<number>, extended: Set<Active>, peaks: readonly Peak[], from: number, to: number): void {
    const rule = this.options.rule;
    const maxGap = (this.options.maxMissedWindows + 1) * this.windowFrames;
    this.sightings = this.sightings.filter((s) => from - s.song.lastWindowStart <= maxGap);
    for (const v of outcome.verified) {
      if (accepted.has(v.trackNum) || v.verification.score < rule.minVerifyScore) continue;
      // Already followed, or turned down by its check, at this alignment.
      const here = (a: Active): boolean => this.consistent(a, v.trackNum, v.offsetFrames, from);
      if (this.active.some(here) || this.rejected.some(here)) continue;
      const candidate: ExactCandidate = {
        trackNum: v.trackNum,
        offsetFrames: v.offsetFrames,
        alignedCount: v.alignedCount,
        confidence: SIGHTED_CONFIDENCE,
        timeFactor: v.hypothesis.timeFactor,
        pitchFactor: v.hypothesis.pitchFactor,
        verification: v.verification,
      };
      const prior = this.sightings.find((s) => s.song.lastWindowStart < from && this.consistent(s.song, v.trackNum, v.offsetFrames, from));
      if (!prior) {
        const song = startSong(candidate, from, to);
        extendSong(song, from, to, candidate, null);
        song.evidence = { windowStartFrame: from, candidate };
        this.weighPeak(song, peaks, candidate);
        this.sightings.push({ song, counted: from, count: 1 });
        continue;
      }
      extendSong(prior.song, from, to, candidate, null);
      if (v.alignedCount > prior.song.evidence!.candidate.alignedCount) prior.song.evidence = { windowStartFrame: from, candidate };
      this.weighPeak(prior.song, peaks, candidate);
      if (from - prior.counted < this.windowFrames) continue; // shares audio with the window last counted
      prior.counted = from;
      prior.count++;
      if (prior.count < rule.sightingMinWindows) continue;
      // Taken up: from its first sighting, with the windows that sighted it.
      const a = prior.song;
      this.sightings.splice(this.sightings.indexOf(prior), 1);
      a.sightings = prior.count;
      a.confidence = SIGHTED_CONFIDENCE;
      this.active.push(a);
      extended.add(a);
    }
  }

  /**
   * Counts an accepted window of a song not yet reported as sharp when its offset peak stands out of the track's other
   * offsets (a held sound's ridge or a loop's comb does not: such a song needs more windows in a row, rule.ridgeMinWindows).
   */
  private weighPeak(a: Active, peaks: readonly Peak[], c: ExactCandidate): void {
    if (a.confirmed || a.sharpWindows > 0) return;
    const rule = this.options.rule;
    if (rule.minPeakSharpness <= 0) {
      a.sharpWindows++;
      return;
    }
    const profile = offsetProfile(peaks, this.config, this.cache.get, rule, c);
    if (isSharpPeak(profile.aligned, profile.farAligned, rule)) a.sharpWindows++;
  }

  private confirm(a: Active, events: StreamEvent[]): void {
    a.confirmed = true;
    const segment = this.toSegment(a, false);
    // Another file of a song reported before and still heard (the same recording, over the same stretch): not new.
    const same = this.sameRecording && this.active.find((o) => o !== a && o.confirmed && this.sameRecording!(this.toSegment(o, false), segment));
    if (same) a.sameAs = same.sameAs ?? same.trackNum;
    events.push({ type: 'song', segment, ...(a.sameAs !== null ? { sameAs: a.sameAs } : {}) });
  }

  /**
   * Asks for the audio check of the window the song was last heard in: of the part of it where the song's aligned
   * landmarks are (alignedSpan) when that is at least half the window. A song that starts inside the window (the
   * one that confirms it often does) shares it with what played before, and that part is not the track: judged
   * whole, it fell short and the song was turned down for good.
   */
  private requestCheck(a: Active): void {
    const id = this.nextCheckId++;
    a.check = id;
    a.checkAligned = a.maxAligned;
    const { hypothesis, offsetFrames: at } = this.checkHypothesis(a);
    const { pcm, offsetFrames } = this.checkClip(a, hypothesis.timeFactor, at);
    const { backwardsAsymmetry, backwardsMinT, backwardsClearT } = this.options.rule;
    const direction = backwardsAsymmetry > 0 || backwardsMinT > 0 || backwardsClearT > 0;
    this.checkRequests.push({ id, trackNum: a.trackNum, pcm, candidate: { offsetFrames, ...hypothesis }, direction });
    this.asked.push({ id, window: this.windows, back: false, result: undefined });
  }

  /**
   * The speed a check hears the song at: its own, or a tempo up to options.checkTempoSteps 1 % steps either side of it
   * (pitch kept), whichever gives its track the most votes at its position in the window it was last heard in. The
   * search's grid has no tempo-only steps under 3 % (a key-locked song 1-2 % off votes at x1 well enough), and stops
   * trying steps once a leader has rule.earlyStopAligned votes: a song can be followed 2-3 % off its tempo, which
   * over a 10 s window moves its peaks by 8 frames or more, past what the check's own refinement (+-0.5 %) reaches
   * (seed 6: *Battle Epic*, key-locked x1.026, followed at x1, fell 6-14 % short of its own audio).
   */
  private checkHypothesis(a: Active): { hypothesis: Hypothesis; offsetFrames: number } {
    const from = a.lastWindowStart;
    const peaks = this.windowPeaks(from, from + this.windowFrames);
    if (peaks.length === 0 || this.options.checkTempoSteps === 0) return { hypothesis: a.hypothesis, offsetFrames: a.lastOffset };
    const rule = this.options.rule;
    const step = CHECK_TEMPO_STEP;
    const steps = this.options.checkTempoSteps;
    let best = { hypothesis: a.hypothesis, offsetFrames: a.lastOffset, aligned: -1 };
    for (let k = -steps; k <= steps; k++) {
      const h = { timeFactor: a.hypothesis.timeFactor * (1 + k * step), pitchFactor: a.hypothesis.pitchFactor };
      const identity = h.timeFactor === 1 && h.pitchFactor === 1;
      const keys = makeQueryKeys(peaks, this.config, h, identity ? rule.keyTolerance : rule.shiftedKeyTolerance);
      // Only its track's votes about where it plays: a whole vote over every track costs as much as a window's.
      const own = trackVote(keys, this.cache.get, a.trackNum, a.lastOffset, this.toleranceFrames + rule.offsetToleranceFrames, rule.offsetToleranceFrames);
      if (own && Math.abs(own.offsetFrames - a.lastOffset) > this.toleranceFrames) continue;
      // A tie keeps the song's own speed.
      if (own && (own.alignedCount > best.aligned || (own.alignedCount === best.aligned && k === 0)))
        best = { hypothesis: h, offsetFrames: own.offsetFrames, aligned: own.alignedCount };
    }
    return { hypothesis: best.hypothesis, offsetFrames: best.offsetFrames };
  }

  /**
   * Whether a song followed at the edge of the speeds searched gets options.beyondRangeRatio times its track's votes
   * (and rule.minAligned more) one step past that edge, in the window it was last heard in: it plays beyond the range.
   */
  private beyondSpeedRange(a: Active): boolean {
    const ratio = this.options.beyondRangeRatio;
    const rule = this.options.rule;
    const past = ratio > 0 ? beyondGridStep(a.hypothesis, rule.hypotheses) : null;
    if (!past) return false;
    const peaks = this.windowPeaks(a.lastWindowStart, a.lastWindowStart + this.windowFrames);
    const votes = (h: Hypothesis): number =>
      trackVote(
        makeQueryKeys(peaks, this.config, h, rule.shiftedKeyTolerance),
        this.cache.get,
        a.trackNum,
        a.lastOffset,
        this.toleranceFrames + rule.offsetToleranceFrames,
        rule.offsetToleranceFrames,
      )?.alignedCount ?? 0;
    const own = votes(a.hypothesis);
    const beyond = votes(past);
    return beyond >= ratio * own && beyond >= own + rule.minAligned;
  }

  /**
   * Whether the audio a check of the song would hear (checkSpan) is more than options.fadeTailDb quieter than the
   * FADE_REFERENCE_SECONDS of stream before it (a fade's or a last chord's tail).
   */
  private fadeTail(a: Active): boolean {
    if (!this.levels) return false;
    const hop = this.config.hopSizeSamples;
    const [start, end] = this.checkSpan(a);
    const from = start * hop;
    const window = this.levels.levelDb(from, end * hop);
    const before = this.levels.levelDb(from - FADE_REFERENCE_SECONDS * this.config.sampleRateHz, from);
    return window !== null && before !== null && window < before - this.options.fadeTailDb;
  }

  /** Whether a song's track votes better beyond the speeds searched, in the window it was last heard in (playsBeyondRange). */
  private playsBeyondRange(a: Active): boolean {
    const { beyondRangeProbe, beyondRangeRatio, rule } = this.options;
    if (!(beyondRangeProbe > 0) || !(beyondRangeRatio > 0)) return false;
    const fps = this.config.sampleRateHz / this.config.hopSizeSamples;
    const peaks = this.windowPeaks(a.lastWindowStart, a.lastWindowStart + this.windowFrames);
    const track = { trackNum: a.trackNum, frames: this.trackFrames(a.trackNum) ?? BACKWARDS_MEMORY_SECONDS * fps };
    return playsBeyondRange(peaks, this.config, this.cache.get, track, a.hypothesis, rule, beyondRangeProbe, beyondRangeRatio);
  }

  /** The frames a check of the song hears: the part of its last window where its aligned landmarks are (requestCheck). */
  private checkSpan(a: Active): [number, number] {
    const from = a.lastWindowStart;
    const to = a.lastWindowStart + this.windowFrames;
    const span = alignedSpan(a, from, to, this.boundaryContext);
    return span && span[1] - span[0] >= this.windowFrames / 2 ? span : [from, to];
  }

  /** The audio a check of the song hears (see requestCheck), and the track frame at its start, at `timeFactor`. */
  private checkClip(a: Active, timeFactor = a.hypothesis.timeFactor, lastOffset = a.lastOffset): { pcm: Float32Array; offsetFrames: number } {
    const hop = this.config.hopSizeSamples;
    const [from, to] = this.checkSpan(a);
    const pcm = this.recent.copy(from * hop, (to - from) * hop + this.config.fftSize);
    return { pcm, offsetFrames: lastOffset + (from - a.lastWindowStart) * timeFactor };
  }

  private close(a: Active, events: StreamEvent[]): void {
    if (typeof a.check === 'number' && !a.confirmed) {
      this.closedPending.set(a.check, a); // its check decides
      return;
    }
    if (!a.confirmed && a.undecidedUntil > Number.NEGATIVE_INFINITY) {
      this.rejected.push(a); // undecided: its checks kept, taken up again where the audio predicts (runWindow)
      return;
    }
    if (!a.confirmed) return; // one window's word is not enough: dropped
    const segment = this.toSegment(a, true);
    this.done.push(segment);
    events.push({ type: 'song-end', segment, ...(a.sameAs !== null ? { sameAs: a.sameAs } : {}) });
  }

  /**
   * Drops peaks no window and no boundary search will read again: a song closed while its audio check is out is
   * placed (alignedEdges) when the check comes back, however many windows later.
   */
  private forgetPeaks(windowStart: number): void {
    // Songs turned down whose position, as the audio predicts it, has passed their track's end: no window's vote can
    // continue them (a listening session runs for hours, and each window's search looks through the rest).
    for (let i = this.rejected.length - 1; i >= 0; i--) if (this.pastTrackEnd(this.rejected[i], windowStart)) this.rejected.splice(i, 1);
    let keepFrom = windowStart + this.hopFrames - this.windowFrames;
    // Songs that may still be reported from their first window: those playing, those whose check is out, tracks
    // sighted (taken up from their first sighting) and songs turned down that a later window may take up again.
    const held = [
      ...this.active,
      ...this.closedPending.values(),
      ...this.sightings.map((s) => s.song),
      ...this.rejected.filter((r) => this.mayTakeUp(r, windowStart)),
    ];
    for (const a of held) keepFrom = Math.min(keepFrom, a.firstWindowStart - this.windowFrames);
    const cut = lowerBound(this.peaks, keepFrom);
    if (cut >= this.options.forgetPeaksBlock) this.peaks = this.peaks.slice(cut);
  }

  /**
   * Whether a song its check turned down may be taken up again in a window starting at `windowStart` or later (runWindow):
   * found short, not out of checks (or a song may reach the votes no song is checked with), and the position the audio
   * predicts for it still inside its track.
   */
  private mayTakeUp(r: Active, windowStart: number): boolean {
    const undecided = r.undecidedUntil > Number.NEGATIVE_INFINITY;
    if (!r.shortWhenHeard && !undecided) return false;
    if (!undecided && r.heard.checks >= this.options.maxSongChecks && !Number.isFinite(this.options.rule.auditBelowAligned)) return false;
    return !this.pastTrackEnd(r, windowStart);
  }

  /**
   * Whether the position the audio predicts for a song in the window at `windowStart`, less every tolerance
   * continuesSong allows, lies past its track's end (a track whose length is unknown: BACKWARDS_MEMORY_SECONDS).
   */
  private pastTrackEnd(r: Active, windowStart: number): boolean {
    const fps = this.config.sampleRateHz / this.config.hopSizeSamples;
    const trackFrames = this.trackFrames(r.trackNum) ?? BACKWARDS_MEMORY_SECONDS * fps;
    return predictedOffset(r, windowStart) - this.toleranceFrames - 0.005 * Math.abs(windowStart - r.anchorStream) > trackFrames;
  }

  private toSegment(a: Active, refine: boolean): StreamSegment {
    return songSegment(a, refine ? alignedEdges(a, this.boundaryContext) : null, a.repeatFrames > 0 ? this.trackFrames(a.trackNum) : undefined);
  }

  /**
   * A track's length in frames (its last stored peak), when its peaks are at hand; remembered, since reading them
   * decodes all of the track's peaks and every song turned down asks again at each window (forgetPeaks).
   */
  private trackFrames(trackNum: number): number | undefined {
    if (this.trackLengths.has(trackNum)) return this.trackLengths.get(trackNum);
    const peaks = this.peaksOf?.(trackNum);
    const frames = peaks && peaks.length > 0 ? peaks[peaks.length - 1].frame : undefined;
    this.trackLengths.set(trackNum, frames);
    return frames;
  }
}
