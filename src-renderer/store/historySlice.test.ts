// The History store against the fake bridge: the same file dropped twice is one entry with a count, a debounced
// search, reopening an entry's stored result (stale answers dropped), deleting (the open entry closes), clearing and
// exporting what the search found.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HistoryQuery } from '../../src-preload/contract/api';
import { HISTORY_SEARCH_DEBOUNCE_MS, outcomeOfHistory } from './historySlice';
import { createTestStore } from './testDeps';

afterEach(() => vi.useRealTimers());

/** A dropped file whose bytes are `content` (the same content is the same file, whatever its name). */
const file = (name: string, content = name) => {
  const bytes = new TextEncoder().encode(content);
  return { name, sizeBytes: bytes.length, readBytes: async () => bytes };
};

async function storeWithHistory() {
  const made = createTestStore({ startScanned: true });
  const s = () => made.store.getState();
  await s().identifyFile(file('beta-clip.wav', 'same bytes'));
  await s().identifyFile(file('unknown-song.wav'));
  await s().identifyFile(file('beta-clip (copy).wav', 'same bytes'));
  await s().loadHistory();
  return { ...made, s };
}

describe('history store', () => {
  it('shows the same file dropped twice as one entry with a count, newest first', async () => {
    const { s } = await storeWithHistory();
    expect(s().historyEntries.map((e) => [e.clipName, e.count])).toEqual([
      ['beta-clip (copy).wav', 2],
      ['unknown-song.wav', 1],
    ]);
    expect(s().historyTotal).toBe(2);
    const [counted] = s().historyEntries;
    expect(Date.parse(counted.firstAt)).toBeLessThanOrEqual(Date.parse(counted.at));
  });

  it('searches after a pause in typing, and only once for a burst of keys', async () => {
    const { s, bridge } = await storeWithHistory();
    vi.useFakeTimers();
    const before = bridge.calls.filter((c) => c.method === 'listHistory').length;
    s().setHistorySearch('u');
    s().setHistorySearch('unkn');
    expect(s().historySearchText).toBe('unkn');
    expect(s().historyQuery).toBe('');
    await vi.advanceTimersByTimeAsync(HISTORY_SEARCH_DEBOUNCE_MS);
    const queries = bridge.calls
      .filter((c) => c.method === 'listHistory')
      .slice(before)
      .map((c) => c.args[0] as HistoryQuery);
    expect(queries).toEqual([{ page: 1, perPage: 50, search: 'unkn' }]);
    expect(s().historyQuery).toBe('unkn');
    expect(s().historyEntries.map((e) => e.clipName)).toEqual(['unknown-song.wav']);
    expect(s().historyTotal).toBe(1);
    // The matched track's title finds its entry too; clearing the field lists everything again.
    s().setHistorySearch('beta');
    await vi.advanceTimersByTimeAsync(HISTORY_SEARCH_DEBOUNCE_MS);
    expect(s().historyEntries.map((e) => e.clipName)).toEqual(['beta-clip (copy).wav']);
    s().setHistorySearch('  ');
    await vi.advanceTimersByTimeAsync(HISTORY_SEARCH_DEBOUNCE_MS);
    expect(s().historyQuery).toBe('');
    expect(s().historyTotal).toBe(2);
  });

  it('reopens an entry with its stored result, as a past answer (Play starts at the match)', async () => {
    const { s } = await storeWithHistory();
    const entry = s().historyEntries[0];
    await s().openHistoryEntry(entry.id);
    expect(s().historyOpenId).toBe(entry.id);
    const detail = s().historyDetail!;
    expect(detail.entry).toEqual(entry);
    expect(detail.result?.exact[0]?.track.title).toBe('Beta');
    expect(outcomeOfHistory(detail)).toEqual({
      source: 'file',
      clipName: 'beta-clip (copy).wav',
      clipStartedAtMs: null,
      askedMode: 'both',
      result: detail.result,
      error: null,
      silent: false,
      listenProblem: null,
    });
    expect(outcomeOfHistory({ entry, result: null })).toBeNull();
    s().closeHistoryEntry();
    expect(s().historyOpenId).toBeNull();
    expect(s().historyDetail).toBeNull();
  });

  it('drops the answer for an entry that is no longer the one asked for, and says when an entry is gone', async () => {
    const { s } = await storeWithHistory();
    const [a, b] = s().historyEntries;
    const first = s().openHistoryEntry(a.id);
    const second = s().openHistoryEntry(b.id);
    await Promise.all([first, second]);
    expect(s().historyOpenId).toBe(b.id);
    expect(s().historyDetail?.entry.id).toBe(b.id);
    await s().openHistoryEntry('deleted-meanwhile');
    expect(s().historyDetail).toBeNull();
    expect(s().historyDetailError?.code).toBe('not-found');
  });

  it('deletes one entry (closing it when open) and keeps the rest', async () => {
    const { s, bridge } = await storeWithHistory();
    const [counted, other] = s().historyEntries;
    await s().openHistoryEntry(counted.id);
    expect(await s().deleteHistoryEntries([counted.id])).toBe(true);
    expect(bridge.calls.find((c) => c.method === 'deleteHistoryEntries')?.args).toEqual([[counted.id]]);
    expect(s().historyEntries.map((e) => e.id)).toEqual([other.id]);
    expect(s().historyTotal).toBe(1);
    expect(s().historyOpenId).toBeNull();
    await s().loadHistory();
    expect(s().historyEntries.map((e) => e.id)).toEqual([other.id]);
  });

  it('clears everything and closes the open entry', async () => {
    const { s } = await storeWithHistory();
    await s().openHistoryEntry(s().historyEntries[1].id);
    await s().clearHistory();
    expect(s().historyEntries).toEqual([]);
    expect(s().historyTotal).toBe(0);
    expect(s().historyOpenId).toBeNull();
  });

  it('exports what the search found, as CSV or JSON', async () => {
    const { s, bridge } = await storeWithHistory();
    const all = await s().exportHistory('csv');
    expect(all?.fileName).toMatch(/^audio-ident-history-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(all?.text.split('\r\n')).toHaveLength(4); // header, two entries, the final CRLF
    vi.useFakeTimers();
    s().setHistorySearch('unknown');
    await vi.advanceTimersByTimeAsync(HISTORY_SEARCH_DEBOUNCE_MS);
    vi.useRealTimers();
    const found = await s().exportHistory('json');
    expect(bridge.calls.filter((c) => c.method === 'exportHistory').map((c) => c.args[0])).toEqual([{ format: 'csv' }, { format: 'json', search: 'unknown' }]);
    const parsed = JSON.parse(found!.text) as { entries: { clipName: string }[] };
    expect(parsed.entries.map((e) => e.clipName)).toEqual(['unknown-song.wav']);
    expect(found?.mimeType).toBe('application/json;charset=utf-8');
  });
});
