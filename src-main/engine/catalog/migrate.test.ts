// Tests for the migration runner: pending migrations run in one transaction, user_version moves once,
// a failure rolls everything back, and a catalog from a newer app is refused untouched.
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { migrateCatalog, readUserVersion } from './migrate.js';
import { LATEST_CATALOG_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';

const open: Database[] = [];
function memoryDb(): Database {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function tableNames(db: Database): string[] {
  return db.prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all();
}

describe('MIGRATIONS', () => {
  it('are numbered in tens, strictly increasing, ending at LATEST_CATALOG_VERSION', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions.every((v) => v > 0 && Number.isInteger(v))).toBe(true);
    expect(versions[0]).toBe(10);
    expect(LATEST_CATALOG_VERSION).toBe(versions[versions.length - 1]);
  });
});

describe('migrateCatalog', () => {
  it('takes an empty database to the newest version', () => {
    const db = memoryDb();
    const result = migrateCatalog(db);
    expect(result).toEqual({ fromVersion: 0, toVersion: LATEST_CATALOG_VERSION, applied: MIGRATIONS.map((m) => m.version) });
    expect(readUserVersion(db)).toBe(LATEST_CATALOG_VERSION);
    expect(tableNames(db)).toEqual([
      'embeddings',
      'files',
      'folders',
      'history',
      'tracks',
      // Migration 0050's FTS5 table and its shadow tables.
      'tracks_fts',
      'tracks_fts_config',
      'tracks_fts_content',
      'tracks_fts_data',
      'tracks_fts_docsize',
      'tracks_fts_idx',
    ]);
  });

  it('goes step by step: up to 10, then the rest', () => {
    const db = memoryDb();
    expect(migrateCatalog(db, { toVersion: 10 }).applied).toEqual([10]);
    expect(readUserVersion(db)).toBe(10);
    expect(tableNames(db)).toEqual(['folders', 'tracks']);
    const rest = migrateCatalog(db);
    expect(rest.fromVersion).toBe(10);
    expect(rest.applied).toEqual(MIGRATIONS.filter((m) => m.version > 10).map((m) => m.version));
    expect(readUserVersion(db)).toBe(LATEST_CATALOG_VERSION);
  });

  it('is a no-op on a current catalog', () => {
    const db = memoryDb();
    migrateCatalog(db);
    expect(migrateCatalog(db)).toEqual({ fromVersion: LATEST_CATALOG_VERSION, toVersion: LATEST_CATALOG_VERSION, applied: [] });
  });

  it('rolls back every pending migration when one fails', () => {
    const db = memoryDb();
    const migrations: Migration[] = [
      { version: 10, up: (d) => d.exec('CREATE TABLE a (x)') },
      {
        version: 20,
        up: () => {
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrateCatalog(db, { migrations })).toThrow('boom');
    expect(readUserVersion(db)).toBe(0);
    expect(tableNames(db)).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('refuses a catalog from a newer app without writing', () => {
    const db = memoryDb();
    db.pragma('user_version = 9999');
    const err = (() => {
      try {
        migrateCatalog(db);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('catalog-newer-than-app');
    expect(readUserVersion(db)).toBe(9999);
    expect(tableNames(db)).toEqual([]);
  });

  it('rejects an out-of-order migration list', () => {
    const db = memoryDb();
    const migrations: Migration[] = [
      { version: 20, up: () => {} },
      { version: 10, up: () => {} },
    ];
    expect(() => migrateCatalog(db, { migrations })).toThrow(/increasing/);
  });

  it('fails a migration that leaves dangling foreign keys', () => {
    const db = memoryDb();
    const migrations: Migration[] = [
      {
        version: 10,
        up: (d) =>
          d.exec(`CREATE TABLE p (id INTEGER PRIMARY KEY);
          CREATE TABLE c (p_id INTEGER REFERENCES p (id)); INSERT INTO c VALUES (42);`),
      },
    ];
    expect(() => migrateCatalog(db, { migrations })).toThrow(/foreign-key/);
    expect(readUserVersion(db)).toBe(0);
  });
});
