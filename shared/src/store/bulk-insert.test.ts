// One statement for many rows on both engines: plain inserts, and upserts that read back.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { uniqueTenantId } from '../sync/testing.js';
import { bulkInsert } from './bulk-insert.js';
import { upsertTenant } from './index.js';
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

  it('writes nothing and returns nothing for no rows', async () => {
    expect(
      await bulkInsert(ctx.store.db, ctx.dialect, 'tie_degrees', 'nobody', COLUMNS, []),
    ).toEqual([]);
  });
});
