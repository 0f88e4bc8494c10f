// The catalog's migrations, oldest first. Append new ones here; never edit or reorder a released one.
// Versions go in tens so a fix can slot in between (Signal's habit).
import type { Database } from 'better-sqlite3';
import * as m0010 from './0010-create-catalog.js';
import * as m0020 from './0020-create-files.js';
import * as m0030 from './0030-create-history.js';
import * as m0040 from './0040-create-embeddings.js';
import * as m0050 from './0050-create-tracks-fts.js';
import * as m0060 from './0060-add-track-order.js';
import * as m0070 from './0070-history-counts-and-results.js';

export interface Migration {
  /** Becomes PRAGMA user_version once this migration has run. Strictly increasing along the list. */
  readonly version: number;
  readonly up: (db: Database) => void;
}

export const MIGRATIONS: readonly Migration[] = Object.freeze([m0010, m0020, m0030, m0040, m0050, m0060, m0070]);

/** The newest schema version this build knows; a catalog above it came from a newer app. */
export const LATEST_CATALOG_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1].version;
