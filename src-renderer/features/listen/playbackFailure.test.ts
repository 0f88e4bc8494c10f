// describePlaybackFailure against the fake bridge: a missing file is named with where it was.
import { describe, expect, it } from 'vitest';
import type { TrackDetail } from '../../../src-preload/contract/library';
import { createFakeBridge } from '../../lib/fakeBridge';
import { describePlaybackFailure } from './playbackFailure';

describe('describePlaybackFailure', () => {
  it('says the file is missing and where it was', async () => {
    const bridge = createFakeBridge({ startScanned: true });
    const track = bridge.tracks[0];
    const getTrack = bridge.getTrack;
    bridge.getTrack = async (id) => {
      const found = await getTrack(id);
      return found.ok ? { ok: true, value: { ...found.value, fileMissing: true } } : found;
    };
    const words = await describePlaybackFailure(bridge, track.id);
    expect(words).toContain('file is missing');
    expect(words).toContain(`It was at ${track.filePath}`);
  });

  it('names the file when it is there but could not be played, and says when the track is gone', async () => {
    const bridge = createFakeBridge({ startScanned: true });
    const track = bridge.tracks[0];
    const words = await describePlaybackFailure(bridge, track.id);
    expect(words).not.toContain('missing');
    expect(words).toContain(track.filePath);
    expect(await describePlaybackFailure(bridge, '00000000-0000-4000-8000-00000000ffff' as TrackDetail['id'])).toMatch(/no longer in the library/);
  });
});
