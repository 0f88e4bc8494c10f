// Job: a long recording (a DJ mix, a radio show, a room log) -> its tracklist. The file is decoded streaming by
// ffmpeg and fed to the stream matcher as it arrives, so a 3-hour file never sits in memory; the matcher's audio
// checks (one per new song) decode a few seconds of the track's own file. Progress per decoded chunk; cancellable.
import type { Tracklist, TracklistProgress, TracklistSegment } from '../../../src-preload/contract/library.js';
import { decodeAudioStream } from '../audio/decodeAudio.js';
import { toTrackSummary } from '../catalog/catalog.js';
import { AppError } from '../errors.js';
import { checkCandidateAudio } from '../fingerprint/candidateCheck.js';
import { frameSeconds } from '../fingerprint/config.js';
import { unpackPeaks } from '../fingerprint/peakCodec.js';
import { StreamMatcher, type StreamEvent, type StreamMatchOptions, type StreamSegment } from '../fingerprint/streamMatcher.js';
import type { IdentifyDeps } from './identifyClip.js';

/** Longer recordings are cut off here (and say so): 6 hours covers any DJ set or radio show. */
export const MAX_TRACKLIST_SECONDS = 6 * 3600;

export interface TracklistOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TracklistProgress) => void;
  /** The recording's length when known beforehand (from its tags), for progress. */
  readonly totalSeconds?: number | null;
  readonly maxSeconds?: number;
  readonly matcher?: Partial<StreamMatchOptions>;
}

/** A stream matcher over the library, with its audio checks answered from the tracks' files. */
export class TracklistRun {
  readonly matcher: StreamMatcher;
  private readonly checks: Promise<void>[] = [];
  /** The first failed audio check (wrapped, so that any thrown value counts, even a falsy one). */
  private checkError: { readonly error: unknown } | null = null;
  private settledCount = 0;

  constructor(
    private readonly deps: IdentifyDeps,
    private readonly signal?: AbortSignal,
    options: Partial<StreamMatchOptions> = {},
    /** Every event of the matcher, also those an audio check's verdict brings later (keep listening's log). */
    private readonly onEvent?: (event: StreamEvent) => void,
  ) {
    this.matcher = new StreamMatcher(
      deps.config,
      (h) => deps.store.lookup(h),
      (num) => unpackPeaks(deps.store.getPeaks(num)),
      {
        audioCheck: deps.trackAudio !== undefined,
        ...(deps.rule ? { rule: deps.rule } : {}),
        ...options,
      },
    );
  }

  push(pcm: Float32Array): void {
    this.emit(this.matcher.push(pcm));
    this.startChecks();
  }

  /** Waits for the audio checks asked so far (their verdicts' events are out when it resolves). */
  async settled(): Promise<void> {
    while (this.checks.length > this.settledCount) {
      const upTo = this.checks.length;
      await Promise.all(this.checks.slice(this.settledCount, upTo));
      this.settledCount = upTo;
    }
    if (this.checkError) throw this.checkError.error;
  }

  async finish(): Promise<StreamSegment[]> {
    this.emit(this.matcher.finish());
    this.startChecks();
    await Promise.all(this.checks);
    if (this.checkError) throw this.checkError.error;
    return this.matcher.segments();
  }

  private emit(events: readonly StreamEvent[]): void {
    if (this.onEvent) for (const e of events) this.onEvent(e);
  }

  private startChecks(): void {
    const { deps, matcher, signal } = this;
    for (const request of matcher.takeCheckRequests()) {
      this.checks.push(
        (async () => {
          const row = deps.catalog.getTracksByNums([request.trackNum]).get(request.trackNum);
          const trackAudio = deps.trackAudio;
          let result;
          if (row && trackAudio) {
            try {
              result = await checkCandidateAudio(
                request.pcm,
                request.candidate,
                (start, seconds) => trackAudio(row.filePath, start, seconds, signal),
                deps.config,
              );
            } catch {
              result = undefined; // the track's file is gone or unreadable: the votes decide, as identify does
            }
          }
          this.emit(matcher.resolveCheck(request.id, result));
        })().catch((error: unknown) => {
          this.checkError ??= { error };
        }),
      );
    }
  }
}

/** The tracklist of a recording already in memory (mono PCM at the fingerprint rate). */
export async function tracklistPcm(deps: IdentifyDeps, pcm: Float32Array, options: TracklistOptions = {}): Promise<Tracklist> {
  const started = performance.now();
  const run = new TracklistRun(deps, options.signal, options.matcher);
  const chunk = deps.config.sampleRateHz * 5;
  for (let at = 0; at < pcm.length; at += chunk) {
    if (options.signal?.aborted) throw new AppError('cancelled', 'tracklist cancelled');
    run.push(pcm.subarray(at, at + chunk));
  }
  const segments = await run.finish();
  return assemble(deps, segments, run.matcher, pcm.length / deps.config.sampleRateHz, started);
}

/** The tracklist of a recording file of any format ffmpeg reads, decoded streaming. */
export async function tracklistFile(deps: IdentifyDeps, filePath: string, options: TracklistOptions = {}): Promise<Tracklist> {
  const started = performance.now();
  const run = new TracklistRun(deps, options.signal, options.matcher);
  const rate = deps.config.sampleRateHz;
  const maxSeconds = options.maxSeconds ?? MAX_TRACKLIST_SECONDS;
  let samples = 0;
  let lastReport = -Infinity;
  const summary = await decodeAudioStream(filePath, {
    sampleRateHz: rate,
    maxSeconds,
    ...(options.signal ? { signal: options.signal } : {}),
    onChunk: (pcm) => {
      if (options.signal?.aborted) throw new AppError('cancelled', 'tracklist cancelled'); // stops the decode
      run.push(pcm);
      samples += pcm.length;
      const done = samples / rate;
      if (options.onProgress && done - lastReport >= 5) {
        lastReport = done;
        options.onProgress({ doneSeconds: done, totalSeconds: options.totalSeconds ?? null, songs: run.matcher.segments().length });
      }
    },
  });
  if (options.signal?.aborted) throw new AppError('cancelled', 'tracklist cancelled');
  const segments = await run.finish();
  if (options.signal?.aborted) throw new AppError('cancelled', 'tracklist cancelled');
  const durationSeconds = summary.durationSeconds;
  options.onProgress?.({ doneSeconds: durationSeconds, totalSeconds: durationSeconds, songs: segments.length });
  return assemble(deps, segments, run.matcher, durationSeconds, started);
}

function assemble(deps: IdentifyDeps, songs: readonly StreamSegment[], matcher: StreamMatcher, durationSeconds: number, started: number): Tracklist {
  const fs = frameSeconds(deps.config);
  const rows = deps.catalog.getTracksByNums(songs.map((s) => s.trackNum));
  const out: TracklistSegment[] = [];
  for (const s of songs) {
    const row = rows.get(s.trackNum);
    if (!row) continue; // a store entry the catalog no longer has
    out.push({
      start: round(s.startFrame * fs, 2),
      end: round(Math.min(s.endFrame * fs, durationSeconds), 2),
      track: toTrackSummary(row),
      offsetSeconds: round(s.trackStartFrame * fs, 2),
      speedFactor: s.timeFactor,
      pitchFactor: s.pitchFactor,
      confidence: round(s.confidence, 3),
      alignedHashes: s.maxAligned,
    });
  }
  const totalFrames = Math.round(durationSeconds / fs);
  for (const u of matcher.unknownStretches(totalFrames)) {
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
