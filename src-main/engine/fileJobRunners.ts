// What a LibraryEngine needs to read music files, and the in-process way to provide it. The app and the CLI use a worker
// pool instead (workers/fingerprintRunners.ts); tests and tools run the same jobs on the calling thread.
import { embedInputOfFile, fingerprintFile, type FileEmbedInput, type FileFingerprint } from './jobs/fingerprintFile.js';
import { probeFile, type FileProbe } from './jobs/probeFile.js';
import type { SearchHelpRequest, SearchHelpResult } from './jobs/searchHelp.js';
import type { TracklistPartRunner } from './jobs/tracklistParts.js';

export interface FileJobRunners {
  probe(filePath: string, signal: AbortSignal): Promise<FileProbe>;
  /**
   * embedderManifest: also prepare that model's rows for the file (the vibe lane embeds them with its one session),
   * from the same decode; maxSeconds: the per-file cap.
   */
  fingerprint(filePath: string, signal: AbortSignal, embedderManifest?: string, maxSeconds?: number): Promise<FileFingerprint>;
  /** The model's rows alone, for a track whose fingerprint is current (optional: without it such a track is fingerprinted again). */
  embed?(filePath: string, signal: AbortSignal, embedderManifest: string): Promise<FileEmbedInput>;
  /** Files in flight at once during a scan. */
  readonly concurrency: number;
  /** Searches parts of a long recording at once (optional: without it, a tracklist is searched on the caller's thread). */
  readonly tracklistParts?: TracklistPartRunner;
  /**
   * Helps a clip search on another core (optional: without it a search runs on the caller's thread alone). Only a
   * runner on another thread can: the helper blocks its thread while it waits on the search. It helps only on a
   * thread idle now (never queued behind a scan's files, never started for it: a one-shot command would pay the
   * start); otherwise it answers at once that it did nothing.
   */
  searchHelp?(request: SearchHelpRequest, signal: AbortSignal): Promise<SearchHelpResult>;
  /** Starts a thread for searchHelp now, idle until needed (hosts that stay open: the app, serve). */
  keepWarm?(): void;
  close(): Promise<void>;
}

/** Runs probe/fingerprint on the calling thread (tests, tools); the app and CLI use a worker pool instead. */
export function inProcessRunners(concurrency = 2): FileJobRunners {
  return {
    probe: (p, signal) => probeFile(p, signal),
    fingerprint: (p, signal, embedderManifest, maxSeconds) => fingerprintFile(p, { signal, embedWith: embedderManifest, maxSeconds }),
    embed: (p, signal, embedderManifest) => embedInputOfFile(p, { signal, embedWith: embedderManifest }),
    concurrency,
    close: async () => {},
  };
}
