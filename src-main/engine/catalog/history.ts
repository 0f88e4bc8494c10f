// The identification history, kept in the catalog database (table from migration 0030). Synchronous; used by the
// one thread that owns the catalog's writing connection.
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { ClipSource, HistoryEntry, HistoryMatch, HistorySoundsLike, Page } from '../../../src-preload/contract/api.js';
import type { SearchMode } from '../../../src-preload/contract/library.js';

export interface HistoryRecord {
  /** Records sharing a key update one entry (a Listen's growing clip). */
  readonly key: string | null;
  readonly source: ClipSource;
  readonly clipName: string | null;
  readonly clipSeconds: number;
  readonly mode: SearchMode;
  readonly match: HistoryMatch | null;
  /** With no exact match, the vibe lane's best suggestion (kept in match_json as {"soundsLike": ...}). */
  readonly soundsLike?: HistorySoundsLike | null;
}

interface HistoryRow {
  id: string;
  at: string;
  source: ClipSource;
  clipName: string | null;
  clipSeconds: number;
  mode: SearchMode;
  matchJson: string | null;
}

const COLUMNS = `id, at, source, clip_name AS clipName, clip_seconds AS clipSeconds, mode, match_json AS matchJson`;

export class HistoryLog {
  private readonly stmt: {
    insert: Statement<Record<string, unknown>>;
    updateByKey: Statement<Record<string, unknown>>;
    list: Statement<[number, number], HistoryRow>;
    count: Statement<[], number>;
    clear: Statement<[]>;
  };

  constructor(
    db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.stmt = {
      insert: db.prepare(`INSERT INTO history (id, history_key, at, source, clip_name, clip_seconds, mode, match_json)
        VALUES (@id, @key, @at, @source, @clipName, @clipSeconds, @mode, @matchJson)`),
      // A later, longer clip of the same Listen replaces the entry, but never forgets a match it already had: an
      // exact match is kept over a later "sounds like", and either over a later nothing.
      updateByKey: db.prepare(`UPDATE history SET at = @at, clip_seconds = @clipSeconds, mode = @mode,
        match_json = CASE
          WHEN @matchJson IS NULL THEN match_json
          WHEN @isExact = 0 AND json_extract(match_json, '$.trackId') IS NOT NULL THEN match_json
          ELSE @matchJson END
        WHERE history_key = @key`),
      list: db.prepare(`SELECT ${COLUMNS} FROM history ORDER BY at DESC, rowid DESC LIMIT ? OFFSET ?`),
      count: db.prepare(`SELECT COUNT(*) FROM history`).pluck() as Statement<[], number>,
      clear: db.prepare(`DELETE FROM history`),
    };
  }

  record(entry: HistoryRecord): void {
    const params = {
      key: entry.key,
      at: this.now().toISOString(),
      source: entry.source,
      clipName: entry.clipName,
      clipSeconds: Math.round(entry.clipSeconds * 1000) / 1000,
      mode: entry.mode,
      matchJson: entry.match ? JSON.stringify(entry.match) : entry.soundsLike ? JSON.stringify({ soundsLike: entry.soundsLike }) : null,
    };
    if (entry.key !== null && this.stmt.updateByKey.run({ ...params, isExact: entry.match ? 1 : 0 }).changes > 0) return;
    this.stmt.insert.run({ ...params, id: randomUUID() });
  }

  list(page: number, perPage: number): Page<HistoryEntry> {
    const rows = this.stmt.list.all(perPage, (page - 1) * perPage);
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at,
        source: r.source,
        clipName: r.clipName,
        clipSeconds: r.clipSeconds,
        mode: r.mode,
        ...parseMatchJson(r.matchJson),
      })),
      total: this.stmt.count.get() ?? 0,
      page,
      perPage,
    };
  }

  clear(): void {
    this.stmt.clear.run();
  }
}

/** match_json holds the exact match (a HistoryMatch), or {"soundsLike": ...} for a vibe suggestion, or NULL. */
function parseMatchJson(json: string | null): Pick<HistoryEntry, 'match' | 'soundsLike'> {
  if (json === null) return { match: null, soundsLike: null };
  const value = JSON.parse(json) as HistoryMatch | { soundsLike: HistorySoundsLike };
  return 'soundsLike' in value ? { match: null, soundsLike: value.soundsLike } : { match: value, soundsLike: null };
}
