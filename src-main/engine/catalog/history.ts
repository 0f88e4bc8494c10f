// The identification history, kept in the catalog database (table from migrations 0030 and 0070). Synchronous; used
// by the one thread that owns the catalog's writing connection. Keeps each entry's whole result (to reopen it),
// counts the same dropped clip (by the SHA-256 of its bytes) as one entry, searches, deletes and exports.
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type {
  ClipSource,
  HistoryDetail,
  HistoryEntry,
  HistoryExportFormat,
  HistoryExport,
  HistoryMatch,
  HistorySoundsLike,
  Page,
} from '../../../src-preload/contract/api.js';
import { buildHistoryExport } from '../../../src-preload/contract/historyExport.js';
import { historySearchWords, matchesHistorySearch } from '../../../src-preload/contract/historySearch.js';
import type { IdentifyResult, SearchMode } from '../../../src-preload/contract/library.js';

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
  /**
   * Hex SHA-256 of a dropped clip's bytes (null for the microphone): a record with the hash of an existing entry bumps
   * that entry's count and time and replaces its answer with this one, instead of adding an entry.
   */
  readonly clipSha256?: string | null;
  /** The whole answer as shown, kept to reopen the entry. */
  readonly result?: IdentifyResult | null;
  /** The file name of the matched (or sounds-like) track's file. */
  readonly trackFileName?: string | null;
}

/** What record() did: added an entry, updated the one with the same key, or counted the same clip again. */
export type HistoryRecordOutcome = 'added' | 'updated' | 'counted';

interface HistoryRow {
  id: string;
  at: string;
  firstAt: string;
  count: number;
  source: ClipSource;
  clipName: string | null;
  clipSeconds: number;
  mode: SearchMode;
  matchJson: string | null;
  trackFileName: string | null;
}

const COLUMNS = `id, at, coalesce(first_at, at) AS firstAt, seen_count AS count, source, clip_name AS clipName,
  clip_seconds AS clipSeconds, mode, match_json AS matchJson, track_file_name AS trackFileName`;
const NEWEST_FIRST = `ORDER BY at DESC, rowid DESC`;
/** The SQL function the search runs per row: the contract's own predicate, so the fakes find what the catalog finds. */
const MATCHES = `history_matches(@search, source, clip_name, match_json, track_file_name)`;

export class HistoryLog {
  private readonly stmt: {
    insert: Statement<Record<string, unknown>>;
    updateByKey: Statement<Record<string, unknown>>;
    countAgain: Statement<Record<string, unknown>>;
    list: Statement<[number, number], HistoryRow>;
    count: Statement<[], number>;
    search: Statement<{ search: string; limit: number; offset: number }, HistoryRow>;
    searchCount: Statement<{ search: string }, number>;
    get: Statement<[string], HistoryRow & { resultJson: string | null }>;
    deleteMany: Statement<[string]>;
    clear: Statement<[]>;
  };

  constructor(
    db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    db.function('history_matches', { deterministic: true }, (search, source, clipName, matchJson, trackFileName) =>
      matchesHistorySearch(
        {
          source: source as ClipSource,
          clipName: clipName as string | null,
          trackFileName: trackFileName as string | null,
          ...parseMatchJson(matchJson as string | null),
        },
        search as string,
      )
        ? 1
        : 0,
    );
    // A later, longer clip of the same Listen replaces the entry, but never forgets a match it already had: an exact
    // match is kept over a later "sounds like", and either over a later nothing (with the result that showed it).
    const keepOld = `(@matchJson IS NULL OR (@isExact = 0 AND json_extract(match_json, '$.trackId') IS NOT NULL))`;
    this.stmt = {
      insert: db.prepare(`INSERT INTO history (id, history_key, at, first_at, source, clip_name, clip_seconds, mode, match_json,
          clip_sha256, result_json, track_file_name)
        VALUES (@id, @key, @at, @at, @source, @clipName, @clipSeconds, @mode, @matchJson, @clipSha256, @resultJson, @trackFileName)`),
      updateByKey: db.prepare(`UPDATE history SET at = @at, clip_seconds = @clipSeconds, mode = @mode,
        match_json = CASE WHEN ${keepOld} THEN match_json ELSE @matchJson END,
        result_json = CASE WHEN ${keepOld} AND match_json IS NOT NULL THEN result_json ELSE @resultJson END,
        track_file_name = CASE WHEN ${keepOld} THEN track_file_name ELSE @trackFileName END
        WHERE history_key = @key`),
      // The same clip again: one more, seen now, with this time's answer (the library may have changed since). It takes
      // the new key, so later calls with that key update it as above.
      countAgain: db.prepare(`UPDATE history SET seen_count = seen_count + 1, at = @at, history_key = coalesce(@key, history_key),
        source = @source, clip_name = @clipName, clip_seconds = @clipSeconds, mode = @mode, match_json = @matchJson,
        result_json = @resultJson, track_file_name = @trackFileName
        WHERE clip_sha256 = @clipSha256`),
      list: db.prepare(`SELECT ${COLUMNS} FROM history ${NEWEST_FIRST} LIMIT ? OFFSET ?`),
      count: db.prepare(`SELECT COUNT(*) FROM history`).pluck() as Statement<[], number>,
      search: db.prepare(`SELECT ${COLUMNS} FROM history WHERE ${MATCHES} ${NEWEST_FIRST} LIMIT @limit OFFSET @offset`),
      searchCount: db.prepare(`SELECT COUNT(*) FROM history WHERE ${MATCHES}`).pluck() as Statement<{ search: string }, number>,
      get: db.prepare(`SELECT ${COLUMNS}, result_json AS resultJson FROM history WHERE id = ?`),
      deleteMany: db.prepare(`DELETE FROM history WHERE id IN (SELECT value FROM json_each(?))`),
      clear: db.prepare(`DELETE FROM history`),
    };
  }

  record(entry: HistoryRecord): HistoryRecordOutcome {
    const params = {
      key: entry.key,
      at: this.now().toISOString(),
      source: entry.source,
      clipName: entry.clipName,
      clipSeconds: Math.round(entry.clipSeconds * 1000) / 1000,
      mode: entry.mode,
      matchJson: entry.match ? JSON.stringify(entry.match) : entry.soundsLike ? JSON.stringify({ soundsLike: entry.soundsLike }) : null,
      clipSha256: entry.clipSha256 ?? null,
      resultJson: entry.result ? JSON.stringify(entry.result) : null,
      trackFileName: entry.trackFileName ?? null,
    };
    if (entry.key !== null && this.stmt.updateByKey.run({ ...params, isExact: entry.match ? 1 : 0 }).changes > 0) return 'updated';
    if (params.clipSha256 !== null && this.stmt.countAgain.run(params).changes > 0) return 'counted';
    this.stmt.insert.run({ ...params, id: randomUUID() });
    return 'added';
  }

  /** Newest first; with a search, only the entries it finds (see src-preload/contract/historySearch.ts). */
  list(page: number, perPage: number, search?: string): Page<HistoryEntry> {
    const offset = (page - 1) * perPage;
    const searching = historySearchWords(search).length > 0;
    const rows = searching ? this.stmt.search.all({ search: search!, limit: perPage, offset }) : this.stmt.list.all(perPage, offset);
    const total = (searching ? this.stmt.searchCount.get({ search: search! }) : this.stmt.count.get()) ?? 0;
    return { items: rows.map(toEntry), total, page, perPage };
  }

  /** One entry with its stored result; undefined when there is no such entry. */
  get(id: string): HistoryDetail | undefined {
    const row = this.stmt.get.get(id);
    if (!row) return undefined;
    return { entry: toEntry(row), result: row.resultJson === null ? null : (JSON.parse(row.resultJson) as IdentifyResult) };
  }

  /** Deletes the entries with these ids (unknown ones are skipped); returns how many were deleted. */
  delete(ids: readonly string[]): number {
    return this.stmt.deleteMany.run(JSON.stringify(ids)).changes;
  }

  clear(): void {
    this.stmt.clear.run();
  }

  /** Every entry (or those a search finds), newest first, as a CSV or JSON file. */
  export(format: HistoryExportFormat, search?: string): HistoryExport {
    const entries: HistoryEntry[] = [];
    const searching = historySearchWords(search).length > 0;
    const rows = searching ? this.stmt.search.iterate({ search: search!, limit: -1, offset: 0 }) : this.stmt.list.iterate(-1, 0);
    for (const row of rows) entries.push(toEntry(row));
    return buildHistoryExport(entries, format, this.now(), search);
  }
}

function toEntry(r: HistoryRow): HistoryEntry {
  return {
    id: r.id,
    at: r.at,
    firstAt: r.firstAt,
    count: r.count,
    source: r.source,
    clipName: r.clipName,
    clipSeconds: r.clipSeconds,
    mode: r.mode,
    trackFileName: r.trackFileName,
    ...parseMatchJson(r.matchJson),
  };
}

/** match_json holds the exact match (a HistoryMatch), or {"soundsLike": ...} for a vibe suggestion, or NULL. */
function parseMatchJson(json: string | null): Pick<HistoryEntry, 'match' | 'soundsLike'> {
  if (json === null) return { match: null, soundsLike: null };
  const value = JSON.parse(json) as HistoryMatch | { soundsLike: HistorySoundsLike };
  return 'soundsLike' in value ? { match: null, soundsLike: value.soundsLike } : { match: value, soundsLike: null };
}
