// Many rows in one short statement, for rebuilds and bulk loads.
import { sql } from 'kysely';
import type { StoreDialect } from './dialect.js';
import type { StoreDb } from './open-store.js';
import type { TableName } from './schema.js';

/** A column's PostgreSQL type, for the array it travels in. */
export type BulkColumnType = 'text' | 'integer' | 'bigint' | 'double precision';

/** Rows per bulkInsert call that keep one statement's parameter small on both engines. */
export const BULK_ROWS_PER_STATEMENT = { sqlite: 20_000, postgres: 50_000 } as const;

/**
 * Inserts rows (tenant_id first, added here) with one statement per call: on PostgreSQL
 * `insert … select from unnest($arrays)`, one array parameter per column; on SQLite
 * `insert … select from json_each(?)`, the rows as one JSON parameter. Either way the statement
 * text is short and the same every time, and tens of thousands of rows cost one round trip.
 */
export async function bulkInsert(
  db: StoreDb,
  dialect: StoreDialect,
  table: TableName,
  tenantId: string,
  columns: ReadonlyArray<readonly [string, BulkColumnType]>,
  rows: readonly unknown[][],
): Promise<void> {
  if (rows.length === 0) return;
  const names = sql.join([sql.ref('tenant_id'), ...columns.map(([name]) => sql.ref(name))]);
  if (dialect === 'postgres') {
    const arrays = columns.map(([, type], i) => {
      const values = rows.map((row) => row[i]);
      return sql`${values}::${sql.raw(type)}[]`;
    });
    await sql`insert into ${sql.table(table)} (${names}) select ${tenantId}::text, * from unnest(${sql.join(arrays)})`.execute(
      db,
    );
  } else {
    const values = sql.join(columns.map((_, i) => sql.raw(`value ->> ${i}`)));
    await sql`insert into ${sql.table(table)} (${names}) select ${tenantId}, ${values} from json_each(${JSON.stringify(rows)})`.execute(
      db,
    );
  }
}
