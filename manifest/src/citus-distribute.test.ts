import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './build-app-package.js';
import { storeTablesAndParents } from './store-tables.js';

const script = readFileSync(path.join(REPO_ROOT, 'infra', 'citus-distribute.sql'), 'utf8');
const distributed = [
  ...script.matchAll(
    /^SELECT create_distributed_table\('(\w+)', 'tenant_id'(?:, colocate_with => 'tenants')?\);$/gm,
  ),
].map((match) => match[1] as string);

describe('infra/citus-distribute.sql', () => {
  const tables = storeTablesAndParents(REPO_ROOT);

  it('distributes every store table by tenant_id', () => {
    expect([...tables.keys()].filter((table) => !distributed.includes(table))).toEqual([]);
  });

  it('names no table the migrations do not create', () => {
    expect(distributed.filter((table) => !tables.has(table))).toEqual([]);
  });

  it('distributes parents before the tables that reference them', () => {
    for (const [table, parents] of tables) {
      for (const parent of parents) {
        expect(distributed.indexOf(parent), `${parent} before ${table}`).toBeLessThan(
          distributed.indexOf(table),
        );
      }
    }
  });

  it('co-locates every table with tenants', () => {
    expect(distributed[0]).toBe('tenants');
    const statements = script.split('\n').filter((line) => line.startsWith('SELECT'));
    expect(statements.slice(1).every((line) => line.includes("colocate_with => 'tenants'"))).toBe(
      true,
    );
  });
});
