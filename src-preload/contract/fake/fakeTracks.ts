// The fake library's tracks and file system: one track generator (fakeTrack), the summary a listing shows of a
// track, and the fake disk a scan walks (FakeDisk): the conformance music folder /music (the four tracks the
// contract's conformance script expects, CONFORMANCE_TRACKS, plus any number of generated ones and a broken file),
// or whatever a caller's disk says (the host's fake backend asks the real file system which folders exist).
import { CONFORMANCE_TRACKS, conformancePath } from '../libraryConformance.js';
import type { AppErrorInfo, TrackDetail, TrackId, TrackSummary } from '../library.js';

/** The id of fake track `index` (1-based): a valid UUID, so the doors' argument checks take it. */
export function fakeTrackId(index: number): TrackId {
  return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}` as TrackId;
}

/** Fake track `index` at `filePath`: "Song <index>", by Band on odd indexes, on Album unless a multiple of 3. */
export function fakeTrack(index: number, filePath: string, overrides: Partial<TrackDetail> = {}): TrackDetail {
  return {
    id: fakeTrackId(index),
    title: `Song ${index}`,
    artist: index % 2 ? 'Band' : null,
    album: index % 3 ? 'Album' : null,
    durationSeconds: 75 + index,
    format: 'mp3',
    filePath,
    sampleRateHz: 44100,
    channelCount: 2,
    bitrate: 192000,
    fileHashSha256: index.toString(16).padStart(64, 'a'),
    fileSizeBytes: 1234,
    fileMtimeMs: 1_700_000_000_000,
    fingerprintStatus: 'indexed',
    fingerprintVersion: 3,
    landmarkCount: 5000,
    embeddingModel: null,
    embeddingDim: null,
    embeddingStatus: 'none',
    ingestedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    duplicatePaths: [],
    ...overrides,
  };
}

const summaries = new WeakMap<TrackDetail, TrackSummary>();

/** What a listing shows of a track (as the catalog's track rows): one object per track, so answers keep identity. */
export function summaryOf(track: TrackDetail): TrackSummary {
  let summary = summaries.get(track);
  if (!summary) {
    const { id, title, artist, album, durationSeconds, format, filePath, discNumber, trackNumber } = track;
    summary = { id, title, artist, album, durationSeconds, format, filePath, discNumber: discNumber ?? null, trackNumber: trackNumber ?? null };
    summaries.set(track, summary);
  }
  return summary;
}

/** A file a scan walks: audio it indexes as `track`, or a file it fails on with `error`. */
export type FakeFile = { readonly track: TrackDetail } | { readonly path: string; readonly error: AppErrorInfo };

/** What the fake engine sees of the disk. */
export interface FakeDisk {
  /** The folder `~` stands for. */
  readonly homeDir: string;
  /** Whether `folderPath` (absolute, trailing separators allowed) is a folder. */
  folderExists(folderPath: string): boolean;
  /** The files a scan of the library folder `folderPath` walks, in walk order. */
  filesUnder(folderPath: string): readonly FakeFile[];
}

/** Whether `filePath` lies inside the folder `folderPath` (either separator). */
export function isInsideFolder(filePath: string, folderPath: string): boolean {
  const folder = folderPath.replace(/[\\/]+$/, '');
  return filePath.length > folder.length && filePath.startsWith(folder) && (filePath[folder.length] === '/' || filePath[folder.length] === '\\');
}

/** The conformance library's tracks as a scan of `root` finds them, then `extraTrackCount` generated ones (root/big/N.mp3). */
export function fakeMusicTracks(extraTrackCount: number, root = '/music'): TrackDetail[] {
  const tracks = CONFORMANCE_TRACKS.map((t, i) =>
    fakeTrack(i + 1, `${root}/${conformancePath(t)}`, {
      title: t.title,
      artist: t.artist,
      album: t.album,
      durationSeconds: t.durationSeconds,
      format: t.format,
      discNumber: t.album ? 1 : null,
      trackNumber: t.trackNumber,
    }),
  );
  for (let i = 0; i < extraTrackCount; i++) {
    const n = CONFORMANCE_TRACKS.length + i + 1;
    tracks.push(
      fakeTrack(n, `${root}/big/${n}.mp3`, {
        title: `Track ${String(n).padStart(6, '0')}`,
        artist: `Artist ${n % 997}`,
        album: `Album ${n % 4001}`,
        durationSeconds: 120 + (n % 240),
        discNumber: 1,
        trackNumber: 1 + Math.floor(n / 4001),
      }),
    );
  }
  return tracks;
}

/**
 * The fake disk of the renderer's tests and dev mode: /music holding the conformance library (and `extraTrackCount`
 * generated tracks in /music/big) and a file that is not audio (/music/broken.mp3), and the home folder /home/fake
 * with an empty Music folder.
 */
export function fakeMusicDisk(extraTrackCount: number): FakeDisk {
  const files: FakeFile[] = fakeMusicTracks(extraTrackCount).map((track) => ({ track }));
  files.push({ path: '/music/broken.mp3', error: { code: 'unsupported-format', detail: 'not an audio file' } });
  const folders = new Set(['/music', '/music/big', '/home/fake', '/home/fake/Music', ...CONFORMANCE_TRACKS.map((t) => `/music/${t.artist ?? 'Unknown'}`)]);
  return {
    homeDir: '/home/fake',
    folderExists: (folderPath) => folders.has(folderPath.length > 1 ? folderPath.replace(/\/+$/, '') : folderPath),
    filesUnder: (folderPath) => files.filter((f) => isInsideFolder('track' in f ? f.track.filePath : f.path, folderPath)),
  };
}
