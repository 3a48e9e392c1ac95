// SQLite planner statistics that hold at any tenant size; every migration run re-seeds them so
// that tables and indexes added later get them too.
import { sql, type Kysely } from 'kysely';

/** Rows the seeded statistics pretend each table has; only the ratios matter. */
const ASSUMED_ROWS = 10_000_000;
/** Rows one tenant_id value is assumed to match. */
const ASSUMED_ROWS_PER_TENANT = 1_000_000;

/**
 * Without statistics SQLite guesses that `tenant_id = ?` matches about ten rows and scans the
 * tenant's whole primary key instead of probing the (tenant_id, key) index, which makes every
 * sync page cost O(tenant size). Seeded sqlite_stat1 rows say what is true at scale: tenant_id
 * alone is unselective, each further key column is selective.
 */
export async function seedSqlitePlannerStats(db: Kysely<unknown>): Promise<void> {
  await sql`analyze`.execute(db);
  const { rows: tables } = await sql<{ name: string; wr: number }>`
    select name, wr from pragma_table_list
    where schema = 'main' and type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(
    db,
  );
  for (const table of tables) {
    const { rows: indexes } = await sql<{ name: string; unique: number; origin: string }>`
      select name, "unique", origin from pragma_index_list(${table.name})`.execute(db);
    for (const index of indexes) {
      const { rows: columns } = await sql<{ name: string }>`
        select name from pragma_index_info(${index.name})`.execute(db);
      if (columns[0]?.name !== 'tenant_id') continue;
      const perPrefix = columns.map((_, position) => {
        if (position === 0) return ASSUMED_ROWS_PER_TENANT;
        return position === columns.length - 1 && index.unique === 1 ? 1 : 10;
      });
      // SQLite files a WITHOUT ROWID table's primary key under the table's own name
      const statName = index.origin === 'pk' && table.wr === 1 ? table.name : index.name;
      await sql`delete from sqlite_stat1 where tbl = ${table.name} and idx = ${statName}`.execute(
        db,
      );
      await sql`insert into sqlite_stat1 (tbl, idx, stat)
        values (${table.name}, ${statName}, ${[ASSUMED_ROWS, ...perPrefix].join(' ')})`.execute(db);
    }
  }
  // makes the open connection read the seeded rows now rather than at its next open
  await sql`analyze sqlite_schema`.execute(db);
}
