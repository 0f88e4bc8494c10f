// Day headings for History: Today, Yesterday, then dates (with the year only when it is not this year), in local time.
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../src-preload/contract/api';
import { dayLabel, groupHistoryByDay } from './historyDays';

const NOW = new Date(2026, 2, 10, 9, 30); // Tuesday 10 March 2026, local time

const entry = (id: string, at: Date): HistoryEntry => ({
  id,
  at: at.toISOString(),
  firstAt: at.toISOString(),
  count: 1,
  source: 'mic',
  clipName: null,
  clipSeconds: 5,
  mode: 'exact',
  match: null,
  soundsLike: null,
  trackFileName: null,
});

describe('History by day', () => {
  it('labels today, yesterday (across a month boundary too), and older dates', () => {
    expect(dayLabel(new Date(2026, 2, 10, 0, 1), NOW, 'en-GB')).toBe('Today');
    expect(dayLabel(new Date(2026, 2, 9, 23, 59), NOW, 'en-GB')).toBe('Yesterday');
    // ICU versions differ on the comma after the weekday.
    expect(dayLabel(new Date(2026, 2, 28, 12), new Date(2026, 3, 1, 8), 'en-GB')).toMatch(/^Saturday,? 28 March$/);
    expect(dayLabel(new Date(2026, 2, 31, 12), new Date(2026, 3, 1, 8), 'en-GB')).toBe('Yesterday');
    expect(dayLabel(new Date(2025, 11, 24, 18), NOW, 'en-GB')).toMatch(/^Wednesday,? 24 December 2025$/);
  });

  it('groups consecutive entries of one local day under one heading, newest first', () => {
    const days = groupHistoryByDay(
      [
        entry('a', new Date(2026, 2, 10, 9, 0)),
        entry('b', new Date(2026, 2, 10, 0, 5)),
        entry('c', new Date(2026, 2, 9, 22, 0)),
        entry('d', new Date(2026, 2, 2, 12, 0)),
        entry('e', new Date(2026, 2, 2, 8, 0)),
      ],
      NOW,
      'en-GB',
    );
    expect(days.map((d) => [d.key, d.label.replace(',', ''), d.entries.map((e) => e.id).join('')])).toEqual([
      ['2026-03-10', 'Today', 'ab'],
      ['2026-03-09', 'Yesterday', 'c'],
      ['2026-03-02', 'Monday 2 March', 'de'],
    ]);
    expect(groupHistoryByDay([], NOW)).toEqual([]);
  });
});
