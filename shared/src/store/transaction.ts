import type { StoreDb } from './open-store.js';

/** Runs fn inside the caller's transaction when there is one, else in a new one. */
export function inTransaction<T>(db: StoreDb, fn: (trx: StoreDb) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
