// Job: a long recording's tracklist searched in parts at once, one per fingerprint worker (issue 13: "searched in the
// worker pool"). The recording is cut into consecutive parts; each part's matcher starts leadSeconds early, so that
// a song playing across a cut is already followed when its part begins, and the parts' songs are joined at the cuts.
// planParts and stitchParts are pure; tracklistPart runs one part wherever it is called (a worker, or this thread).
import path from 'node:path';
import { decodeAudio, decodeAudioStream } from '../audio/decodeAudio.js';
import { openCatalog } from '../catalog/openCatalog.js';
import { AppError } from '../errors.js';
import type { FingerprintConfig } from '../fingerprint/config.js';
import type { DecisionRule } from '../fingerprint/decisionRule.js';
import type { SameRecordingTest } from '../fingerprint/streamSameRecording.js';
import { mergeSegments, mergeSegmentPair } from '../fingerprint/streamSegments.js';
import type { StreamMatchOptions, StreamSegment } from '../fingerprint/streamTypes.js';
import { openLmdbLandmarkStore } from '../landmarkStore/lmdbLandmarkStore.js';
import type { IdentifyDeps } from './identifyClip.js';
import { TracklistRun } from './tracklistRun.js';

export interface PartLimits {
  /** Recordings shorter than this are searched in one piece: the parts' lead-ins would cost more than they save. */
  readonly minParallelSeconds: number;
  /** No part is shorter than this (a 10-minute mix on 2 workers: two parts; on 8 workers: five). */
  readonly minPartSeconds: number;
  /**
   * Audio each part's matcher hears before its part begins: a song is confirmed on two 10 s windows 5 s apart (15 s
   * of it), with room for a missed window, so a song playing across the cut is followed by the time the part begins.
   */
  readonly leadSeconds: number;
}

// A 4-minute recording in two parts: the second hears 2.5 min (its lead-in included) while the first hears 2.
export const PART_LIMITS: PartLimits = Object.freeze({ minParallelSeconds: 4 * 60, minPartSeconds: 2 * 60, leadSeconds: 30 });

/** One part of a recording, in seconds of the recording. */
export interface TracklistPartPlan {
  /** Where the part's own stretch begins (the previous part's ends here). */
  readonly startSeconds: number;
  /** Where its matcher's first window begins: PartLimits.leadSeconds earlier (on a window start), except for the first part. */
  readonly windowsFromSeconds: number;
  /** Where its decode begins: on a peak density block's start, far enough before its first window (planParts). */
  readonly decodeFromSeconds: number;
  /** Seconds to decode from decodeFromSeconds; null for the last part (to the end of the recording). */
  readonly decodeSeconds: number | null;
}

/** What a worker needs to search one part: where the library is, and the recording's stretch. Structured-cloneable. */
export interface TracklistPartRequest {
  readonly filePath: string;
  /** The library's data folder (catalog.sqlite and landmarks/ in it), opened read-only. */
  readonly dataDir: string;
  readonly windowsFromSeconds: number;
  readonly decodeFromSeconds: number;
  readonly decodeSeconds: number | null;
  readonly config: FingerprintConfig;
  readonly rule?: DecisionRule;
  readonly matcher?: Partial<StreamMatchOptions>;
}

export interface TracklistPartResult {
  /** The songs the part's matcher heard, as it followed them (StreamMatcher.heard), in the part's frames (0 = decodeFromSeconds). */
  readonly segments: StreamSegment[];
  readonly decodedSeconds: number;
}

/** Progress of one part: seconds of it decoded and searched so far. */
export interface TracklistPartProgress {
  readonly doneSeconds: number;
  readonly songs: number;
}

/** Runs parts of a recording somewhere else (the fingerprint workers), `count` at once. */
export interface TracklistPartRunner {
  readonly count: number;
  run(request: TracklistPartRequest, signal?: AbortSignal, onProgress?: (progress: TracklistPartProgress) => void): Promise<TracklistPartResult>;
}

/**
 * The parts of a recording of `totalSeconds` for `workers` workers, or null when it is better searched in one piece.
 * Every part finds what one matcher over the whole recording would find in the windows it searches: its cuts and
 * first windows fall on that matcher's window starts (every `windowHopFrames` frames of `config`), and it decodes
 * from the start of a peak density block (the blocks keep their most prominent peaks, counted from the stream's first
 * frame) a peak neighbourhood or more before the block of its first window (a peak is judged against the spectrogram
 * around it, which a part lacks before its first sample).
 */
export function planParts(
  totalSeconds: number | null,
  workers: number,
  config: FingerprintConfig,
  windowHopFrames: number,
  limits: PartLimits = PART_LIMITS,
): TracklistPartPlan[] | null {
  if (totalSeconds === null || !(totalSeconds >= limits.minParallelSeconds) || workers < 2) return null;
  const count = Math.min(workers, Math.floor(totalSeconds / limits.minPartSeconds));
  if (count < 2) return null;
  const fps = config.sampleRateHz / config.hopSizeSamples;
  const seconds = (frames: number): number => (frames * config.hopSizeSamples) / config.sampleRateHz;
  const onHop = (s: number): number => Math.round((s * fps) / windowHopFrames) * windowHopFrames;
  const cuts = Array.from({ length: count }, (_, i) => onHop((i * totalSeconds) / count));
  const lead = Math.max(windowHopFrames, onHop(limits.leadSeconds));
  const block = config.densityBlockFrames;
  const margin = Math.ceil(Math.max(config.peakNeighbourhoodFrames, config.backgroundFrames) / block) * block;
  return cuts.map((cut, i) => {
    const windowsFrom = i === 0 ? 0 : Math.max(0, cut - lead);
    const decodeFrom = Math.max(0, Math.floor(windowsFrom / block) * block - margin);
    const decodeFromSeconds = seconds(decodeFrom);
    return {
      startSeconds: seconds(cut),
      windowsFromSeconds: seconds(windowsFrom),
      decodeFromSeconds,
      decodeSeconds: i === count - 1 ? null : seconds(cuts[i + 1]) - decodeFromSeconds,
    };
  });
}

/**
 * One recording's songs from its parts' songs (each as its part's matcher heard them, StreamMatcher.heard, in the
 * part's frames), in the recording's frames: a part's songs that end before its own stretch begins were heard by the
 * part before it (in its lead-in) and are dropped; a song heard by both parts of a cut becomes one, begun where the
 * earlier part heard it begin (its matcher had heard all the recording up to then, as one matcher would have); then
 * the list is merged once, as one matcher's is (crossfades split at their middle, two files of one recording made
 * one entry when `same` is given).
 */
export function stitchParts(
  parts: readonly { readonly plan: TracklistPartPlan; readonly segments: readonly StreamSegment[] }[],
  config: FingerprintConfig,
  toleranceFrames: number,
  same?: SameRecordingTest,
): StreamSegment[] {
  const frameOf = (seconds: number): number => Math.round((seconds * config.sampleRateHz) / config.hopSizeSamples);
  const out: StreamSegment[] = [];
  parts.forEach(({ plan, segments }, index) => {
    const shift = frameOf(plan.decodeFromSeconds);
    const ownStart = frameOf(plan.startSeconds);
    for (const local of segments) {
      const s: StreamSegment = {
        ...local,
        startFrame: local.startFrame + shift,
        endFrame: local.endFrame + shift,
        evidence: { ...local.evidence, windowStartFrame: local.evidence.windowStartFrame + shift },
      };
      if (index > 0 && s.endFrame <= ownStart) continue;
      const across = index > 0 && s.startFrame < ownStart ? out.findIndex((p) => heardByBoth(p, s, toleranceFrames)) : -1;
      if (across >= 0) out[across] = mergeSegmentPair(out[across], s);
      else out.push(s);
    }
  });
  return mergeSegments(out, toleranceFrames, same);
}

/**
 * Whether `next`, a song the next part heard from its lead-in on, is the one `first` (the earlier part's) was
 * following: the same track, at positions that agree over the stretch both heard within the tolerance and the 0.5 %
 * a speed between grid steps drifts by away from where each was last heard (its end). The two matchers may follow
 * such a song at neighbouring steps of the speed grid, which continuesSegment (one matcher's songs) does not allow.
 */
export function heardByBoth(first: StreamSegment, next: StreamSegment, toleranceFrames: number): boolean {
  if (first.trackNum !== next.trackNum || next.startFrame > first.endFrame) return false;
  const from = Math.max(first.startFrame, next.startFrame);
  const to = Math.max(from, Math.min(first.endFrame, next.endFrame));
  const trackAt = (s: StreamSegment, frame: number): number => s.trackStartFrame + (frame - s.startFrame) * s.timeFactor;
  return [from, to].every(
    (f) => Math.abs(trackAt(first, f) - trackAt(next, f)) <= toleranceFrames + 0.005 * (Math.abs(first.endFrame - f) + Math.abs(next.endFrame - f)),
  );
}

/** The audio check's reader of a track's file: `seconds` from `startSeconds`, at the fingerprint rate. */
export function trackAudioReader(sampleRateHz: number): NonNullable<IdentifyDeps['trackAudio']> {
  return (filePath, startSeconds, seconds, signal) => decodeAudio(filePath, { sampleRateHz, startSeconds, maxSeconds: seconds, ...(signal ? { signal } : {}) });
}

/**
 * Searches one part: decodes its stretch streaming and runs the stream matcher over it, with the library opened
 * read-only beside its owner (SQLite and LMDB both allow readers in other threads and processes).
 */
export async function tracklistPart(
  request: TracklistPartRequest,
  signal?: AbortSignal,
  onProgress?: (progress: TracklistPartProgress) => void,
): Promise<TracklistPartResult> {
  const catalog = openCatalog(path.join(request.dataDir, 'catalog.sqlite'), { readonly: true });
  try {
    const store = await openLmdbLandmarkStore(path.join(request.dataDir, 'landmarks'), { readOnly: true });
    try {
      const { config } = request;
      const deps: IdentifyDeps = { catalog, store, config, ...(request.rule ? { rule: request.rule } : {}), trackAudio: trackAudioReader(config.sampleRateHz) };
      // The part's windows on the recording's window grid (planParts), a few frames into its decode.
      const firstWindowSeconds = request.windowsFromSeconds - request.decodeFromSeconds;
      const run = new TracklistRun(deps, signal, { ...request.matcher, firstWindowSeconds });
      let samples = 0;
      let lastReport = -Infinity;
      await decodeAudioStream(request.filePath, {
        sampleRateHz: config.sampleRateHz,
        startSeconds: request.decodeFromSeconds,
        ...(request.decodeSeconds !== null ? { maxSeconds: request.decodeSeconds } : {}),
        ...(signal ? { signal } : {}),
        onChunk: (pcm) => {
          if (signal?.aborted) throw new AppError('cancelled', 'tracklist cancelled');
          const held = run.push(pcm);
          samples += pcm.length;
          const done = samples / config.sampleRateHz;
          if (onProgress && done - lastReport >= 5) {
            lastReport = done;
            onProgress({ doneSeconds: done, songs: run.matcher.segments().length });
          }
          return held; // the decode waits while the matcher's backlog is too long
        },
      });
      if (signal?.aborted) throw new AppError('cancelled', 'tracklist cancelled');
      await run.finish();
      return { segments: run.matcher.heard(), decodedSeconds: samples / config.sampleRateHz };
    } finally {
      await store.close();
    }
  } finally {
    catalog.close();
  }
}
