// Job: a long recording (a DJ mix, a radio show, a room log) -> its tracklist. The file is decoded streaming by
// ffmpeg and fed to the stream matcher as it arrives, so a 3-hour file never sits in memory; the matcher's audio
// checks (one per new song) decode a few seconds of the track's own file. Progress per decoded chunk; cancellable.
import type { Tracklist, TracklistProgress, TracklistSegment } from '../../../src-preload/contract/library.js';
import { decodeAudioStream } from '../audio/decodeAudio.js';
import { toTrackSummary } from '../catalog/catalog.js';
import { AppError } from '../errors.js';
import { frameSeconds } from '../fingerprint/config.js';
import { type StreamMatchOptions, type StreamSegment } from '../fingerprint/streamMatcher.js';
import { unpackPeaks } from '../fingerprint/peakCodec.js';
import { sameRecordingTest } from '../fingerprint/streamSameRecording.js';
import { unknownStretches } from '../fingerprint/streamSegments.js';
import { DEFAULT_STREAM_OPTIONS } from '../fingerprint/streamTypes.js';
import type { IdentifyDeps } from './identifyClip.js';
import { planParts, stitchParts, type PartLimits, type TracklistPartPlan, type TracklistPartRunner } from './tracklistParts.js';
import { TracklistRun } from './tracklistRun.js';

/** Longer recordings are cut off here (and say so): 6 hours covers any DJ set or radio show. */
export const MAX_TRACKLIST_SECONDS = 6 * 3600;

export interface TracklistOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TracklistProgress) => void;
  /** The recording's length when known beforehand (from its tags), for progress. */
  readonly totalSeconds?: number | null;
  readonly maxSeconds?: number;
  readonly matcher?: Partial<StreamMatchOptions>;
  /**
   * Workers that search parts of a long recording at once, and the library's data folder they open read-only.
   * Without them, or for a recording shorter than limits.minParallelSeconds (or of unknown length), one matcher hears it all.
   */
  readonly parts?: { readonly runner: TracklistPartRunner; readonly dataDir: string; readonly limits?: PartLimits };
}

/** The tracklist of a recording already in memory (mono PCM at the fingerprint rate). */
export async function tracklistPcm(deps: IdentifyDeps, pcm: Float32Array, options: TracklistOptions = {}): Promise<Tracklist> {
  const started = performance.now();
  const run = new TracklistRun(deps, options.signal, options.matcher);
  const chunk = deps.config.sampleRateHz * 5;
  for (let at = 0; at < pcm.length; at += chunk) {
    if (options.signal?.aborted) throw new AppError('cancelled', 'tracklist cancelled');
    await run.push(pcm.subarray(at, at + chunk));
  }
  const segments = await run.finish();
  return assemble(deps, segments, pcm.length / deps.config.sampleRateHz, started, options.matcher);
}

/** The tracklist of a recording file of any format ffmpeg reads, decoded streaming. */
export async function tracklistFile(deps: IdentifyDeps, filePath: string, options: TracklistOptions = {}): Promise<Tracklist> {
  const started = performance.now();
  const maxSeconds = options.maxSeconds ?? MAX_TRACKLIST_SECONDS;
  const known = options.totalSeconds ?? null;
  const fps = deps.config.sampleRateHz / deps.config.hopSizeSamples;
  const windowHopFrames = Math.max(1, Math.round((options.matcher?.hopSeconds ?? DEFAULT_STREAM_OPTIONS.hopSeconds) * fps)); // as streamMatcher.ts
  const plan = options.parts
    ? planParts(known === null ? null : Math.min(known, maxSeconds), options.parts.runner.count, deps.config, windowHopFrames, options.parts.limits)
    : null;
  if (plan && options.parts) return tracklistInParts(deps, filePath, plan, options.parts, { ...options, maxSeconds }, started);
  const run = new TracklistRun(deps, options.signal, options.matcher);
  const rate = deps.config.sampleRateHz;
  let samples = 0;
  let lastReport = -Infinity;
  const summary = await decodeAudioStream(filePath, {
    sampleRateHz: rate,
    maxSeconds,
    ...(options.signal ? { signal: options.signal } : {}),
    onChunk: (pcm) => {
      if (options.signal?.aborted) throw new AppError('cancelled', 'tracklist cancelled'); // stops the decode
      const held = run.push(pcm);
      samples += pcm.length;
      const done = samples / rate;
      if (options.onProgress && done - lastReport >= 5) {
        lastReport = done;
        options.onProgress({ doneSeconds: done, totalSeconds: options.totalSeconds ?? null, songs: run.matcher.segments().length });
      }
      return held; // the decode waits while the matcher's backlog is too long
    },
  });
  if (options.signal?.aborted) throw new AppError('cancelled', 'tracklist cancelled');
  const segments = await run.finish();
  if (options.signal?.aborted) throw new AppError('cancelled', 'tracklist cancelled');
  const durationSeconds = summary.durationSeconds;
  options.onProgress?.({ doneSeconds: durationSeconds, totalSeconds: durationSeconds, songs: segments.length });
  return assemble(deps, segments, durationSeconds, started, options.matcher);
}

/** tracklistFile's parts searched at once by the runner's workers, then joined at the cuts. */
async function tracklistInParts(
  deps: IdentifyDeps,
  filePath: string,
  plan: readonly TracklistPartPlan[],
  parts: NonNullable<TracklistOptions['parts']>,
  options: TracklistOptions & { readonly maxSeconds: number },
  started: number,
): Promise<Tracklist> {
  // One part failing (or the caller cancelling) stops the others.
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  const done = plan.map(() => ({ seconds: 0, songs: 0 }));
  let lastReport = -Infinity;
  const report = (): void => {
    const seconds = done.reduce((sum, d) => sum + d.seconds, 0);
    if (!options.onProgress || seconds - lastReport < 5) return;
    lastReport = seconds;
    options.onProgress({ doneSeconds: seconds, totalSeconds: options.totalSeconds ?? null, songs: done.reduce((sum, d) => sum + d.songs, 0) });
  };
  try {
    const results = await Promise.all(
      plan.map((p, i) =>
        parts.runner
          .run(
            {
              filePath,
              dataDir: parts.dataDir,
              windowsFromSeconds: p.windowsFromSeconds,
              decodeFromSeconds: p.decodeFromSeconds,
              // The last part stops where a single matcher would have.
              decodeSeconds: p.decodeSeconds ?? Math.max(0, options.maxSeconds - p.decodeFromSeconds),
              config: deps.config,
              ...(deps.rule ? { rule: deps.rule } : {}),
              ...(options.matcher ? { matcher: options.matcher } : {}),
            },
            controller.signal,
            (progress) => {
              // A part's lead-in is heard twice: count only its own stretch.
              done[i] = { seconds: Math.max(0, progress.doneSeconds - (p.startSeconds - p.decodeFromSeconds)), songs: progress.songs };
              report();
            },
          )
          .catch((error: unknown) => {
            controller.abort();
            throw error;
          }),
      ),
    );
    if (options.signal?.aborted) throw new AppError('cancelled', 'tracklist cancelled');
    const last = plan.length - 1;
    const durationSeconds = plan[last].decodeFromSeconds + results[last].decodedSeconds;
    // As the stream matcher's own (streamMatcher.ts): the offset tolerance in frames.
    const tolerance =
      ((options.matcher?.offsetToleranceSeconds ?? DEFAULT_STREAM_OPTIONS.offsetToleranceSeconds) * deps.config.sampleRateHz) / deps.config.hopSizeSamples;
    const rule = options.matcher?.rule ?? deps.rule ?? DEFAULT_STREAM_OPTIONS.rule; // as TracklistRun's matcher
    const segments = stitchParts(
      plan.map((p, i) => ({ plan: p, segments: results[i].segments })),
      deps.config,
      tolerance,
      sameRecordingTest((num) => unpackPeaks(deps.store.getPeaks(num)), deps.config, rule),
    );
    options.onProgress?.({ doneSeconds: durationSeconds, totalSeconds: durationSeconds, songs: segments.length });
    return assemble(deps, segments, durationSeconds, started, options.matcher);
  } catch (error) {
    if (options.signal?.aborted) throw new AppError('cancelled', 'tracklist cancelled');
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}

function assemble(
  deps: IdentifyDeps,
  songs: readonly StreamSegment[],
  durationSeconds: number,
  started: number,
  matcher: Partial<StreamMatchOptions> = {},
): Tracklist {
  const fs = frameSeconds(deps.config);
  const rows = deps.catalog.getTracksByNums(songs.flatMap((s) => [s.trackNum, ...(s.sameRecording ?? [])]));
  const out: TracklistSegment[] = [];
  for (const s of songs) {
    const row = rows.get(s.trackNum);
    if (!row) continue; // a store entry the catalog no longer has
    const others = (s.sameRecording ?? []).flatMap((num) => {
      const other = rows.get(num);
      return other ? [toTrackSummary(other)] : [];
    });
    out.push({
      start: round(s.startFrame * fs, 2),
      end: round(Math.min(s.endFrame * fs, durationSeconds), 2),
      track: toTrackSummary(row),
      offsetSeconds: round(s.trackStartFrame * fs, 2),
      speedFactor: s.timeFactor,
      pitchFactor: s.pitchFactor,
      confidence: round(s.confidence, 3),
      alignedHashes: s.maxAligned,
      ...(others.length > 0 ? { sameRecording: others } : {}),
    });
  }
  const totalFrames = Math.round(durationSeconds / fs);
  const minUnknownFrames = ((matcher.minUnknownSeconds ?? DEFAULT_STREAM_OPTIONS.minUnknownSeconds) * deps.config.sampleRateHz) / deps.config.hopSizeSamples;
  for (const u of unknownStretches(songs, totalFrames, minUnknownFrames)) {
    out.push({
      start: round(u.startFrame * fs, 2),
      end: round(Math.min(u.endFrame * fs, durationSeconds), 2),
      track: null,
      offsetSeconds: null,
      speedFactor: null,
      pitchFactor: null,
      confidence: null,
      alignedHashes: null,
    });
  }
  out.sort((a, b) => a.start - b.start || a.end - b.end);
  return { durationSeconds: round(durationSeconds, 2), segments: out, durationMs: Math.round(performance.now() - started) };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
