// Scan step: what one probed file means for the catalog (a new track, a changed one, a duplicate, a move) and
// whether it needs fingerprinting or embedding; plus whether an unchanged file needs no work at all. Synchronous
// catalog transactions, so decisions of concurrent files never interleave. Runs on the scan's thread.
import { existsSync } from 'node:fs';
import type { FolderId } from '../../../src-preload/contract/library.js';
import { TAGS_VERSION } from '../audio/readTags.js';
import type { Catalog, FileRow, TrackRow } from '../catalog/catalog.js';
import type { LandmarkStore } from '../landmarkStore/landmarkStore.js';
import type { WalkedFile } from '../scan/walkFolder.js';
import type { FileProbe } from './probeFile.js';

/** What a scan did, file by file (ScanSummary's counts). */
export interface Counts {
  added: number;
  updated: number;
  unchanged: number;
  rebuilt: number;
  moved: number;
  removed: number;
  duplicates: number;
  failed: number;
}

export function emptyCounts(): Counts {
  return { added: 0, updated: 0, unchanged: 0, rebuilt: 0, moved: 0, removed: 0, duplicates: 0, failed: 0 };
}

/**
 * Whether an unchanged file (same size and mtime) needs no work: its track is indexed at this version and stored,
 * and its tags were read by the current tag reader (a track from before migration 0060 has its tags read again).
 */
export function isSettled(row: FileRow, catalog: Catalog, store: LandmarkStore, version: number, embedderId: string | undefined): boolean {
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

export interface Decision {
  readonly trackNum: number | null;
  readonly needsFingerprint: boolean;
  readonly inserted: boolean;
}

/** Synchronous, so decisions of concurrent files never interleave (duplicates found in one scan stay one track). */
export function decide(
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
