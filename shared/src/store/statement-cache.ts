import type BetterSqlite3 from 'better-sqlite3';
import { LRUCache } from 'lru-cache';

/** Distinct SQL texts kept prepared; IN lists of different lengths are distinct texts. */
export const STATEMENT_CACHE_SIZE = 200;

/**
 * Longer statements (multi-row inserts, long IN lists) are rarely repeated word for word and hold
 * much memory prepared, so they are not kept.
 */
export const CACHED_STATEMENT_MAX_LENGTH = 2_000;

/**
 * A better-sqlite3 handle whose prepare() reuses statements by SQL text, least recently used
 * dropped first. Kysely prepares every query afresh, which costs as much as running a small one.
 * A statement still iterating a stream is busy and cannot run twice, so a fresh one is made then.
 */
export function withStatementCache(
  database: BetterSqlite3.Database,
  size = STATEMENT_CACHE_SIZE,
): BetterSqlite3.Database {
  const cache = new LRUCache<string, BetterSqlite3.Statement>({ max: size });
  const prepare = (source: string): BetterSqlite3.Statement => {
    const cached = cache.get(source);
    if (cached !== undefined && !cached.busy) return cached;
    const statement = database.prepare(source);
    if (cached === undefined && source.length <= CACHED_STATEMENT_MAX_LENGTH) {
      cache.set(source, statement);
    }
    return statement;
  };
  return new Proxy(database, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
