// Stage 7: a stream of audio -> the songs in it, in time order (tracklists of long recordings; keep listening).
//
// Audio arrives in chunks of any size. Peaks are computed once, as it arrives (PeakStream), and read in windows of
// `windowSeconds` every `hopSeconds`. A window is first checked against the songs already playing ("following"):
// one vote under each such song's (speed, pitch) hypothesis, which is all most windows cost. Only when no playing
// song leads its own vote table (a change, a crossfade, music not in the library) does the window get the full clip
// search (searchPeaks: the hypothesis grid and the per-clip decision rule). Postings are cached across overlapping
// windows, so each second of audio is looked up about once per hypothesis tried.
//
// Evidence adds up across the stream instead of trusting one window: a song is reported only when at least
// `minWindows` windows agree on it at one consistent position (the track offset advancing with the audio, at the
// segment's speed), and one of them passed the per-clip rule. A chance alignment that passes the rule in one window
// has to reappear in the next one at the offset the audio predicts, which music not in the library does not do.
// Boundaries are then placed where the song's aligned landmarks start and stop (not at window edges). Pure: the
// store's lookup and the tracks' stored peaks are passed in.
import type { FingerprintConfig } from './config.js';
import { PeakStream } from './fingerprintAudio.js';
import { makeQueryKeys, type Hypothesis } from './landmarks.js';
import { voteOffsets, type LookupFn, type TrackVote } from './matcher.js';
import type { Peak } from './peaks.js';
import { isJudged, type AudioCheck } from './audioCheck.js';
import { DEFAULT_DECISION_RULE, searchPeaks, speedGrid, type DecisionRule, type ExactCandidate, type PeaksOfTrack } from './searchClip.js';

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
   * Frames per peak-computing block (fingerprintAudio.ts: the peaks do not depend on it, only how soon they are
   * ready). Large blocks suit files; live audio wants ~1 s, or nothing is searched until a block fills.
   */
  readonly peakWindowFrames: number;
  readonly rule: DecisionRule;
}

/**
 * The clip rule with the speed grid widened to +-8 %: what a DJ deck's pitch fader spans (turntable speed, or key-locked
 * tempo), and what tracklists of mixes meet. Clips keep +-6 % (their rule was calibrated with it); a stream's songs
 * must also agree across windows and pass the audio check, which the wider grid's extra chances do not get through.
 */
export const STREAM_DECISION_RULE: DecisionRule = Object.freeze({ ...DEFAULT_DECISION_RULE, hypotheses: Object.freeze(speedGrid(0.08)) });

export const DEFAULT_STREAM_OPTIONS: StreamMatchOptions = Object.freeze({
  windowSeconds: 10,
  hopSeconds: 5,
  offsetToleranceSeconds: 0.5,
  maxMissedWindows: 1,
  minWindows: 2,
  minTailSeconds: 4,
  fadeRatio: 0.35,
  minUnknownSeconds: 3,
  discoveryStride: 2,
  audioCheck: false,
  peakWindowFrames: 2048,
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
}

export type StreamEvent =
  /** A song is confirmed (reported once, when enough windows agree). */
  | { readonly type: 'song'; readonly segment: StreamSegment }
  /** A confirmed song stopped being heard; its boundaries are final. */
  | { readonly type: 'song-end'; readonly segment: StreamSegment };

/** A song waiting for its audio check: the caller checks `pcm` (one window) against the track and calls resolveCheck. */
export interface CheckRequest {
  readonly id: number;
  readonly trackNum: number;
  /** The window's audio (mono, config.sampleRateHz) and the candidate within it (offset = track frame at its start). */
  readonly pcm: Float32Array;
  readonly candidate: { readonly offsetFrames: number; readonly timeFactor: number; readonly pitchFactor: number };
}

export interface StreamStats {
  readonly windows: number;
  readonly fullSearches: number;
  readonly lookups: number;
  readonly cacheHits: number;
}

interface Active {
  trackNum: number;
  hypothesis: Hypothesis;
  /** trackFrame(f) = anchorTrack + (f - anchorStream) * timeFactor. */
  anchorStream: number;
  anchorTrack: number;
  firstWindowStart: number;
  /** The track frame at firstWindowStart (the head's own anchor: a speed between grid steps drifts). */
  headTrack: number;
  lastWindowEnd: number;
  windows: number;
  acceptedWindows: number;
  missed: number;
  lastAligned: number;
  maxAligned: number;
  confidence: number;
  evidence: { windowStartFrame: number; candidate: ExactCandidate } | null;
  confirmed: boolean;
  /** The audio check: not needed/asked yet, asked (request id), or passed. */
  check: 'none' | number | 'passed';
  /** The latest window that extended it, and its offset there (what a check request hears). */
  lastWindowStart: number;
  lastOffset: number;
}

/** Caches postings across overlapping windows: kept while used by this window or the one before. */
class PostingsCache {
  private current = new Map<number, Uint32Array>();
  private previous = new Map<number, Uint32Array>();
  lookups = 0;
  hits = 0;
  constructor(private readonly lookup: LookupFn) {}
  readonly get: LookupFn = (hash) => {
    let p = this.current.get(hash);
    if (p) {
      this.hits++;
      return p;
    }
    p = this.previous.get(hash);
    if (p) this.hits++;
    else {
      p = this.lookup(hash);
      this.lookups++;
    }
    this.current.set(hash, p);
    return p;
  };
  nextWindow(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}

const sameHypothesis = (a: Hypothesis, b: Hypothesis): boolean => a.timeFactor === b.timeFactor && a.pitchFactor === b.pitchFactor;

export class StreamMatcher {
  private readonly config: FingerprintConfig;
  private readonly options: StreamMatchOptions;
  private readonly peaksOf: PeaksOfTrack | undefined;
  private readonly cache: PostingsCache;
  private readonly peakStream: PeakStream;
  /** Peaks kept (sorted by frame): from the earliest frame a window or a boundary still needs. */
  private peaks: Peak[] = [];
  private readonly windowFrames: number;
  private readonly hopFrames: number;
  private readonly toleranceFrames: number;
  private nextWindowStart = 0;
  private active: Active[] = [];
  private readonly done: StreamSegment[] = [];
  private windows = 0;
  private fullSearches = 0;
  /** Windows since the last full search (discoveryStride). */
  private sinceFullSearch = Number.POSITIVE_INFINITY;
  private finished = false;
  /** PCM kept from absolute sample pcmStart: the current window's audio, for check requests. */
  private pcm = new Float32Array(0);
  private pcmStart = 0;
  private pcmLength = 0;
  private nextCheckId = 1;
  private readonly checkRequests: CheckRequest[] = [];
  /** Songs closed while their check was still out: reported (or not) when it comes back. */
  private readonly closedPending = new Map<number, Active>();
  /** Alignments the audio check turned down: not opened again. */
  private readonly rejected: Active[] = [];

  constructor(config: FingerprintConfig, lookup: LookupFn, peaksOf?: PeaksOfTrack, options: Partial<StreamMatchOptions> = {}) {
    this.config = config;
    this.options = { ...DEFAULT_STREAM_OPTIONS, ...options };
    this.peaksOf = peaksOf;
    this.cache = new PostingsCache(lookup);
    this.peakStream = new PeakStream(config, 'query', { windowFrames: this.options.peakWindowFrames });
    const fps = config.sampleRateHz / config.hopSizeSamples;
    this.windowFrames = Math.round(this.options.windowSeconds * fps);
    this.hopFrames = Math.max(1, Math.round(this.options.hopSeconds * fps));
    this.toleranceFrames = this.options.offsetToleranceSeconds * fps;
    if (this.hopFrames > this.windowFrames) throw new RangeError('hopSeconds must not exceed windowSeconds');
  }

  /** Seconds of audio pushed so far. */
  get seconds(): number {
    return this.peakStream.sampleCount / this.config.sampleRateHz;
  }

  get stats(): StreamStats {
    return { windows: this.windows, fullSearches: this.fullSearches, lookups: this.cache.lookups, cacheHits: this.cache.hits };
  }

  /** Songs confirmed and still being heard (boundaries not final). */
  get playing(): StreamSegment[] {
    return this.active.filter((a) => a.confirmed).map((a) => this.toSegment(a, false));
  }

  /** Feeds mono PCM at config.sampleRateHz; returns what the windows it completed found. */
  push(pcm: Float32Array): StreamEvent[] {
    if (this.finished) throw new Error('StreamMatcher: push after finish');
    this.peakStream.push(pcm);
    if (this.options.audioCheck) this.keepPcm(pcm);
    this.takePeaks();
    const events: StreamEvent[] = [];
    while (this.nextWindowStart + this.windowFrames <= this.peakStream.readyFrame) {
      this.runWindow(this.nextWindowStart, this.nextWindowStart + this.windowFrames, events);
      this.nextWindowStart += this.hopFrames;
    }
    if (this.options.audioCheck) this.forgetPcm();
    return events;
  }

  /** Ends the stream: searches the last part, closes every song; returns the last events. */
  finish(): StreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    this.peaks.push(...this.peakStream.finish());
    const totalFrames = Math.ceil(this.peakStream.sampleCount / this.config.hopSizeSamples);
    const events: StreamEvent[] = [];
    const minTail = (this.options.minTailSeconds * this.config.sampleRateHz) / this.config.hopSizeSamples;
    // Windows that fit, then one last window ending at the end of the audio when what it adds is worth a search.
    while (this.nextWindowStart + this.windowFrames <= totalFrames) {
      this.runWindow(this.nextWindowStart, this.nextWindowStart + this.windowFrames, events);
      this.nextWindowStart += this.hopFrames;
    }
    const lastEnd = this.nextWindowStart - this.hopFrames + this.windowFrames;
    if (totalFrames - Math.max(lastEnd, 0) >= minTail || (this.windows === 0 && totalFrames >= minTail)) {
      this.runWindow(Math.max(0, totalFrames - this.windowFrames), totalFrames, events);
    }
    for (const a of this.active) this.close(a, events);
    this.active = [];
    return events;
  }

  /** The audio checks wanted since the last call (only with options.audioCheck). */
  takeCheckRequests(): CheckRequest[] {
    return this.checkRequests.splice(0, this.checkRequests.length);
  }

  /** Audio checks asked for and not resolved yet. */
  get pendingChecks(): number {
    let n = this.closedPending.size;
    for (const a of this.active) if (typeof a.check === 'number') n++;
    return n;
  }

  /**
   * The verdict of a check request: undefined (no verdict: the track could not be read, too little of it in the band)
   * leaves the votes to decide, as identify does; a shortfall above rule.maxShortfall turns the song down for good.
   */
  resolveCheck(id: number, result: AudioCheck | undefined): StreamEvent[] {
    const events: StreamEvent[] = [];
    const failed = result !== undefined && isJudged(result) && result.shortfall > this.options.rule.maxShortfall;
    const closed = this.closedPending.get(id);
    if (closed) {
      this.closedPending.delete(id);
      if (failed) this.rejected.push(closed);
      else {
        closed.check = 'passed';
        closed.confirmed = true;
        events.push({ type: 'song', segment: this.toSegment(closed, false) });
        this.close(closed, events);
      }
      return events;
    }
    const a = this.active.find((x) => x.check === id);
    if (!a) return events;
    if (failed) {
      this.rejected.push(a);
      this.active = this.active.filter((x) => x !== a);
    } else {
      a.check = 'passed';
      this.confirm(a, events);
    }
    return events;
  }

  /**
   * The songs heard (confirmed ones only), in time order, with boundaries placed where each song's aligned landmarks
   * start and stop; a crossfade is split at its middle. Call after finish() for the final list.
   */
  segments(): StreamSegment[] {
    const all = [...this.done, ...this.playing].sort((a, b) => a.startFrame - b.startFrame || a.endFrame - b.endFrame);
    // One song heard again after a quiet passage (a breakdown, talk over it) at the position it would have reached
    // is one entry, not two, when nothing else was heard in between.
    const merged: StreamSegment[] = [];
    for (const s of all) {
      const last = merged[merged.length - 1];
      if (last && this.continues(last, s)) {
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
    // Overlaps (crossfades, or a song heard under another): meet in the middle of the overlap.
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
  private continues(prev: StreamSegment, next: StreamSegment): boolean {
    if (prev.trackNum !== next.trackNum || prev.timeFactor !== next.timeFactor) return false;
    const expected = prev.trackStartFrame + (next.startFrame - prev.startFrame) * prev.timeFactor;
    const drift = 0.005 * Math.abs(next.startFrame - prev.startFrame);
    return Math.abs(next.trackStartFrame - expected) <= this.toleranceFrames + drift;
  }

  /** Stretches of the stream (frames) longer than minUnknownSeconds in which no song was reported. */
  unknownStretches(totalFrames: number): { startFrame: number; endFrame: number }[] {
    const minFrames = (this.options.minUnknownSeconds * this.config.sampleRateHz) / this.config.hopSizeSamples;
    const out: { startFrame: number; endFrame: number }[] = [];
    let cursor = 0;
    for (const s of this.segments()) {
      if (s.startFrame - cursor >= minFrames) out.push({ startFrame: cursor, endFrame: s.startFrame });
      cursor = Math.max(cursor, s.endFrame);
    }
    if (totalFrames - cursor >= minFrames) out.push({ startFrame: cursor, endFrame: totalFrames });
    return out;
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

  private predictedOffset(a: Active, windowStart: number): number {
    return a.anchorTrack + (windowStart - a.anchorStream) * a.hypothesis.timeFactor;
  }

  private consistent(a: Active, trackNum: number, offsetFrames: number, windowStart: number): boolean {
    if (trackNum !== a.trackNum) return false;
    // The tolerance grows with the gap since the anchor: a speed between grid steps drifts by up to 0.5 %.
    const drift = 0.005 * Math.abs(windowStart - a.anchorStream);
    return Math.abs(offsetFrames - this.predictedOffset(a, windowStart)) <= this.toleranceFrames + drift;
  }

  private extend(a: Active, windowStart: number, windowEnd: number, vote: { offsetFrames: number; alignedCount: number }, accepted: ExactCandidate | null): void {
    a.anchorStream = windowStart;
    a.anchorTrack = vote.offsetFrames;
    a.lastWindowEnd = windowEnd;
    a.lastWindowStart = windowStart;
    a.lastOffset = vote.offsetFrames;
    a.windows++;
    a.lastAligned = vote.alignedCount;
    a.maxAligned = Math.max(a.maxAligned, vote.alignedCount);
    if (accepted) {
      a.acceptedWindows++;
      if (!a.evidence || accepted.confidence > a.confidence || (accepted.confidence === a.confidence && accepted.alignedCount > a.evidence.candidate.alignedCount)) {
        a.evidence = { windowStartFrame: windowStart, candidate: accepted };
      }
      a.confidence = Math.max(a.confidence, accepted.confidence);
    }
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
      this.extend(a, from, to, own, null);
      extended.add(a);
      if (lead && !fading && a.confirmed) followedLead = true;
    }

    // 2. The full search when no confirmed song leads (a change, a fade, unknown music, nothing playing yet); with
    // nothing playing or pending, only on every discoveryStride-th window.
    const idle = this.active.length === 0;
    const discoveryDue = !idle || this.sinceFullSearch + 1 >= this.options.discoveryStride;
    if (followedLead || !discoveryDue) this.sinceFullSearch++;
    if (!followedLead && discoveryDue) {
      this.sinceFullSearch = 0;
      this.fullSearches++;
      const outcome = searchPeaks(peaks, this.config, this.cache.get, rule, 5, this.peaksOf);
      const seen = new Set<number>();
      for (const c of outcome.matches) {
        if (seen.has(c.trackNum)) continue;
        seen.add(c.trackNum);
        if (this.rejected.some((r) => this.consistent(r, c.trackNum, c.offsetFrames, from))) continue;
        const hit = this.active.find((a) => this.consistent(a, c.trackNum, c.offsetFrames, from));
        if (hit) {
          if (extended.has(hit)) {
            // Already counted by following; the full search's verdict adds that the window passes the rule alone.
            hit.acceptedWindows++;
            if (!hit.evidence || c.confidence > hit.confidence) hit.evidence = { windowStartFrame: from, candidate: c };
            hit.confidence = Math.max(hit.confidence, c.confidence);
          } else {
            this.extend(hit, from, to, c, c);
            extended.add(hit);
          }
        } else {
          const a: Active = {
            trackNum: c.trackNum,
            hypothesis: { timeFactor: c.timeFactor, pitchFactor: c.pitchFactor },
            anchorStream: from,
            anchorTrack: c.offsetFrames,
            firstWindowStart: from,
            headTrack: c.offsetFrames,
            lastWindowEnd: to,
            windows: 0,
            acceptedWindows: 0,
            missed: 0,
            lastAligned: 0,
            maxAligned: 0,
            confidence: 0,
            evidence: null,
            confirmed: false,
            check: 'none',
            lastWindowStart: from,
            lastOffset: c.offsetFrames,
          };
          this.extend(a, from, to, c, c);
          this.active.push(a);
          extended.add(a);
        }
      }
      // The best vote, even below the rule's bars, keeps a song going that the audio already showed (a noisy patch).
      const best = outcome.best;
      if (best && !seen.has(best.trackNum) && best.alignedCount >= rule.minAligned) {
        const hit = this.active.find((a) => !extended.has(a) && this.consistent(a, best.trackNum, best.offsetFrames, from));
        if (hit) {
          this.extend(hit, from, to, best, null);
          extended.add(hit);
        }
      }
    }

    // 3. Bookkeeping: confirm, count misses, close what is no longer heard.
    const still: Active[] = [];
    for (const a of this.active) {
      if (extended.has(a)) a.missed = 0;
      else a.missed++;
      if (!a.confirmed && a.check === 'none' && a.windows >= this.options.minWindows && a.acceptedWindows >= 1) {
        if (this.options.audioCheck && a.maxAligned < this.options.rule.auditBelowAligned) this.requestCheck(a);
        else this.confirm(a, events);
      }
      const asked = typeof a.check === 'number';
      if (a.missed > this.options.maxMissedWindows || (!a.confirmed && !asked && a.missed > 0)) this.close(a, events);
      else still.push(a);
    }
    this.active = still;
    this.forgetPeaks(from);
  }

  private confirm(a: Active, events: StreamEvent[]): void {
    a.confirmed = true;
    events.push({ type: 'song', segment: this.toSegment(a, false) });
  }

  private requestCheck(a: Active): void {
    const id = this.nextCheckId++;
    a.check = id;
    const hop = this.config.hopSizeSamples;
    const from = a.lastWindowStart * hop - this.pcmStart;
    const to = Math.min(this.pcmLength, from + this.windowFrames * hop + this.config.fftSize);
    const pcm = this.pcm.slice(Math.max(0, from), Math.max(0, to));
    this.checkRequests.push({ id, trackNum: a.trackNum, pcm, candidate: { offsetFrames: a.lastOffset, ...a.hypothesis } });
  }

  private keepPcm(pcm: Float32Array): void {
    if (this.pcmLength + pcm.length > this.pcm.length) {
      const grown = new Float32Array(Math.max(this.pcmLength + pcm.length, this.pcm.length * 2, 8192));
      grown.set(this.pcm.subarray(0, this.pcmLength));
      this.pcm = grown;
    }
    this.pcm.set(pcm, this.pcmLength);
    this.pcmLength += pcm.length;
  }

  /** Drops PCM no later window reads (the last window of finish() may reach one window back). */
  private forgetPcm(): void {
    const keepFrom = Math.max(0, (this.nextWindowStart - this.windowFrames) * this.config.hopSizeSamples);
    const drop = keepFrom - this.pcmStart;
    if (drop <= 0 || drop > this.pcmLength) return;
    this.pcm.copyWithin(0, drop, this.pcmLength);
    this.pcmLength -= drop;
    this.pcmStart = keepFrom;
  }

  private close(a: Active, events: StreamEvent[]): void {
    if (typeof a.check === 'number' && !a.confirmed) {
      this.closedPending.set(a.check, a); // its check decides
      return;
    }
    if (!a.confirmed) return; // one window's word is not enough: dropped
    const segment = this.toSegment(a, true);
    this.done.push(segment);
    events.push({ type: 'song-end', segment });
  }

  /** Drops peaks no window and no boundary search will read again. */
  private forgetPeaks(windowStart: number): void {
    let keepFrom = windowStart + this.hopFrames - this.windowFrames;
    for (const a of this.active) keepFrom = Math.min(keepFrom, a.firstWindowStart - this.windowFrames);
    const cut = lowerBound(this.peaks, keepFrom);
    if (cut > 4096 && cut > this.peaks.length / 2) this.peaks = this.peaks.slice(cut);
  }

  private toSegment(a: Active, refine: boolean): StreamSegment {
    let startFrame = a.firstWindowStart;
    let endFrame = a.lastWindowEnd;
    if (refine) {
      const edges = this.alignedEdges(a);
      if (edges) [startFrame, endFrame] = edges;
    }
    const trackAt = (f: number): number => a.anchorTrack + (f - a.anchorStream) * a.hypothesis.timeFactor;
    return {
      trackNum: a.trackNum,
      startFrame,
      endFrame,
      trackStartFrame: trackAt(startFrame),
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
   * Where the song's aligned landmarks start and stop: the stream frames of the landmarks that vote for the song at
   * the offset it plays at, searched a window beyond its first and last windows. The edge is the first (last)
   * landmark that has `dense` others within `spanFrames` after (before) it, so a stray chance vote does not move it.
   */
  private alignedEdges(a: Active): [number, number] | null {
    const rule = this.options.rule;
    const from = Math.max(0, a.firstWindowStart - this.hopFrames);
    const to = a.lastWindowEnd + this.hopFrames;
    const headEnd = Math.min(to, a.firstWindowStart + this.windowFrames);
    const tailStart = Math.max(from, a.lastWindowEnd - this.windowFrames);
    const tf = a.hypothesis.timeFactor;
    const frames = [
      ...this.alignedFrames(a, from, headEnd, a.headTrack + (from - a.firstWindowStart) * tf),
      ...this.alignedFrames(a, tailStart, to, this.predictedOffset(a, tailStart)),
    ].sort((x, y) => x - y);
    if (frames.length === 0) return null;
    const fps = this.config.sampleRateHz / this.config.hopSizeSamples;
    const span = 2 * fps;
    const dense = Math.max(2, Math.floor(rule.minAligned / 2));
    let start = -1;
    for (let i = 0, j = 0; i < frames.length; i++) {
      while (j < frames.length && frames[j] - frames[i] <= span) j++;
      if (j - i > dense) {
        start = frames[i];
        break;
      }
    }
    let end = -1;
    for (let i = frames.length - 1, j = frames.length - 1; i >= 0; i--) {
      while (j >= 0 && frames[i] - frames[j] <= span) j--;
      if (i - j > dense) {
        end = frames[i];
        break;
      }
    }
    if (start < 0 || end <= start) return null;
    // A landmark's anchor starts its pair; the pair reaches up to pairMaxFrames further.
    return [Math.max(0, Math.round(start)), Math.round(end + this.config.pairMaxFrames / 2)];
  }

  /** Stream frames of the landmarks in [from, to) that vote for `a`'s track at `expected` (its track frame at `from`). */
  private alignedFrames(a: Active, from: number, to: number, expected: number): number[] {
    if (to <= from) return [];
    const rule = this.options.rule;
    const peaks = this.windowPeaks(from, to);
    const identity = a.hypothesis.timeFactor === 1 && a.hypothesis.pitchFactor === 1;
    const keys = makeQueryKeys(peaks, this.config, a.hypothesis, identity ? rule.keyTolerance : rule.shiftedKeyTolerance);
    const tolerance = Math.max(rule.offsetToleranceFrames + 1, 0.002 * (to - from));
    const out: number[] = [];
    let lastId = -1;
    for (let k = 0; k < keys.count; k++) {
      const id = keys.landmarkIds[k];
      if (id === lastId) continue; // this landmark already voted
      const postings = this.cache.get(keys.hashes[k]);
      for (let p = 0; p < postings.length; p += 2) {
        if (postings[p] !== a.trackNum) continue;
        // Votes drift with the clip time when the speed sits between grid steps: allow it linearly.
        const offset = postings[p + 1] - keys.frames[k];
        const drift = 0.005 * (keys.frames[k] / a.hypothesis.timeFactor);
        if (Math.abs(offset - expected) <= tolerance + drift) {
          out.push(from + keys.frames[k] / a.hypothesis.timeFactor);
          lastId = id;
          break;
        }
      }
    }
    return out;
  }
}

/** First index whose peak frame is >= frame (peaks sorted by frame). */
function lowerBound(peaks: readonly Peak[], frame: number): number {
  let lo = 0;
  let hi = peaks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (peaks[mid].frame < frame) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
