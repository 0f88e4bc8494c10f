// Rows for the catalog's tests: a new track with unique hash and path each call, and a files row with defaults.
// Plain data; no test framework, no I/O.
import type { FileRow, NewTrack } from '../catalog/catalog.js';

/** The time fileRow() stamps as seen_at unless told otherwise (the catalog tests pin their clock to it). */
export const ROW_TIME = new Date('2025-03-01T10:00:00.000Z');

let seq = 0;

/** A tagged MP3 track with a hash and a path no earlier call returned; `overrides` replace any field. */
export function newTrack(overrides: Partial<NewTrack> = {}): NewTrack {
  seq++;
  return {
    title: `Title ${seq}`,
    artist: 'Artist',
    album: 'Album',
    durationSeconds: 180.5,
    sampleRateHz: 44100,
    channelCount: 2,
    bitrate: 320000,
    format: 'mp3',
    fileHashSha256: seq.toString(16).padStart(64, '0'),
    fileSizeBytes: 5_000_000,
    filePath: `/music/track-${seq}.mp3`,
    fileMtimeMs: 1_700_000_000_123.456,
    ...overrides,
  };
}

/** A files row for `path`: a track outside any folder, seen at ROW_TIME, unless `overrides` say otherwise. */
export function fileRow(overrides: Partial<FileRow> & Pick<FileRow, 'path'>): FileRow {
  return {
    folderId: null,
    trackNum: null,
    sizeBytes: 10,
    mtimeMs: 1,
    status: 'track',
    errorCode: null,
    errorDetail: null,
    seenAt: ROW_TIME.toISOString(),
    ...overrides,
  };
}
