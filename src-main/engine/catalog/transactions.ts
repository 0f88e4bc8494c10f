// How the catalog's modules run several statements as one: a write transaction, or a read snapshot. Functions of a
// connection; no state.
import type { Database } from 'better-sqlite3';

/**
 * Runs fn in one transaction (BEGIN IMMEDIATE on a writable handle, so it never has to upgrade a read lock); a throw
 * rolls everything back. Nested calls become savepoints.
 */
export function runTransaction<T>(db: Database, fn: () => T): T {
  const tx = db.transaction(fn);
  return db.readonly ? tx.deferred() : tx.immediate();
}

/** Several reads (a page and its total) from one snapshot, without taking the write lock (a deferred transaction only reads). */
export function readSnapshot<T>(db: Database, fn: () => T): T {
  return db.transaction(fn).deferred();
}
