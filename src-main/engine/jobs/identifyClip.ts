// Job: a clip (PCM at the fingerprint rate) -> exact matches with catalog details. Query DSP is ~10 ms per 10 s
// of clip, so it runs on the caller's thread; the store lookups are synchronous LMDB reads. Matches with little
// evidence are then heard against the track's own audio (a few seconds of its file, decoded by ffmpeg).
// Cancellable: the signal is checked between stages and between the search's hypothesis steps (which yield to the
// event loop, so a cancel message can arrive), and kills the audio check's ffmpeg.
import type { ExactMatch, IdentifyResult } from '../../../src-preload/contract/library.js';
import { toTrackSummary, type Catalog } from '../catalog/catalog.js';
import { AppError } from '../errors.js';
import { frameSeconds, type FingerprintConfig } from '../fingerprint/config.js';
import type { AudioCheck } from '../fingerprint/audioCheck.js';
import { checkCandidateAudio, wholeSpectrogram } from '../fingerprint/candidateCheck.js';
import { extractSignalPeaks } from '../fingerprint/fingerprintAudio.js';
import { unpackPeaks } from '../fingerprint/peakCodec.js';
import { auditMatches, type AuditOutcome } from '../fingerprint/auditMatches.js';
import { DEFAULT_DECISION_RULE, type DecisionRule } from '../fingerprint/decisionRule.js';
import { HypothesisShare } from '../fingerprint/hypothesisShare.js';
import type { TrackVote } from '../fingerprint/matcher.js';
import type { Peak } from '../fingerprint/peaks.js';
import { screenedHypotheses, searchPeaksSteps, type ExactCandidate, type SearchOutcome, type SearchPartner } from '../fingerprint/searchClip.js';
import type { Spectrogram } from '../fingerprint/spectrum.js';
import type { LandmarkStore } from '../landmarkStore/landmarkStore.js';
import { peaksToFloats, type SearchHelper } from './searchHelp.js';
import { tracklistPcm } from './tracklist.js';

/** Shorter clips are refused: too few landmarks to tell songs apart. */
export const MIN_CLIP_SECONDS = 1;
/**
 * Longer clips are refused with clip-too-long: a clip to identify is a few seconds to a few minutes; hours of audio
 * (an 8 MB opus holds 3 h) would take minutes of search and gigabytes. Decoders stop just past it (see LibraryEngine).
 */
export const MAX_CLIP_SECONDS = 300;

/** Refuses a clip longer than MAX_CLIP_SECONDS (decoders are asked for at most MAX_CLIP_SECONDS + 1 s, so a longer one shows). */
export function checkClipLength(sampleCount: number, sampleRateHz: number): void {
  if (sampleCount > MAX_CLIP_SECONDS * sampleRateHz) {
    throw new AppError('clip-too-long', `the clip is longer than ${MAX_CLIP_SECONDS / 60} minutes; cut it to a few seconds or minutes`);
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('cancelled', 'identify cancelled');
}

/** Lets pending events (a cancel message) run between search steps. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface IdentifyDeps {
  readonly catalog: Catalog;
  readonly store: LandmarkStore;
  readonly config: FingerprintConfig;
  readonly rule?: DecisionRule;
  /**
   * Mono PCM at config.sampleRateHz of `seconds` of a track's file from `startSeconds` (the audio check). Without it,
   * or when it fails, matches are judged on the votes alone (the peak test's weak tier, which must be heard, names
   * nothing).
   */
  readonly trackAudio?: (filePath: string, startSeconds: number, seconds: number, signal?: AbortSignal) => Promise<Float32Array>;
  /** Calibration: also check the best candidate when the rule does not need it (reported in `bestCheck`). */
  readonly checkBestAlways?: boolean;
  /**
   * A helper on another core for the search's speed/pitch hypotheses (jobs/searchHelp.ts; the app's fingerprint
   * workers). Without it the search runs on this thread alone; the outcome is the same.
   */
  readonly searchHelper?: SearchHelper;
}

/**
 * A clip this long that names no one song is also searched as a recording of several (the stream matcher). The
 * matcher confirms a song on two 10 s windows 5 s apart, i.e. 15 s of it: two songs need 30 s. Shorter clips would
 * only pay for the search (it doubles the time of a 20 s clip of unknown music).
 */
export const MULTI_SONG_MIN_SECONDS = 30;

export async function identifyClip(
  deps: IdentifyDeps,
  pcm: Float32Array,
  maxResults: number,
  startedAt = performance.now(),
  signal?: AbortSignal,
): Promise<IdentifyResult> {
  const { result } = await identifyClipAsOneSong(deps, pcm, maxResults, startedAt, signal);
  if (result.exact.length > 0 || result.clipSeconds < MULTI_SONG_MIN_SECONDS) return result;
  // Several songs back to back (a minute of a mix, a room over a few songs): none holds the whole clip, so the clip
  // search turns each down against the others. Each song is named where it plays, best evidence first.
  const list = await tracklistPcm(deps, pcm, signal ? { signal } : {});
  const songs = list.segments
    .filter((s) => s.track !== null)
    .sort((a, b) => (b.confidence ?? 0) - (a.confidence ?? 0) || b.end - b.start - (a.end - a.start) || a.start - b.start)
    .slice(0, maxResults);
  const exact: ExactMatch[] = songs.map((s) => ({
    track: s.track!,
    confidence: s.confidence!,
    offsetSeconds: s.offsetSeconds!,
    alignedHashes: s.alignedHashes!,
    speedFactor: s.speedFactor!,
    pitchFactor: s.pitchFactor!,
    span: { start: s.start, end: s.end },
  }));
  return { ...result, exact, durationMs: Math.round(performance.now() - startedAt) };
}

/**
 * The clip identified as (at most) one song, without identifyClip's several-songs fallback; with the raw search outcome
 * (best vote whatever the rule said, background) and the audit, for calibration.
 */
export async function identifyClipAsOneSong(
  deps: IdentifyDeps,
  pcm: Float32Array,
  maxResults: number,
  startedAt = performance.now(),
  signal?: AbortSignal,
): Promise<{ result: IdentifyResult; outcome: SearchOutcome; audit: AuditOutcome; bestCheck?: AudioCheck }> {
  const { config } = deps;
  const clipSeconds = pcm.length / config.sampleRateHz;
  if (clipSeconds < MIN_CLIP_SECONDS) {
    throw new AppError('clip-too-short', `the clip is ${clipSeconds.toFixed(2)} s long; at least ${MIN_CLIP_SECONDS} s is needed`);
  }
  checkClipLength(pcm.length, config.sampleRateHz);
  throwIfCancelled(signal);
  const peaks = extractSignalPeaks(pcm, config, 'query');
  const rule = deps.rule ?? DEFAULT_DECISION_RULE;
  // One clip looks many hashes up more than once (music repeats itself, and the hypotheses' keys overlap): each is
  // read from the store once per search.
  const postings = new Map<number, Uint32Array>();
  const lookup = (h: number): Uint32Array => {
    let p = postings.get(h);
    if (p === undefined) postings.set(h, (p = deps.store.lookup(h)));
    return p;
  };
  // A rule screening on the rare keys alone (the streams') cannot share its grid (searchPeaksSteps): no helper.
  const partner = deps.searchHelper && rule.screenKeyQuantile === 0 ? startPartner(deps.searchHelper, peaks, config, rule) : undefined;
  const steps = searchPeaksSteps(peaks, config, lookup, rule, maxResults, (num) => unpackPeaks(deps.store.getPeaks(num)), partner?.partner);
  let outcome: SearchOutcome;
  try {
    for (;;) {
      throwIfCancelled(signal);
      const step = steps.next();
      if (step.done) {
        outcome = step.value;
        break;
      }
      if (step.value === 'wait') await partner!.partner.share.changed(partner!.partner.seen, PARTNER_WAIT_SLICE_MS);
      // Between steps the thread's messages get through: a cancel, and the worker pool's (a helper's answer, or the
      // worker it waits for coming free).
      else if (signal || partner) await nextTurn();
    }
  } finally {
    partner?.finish();
  }
  let clipSpectrogram: Spectrogram | undefined;
  const check = async (c: ExactCandidate): Promise<AudioCheck | undefined> => {
    throwIfCancelled(signal);
    const row = deps.trackAudio ? deps.catalog.getTracksByNums([c.trackNum]).get(c.trackNum) : undefined;
    if (!row || !deps.trackAudio) return undefined;
    const trackAudio = deps.trackAudio;
    clipSpectrogram ??= wholeSpectrogram(pcm, config);
    try {
      return await checkCandidateAudio(pcm, c, (start, seconds) => trackAudio(row.filePath, start, seconds, signal), config, clipSpectrogram);
    } catch {
      throwIfCancelled(signal);
      return undefined; // the file is gone or unreadable: the votes decide
    }
  };
  const audit = await auditMatches(outcome, check, rule);
  throwIfCancelled(signal);
  const bestCheck = outcome.best ? (audit.checks.get(outcome.best.trackNum) ?? (deps.checkBestAlways ? await check(outcome.best) : undefined)) : undefined;
  const rows = deps.catalog.getTracksByNums(audit.matches.map((m) => m.trackNum));
  const exact: ExactMatch[] = [];
  for (const m of audit.matches) {
    const row = rows.get(m.trackNum);
    if (!row) continue; // a store entry the catalog no longer has (repaired at the next start-up)
    exact.push({
      track: toTrackSummary(row),
      confidence: round(m.confidence, 3),
      offsetSeconds: round(m.offsetFrames * frameSeconds(config), 3),
      alignedHashes: m.alignedCount,
      speedFactor: m.timeFactor,
      pitchFactor: m.pitchFactor,
    });
  }
  return {
    result: { durationMs: Math.round(performance.now() - startedAt), clipSeconds: round(clipSeconds, 3), exact, vibe: [], modeUsed: 'exact' },
    outcome,
    audit,
    ...(bestCheck ? { bestCheck } : {}),
  };
}

/** How long the search waits on the share between looks at its helper's job (which may have failed). */
const PARTNER_WAIT_SLICE_MS = 50;

/**
 * A helper for the search on another thread (IdentifyDeps.searchHelper), started at once (it is ready, the landmarks
 * open, when the search opens its speed/pitch grid). finish() tells it the search needs nothing more, and drops its
 * job if it never started.
 */
function startPartner(helper: SearchHelper, peaks: readonly Peak[], config: FingerprintConfig, rule: DecisionRule) {
  const share = new HypothesisShare(screenedHypotheses(rule).length, rule.refineCount);
  const refineVotes = new Map<number, readonly TrackVote[]>();
  const partner: SearchPartner = { share, refineVotes, done: false, seen: 0 };
  const settle = (): void => {
    (partner as { done: boolean }).done = true;
    share.touch();
  };
  const controller = new AbortController();
  helper({ config, rule, peaks: peaksToFloats(peaks), share: share.buffer }, controller.signal).then((result) => {
    for (const { slot, votes } of result.refines) refineVotes.set(slot, votes);
    settle();
  }, settle); // a failed helper: the search computes what it had claimed
  return {
    partner,
    finish(): void {
      share.stop();
      if (!share.helperStarted) controller.abort();
    },
  };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
