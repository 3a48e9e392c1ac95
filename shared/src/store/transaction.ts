import type { StoreDb } from './open-store.js';

/** Runs fn inside the caller's transaction when there is one, else in a new one. */
export function inTransaction<T>(db: StoreDb, fn: (trx: StoreDb) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/** PostgreSQL serialization_failure and deadlock_detected: the transaction was rolled back whole. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set(['40001', '40P01']);

/** How often a write that lost a deadlock or serialization conflict runs in all. */
export const CONFLICT_ATTEMPTS = 5;

/** Whether `error` is a conflict that running the same transaction again can get past. */
export function isRetryableConflict(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    RETRYABLE_CODES.has(error.code)
  );
}

/**
 * Runs an idempotent write transaction, and runs it again (at most `attempts` times in all) when
 * PostgreSQL aborts it for a deadlock or a serialization failure. `write` must start its own
 * transaction and redo everything it depends on, because the failed attempt was rolled back.
 */
export async function retryOnConflict<T>(
  write: () => Promise<T>,
  attempts = CONFLICT_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(error)) throw error;
      // a short, jittered pause lets the transaction that won commit before this one locks again
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * attempt));
    }
  }
}
