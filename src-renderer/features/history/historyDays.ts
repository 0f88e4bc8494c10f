// History grouped by the local day of each entry's latest time: "Today", "Yesterday", then dates ("Monday 12
// January", with the year when it is not this year's). Pure: the clock and the locale come in as arguments.
import type { HistoryEntry } from '../../../src-preload/contract/api';

export interface HistoryDay {
  /** The local date, YYYY-MM-DD (a stable React key and test hook). */
  readonly key: string;
  readonly label: string;
  readonly entries: readonly HistoryEntry[];
}

function localDayKey(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The heading of a local day, seen from `now`. */
export function dayLabel(date: Date, now: Date, locale?: string): string {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  const key = localDayKey(date);
  if (key === localDayKey(today)) return 'Today';
  if (key === localDayKey(yesterday)) return 'Yesterday';
  return date.toLocaleDateString(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
}

/** Consecutive entries of the same local day, in the order given (newest first from the engine). */
export function groupHistoryByDay(entries: readonly HistoryEntry[], now: Date, locale?: string): HistoryDay[] {
  const days: { key: string; label: string; entries: HistoryEntry[] }[] = [];
  for (const entry of entries) {
    const at = new Date(entry.at);
    const key = Number.isNaN(at.getTime()) ? 'unknown' : localDayKey(at);
    const last = days[days.length - 1];
    if (last && last.key === key) last.entries.push(entry);
    else days.push({ key, label: key === 'unknown' ? 'Unknown date' : dayLabel(at, now, locale), entries: [entry] });
  }
  return days;
}

/** The local time of day of an ISO time ("14:05"), for an entry under its day heading. */
export function formatTimeOfDay(iso: string, locale?: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}
