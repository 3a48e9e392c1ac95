// One statement for many rows on both engines: plain inserts, and upserts that read back.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { uniqueTenantId } from '../sync/testing.js';
import { bulkInsert } from './bulk-insert.js';
import { TIE_COLUMNS, upsertTenant } from './index.js';
import { describeStore } from './testing.js';

const COLUMNS = [
  ['person_id', 'integer'],
  ['external_contacts', 'integer'],
] as const;

describeStore('bulkInsert', (ctx) => {
  const storedDegrees = async (tenantId: string) =>
    (
      await ctx.store.db
        .selectFrom('tie_degrees')
        .select(['person_id', 'external_contacts'])
        .where('tenant_id', '=', tenantId)
        .orderBy('person_id')
        .execute()
    ).map((r) => [r.person_id, r.external_contacts]);

  it('writes every row with its tenant, and an upsert adds to the rows that exist and returns them', async () => {
    const tenantId = uniqueTenantId('bulk');
    await upsertTenant(ctx.store.db, tenantId, { displayName: 'Contoso' });
    const written = await bulkInsert(ctx.store.db, ctx.dialect, 'tie_degrees', tenantId, COLUMNS, [
      [1, 10],
      [2, 20],
    ]);
    expect(written).toEqual([]);
    const returned = await bulkInsert<{ person_id: number; external_contacts: number }>(
      ctx.store.db,
      ctx.dialect,
      'tie_degrees',
      tenantId,
      COLUMNS,
      [
        [2, 5],
        [3, 7],
      ],
      {
        onConflict: sql`on conflict (tenant_id, person_id) do update set
          external_contacts = tie_degrees.external_contacts + excluded.external_contacts`,
        returning: ['person_id', 'external_contacts'],
      },
    );
    expect(returned.map((r) => [Number(r.person_id), Number(r.external_contacts)]).sort()).toEqual([
      [2, 25],
      [3, 7],
    ]);
    expect(await storedDegrees(tenantId)).toEqual([
      [1, 10],
      [2, 25],
      [3, 7],
    ]);
  });

  it("writes and upserts the same rows through SQLite's row-by-row path (store.sqlite)", async () => {
    const tenantId = uniqueTenantId('bulk-rows');
    await upsertTenant(ctx.store.db, tenantId, { displayName: 'Contoso' });
    const options = { sqlite: ctx.store.sqlite };
    await ctx.store.transaction(async (trx) => {
      await bulkInsert(
        trx,
        ctx.dialect,
        'tie_degrees',
        tenantId,
        COLUMNS,
        [
          [1, 10],
          [2, 20],
        ],
        options,
      );
      const returned = await bulkInsert<{ person_id: number; external_contacts: number }>(
        trx,
        ctx.dialect,
        'tie_degrees',
        tenantId,
        COLUMNS,
        [
          [2, 5],
          [3, 7],
        ],
        {
          ...options,
          onConflict: sql`on conflict (tenant_id, person_id) do update set
            external_contacts = tie_degrees.external_contacts + ${1} * excluded.external_contacts`,
          returning: ['person_id', 'external_contacts'],
        },
      );
      expect(
        returned.map((r) => [Number(r.person_id), Number(r.external_contacts)]).sort(),
      ).toEqual([
        [2, 25],
        [3, 7],
      ]);
    });
    expect(await storedDegrees(tenantId)).toEqual([
      [1, 10],
      [2, 25],
      [3, 7],
    ]);
    // the handle is SQLite's own; PostgreSQL takes the unnest path above
    expect(ctx.store.sqlite === undefined).toBe(ctx.dialect === 'postgres');
  });

  it('writes text and numbers back exactly as given: quotes, backslashes, braces, commas, "NULL", nulls, doubles', async () => {
    const tenantId = uniqueTenantId('bulk-values');
    await upsertTenant(ctx.store.db, tenantId, { displayName: 'Contoso' });
    const columns = TIE_COLUMNS;
    const texts = [
      'a"b',
      'back\\slash',
      '{x,y}',
      'NULL',
      '',
      ' spaced ',
      'ünïcødé ✓',
      "it's",
      null,
    ];
    const rows = texts.map((text, i) => [
      i + 1,
      7,
      0,
      text,
      0.1 * (i + 1),
      1 / 3 + i,
      -1e-300 * (i + 1),
      i,
      0,
      i % 2,
      i === 0 ? null : 1_700_000_000_000 + i,
      Number.MAX_SAFE_INTEGER - i,
    ]);
    await bulkInsert(ctx.store.db, ctx.dialect, 'ties', tenantId, columns, rows);
    const stored = await ctx.store.db
      .selectFrom('ties')
      .select(columns.map(([name]) => name))
      .where('tenant_id', '=', tenantId)
      .orderBy('other_id')
      .execute();
    expect(
      stored.map((row) =>
        columns.map(([name]) => {
          const value = row[name];
          return value === null || typeof value === 'string' ? value : Number(value);
        }),
      ),
    ).toEqual(rows);
  });

  it('writes nothing and returns nothing for no rows', async () => {
    expect(
      await bulkInsert(ctx.store.db, ctx.dialect, 'tie_degrees', 'nobody', COLUMNS, []),
    ).toEqual([]);
  });
});
