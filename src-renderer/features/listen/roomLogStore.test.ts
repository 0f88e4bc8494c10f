// The room log's storage: sessions written and read back (entries still ongoing are closed, the other files of a
// song's recording kept), what cannot be read is dropped rather than trusted, only the newest stretches are kept, an empty log removes the key, storage that refuses
// is survived.
import { describe, expect, it } from 'vitest';
import type { ListenLogEntry } from '../../../src-preload/contract/api';
import type { TrackId, TrackSummary } from '../../../src-preload/contract/library';
import { createMemoryStorage } from '../../store/testDeps';
import { loadRoomLog, MAX_ROOM_LOG_ENTRIES, ROOM_LOG_STORAGE_KEY, saveRoomLog, type KeyValueStorage } from './roomLogStore';

const alpha: TrackSummary = {
  id: 'a1' as TrackId,
  title: 'Alpha',
  artist: 'Band',
  album: null,
  durationSeconds: 200,
  format: 'flac',
  filePath: '/m/Alpha.flac',
};
const entry = (id: number, startSeconds: number, track: TrackSummary | null, ongoing = false): ListenLogEntry => ({
  id,
  startSeconds,
  endSeconds: startSeconds + 10,
  track,
  offsetSeconds: track ? 5 : null,
  speedFactor: track ? 1 : null,
  confidence: track ? 0.9 : null,
  ongoing,
});

describe('room log storage', () => {
  it('reads back what it wrote, with ongoing stretches closed', () => {
    const storage = createMemoryStorage();
    const sessions = [
      { startedAtMs: 1000, log: [entry(1, 0, alpha), entry(0, 10, null)] },
      { startedAtMs: 9000, log: [entry(1, 0, alpha, true)] },
    ];
    const written = saveRoomLog(storage, sessions, null);
    expect(written).toBe(storage.items.get(ROOM_LOG_STORAGE_KEY));
    expect(saveRoomLog(storage, sessions, written)).toBe(written);
    expect(loadRoomLog(storage)).toEqual([sessions[0], { startedAtMs: 9000, log: [entry(1, 0, alpha, false)] }]);
    saveRoomLog(storage, [], written);
    expect(storage.items.has(ROOM_LOG_STORAGE_KEY)).toBe(false);
    expect(loadRoomLog(storage)).toEqual([]);
    expect(loadRoomLog(null)).toEqual([]);
  });

  it('drops what it cannot read instead of trusting it', () => {
    const storage = createMemoryStorage();
    storage.setItem(ROOM_LOG_STORAGE_KEY, '{not json');
    expect(loadRoomLog(storage)).toEqual([]);
    storage.setItem(ROOM_LOG_STORAGE_KEY, JSON.stringify({ sessions: 'x' }));
    expect(loadRoomLog(storage)).toEqual([]);
    const good = entry(1, 0, alpha);
    storage.setItem(
      ROOM_LOG_STORAGE_KEY,
      JSON.stringify({
        sessions: [
          { startedAtMs: 'yesterday', log: [good] },
          { startedAtMs: 5, log: [good, { ...good, startSeconds: '0' }, { ...good, track: { title: 7 } }, null, { ...good, confidence: 'high' }] },
          { startedAtMs: 6, log: [{ ...good, track: { ...alpha, filePath: undefined } }] },
        ],
      }),
    );
    expect(loadRoomLog(storage)).toEqual([{ startedAtMs: 5, log: [good] }]);
  });

  it("keeps a song's other files of one recording; drops the ones it cannot read, not the song", () => {
    const storage = createMemoryStorage();
    const mp3 = { ...alpha, id: 'a2' as TrackId, format: 'mp3', filePath: '/m/Alpha.mp3' };
    const one = { ...entry(1, 0, alpha), sameRecording: [mp3] };
    saveRoomLog(storage, [{ startedAtMs: 1000, log: [one] }], null);
    expect(loadRoomLog(storage)).toEqual([{ startedAtMs: 1000, log: [one] }]);
    storage.setItem(
      ROOM_LOG_STORAGE_KEY,
      JSON.stringify({
        sessions: [
          {
            startedAtMs: 5,
            log: [
              { ...one, sameRecording: [{ title: 7 }, mp3, null] },
              { ...entry(2, 10, alpha), sameRecording: 'Alpha.mp3' },
              { ...entry(3, 20, alpha), sameRecording: [null] },
            ],
          },
        ],
      }),
    );
    expect(loadRoomLog(storage)).toEqual([{ startedAtMs: 5, log: [one, entry(2, 10, alpha), entry(3, 20, alpha)] }]);
  });

  it('keeps only the newest stretches, and survives storage that refuses', () => {
    const storage = createMemoryStorage();
    const many = Array.from({ length: MAX_ROOM_LOG_ENTRIES }, (_, i) => entry(i + 1, i * 10, alpha));
    saveRoomLog(
      storage,
      [
        { startedAtMs: 1, log: many.slice(0, 10) },
        { startedAtMs: 2, log: many },
      ],
      null,
    );
    const kept = loadRoomLog(storage);
    expect(kept.map((s) => s.startedAtMs)).toEqual([2]);
    expect(kept[0].log).toHaveLength(MAX_ROOM_LOG_ENTRIES);
    saveRoomLog(
      storage,
      [
        { startedAtMs: 1, log: many.slice(0, 10) },
        { startedAtMs: 2, log: many.slice(0, MAX_ROOM_LOG_ENTRIES - 3) },
      ],
      null,
    );
    expect(loadRoomLog(storage).map((s) => s.log.length)).toEqual([3, MAX_ROOM_LOG_ENTRIES - 3]);
    const full: KeyValueStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    expect(saveRoomLog(full, [{ startedAtMs: 1, log: [entry(1, 0, alpha)] }], 'before')).toBe('before');
  });
});
