// HistoryLog on a migrated in-memory catalog: keyed updates (one Listen = one entry), paging, newest first, clear.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrackId } from '../../../src-preload/contract/library.js';
import type { Catalog } from './catalog.js';
import { HistoryLog } from './history.js';
import { openCatalog } from './openCatalog.js';

let catalog: Catalog;
let clock: number;
let history: HistoryLog;
beforeEach(() => {
  catalog = openCatalog(':memory:');
  clock = Date.parse('2026-01-01T10:00:00Z');
  history = new HistoryLog(catalog.db, () => new Date((clock += 1000)));
});
afterEach(() => catalog.close());

const match = { trackId: 'b3f1c3b0-0000-4000-8000-000000000001' as TrackId, title: 'One', artist: 'A', album: null, offsetSeconds: 61.2, confidence: 0.9 };

describe('HistoryLog', () => {
  it('keeps one entry per key, updated by the growing clip, and never forgets a match', () => {
    history.record({ key: 'listen-1', source: 'mic', clipName: null, clipSeconds: 3, mode: 'exact', match: null });
    history.record({ key: 'listen-1', source: 'mic', clipName: null, clipSeconds: 4, mode: 'exact', match });
    history.record({ key: 'listen-1', source: 'mic', clipName: null, clipSeconds: 5, mode: 'exact', match: null });
    const page = history.list(1, 10);
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ source: 'mic', clipSeconds: 5, match });
  });

  it('adds an entry per record without a key, lists newest first and pages', () => {
    for (let i = 0; i < 5; i++) history.record({ key: null, source: 'file', clipName: `c${i}.mp3`, clipSeconds: i + 1, mode: 'both', match: null });
    const first = history.list(1, 2);
    expect(first.total).toBe(5);
    expect(first.items.map((e) => e.clipName)).toEqual(['c4.mp3', 'c3.mp3']);
    expect(history.list(3, 2).items.map((e) => e.clipName)).toEqual(['c0.mp3']);
    history.clear();
    expect(history.list(1, 10)).toEqual({ items: [], total: 0, page: 1, perPage: 10 });
  });

  it('keeps a vibe Listen as "sounds like X", never as not in library, and lets an exact match win over it', () => {
    const soundsLike = { trackId: 'b3f1c3b0-0000-4000-8000-000000000002' as TrackId, title: 'Two', artist: null, similarity: 0.81 };
    history.record({ key: 'vibe-1', source: 'mic', clipName: null, clipSeconds: 3, mode: 'vibe', match: null, soundsLike });
    history.record({ key: 'vibe-1', source: 'mic', clipName: null, clipSeconds: 4, mode: 'vibe', match: null, soundsLike: null });
    expect(history.list(1, 10).items).toEqual([expect.objectContaining({ mode: 'vibe', clipSeconds: 4, match: null, soundsLike })]);
    history.record({ key: 'both-1', source: 'mic', clipName: null, clipSeconds: 3, mode: 'both', match: null, soundsLike });
    history.record({ key: 'both-1', source: 'mic', clipName: null, clipSeconds: 4, mode: 'both', match, soundsLike: null });
    history.record({ key: 'both-1', source: 'mic', clipName: null, clipSeconds: 5, mode: 'both', match: null, soundsLike });
    expect(history.list(1, 10).items[0]).toMatchObject({ clipSeconds: 5, match, soundsLike: null });
    history.record({ key: null, source: 'file', clipName: 'x.mp3', clipSeconds: 5, mode: 'exact', match: null });
    expect(history.list(1, 10).items[0]).toMatchObject({ match: null, soundsLike: null });
  });
});
