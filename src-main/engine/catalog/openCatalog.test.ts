// Tests for openCatalog on real temp files: WAL, reopening, read-only handles, refusing a newer catalog
// byte-for-byte untouched, and garbage or damaged files reported as 'catalog-corrupt'.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync, existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, toErrorInfo } from '../errors.js';
import { checkCatalogIntegrity, openCatalog } from './openCatalog.js';
import type { Catalog } from './catalog.js';
import { LATEST_CATALOG_VERSION } from './migrations/index.js';

let dir: string;
const toClose: Catalog[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'catalog-test-'));
});
afterEach(() => {
  for (const c of toClose.splice(0)) c.close();
  rmSync(dir, { recursive: true, force: true });
});

function track(n: number) {
  return { fileHashSha256: `hash-${n}`, fileSizeBytes: 1000 + n, filePath: `/music/${n}.mp3`, fileMtimeMs: n, title: `T${n}` };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('openCatalog', () => {
  it('creates, migrates and uses WAL on a file database', () => {
    const file = path.join(dir, 'catalog.sqlite');
    const catalog = openCatalog(file);
    toClose.push(catalog);
    expect(catalog.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(catalog.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(catalog.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(catalog.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(catalog.db.pragma('user_version', { simple: true })).toBe(LATEST_CATALOG_VERSION);
  });

  it('keeps data across close and reopen', () => {
    const file = path.join(dir, 'catalog.sqlite');
    const first = openCatalog(file);
    const inserted = first.insertTrack(track(1));
    first.close();
    const second = openCatalog(file);
    toClose.push(second);
    expect(second.getTrackById(inserted.id)).toEqual(inserted);
  });

  it('opens :memory: migrated', () => {
    const catalog = openCatalog(':memory:');
    toClose.push(catalog);
    expect(catalog.countTracks()).toBe(0);
    expect(catalog.db.pragma('user_version', { simple: true })).toBe(LATEST_CATALOG_VERSION);
  });

  it('gives readers a read-only handle that sees the writer’s commits', () => {
    const file = path.join(dir, 'catalog.sqlite');
    const writer = openCatalog(file);
    toClose.push(writer);
    const reader = openCatalog(file, { readonly: true });
    toClose.push(reader);
    const row = writer.insertTrack(track(1));
    expect(reader.getTrackByNum(row.num)?.id).toBe(row.id);
    expect(reader.listTracks({ page: 1, perPage: 10 }).total).toBe(1);
    expect(() => reader.insertTrack(track(2))).toThrow();
  });

  it('refuses a read-only open of a missing file', () => {
    expect(() => openCatalog(path.join(dir, 'missing.sqlite'), { readonly: true })).toThrow();
    expect(existsSync(path.join(dir, 'missing.sqlite'))).toBe(false);
  });

  it.each(['delete', 'wal'])('refuses a catalog from a newer app and leaves the file byte-identical (journal %s)', (journal) => {
    const file = path.join(dir, 'newer.sqlite');
    const raw = new BetterSqlite3(file);
    raw.pragma(`journal_mode = ${journal}`);
    raw.exec('CREATE TABLE future (x); INSERT INTO future VALUES (1);');
    raw.pragma('user_version = 9999');
    raw.close();
    const before = readFileSync(file);

    for (const readonly of [false, true]) {
      const err = thrown(() => openCatalog(file, { readonly }));
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('catalog-newer-than-app');
    }
    expect(readFileSync(file).equals(before)).toBe(true);
    // A WAL file may be left behind by a reader's open, but nothing may have been written to it.
    expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);
  });

  it('reports a file that is not SQLite as catalog-corrupt', () => {
    const file = path.join(dir, 'garbage.sqlite');
    writeFileSync(file, Buffer.from('this is not a database, just some text padding it out. '.repeat(100)));
    const before = readFileSync(file);
    const err = thrown(() => openCatalog(file));
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('catalog-corrupt');
    expect((err as AppError).cause).toBeDefined();
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a damaged page as catalog-corrupt when asked to verify', () => {
    const file = path.join(dir, 'damaged.sqlite');
    const catalog = openCatalog(file);
    catalog.transaction(() => {
      for (let n = 0; n < 2000; n++) catalog.insertTrack(track(n));
    });
    catalog.close(); // checkpoints the WAL into the main file
    const pageSize = 4096;
    const fd = openSync(file, 'r+');
    // Page 1 holds the header and schema; smash a few pages after it.
    writeSync(fd, Buffer.alloc(pageSize * 4, 0xa5), 0, pageSize * 4, pageSize * 3);
    closeSync(fd);

    const err = thrown(() => openCatalog(file, { verifyIntegrity: true }));
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('catalog-corrupt');
  });

  it('reports a damaged page met by a query as catalog-corrupt, saying how to recover, and leaves the file alone', () => {
    const file = path.join(dir, 'catalog.sqlite');
    const catalog = openCatalog(file);
    catalog.transaction(() => {
      for (let n = 0; n < 2000; n++) catalog.insertTrack(track(n));
    });
    catalog.close();
    // Scribble over the tracks table's leaf pages (found with SQLite's dbstat), leaving the schema readable.
    const inspect = new BetterSqlite3(file, { readonly: true });
    const leaves = inspect.prepare("SELECT pageno FROM dbstat WHERE name = 'tracks' AND pagetype = 'leaf'").pluck().all() as number[];
    const pageSize = inspect.pragma('page_size', { simple: true }) as number;
    inspect.close();
    expect(leaves.length).toBeGreaterThan(4);
    const fd = openSync(file, 'r+');
    let seed = 5;
    for (const page of leaves) {
      const junk = Buffer.from(Array.from({ length: pageSize }, () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24));
      writeSync(fd, junk, 0, pageSize, (page - 1) * pageSize);
    }
    closeSync(fd);
    const before = readFileSync(file);

    // Opened without the integrity check (the CLI's identify): the first query that reads a bad page fails.
    const opened = openCatalog(file);
    toClose.push(opened);
    const err = thrown(() => opened.listTracks({ page: 1, perPage: 50 })); // reads track rows
    const info = toErrorInfo(err);
    expect(info.code).toBe('catalog-corrupt');
    expect(info.detail).toMatch(/move it aside/);
    expect(info.detail).toMatch(/left as it is/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('says how to recover when the catalog is damaged at open', () => {
    const file = path.join(dir, 'catalog.sqlite');
    writeFileSync(file, Buffer.from('this is not a database, just some text padding it out. '.repeat(100)));
    const err = thrown(() => openCatalog(file));
    expect((err as AppError).code).toBe('catalog-corrupt');
    expect((err as AppError).detail).toMatch(/restore it from a backup, or move it aside/);
  });

  it('checkCatalogIntegrity passes a healthy catalog', () => {
    const catalog = openCatalog(path.join(dir, 'ok.sqlite'), { verifyIntegrity: true });
    toClose.push(catalog);
    catalog.insertTrack(track(1));
    expect(() => checkCatalogIntegrity(catalog.db)).not.toThrow();
  });
});
