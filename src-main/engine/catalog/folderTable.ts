// The folders table (migration 0010): the library folders the user added. Statements prepared once on the catalog's
// connection; not thread-safe.
import type { Database, Statement } from 'better-sqlite3';
import type { FolderId } from '../../../src-preload/contract/library.js';
import { FOLDER_COLUMNS, type FolderRow } from './catalogRows.js';

export class FolderTable {
  private readonly stmt: {
    add: Statement<{ path: string; addedAt: string }>;
    getByPath: Statement<[string], FolderRow>;
    getById: Statement<[number], FolderRow>;
    list: Statement<[], FolderRow>;
    remove: Statement<[number]>;
    markScanned: Statement<[string, number]>;
  };

  constructor(
    db: Database,
    private readonly now: () => Date,
  ) {
    this.stmt = {
      add: db.prepare(`INSERT INTO folders (path, added_at) VALUES (@path, @addedAt) ON CONFLICT (path) DO NOTHING`),
      getByPath: db.prepare(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE path = ?`),
      getById: db.prepare(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE id = ?`),
      list: db.prepare(`SELECT ${FOLDER_COLUMNS} FROM folders ORDER BY path`),
      remove: db.prepare(`DELETE FROM folders WHERE id = ?`),
      markScanned: db.prepare(`UPDATE folders SET last_scan_at = ? WHERE id = ?`),
    };
  }

  /** Adds a watched folder, or returns the existing row for the same path. */
  add(folderPath: string): FolderRow {
    this.stmt.add.run({ path: folderPath, addedAt: this.now().toISOString() });
    return this.stmt.getByPath.get(folderPath)!;
  }

  /** Removes the folder and (cascade) its files rows; its tracks stay for the caller to delete. */
  remove(id: FolderId): boolean {
    return this.stmt.remove.run(id).changes > 0;
  }

  /** Every folder, by path. */
  list(): FolderRow[] {
    return this.stmt.list.all();
  }

  getByPath(folderPath: string): FolderRow | undefined {
    return this.stmt.getByPath.get(folderPath);
  }

  getById(id: FolderId): FolderRow | undefined {
    return this.stmt.getById.get(id);
  }

  /** `iso`: ISO 8601 time the scan finished. */
  markScanned(id: FolderId, iso: string): void {
    this.stmt.markScanned.run(iso, id);
  }
}
