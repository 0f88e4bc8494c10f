// History as the service keeps it: what an identify answered (one entry per history key, the same dropped bytes
// counted on one entry) and the songs a listening session confirmed, plus the page's list, reopen, delete, export and
// clear. Every change tells the page (libraryChanged 'history'). Synchronous, on the catalog's writing connection.
import { createHash } from 'node:crypto';
import type {
  HistoryDetail,
  HistoryEntry,
  HistoryExport,
  HistoryExportRequest,
  HistoryQuery,
  IdentifyRequest,
  ListenLogEntry,
  Page,
} from '../../../src-preload/contract/api.js';
import { historyShown, lastPathComponent } from '../../../src-preload/contract/historyShown.js';
import type { IdentifyResult } from '../../../src-preload/contract/library.js';
import type { HistoryLog } from '../catalog/history.js';
import { AppError } from '../errors.js';
import type { Emit } from './serviceEvents.js';

const DEFAULT_PER_PAGE = 50;

export class HistoryKeeper {
  constructor(
    private readonly log: HistoryLog,
    private readonly emit: Emit,
  ) {}

  /** What an identify with a history key answered: the best exact match, else what it sounded like, else nothing. */
  rememberIdentify(request: IdentifyRequest, result: IdentifyResult): void {
    const { audio } = request;
    this.log.record({
      key: request.historyKey ?? null,
      source: request.source,
      clipName: audio.kind === 'file' ? audio.fileName : null,
      // The same bytes dropped again count on one entry (why bytes, not path + mtime: see migration 0070).
      clipSha256: audio.kind === 'file' ? createHash('sha256').update(audio.bytes).digest('hex') : null,
      result,
      clipSeconds: result.clipSeconds,
      mode: request.mode,
      ...historyShown(result),
    });
    this.emit('libraryChanged', { reason: 'history' });
  }

  /** A song a listening session confirmed: one entry per song (not one per push). Only confirmed songs are kept. */
  rememberHeard(sessionId: string, entry: ListenLogEntry): void {
    if (!entry.track) return;
    this.log.record({
      key: `listen:${sessionId}:${entry.id}`,
      source: 'mic',
      clipName: null,
      clipSeconds: Math.max(0, entry.endSeconds - entry.startSeconds),
      mode: 'exact',
      match: {
        trackId: entry.track.id,
        title: entry.track.title,
        artist: entry.track.artist,
        album: entry.track.album,
        offsetSeconds: entry.offsetSeconds ?? 0,
        confidence: entry.confidence ?? 0,
      },
      result: null,
      trackFileName: lastPathComponent(entry.track.filePath),
    });
    this.emit('libraryChanged', { reason: 'history' });
  }

  list(query: HistoryQuery): Page<HistoryEntry> {
    return this.log.list(query?.page ?? 1, query?.perPage ?? DEFAULT_PER_PAGE, query?.search);
  }

  get(entryId: string): HistoryDetail {
    const detail = this.log.get(entryId);
    if (!detail) throw new AppError('not-found', 'that History entry was deleted');
    return detail;
  }

  delete(entryIds: readonly string[]): number {
    const deleted = this.log.delete(entryIds);
    if (deleted > 0) this.emit('libraryChanged', { reason: 'history' });
    return deleted;
  }

  export(request: HistoryExportRequest): HistoryExport {
    return this.log.export(request.format, request.search);
  }

  clear(): void {
    this.log.clear();
    this.emit('libraryChanged', { reason: 'history' });
  }
}
