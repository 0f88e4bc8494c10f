// Job: bring the catalog and the landmark store in line with what is on disk under some folders.
// Unchanged files (same size and mtime) cost a stat; byte-identical copies become duplicates of one track; a moved
// or renamed file keeps its track (matched by SHA-256); vanished files lose their track and landmarks. Fingerprints
// are written in batches, the catalog marked 'indexed' only after the store has them, so a killed scan resumes
// (pending tracks are redone; the store replaces, never duplicates). One bad file is recorded, never fatal.
// Runs on the caller's thread but only orchestrates: probing and fingerprinting go through the injected runners
// (a worker pool in the app and the CLI).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppErrorInfo, FolderId, ScanProgress, ScanSummary } from '../../../src-preload/contract/library.js';
import type { Catalog, FileRow, TrackRow } from '../catalog/catalog.js';
import { AppError, toErrorInfo } from '../errors.js';
import type { LandmarkStore } from '../landmarkStore/landmarkStore.js';
import { walkFolder, type WalkedFile } from '../scan/walkFolder.js';
import { TAGS_VERSION } from '../audio/readTags.js';
import type { TrackEmbedding } from '../embedding/onnxEmbedder.js';
import type { FileEmbedding, FileFingerprint } from './fingerprintFile.js';
import type { FileProbe } from './probeFile.js';

export interface ScanDeps {
  readonly catalog: Catalog;
  readonly store: LandmarkStore;
  readonly probe: (filePath: string, signal: AbortSignal) => Promise<FileProbe>;
  /** maxSeconds: the per-file cap; a file decoding to more is refused with file-too-large (see fingerprintFile). */
  readonly fingerprint: (filePath: string, signal: AbortSignal, embedderManifest?: string, maxSeconds?: number) => Promise<FileFingerprint>;
  /** The embedding alone, for a track whose fingerprint is current (a new vibe model); absent: fingerprint again. */
  readonly embed?: (filePath: string, signal: AbortSignal, embedderManifest: string) => Promise<FileEmbedding>;
  readonly fingerprintVersion: number;
  /** The vibe lane's embedder: tracks lacking its embedding are (re)done, and the vectors written beside the landmarks. */
  readonly embedder?: { readonly id: string; readonly manifestPath: string; readonly write: (trackNum: number, embedding: TrackEmbedding) => void };
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

interface Counts {
  added: number;
  updated: number;
  unchanged: number;
  rebuilt: number;
  moved: number;
  removed: number;
  duplicates: number;
  failed: number;
}

/** A fingerprinted file (landmarks, peaks and maybe its embedding), or a file only (re-)embedded. */
type PendingWrite = { readonly trackNum: number; readonly fingerprint: FileFingerprint } | { readonly trackNum: number; readonly embedded: FileEmbedding };

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
  const counts: Counts = { added: 0, updated: 0, unchanged: 0, rebuilt: 0, moved: 0, removed: 0, duplicates: 0, failed: 0 };
  const batchSize = options.batchSize ?? 16;
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
        if (row && row.sizeBytes === file.sizeBytes && row.mtimeMs === file.mtimeMs && isSettled(row, catalog, store, deps.fingerprintVersion, deps.embedder?.id)) {
          counts.unchanged++;
          filesDone++;
        } else {
          candidates.push({ folderId, file });
        }
      }
    }
    report(true);

    // 3. Probe (hash + tags), decide, fingerprint; several files in flight, decisions taken one at a time.
    const writes: PendingWrite[] = [];
    let flushing: Promise<void> = Promise.resolve();
    const flush = (): Promise<void> => {
      const batch = writes.splice(0, writes.length);
      if (batch.length === 0) return flushing;
      flushing = flushing.then(async () => {
        const fingerprinted = batch.flatMap((w) => ('fingerprint' in w ? [w] : []));
        await store.putTracks(
          fingerprinted.map((w) => ({
            trackNum: w.trackNum,
            fingerprintVersion: w.fingerprint.fingerprintVersion,
            landmarks: w.fingerprint.landmarks,
            peaks: w.fingerprint.peaks,
          })),
        );
        catalog.transaction(() => {
          for (const w of batch) {
            if (!catalog.getTrackByNum(w.trackNum)) continue; // removed meanwhile
            if ('fingerprint' in w) {
              catalog.updateTrackMetadata(w.trackNum, { durationSeconds: w.fingerprint.durationSeconds });
              catalog.setFingerprintStatus(w.trackNum, 'indexed', w.fingerprint.fingerprintVersion, w.fingerprint.landmarks.length / 2);
            }
            const { embedding, embeddingError } = 'fingerprint' in w ? w.fingerprint : w.embedded;
            if (deps.embedder && embedding && embedding.modelId === deps.embedder.id) {
              deps.embedder.write(w.trackNum, embedding);
              catalog.setEmbeddingStatus(w.trackNum, 'indexed', embedding.modelId, embedding.dim);
            } else if (deps.embedder && embeddingError && embeddingError.code !== 'model-missing') {
              // A missing model is the app's state, not the track's: the track stays 'none' and is embedded later.
              catalog.setEmbeddingStatus(w.trackNum, 'failed', deps.embedder.id, null);
            }
          }
        });
      });
      return flushing;
    };

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
          const embedded = await deps.embed(file.path, fileSignal, deps.embedder.manifestPath);
          writes.push({ trackNum: decision.trackNum, embedded });
          if (writes.length >= batchSize) await flush();
        } else if (decision.trackNum !== null && decision.needsFingerprint) {
          const fp = await deps.fingerprint(file.path, fileSignal, deps.embedder?.manifestPath, maxFileSeconds);
          if (fp.landmarks.length === 0) throw new AppError('decode-failed', 'no audio content could be fingerprinted (silent or too short)');
          audioSeconds += fp.durationSeconds;
          writes.push({ trackNum: decision.trackNum, fingerprint: fp });
          if (writes.length >= batchSize) await flush();
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
    await flush();
    await flushing;

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

/**
 * Whether an unchanged file (same size and mtime) needs no work: its track is indexed at this version and stored,
 * and its tags were read by the current tag reader (a track from before migration 0060 has its tags read again).
 */
function isSettled(row: FileRow, catalog: Catalog, store: LandmarkStore, version: number, embedderId: string | undefined): boolean {
  if (row.status !== 'track') return true; // duplicates follow their track; failures are retried only when changed
  if (row.trackNum === null) return false;
  const track = catalog.getTrackByNum(row.trackNum);
  return (
    track !== undefined &&
    track.fingerprintStatus === 'indexed' &&
    track.fingerprintVersion === version &&
    store.hasTrack(row.trackNum) &&
    track.tagsVersion >= TAGS_VERSION &&
    !needsEmbedding(track, embedderId)
  );
}

/** A track lacks the active embedder's vectors (never embedded, or by another model); a failure is not retried. */
function needsEmbedding(track: TrackRow, embedderId: string | undefined): boolean {
  if (embedderId === undefined) return false;
  return track.embeddingModel !== embedderId || (track.embeddingStatus !== 'indexed' && track.embeddingStatus !== 'failed');
}

interface Decision {
  readonly trackNum: number | null;
  readonly needsFingerprint: boolean;
  readonly inserted: boolean;
}

/** Synchronous, so decisions of concurrent files never interleave (duplicates found in one scan stay one track). */
function decide(
  catalog: Catalog,
  store: LandmarkStore,
  folderId: FolderId,
  file: WalkedFile,
  probe: FileProbe,
  version: number,
  embedderId: string | undefined,
  counts: Counts,
): Decision {
  return catalog.transaction((): Decision => {
    const now = new Date().toISOString();
    const existing = catalog.getFile(file.path);
    const byHash = catalog.getTrackByHash(probe.sha256);
    const tags = {
      title: probe.info.title,
      artist: probe.info.artist ?? probe.info.albumArtist,
      album: probe.info.album,
      albumArtist: probe.info.albumArtist,
      discNumber: probe.info.discNumber,
      trackNumber: probe.info.trackNumber,
      tagsVersion: TAGS_VERSION,
      sampleRateHz: probe.info.sampleRateHz,
      channelCount: probe.info.channelCount,
      bitrate: probe.info.bitrate,
      format: probe.info.format,
    };
    const fileRow = (trackNum: number, status: 'track' | 'duplicate'): FileRow => ({
      path: file.path,
      folderId,
      trackNum,
      sizeBytes: file.sizeBytes,
      mtimeMs: file.mtimeMs,
      status,
      errorCode: null,
      errorDetail: null,
      seenAt: now,
    });
    /** Its landmarks are missing or old: not marked indexed at this version, or absent from the store. */
    const landmarksMissing = (t: TrackRow): boolean => t.fingerprintStatus !== 'indexed' || t.fingerprintVersion !== version || !store.hasTrack(t.num);
    const needsFingerprint = (t: TrackRow): boolean => landmarksMissing(t) || needsEmbedding(t, embedderId);

    if (byHash) {
      if (byHash.filePath === file.path) {
        // Same bytes at the same place (touched, a resumed scan, or tags from an older tag reader to read again).
        catalog.updateTrackFile(byHash.num, { path: file.path, sizeBytes: file.sizeBytes, mtimeMs: file.mtimeMs });
        if (byHash.tagsVersion < TAGS_VERSION) catalog.updateTrackMetadata(byHash.num, tags);
        catalog.upsertFile(fileRow(byHash.num, 'track'));
        if (existing?.status !== 'track') counts.updated++;
        else if (landmarksMissing(byHash)) counts.rebuilt++;
        else counts.unchanged++; // only its embedding (or nothing) was missing
        return { trackNum: byHash.num, needsFingerprint: needsFingerprint(byHash), inserted: false };
      }
      if (existsSync(byHash.filePath)) {
        detachOldTrack(catalog, existing, byHash.num);
        catalog.upsertFile(fileRow(byHash.num, 'duplicate'));
        counts.duplicates++;
        return { trackNum: null, needsFingerprint: false, inserted: false };
      }
      // The track's file is gone and its bytes are here: a move or rename keeps the track.
      catalog.deleteFile(byHash.filePath);
      catalog.updateTrackFile(byHash.num, { path: file.path, sizeBytes: file.sizeBytes, mtimeMs: file.mtimeMs });
      if (byHash.tagsVersion < TAGS_VERSION) catalog.updateTrackMetadata(byHash.num, tags);
      catalog.upsertFile(fileRow(byHash.num, 'track'));
      counts.moved++;
      return { trackNum: byHash.num, needsFingerprint: needsFingerprint(byHash), inserted: false };
    }
    if (existing?.status === 'track' && existing.trackNum !== null && catalog.getTrackByNum(existing.trackNum)) {
      // Same path, new bytes (re-encoded, re-tagged): the track keeps its id and is fingerprinted again.
      const num = existing.trackNum;
      catalog.updateTrackFile(num, { path: file.path, sizeBytes: file.sizeBytes, mtimeMs: file.mtimeMs, fileHashSha256: probe.sha256 });
      catalog.updateTrackMetadata(num, tags);
      catalog.setFingerprintStatus(num, 'pending', null, 0);
      catalog.upsertFile(fileRow(num, 'track'));
      counts.updated++;
      return { trackNum: num, needsFingerprint: true, inserted: false };
    }
    const track = catalog.insertTrack({
      ...tags,
      durationSeconds: probe.info.durationSeconds ?? 0,
      fileHashSha256: probe.sha256,
      fileSizeBytes: file.sizeBytes,
      filePath: file.path,
      fileMtimeMs: file.mtimeMs,
    });
    catalog.upsertFile(fileRow(track.num, 'track'));
    counts.added++;
    return { trackNum: track.num, needsFingerprint: true, inserted: true };
  });
}

/** A path that held another track now holds other bytes: that track loses this file (it is removed at the end if no file is left). */
function detachOldTrack(catalog: Catalog, existing: FileRow | undefined, newTrackNum: number): void {
  if (existing?.status === 'track' && existing.trackNum !== null && existing.trackNum !== newTrackNum) {
    catalog.setFingerprintStatus(existing.trackNum, 'failed', null, 0);
  }
}

async function removeFile(catalog: Catalog, store: LandmarkStore, row: FileRow, seen: ReadonlySet<string>, counts: Counts): Promise<void> {
  if (row.status !== 'track' || row.trackNum === null) {
    catalog.deleteFile(row.path);
    return;
  }
  const num = row.trackNum;
  const heir = catalog.filesOfTrack(num).find((f) => f.path !== row.path && f.status === 'duplicate' && (seen.has(f.path) || existsSync(f.path)));
  if (heir) {
    catalog.transaction(() => {
      catalog.updateTrackFile(num, { path: heir.path, sizeBytes: heir.sizeBytes, mtimeMs: heir.mtimeMs });
      catalog.upsertFile({ ...heir, status: 'track' });
      catalog.deleteFile(row.path);
    });
    return;
  }
  // Landmarks first: if we die in between, the catalog row is still there and the next scan removes it again.
  await store.deleteTracks([num]);
  catalog.transaction(() => {
    catalog.deleteFile(row.path);
    catalog.deleteTrack(num);
  });
  counts.removed++;
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

/**
 * Forgets a library root: its files rows go, and each of its tracks is removed with its landmarks, unless a
 * byte-identical copy in another folder still exists, which then becomes the track's file. Files are untouched.
 */
export async function removeFolderFromLibrary(catalog: Catalog, store: LandmarkStore, folderId: FolderId): Promise<{ removed: number }> {
  const counts: Counts = { added: 0, updated: 0, unchanged: 0, rebuilt: 0, moved: 0, removed: 0, duplicates: 0, failed: 0 };
  const rows = catalog.listFilesByFolder(folderId);
  const inFolder = new Set(rows.map((r) => r.path));
  // Copies elsewhere are "seen" (they may take over); copies inside the folder never are.
  for (const row of rows.filter((r) => r.status !== 'track')) catalog.deleteFile(row.path);
  for (const row of rows.filter((r) => r.status === 'track')) {
    const outside = row.trackNum === null ? [] : catalog.filesOfTrack(row.trackNum).filter((f) => !inFolder.has(f.path));
    await removeFile(catalog, store, row, new Set(outside.map((f) => f.path)), counts);
  }
  catalog.removeFolder(folderId);
  return { removed: counts.removed };
}
