// Many rows in one short statement, for rebuilds and bulk loads.
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type CompiledQuery, type RawBuilder } from 'kysely';
import type { StoreDialect } from './dialect.js';
import { translateDatabaseError } from './errors.js';
import type { StoreDb } from './open-store.js';
import type { TableName } from './schema.js';

/** A column's PostgreSQL type, for the array it travels in. */
export type BulkColumnType = 'text' | 'integer' | 'bigint' | 'double precision';

/** Rows per bulkInsert call that keep one statement's parameter small on both engines. */
export const BULK_ROWS_PER_STATEMENT = { sqlite: 20_000, postgres: 50_000 } as const;

/** What a bulk write does with a row whose key exists, and what it reads back. */
export interface BulkWriteOptions {
  /** an `on conflict (…) do update set …` clause; `excluded.<column>` is the row written */
  onConflict?: RawBuilder<unknown>;
  /** columns of each written row to return (RETURNING), in no particular order */
  returning?: readonly string[];
  /**
   * SQLite: the store's connection (store.sqlite), to run one prepared statement per row instead
   * of unpacking a JSON parameter, about half the CPU; only inside a transaction of `db` or on it.
   */
  sqlite?: BetterSqlite3.Database | undefined;
}

function statementParts(
  columns: ReadonlyArray<readonly [string, BulkColumnType]>,
  options: BulkWriteOptions,
): { names: RawBuilder<unknown>; tail: RawBuilder<unknown> } {
  const names = sql.join([sql.ref('tenant_id'), ...columns.map(([name]) => sql.ref(name))]);
  const tail = sql`${options.onConflict ?? sql``} ${
    options.returning === undefined
      ? sql``
      : sql`returning ${sql.join(options.returning.map((column) => sql.ref(column)))}`
  }`;
  return { names, tail };
}

/**
 * One column's values as a PostgreSQL array literal. node-postgres would quote and escape every
 * element with two regular expressions (~5x the time, and done only when the statement is sent);
 * numbers need neither, and text is escaped once.
 */
export function postgresArrayLiteral(values: readonly unknown[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) literal += ',';
    if (value === null || value === undefined) literal += 'NULL';
    else if (typeof value === 'number' || typeof value === 'bigint') literal += String(value);
    else literal += `"${String(value).replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${literal}}`;
}

/**
 * PostgreSQL's bulk insert of these rows (`insert … select from unnest($arrays)`) as a statement
 * to run later: its array parameters are built now, so a caller can build the next statement
 * while the database runs this one.
 */
export function postgresBulkInsert<Row = unknown>(
  table: TableName,
  tenantId: string,
  columns: ReadonlyArray<readonly [string, BulkColumnType]>,
  rows: readonly unknown[][],
  options: Pick<BulkWriteOptions, 'onConflict' | 'returning'> = {},
): RawBuilder<Row> {
  const { names, tail } = statementParts(columns, options);
  const arrays = columns.map(([, type], i) => {
    const literal = postgresArrayLiteral(rows.map((row) => row[i]));
    return sql`${literal}::${sql.raw(type)}[]`;
  });
  return sql<Row>`insert into ${sql.table(table)} (${names}) select ${tenantId}::text, * from unnest(${sql.join(arrays)}) ${tail}`;
}

/**
 * Inserts rows (tenant_id first, added here) with one statement per call: on PostgreSQL
 * `insert … select from unnest($arrays)`, one array parameter per column; on SQLite
 * `insert … select from json_each(?)`, the rows as one JSON parameter. Either way the statement
 * text is short and the same every time, and tens of thousands of rows cost one round trip.
 */
export async function bulkInsert<Row = unknown>(
  db: StoreDb,
  dialect: StoreDialect,
  table: TableName,
  tenantId: string,
  columns: ReadonlyArray<readonly [string, BulkColumnType]>,
  rows: readonly unknown[][],
  options: BulkWriteOptions = {},
): Promise<Row[]> {
  if (rows.length === 0) return [];
  const { names, tail } = statementParts(columns, options);
  if (dialect === 'postgres') {
    const { rows: written } = await postgresBulkInsert<Row>(
      table,
      tenantId,
      columns,
      rows,
      options,
    ).execute(db);
    return written;
  }
  if (options.sqlite !== undefined) {
    // compiled, not run, by Kysely: the same quoting as every other statement, one prepare
    const placeholders = sql.join(columns.map(() => sql.raw('?')));
    const compiled =
      sql`insert into ${sql.table(table)} (${names}) values (?, ${placeholders}) ${tail}`.compile(
        db,
      );
    return insertRowByRow<Row>(
      options.sqlite,
      compiled,
      tenantId,
      rows,
      options.returning !== undefined,
    );
  }
  const values = sql.join(columns.map((_, i) => sql.raw(`value ->> ${i}`)));
  // "where true": SQLite cannot otherwise tell an upsert's ON from a join's after INSERT … SELECT
  const { rows: written } =
    await sql<Row>`insert into ${sql.table(table)} (${names}) select ${tenantId}, ${values} from json_each(${JSON.stringify(rows)}) where true ${tail}`.execute(
      db,
    );
  return written;
}

/**
 * Runs one compiled INSERT per row; its own parameters (if any) follow each row's values. Errors
 * are the store's, as they are for statements Kysely runs.
 */
function insertRowByRow<Row>(
  sqlite: BetterSqlite3.Database,
  compiled: CompiledQuery,
  tenantId: string,
  rows: readonly unknown[][],
  returns: boolean,
): Row[] {
  try {
    return insertEachRow<Row>(sqlite, compiled, tenantId, rows, returns);
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

function insertEachRow<Row>(
  sqlite: BetterSqlite3.Database,
  compiled: CompiledQuery,
  tenantId: string,
  rows: readonly unknown[][],
  returns: boolean,
): Row[] {
  const trailing = compiled.parameters;
  const statement = sqlite.prepare(compiled.sql);
  if (!returns) {
    for (const row of rows) statement.run(tenantId, ...row, ...trailing);
    return [];
  }
  const written: Row[] = [];
  for (const row of rows) {
    const back = statement.get(tenantId, ...row, ...trailing) as Row | undefined;
    if (back !== undefined) written.push(back);
  }
  return written;
}
