// Job: bring the catalog and the landmark store in line with what is on disk under some folders: walk, sort out the
// unchanged files (a stat), probe/decide/fingerprint the rest (scanDecision.ts, scanWrites.ts), forget what vanished
// (scanRemoval.ts). Unchanged files cost a stat; byte-identical copies become duplicates of one track; a moved or
// renamed file keeps its track (matched by SHA-256). One bad file is recorded, never fatal.
// Runs on the caller's thread but only orchestrates: probing and fingerprinting go through the injected runners
// (a worker pool in the app and the CLI); the vibe lane's one session embeds what they prepared.
import path from 'node:path';
import type { AppErrorInfo, FolderId, ScanProgress, ScanSummary } from '../../../src-preload/contract/library.js';
import type { Catalog } from '../catalog/catalog.js';
import { AppError, toErrorInfo } from '../errors.js';
import type { LandmarkStore } from '../landmarkStore/landmarkStore.js';
import { walkFolder, type WalkedFile } from '../scan/walkFolder.js';
import type { FileEmbedInput, FileFingerprint } from './fingerprintFile.js';
import type { FileProbe } from './probeFile.js';
import { decide, emptyCounts, isSettled } from './scanDecision.js';
import { removeFile } from './scanRemoval.js';
import { embedPrepared, ScanWriter, type ScanEmbedder } from './scanWrites.js';

export interface ScanDeps {
  readonly catalog: Catalog;
  readonly store: LandmarkStore;
  readonly probe: (filePath: string, signal: AbortSignal) => Promise<FileProbe>;
  /** maxSeconds: the per-file cap; a file decoding to more is refused with file-too-large (see fingerprintFile). */
  readonly fingerprint: (filePath: string, signal: AbortSignal, embedderManifest?: string, maxSeconds?: number) => Promise<FileFingerprint>;
  /** The model's rows alone, for a track whose fingerprint is current (a new vibe model); absent: fingerprint again. */
  readonly embed?: (filePath: string, signal: AbortSignal, embedderManifest: string) => Promise<FileEmbedInput>;
  readonly fingerprintVersion: number;
  /** The vibe lane's embedder: tracks lacking its embedding are (re)done, and the vectors written beside the landmarks. */
  readonly embedder?: ScanEmbedder;
  /** Files in flight at once (probe + fingerprint); about twice the worker count keeps the pool busy. */
  readonly concurrency: number;
}

export interface ScanOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ScanProgress) => void;
  /** A folder or file that could not be read (the scan goes on). */
  readonly onError?: (filePath: string, error: AppErrorInfo) => void;
  /** Tracks written to the store per transaction. */
  readonly batchSize?: number;
  /** Milliseconds between progress reports (the last one always comes). */
  readonly progressIntervalMs?: number;
  /**
   * The per-file cap on decoded audio, seconds (default DEFAULT_MAX_FILE_SECONDS, 4 h): a file that decodes to more
   * (a header claiming 1 Hz, a damaged length) is recorded as failed with file-too-large after decoding just past the
   * cap, instead of keeping a worker busy for hours.
   */
  readonly maxFileSeconds?: number;
  /**
   * The per-file deadline, ms (default DEFAULT_FILE_DEADLINE_MS, 15 min; probe and fingerprint together): past it the
   * file's work is cancelled (ffmpeg killed) and the file recorded as failed (decode-failed), and the scan goes on.
   */
  readonly fileDeadlineMs?: number;
}

/** 4 hours of audio: longer than any album side or DJ set worth identifying in, far below what a lying header claims. */
export const DEFAULT_MAX_FILE_SECONDS = 4 * 3600;
/** 15 minutes for one file: a 4 h file takes well under a minute at the usual 300-400x realtime. */
export const DEFAULT_FILE_DEADLINE_MS = 15 * 60 * 1000;

interface Candidate {
  readonly folderId: FolderId;
  readonly file: WalkedFile;
}

export async function scanFolders(deps: ScanDeps, folderPaths: readonly string[], options: ScanOptions = {}): Promise<ScanSummary> {
  const { catalog, store } = deps;
  const started = performance.now();
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) controller.abort();
  const signal = controller.signal;
  const counts = emptyCounts();
  const progressIntervalMs = options.progressIntervalMs ?? 250;
  let audioSeconds = 0;
  let filesDone = 0;
  let filesTotal = 0;
  let currentFile: string | null = null;
  let lastProgress = 0;
  let phase: ScanProgress['phase'] = 'walking';
  const report = (force = false): void => {
    if (!options.onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < progressIntervalMs) return;
    lastProgress = now;
    const elapsed = (now - started) / 1000;
    options.onProgress({ phase, filesDone, filesTotal, currentFile, audioSecondsPerSecond: elapsed > 0 ? audioSeconds / elapsed : 0 });
  };

  try {
    // 1. Walk every folder. A folder that is gone is reported and left alone: an unplugged drive must not empty the library.
    const walked: { folderId: FolderId; files: WalkedFile[] }[] = [];
    /** Entries the walk could not reach (broken links, over-long paths, refused folders): listed as failed files. */
    const unreachable: { folderId: FolderId; path: string; error: AppErrorInfo; repeated: boolean }[] = [];
    for (const folderPath of folderPaths) {
      const absolute = path.resolve(folderPath);
      const missed: { path: string; error: AppErrorInfo }[] = [];
      const onUnreachable = (p: string, error: AppErrorInfo): void => {
        missed.push({ path: p, error });
        options.onError?.(p, error);
      };
      const files = await walkFolder(absolute, { signal, onError: onUnreachable, onFileError: onUnreachable });
      const folder = catalog.addFolder(absolute);
      walked.push({ folderId: folder.id, files });
      for (const m of missed) {
        const existing = catalog.getFile(m.path);
        unreachable.push({ folderId: folder.id, ...m, repeated: existing?.status === 'failed' && existing.errorCode === m.error.code });
      }
      filesTotal += files.length;
      report();
    }

    // 2. Sort files into unchanged (a stat was enough) and candidates that need a look.
    phase = 'indexing';
    const candidates: Candidate[] = [];
    const seen = new Set<string>();
    for (const { folderId, files } of walked) {
      for (const file of files) {
        seen.add(file.path);
        const row = catalog.getFile(file.path);
        if (
          row &&
          row.sizeBytes === file.sizeBytes &&
          row.mtimeMs === file.mtimeMs &&
          isSettled(row, catalog, store, deps.fingerprintVersion, deps.embedder?.id)
        ) {
          counts.unchanged++;
          filesDone++;
        } else {
          candidates.push({ folderId, file });
        }
      }
    }
    report(true);

    // 3. Probe (hash + tags), decide, fingerprint (and embed); several files in flight, decisions taken one at a time.
    const writer = new ScanWriter(catalog, store, deps.embedder, options.batchSize ?? 16);

    const fingerprintIsCurrent = (trackNum: number): boolean => {
      const track = catalog.getTrackByNum(trackNum);
      return track !== undefined && track.fingerprintStatus === 'indexed' && track.fingerprintVersion === deps.fingerprintVersion && store.hasTrack(trackNum);
    };

    const maxFileSeconds = options.maxFileSeconds ?? DEFAULT_MAX_FILE_SECONDS;
    const fileDeadlineMs = options.fileDeadlineMs ?? DEFAULT_FILE_DEADLINE_MS;
    const handleCandidate = async ({ folderId, file }: Candidate): Promise<void> => {
      currentFile = file.path;
      let insertedTrack: number | null = null;
      // One file's own signal: the scan's, plus its deadline, which abandons this file only.
      const fileController = new AbortController();
      const onScanAbort = (): void => fileController.abort();
      signal.addEventListener('abort', onScanAbort, { once: true });
      let pastDeadline = false;
      const deadline = setTimeout(() => {
        pastDeadline = true;
        fileController.abort();
      }, fileDeadlineMs);
      const fileSignal = fileController.signal;
      try {
        const probe = await deps.probe(file.path, fileSignal);
        const decision = decide(catalog, store, folderId, file, probe, deps.fingerprintVersion, deps.embedder?.id, counts);
        insertedTrack = decision.inserted ? decision.trackNum : null;
        if (decision.trackNum !== null && decision.needsFingerprint && deps.embed && deps.embedder && fingerprintIsCurrent(decision.trackNum)) {
          // Only the vibe model changed: embed, and leave the landmarks as they are.
          const prepared = await deps.embed(file.path, fileSignal, deps.embedder.manifestPath);
          await writer.push({ trackNum: decision.trackNum, ...(await embedPrepared(deps.embedder, prepared, fileSignal)) });
        } else if (decision.trackNum !== null && decision.needsFingerprint) {
          const fp = await deps.fingerprint(file.path, fileSignal, deps.embedder?.manifestPath, maxFileSeconds);
          if (fp.landmarks.length === 0) throw new AppError('decode-failed', 'no audio content could be fingerprinted (silent or too short)');
          audioSeconds += fp.durationSeconds;
          const embedded = await embedPrepared(deps.embedder, fp, fileSignal);
          await writer.push({ trackNum: decision.trackNum, fingerprint: { ...fp, embedInput: undefined }, ...embedded });
        }
      } catch (caught) {
        if (signal.aborted) return; // cancelled: a pending track stays pending and is redone next time
        const err = pastDeadline
          ? new AppError('decode-failed', `abandoned after ${describeMs(fileDeadlineMs)} (the per-file deadline)`, { cause: caught })
          : caught;
        const info = toErrorInfo(err);
        counts.failed++;
        options.onError?.(file.path, info);
        catalog.transaction(() => {
          if (insertedTrack !== null) {
            catalog.deleteTrack(insertedTrack);
            counts.added--;
          } else {
            const row = catalog.getFile(file.path);
            if (row?.status === 'track' && row.trackNum !== null) catalog.setFingerprintStatus(row.trackNum, 'failed', null, 0);
          }
          catalog.upsertFile({
            path: file.path,
            folderId,
            trackNum: null,
            sizeBytes: file.sizeBytes,
            mtimeMs: file.mtimeMs,
            status: 'failed',
            errorCode: info.code,
            errorDetail: info.detail ?? null,
            seenAt: new Date().toISOString(),
          });
        });
      } finally {
        clearTimeout(deadline);
        signal.removeEventListener('abort', onScanAbort);
        filesDone++;
        report();
      }
    };
    await runLimited(candidates, deps.concurrency, handleCandidate, signal);
    await writer.flush();

    // 4. Files that vanished from a folder we walked.
    if (!signal.aborted) {
      phase = 'removing';
      report(true);
      for (const { folderId } of walked) {
        for (const row of catalog.listFilesByFolder(folderId)) {
          if (seen.has(row.path)) continue;
          await removeFile(catalog, store, row, seen, counts);
        }
        catalog.markFolderScanned(folderId, new Date().toISOString());
      }
      // 5. What the walk could not reach is listed with its error (after step 4, so a track whose file became a broken
      // link was removed properly first). Counted as failed once; an unchanged failure is not counted again.
      catalog.transaction(() => {
        for (const u of unreachable) {
          if (u.repeated) counts.unchanged++;
          else counts.failed++;
          catalog.upsertFile({
            path: u.path,
            folderId: u.folderId,
            trackNum: null,
            sizeBytes: 0,
            mtimeMs: 0,
            status: 'failed',
            errorCode: u.error.code,
            errorDetail: u.error.detail ?? null,
            seenAt: new Date().toISOString(),
          });
        }
      });
    }
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  phase = 'done';
  currentFile = null;
  report(true);
  return {
    ...counts,
    cancelled: signal.aborted,
    audioSeconds,
    wallSeconds: (performance.now() - started) / 1000,
  };
}

function describeMs(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 6000) / 10} min` : `${Math.round(ms / 100) / 10} s`;
}

/** Runs `fn` over items with at most `limit` in flight; stops starting new ones once `signal` aborts. */
async function runLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>, signal: AbortSignal): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length && !signal.aborted) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(lanes);
}
