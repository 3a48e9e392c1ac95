// A hot read outside any transaction, run on PostgreSQL's pool as a named statement.
import { createHash } from 'node:crypto';
import type { CompiledQuery } from 'kysely';
import type pg from 'pg';
import { translateDatabaseError } from './errors.js';

// statement names by text: the same text always gets the same name, another text another name
const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `warmpath_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs a compiled statement on the pool (store.postgres) as a named statement, which each
 * connection plans once instead of on every run; `rowMode: 'array'` returns rows as arrays in
 * select order. Errors come out as the store's, as they do for statements Kysely runs.
 */
export async function queryPrepared<Row>(
  pool: pg.Pool,
  compiled: CompiledQuery,
  options: { rowMode?: 'array' } = {},
): Promise<Row[]> {
  try {
    const { rows } = await pool.query({
      name: nameOf(compiled.sql),
      text: compiled.sql,
      values: [...compiled.parameters],
      ...options,
    });
    return rows as Row[];
  } catch (error) {
    throw translateDatabaseError(error);
  }
}
