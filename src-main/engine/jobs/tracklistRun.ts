// The stream matcher over the library, with its audio checks answered from the tracks' files: what a tracklist (of a
// whole recording, or of one part of it) and keep-listening drive.
import { checkCandidateAudio } from '../fingerprint/candidateCheck.js';
import { unpackPeaks } from '../fingerprint/peakCodec.js';
import { StreamMatcher, type StreamEvent, type StreamMatchOptions, type StreamSegment } from '../fingerprint/streamMatcher.js';
import type { IdentifyDeps } from './identifyClip.js';

/**
 * Audio a run may hold behind a window that waits for a check's verdict (StreamMatcher.backlogSeconds) before push()
 * asks its caller to wait: a file decodes hundreds of times faster than realtime, so a check held up (a track's file on
 * a slow disk) would otherwise let a whole recording pile up in memory (peaks, and samples for later checks).
 */
export const MAX_BACKLOG_SECONDS = 120;

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
    private readonly maxBacklogSeconds = MAX_BACKLOG_SECONDS,
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

  /**
   * Feeds audio; returns a promise when the matcher holds more than maxBacklogSeconds it could not search yet (a
   * window waits for a check): the caller waits for it before pushing more (a decode pauses: decodeAudioStream).
   */
  push(pcm: Float32Array): Promise<void> | undefined {
    this.emit(this.matcher.push(pcm));
    this.startChecks();
    return this.matcher.backlogSeconds > this.maxBacklogSeconds ? this.settled() : undefined;
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

  /** The songs heard: ends the stream and waits for its audio checks (matcher.heard() is final then too). */
  async finish(): Promise<StreamSegment[]> {
    this.emit(this.matcher.finish());
    this.startChecks();
    // The verdicts run the windows that waited for them, which may ask for more checks: until all are done.
    await this.settled();
    if (!this.matcher.ended) throw new Error('TracklistRun: the stream did not end'); // a verdict never given
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
                undefined,
                request.direction,
              );
            } catch {
              result = undefined; // the track's file is gone or unreadable: the votes decide, as identify does
            }
          }
          this.emit(matcher.resolveCheck(request.id, result));
          this.startChecks(); // the windows it let run may have asked for more
        })().catch((error: unknown) => {
          this.checkError ??= { error };
        }),
      );
    }
  }
}
