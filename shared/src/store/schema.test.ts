import { CompiledQuery, sql } from 'kysely';
import { expect, it } from 'vitest';
import { StoreConstraintError } from './errors.js';
import type { Store } from './open-store.js';
import { describeStore } from './testing.js';

interface TableShape {
  table: string;
  columns: string[];
  /** every index including the primary key, each as its ordered column list */
  indexes: { name: string; columns: string[] }[];
}

const EXPECTED_TABLES = [
  'attendance',
  'bot_conversations',
  'calendars',
  'events',
  'id_sequences',
  'intro_requests',
  'mailbox_events',
  'mailboxes',
  'people',
  'resource_identities',
  'score_queue',
  'scored_events',
  'scoring_state',
  'sync_inbox',
  'tenant_settings',
  'tenants',
  'tie_degrees',
  'ties',
  'tracked_principals',
];

/** Meeting content the product promises never to store. */
const CONTENT_COLUMN = /subject|body|preview|location|content|description|title_text|notes/i;

async function describeTables(store: Store): Promise<TableShape[]> {
  if (store.dialect === 'sqlite') {
    const { rows: tables } = await sql<{ name: string }>`
      select name from sqlite_master
      where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'
      order by name`.execute(store.db);
    const shapes: TableShape[] = [];
    for (const { name } of tables) {
      const { rows: columns } = await sql<{ name: string; pk: number }>`
        select name, pk from pragma_table_info(${name})`.execute(store.db);
      const { rows: indexList } = await sql<{ name: string }>`
        select name from pragma_index_list(${name})`.execute(store.db);
      const indexes = [];
      for (const index of indexList) {
        const { rows: indexColumns } = await sql<{ name: string }>`
          select name from pragma_index_info(${index.name}) order by seqno`.execute(store.db);
        indexes.push({ name: index.name, columns: indexColumns.map((c) => c.name) });
      }
      const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
      if (!indexes.some((i) => i.columns.join() === pk.map((c) => c.name).join())) {
        indexes.push({ name: `${name} primary key`, columns: pk.map((c) => c.name) });
      }
      shapes.push({ table: name, columns: columns.map((c) => c.name), indexes });
    }
    return shapes;
  }
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and table_name not like 'kysely_%'
    order by table_name, ordinal_position`.execute(store.db);
  const { rows: indexColumns } = await sql<{
    table_name: string;
    index_name: string;
    column_name: string;
  }>`
    select t.relname as table_name, i.relname as index_name, a.attname as column_name
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    cross join lateral unnest(x.indkey) with ordinality as k(attnum, position)
    join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
    where n.nspname = current_schema() and t.relname not like 'kysely_%'
    order by t.relname, i.relname, k.position`.execute(store.db);
  const shapes = new Map<string, TableShape>();
  for (const row of columns) {
    const shape = shapes.get(row.table_name) ?? { table: row.table_name, columns: [], indexes: [] };
    shape.columns.push(row.column_name);
    shapes.set(row.table_name, shape);
  }
  for (const row of indexColumns) {
    const shape = shapes.get(row.table_name);
    if (shape === undefined) continue;
    let index = shape.indexes.find((i) => i.name === row.index_name);
    if (index === undefined) shape.indexes.push((index = { name: row.index_name, columns: [] }));
    index.columns.push(row.column_name);
  }
  return [...shapes.values()].sort((a, b) => a.table.localeCompare(b.table));
}

describeStore('schema', (ctx) => {
  it('has exactly the expected tables', async () => {
    const shapes = await describeTables(ctx.store);
    expect(shapes.map((s) => s.table)).toEqual(EXPECTED_TABLES);
  });

  it('has no column for meeting subject, body, preview, location or other free text in any table', async () => {
    const shapes = await describeTables(ctx.store);
    const offenders = shapes.flatMap((s) =>
      s.columns.filter((c) => CONTENT_COLUMN.test(c)).map((c) => `${s.table}.${c}`),
    );
    expect(offenders).toEqual([]);
  });

  it('leads every primary key and every index with tenant_id', async () => {
    const shapes = await describeTables(ctx.store);
    const indexes = shapes.flatMap((s) => s.indexes.map((i) => ({ table: s.table, ...i })));
    expect(indexes.length).toBeGreaterThanOrEqual(EXPECTED_TABLES.length + 8);
    const offenders = indexes
      .filter((i) => i.columns[0] !== 'tenant_id')
      .map((i) => `${i.table}:${i.name}`);
    expect(offenders).toEqual([]);
  });

  it('gives every table a tenant_id column', async () => {
    const shapes = await describeTables(ctx.store);
    expect(shapes.filter((s) => !s.columns.includes('tenant_id')).map((s) => s.table)).toEqual([]);
  });

  it('rejects calendars_per_mailbox 6 at the database with a message naming the allowed range', async () => {
    const tenantId = await ctx.newTenant();
    const write = ctx.store.db
      .updateTable('tenant_settings')
      .set({ calendars_per_mailbox: 6 })
      .where('tenant_id', '=', tenantId)
      .execute();
    await expect(write).rejects.toThrow(StoreConstraintError);
    await expect(write).rejects.toThrow(/calendars_per_mailbox must be an integer from 1 to 5/);
    await expect(write).rejects.toMatchObject({
      kind: 'check',
      constraint: 'tenant_settings_calendars_per_mailbox_range',
    });
  });

  it('rejects calendars_per_mailbox 0 and a flag that is neither 0 nor 1', async () => {
    const tenantId = await ctx.newTenant();
    const settings = ctx.store.db.updateTable('tenant_settings').where('tenant_id', '=', tenantId);
    await expect(settings.set({ calendars_per_mailbox: 0 }).execute()).rejects.toThrow(
      StoreConstraintError,
    );
    await expect(settings.set({ only_online_meetings: 2 as 0 }).execute()).rejects.toMatchObject({
      kind: 'check',
      constraint: 'tenant_settings_only_online_meetings_flag',
    });
  });

  it('rejects a person kind outside internal/external and an uppercase email', async () => {
    const tenantId = await ctx.newTenant();
    const person = {
      tenant_id: tenantId,
      person_id: 1,
      email: 'a@b.com',
      kind: 'internal' as const,
      domain: 'b.com',
      is_personal_domain: 0 as const,
      first_seen_at: 0,
      updated_at: 0,
    };
    await expect(
      ctx.store.db
        .insertInto('people')
        .values({ ...person, kind: 'robot' as 'internal' })
        .execute(),
    ).rejects.toMatchObject({ kind: 'check', constraint: 'people_kind_value' });
    await expect(
      ctx.store.db
        .insertInto('people')
        .values({ ...person, email: 'A@B.com' })
        .execute(),
    ).rejects.toMatchObject({ kind: 'check', constraint: 'people_email_lowercase' });
  });

  it('rejects a calendar for a mailbox that does not exist as a foreign-key error', async () => {
    const tenantId = await ctx.newTenant();
    const insert = ctx.store.db
      .insertInto('calendars')
      .values({
        tenant_id: tenantId,
        user_id: 'ghost',
        calendar_id: 'c',
        name: 'Calendar',
        is_default: 1,
        selected: 1,
        updated_at: 0,
      })
      .execute();
    await expect(insert).rejects.toMatchObject({ kind: 'foreign_key' });
  });

  it('probes the (tenant_id, key) indexes for batched lookups instead of scanning the tenant', async () => {
    const keys = Array.from({ length: 500 }, (_, index) => `key-${index}`);
    const queries = [
      ctx.store.db
        .selectFrom('events')
        .selectAll()
        .where('tenant_id', '=', 't')
        .where('ical_uid', 'in', keys),
      ctx.store.db
        .selectFrom('people')
        .selectAll()
        .where('tenant_id', '=', 't')
        .where('email', 'in', keys),
      ctx.store.db
        .selectFrom('mailbox_events')
        .selectAll()
        .where('tenant_id', '=', 't')
        .where('user_id', '=', 'u')
        .where('graph_event_id', 'in', keys),
      // "who knows <domain>": the company's contacts, then their ties (scoring/intro-paths.ts)
      ctx.store.db
        .selectFrom('people')
        .select('person_id')
        .where('tenant_id', '=', 't')
        .where('domain', '=', 'acme.com'),
      ctx.store.db
        .selectFrom('ties')
        .selectAll()
        .where('tenant_id', '=', 't')
        .where('other_id', 'in', [7, 8, 9]),
    ];
    const explain = ctx.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
    const plans: string[] = [];
    for (const query of queries) {
      const compiled = query.compile();
      const { rows } = await ctx.store.db.executeQuery<Record<string, unknown>>(
        CompiledQuery.raw(explain + compiled.sql, [...compiled.parameters]),
      );
      plans.push(rows.map((row) => Object.values(row).join(' ')).join('\n'));
    }
    if (ctx.dialect === 'sqlite') {
      // SQLite plans from the seeded statistics, which must steer it to the key index
      expect(plans[0]).toMatch(
        /USING INDEX sqlite_autoindex_events_\d \(tenant_id=\? AND ical_uid=\?\)/,
      );
      expect(plans[1]).toMatch(
        /USING INDEX sqlite_autoindex_people_\d \(tenant_id=\? AND email=\?\)/,
      );
      expect(plans[2]).toMatch(/PRIMARY KEY \(tenant_id=\? AND user_id=\? AND graph_event_id=\?\)/);
      // tables of later migrations get the same statistics (store.migrate re-seeds them)
      expect(plans[3]).toMatch(
        /USING (COVERING )?INDEX people_domain_idx \(tenant_id=\? AND domain=\?\)/,
      );
      expect(plans[4]).toMatch(/USING PRIMARY KEY \(tenant_id=\? AND other_id=\?\)/);
    } else {
      // PostgreSQL plans from live row counts; on these small tables any index is right, a full scan is not
      for (const plan of plans) expect(plan).not.toMatch(/Seq Scan/);
    }
  });
});
