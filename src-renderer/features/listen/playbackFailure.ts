// Why a track could not be played, in plain words: the <audio> element only says "error", so the page asks the
// library about the track; a file that is no longer where it was is named with the path it had.
import type { LibraryBridge } from '../../../src-preload/contract/api';
import type { TrackId } from '../../../src-preload/contract/library';

export const PLAYBACK_FAILED_TEXT = 'The track could not be played.';

export async function describePlaybackFailure(bridge: Pick<LibraryBridge, 'getTrack'>, trackId: TrackId): Promise<string> {
  const track = await bridge.getTrack(trackId);
  if (!track.ok) return track.error.code === 'not-found' ? 'The track could not be played: it is no longer in the library.' : PLAYBACK_FAILED_TEXT;
  if (track.value.fileMissing) {
    return `The track could not be played: its file is missing. It was at ${track.value.filePath} (moved, renamed or deleted, or its drive is unplugged?).`;
  }
  return `${PLAYBACK_FAILED_TEXT} Its file (${track.value.filePath}) may be damaged or in a format this player cannot play.`;
}
