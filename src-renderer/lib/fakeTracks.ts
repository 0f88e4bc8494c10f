// The fake bridge's music folder: /music holding the conformance library (the four tracks the contract's conformance
// script expects, CONFORMANCE_TRACKS) plus any number of generated ones, the folders that exist, and a track's detail.
import { CONFORMANCE_TRACKS, conformancePath } from '../../src-preload/contract/libraryConformance';
import type { TrackDetail, TrackId, TrackSummary } from '../../src-preload/contract/library';

function fakeId(n: number): TrackId {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}` as TrackId;
}

/** The tracks a scan of /music finds: the named four, then `extraTrackCount` generated ones (/music/big/N.mp3). */
export function fakeMusicFolder(extraTrackCount: number): TrackSummary[] {
  const tracks: TrackSummary[] = CONFORMANCE_TRACKS.map((t, i) => ({
    id: fakeId(i + 1),
    title: t.title,
    artist: t.artist,
    album: t.album,
    durationSeconds: t.durationSeconds,
    format: t.format,
    filePath: `/music/${conformancePath(t)}`,
    discNumber: t.album ? 1 : null,
    trackNumber: t.trackNumber,
  }));
  for (let i = 0; i < extraTrackCount; i++) {
    const n = CONFORMANCE_TRACKS.length + i + 1;
    tracks.push({
      id: fakeId(n),
      title: `Track ${String(n).padStart(6, '0')}`,
      artist: `Artist ${n % 997}`,
      album: `Album ${n % 4001}`,
      durationSeconds: 120 + (n % 240),
      format: 'mp3',
      filePath: `/music/big/${n}.mp3`,
      discNumber: 1,
      trackNumber: 1 + Math.floor(n / 4001),
    });
  }
  return tracks;
}

/** The fake's file system: /music (and the folders in it) and the home folder /home/fake with its Music. */
const FAKE_FOLDERS = new Set(['/music', '/music/big', '/home/fake', '/home/fake/Music', ...CONFORMANCE_TRACKS.map((t) => `/music/${t.artist ?? 'Unknown'}`)]);

export function fakeFolderExists(folderPath: string): boolean {
  return FAKE_FOLDERS.has(folderPath.length > 1 ? folderPath.replace(/\/+$/, '') : folderPath);
}

export function fakeTrackDetail(track: TrackSummary): TrackDetail {
  return {
    ...track,
    sampleRateHz: 44_100,
    channelCount: 2,
    bitrate: 320_000,
    fileHashSha256: '0'.repeat(64),
    fileSizeBytes: Math.round(track.durationSeconds * 40_000),
    fileMtimeMs: 0,
    fingerprintStatus: 'indexed',
    fingerprintVersion: 3,
    landmarkCount: Math.round(track.durationSeconds * 120),
    embeddingModel: null,
    embeddingDim: null,
    embeddingStatus: 'none',
    ingestedAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    duplicatePaths: [],
  };
}
