import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTenantFile } from './index.js';

const FIXTURE = new URL('../fixtures/small-tenant.json', import.meta.url).pathname;

describe('loadTenantFile', () => {
  it('loads a tenant file into an engine', async () => {
    const engine = await loadTenantFile(FIXTURE);
    expect(engine.organization.displayName).toBe('Contoso');
    expect(engine.listUsers().length).toBeGreaterThan(0);
  });

  it('names the file when it is not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wp-tenant-'));
    const file = join(dir, 'broken.json');
    await writeFile(file, 'not json');
    await expect(loadTenantFile(file)).rejects.toThrow(`Cannot read tenant file ${file}`);
  });

  it('names the file and each problem when the tenant is invalid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wp-tenant-'));
    const file = join(dir, 'empty.json');
    await writeFile(file, JSON.stringify({ organization: {} }));
    const failure = loadTenantFile(file);
    await expect(failure).rejects.toThrow(`Tenant file ${file} cannot be loaded.`);
    await expect(failure).rejects.toThrow(/organization\.id: expected a non-empty string/);
    await expect(failure).rejects.toThrow(/users: expected an array/);
  });
});
