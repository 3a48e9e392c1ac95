import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyEventPage } from '@warmpath/shared/store';
import {
  describeStore,
  eventPage,
  mailboxCopy,
  meeting,
  seedMailbox,
} from '@warmpath/shared/store/testing';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './build-app-package.js';
import { storeTablesAndParents } from './store-tables.js';

const script = readFileSync(path.join(REPO_ROOT, 'infra', 'remove-tenant-data.sql'), 'utf8');
const deletes = [...script.matchAll(/^DELETE FROM (\w+) WHERE tenant_id = :'tenant_id';$/gm)].map(
  (match) => match[1] as string,
);

describe('infra/remove-tenant-data.sql', () => {
  const tables = storeTablesAndParents(REPO_ROOT);

  it('reads the store tables from the migrations', () => {
    expect(tables.get('mailboxes')).toEqual(new Set(['tenants', 'people']));
    expect(tables.size).toBeGreaterThan(10);
  });

  it('deletes the tenant from every table the migrations create', () => {
    expect([...tables.keys()].filter((table) => !deletes.includes(table))).toEqual([]);
  });

  it('names no table the migrations do not create (psql would stop on it)', () => {
    expect(deletes.filter((table) => !tables.has(table))).toEqual([]);
  });

  it('deletes children before their parents, so foreign keys hold', () => {
    for (const [table, parents] of tables) {
      for (const parent of parents) {
        expect(deletes.indexOf(table), `${table} before ${parent}`).toBeLessThan(
          deletes.indexOf(parent),
        );
      }
    }
  });

  it('runs as one transaction', () => {
    expect(script).toMatch(/^BEGIN;$/m);
    expect(script.trimEnd().endsWith('COMMIT;')).toBe(true);
  });
});

describeStore('infra/remove-tenant-data.sql run on the store', (ctx) => {
  // the psql variable as a quoted literal, and the statements the script would send
  const statementsFor = (tenantId: string) =>
    script
      .replaceAll(":'tenant_id'", `'${tenantId.replaceAll("'", "''")}'`)
      .split(';')
      .map((statement) =>
        statement
          .split('\n')
          .filter((line) => !line.startsWith('--'))
          .join('\n')
          .trim(),
      )
      .filter((statement) => /^DELETE/.test(statement));

  async function rowsOf(tenantId: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of deletes) {
      const result = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(
        table,
      )} where tenant_id = ${tenantId}`.execute(ctx.store.db);
      counts[table] = Number(result.rows[0]?.n ?? 0);
    }
    return counts;
  }

  async function seedTenant(): Promise<string> {
    const tenantId = await ctx.newTenant();
    await seedMailbox(ctx.store, tenantId, 'user-1');
    const event = meeting(`ical-${tenantId}`);
    await applyEventPage(ctx.store, tenantId, eventPage('user-1', [mailboxCopy('g-1', event)]));
    return tenantId;
  }

  it('removes one tenant from every table and leaves the others alone', async () => {
    const removed = await seedTenant();
    const kept = await seedTenant();
    const before = await rowsOf(removed);
    expect(before.events).toBe(1);
    expect(before.people).toBeGreaterThan(0);

    await ctx.store.db.transaction().execute(async (trx) => {
      for (const statement of statementsFor(removed)) await sql.raw(statement).execute(trx);
    });

    const after = await rowsOf(removed);
    expect(Object.values(after).every((n) => n === 0)).toBe(true);
    expect(await rowsOf(kept)).toEqual(before);
  });
});
