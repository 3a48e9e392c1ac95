import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHED_STATEMENT_MAX_LENGTH, withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  let database: BetterSqlite3.Database | undefined;
  afterEach(() => database?.close());

  it('hands back the same prepared statement for the same SQL text', () => {
    database = new BetterSqlite3(':memory:');
    const cached = withStatementCache(database);
    cached.exec('create table t (x integer)');
    const first = cached.prepare('insert into t values (?)');
    first.run(1);
    const second = cached.prepare('insert into t values (?)');
    second.run(2);
    expect(second).toBe(first);
    expect(cached.prepare('select count(*) as n from t').get()).toEqual({ n: 2 });
  });

  it('drops the least recently used statement beyond its size', () => {
    database = new BetterSqlite3(':memory:');
    const cached = withStatementCache(database, 2);
    const one = cached.prepare('select 1');
    cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(one);
    cached.prepare('select 3');
    // 'select 2' was least recently used, so it went; 'select 1' stayed
    expect(cached.prepare('select 1')).toBe(one);
    const two = cached.prepare('select 2');
    expect(cached.prepare('select 2')).toBe(two);
  });

  it('prepares a fresh statement while the cached one is still iterating', () => {
    database = new BetterSqlite3(':memory:');
    const cached = withStatementCache(database);
    const sql = 'select value from json_each(?)';
    const streaming = cached.prepare(sql);
    const rows: unknown[] = [];
    for (const row of streaming.iterate('[1,2]') as Iterable<{ value: number }>) {
      // re-running the same text mid-stream would throw "busy" on a shared statement
      rows.push(row.value, cached.prepare(sql).all('[3]'));
    }
    expect(rows).toEqual([1, [{ value: 3 }], 2, [{ value: 3 }]]);
  });

  it('does not keep long statements, which are rarely repeated and hold much memory', () => {
    database = new BetterSqlite3(':memory:');
    const cached = withStatementCache(database);
    const long = `select 1 as ${'x'.repeat(CACHED_STATEMENT_MAX_LENGTH)}`;
    expect(cached.prepare(long)).not.toBe(cached.prepare(long));
  });

  it('passes everything else through to the database', () => {
    database = new BetterSqlite3(':memory:');
    const cached = withStatementCache(database);
    expect(cached.pragma('journal_mode', { simple: true })).toBe('memory');
    expect(cached.open).toBe(true);
  });
});
