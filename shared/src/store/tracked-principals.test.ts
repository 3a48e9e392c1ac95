import { expect, it } from 'vitest';
import { describeStore } from './testing.js';
import {
  addTrackedPrincipals,
  listTrackedPrincipals,
  removeTrackedPrincipal,
} from './tracked-principals.js';

describeStore('tracked principals', (ctx) => {
  it('adds users and groups and lists them', async () => {
    const tenantId = await ctx.newTenant();
    const added = await addTrackedPrincipals(ctx.store.db, tenantId, [
      {
        principalId: 'group-sales',
        kind: 'group',
        displayName: 'Sales',
        addedBy: 'admin@contoso.com',
      },
      { principalId: 'user-ceo', kind: 'user', email: 'CEO@contoso.com' },
    ]);
    expect(added.map((p) => p.principalId)).toEqual(['group-sales', 'user-ceo']);
    const listed = await listTrackedPrincipals(ctx.store.db, tenantId);
    expect(listed.map((p) => [p.principalId, p.kind, p.email])).toEqual([
      ['group-sales', 'group', null],
      ['user-ceo', 'user', 'ceo@contoso.com'],
    ]);
  });

  it('changes nothing when adding what is already tracked', async () => {
    const tenantId = await ctx.newTenant();
    await addTrackedPrincipals(ctx.store.db, tenantId, [
      { principalId: 'group-sales', kind: 'group', displayName: 'Sales', addedBy: 'first' },
    ]);
    const before = await listTrackedPrincipals(ctx.store.db, tenantId);
    const added = await addTrackedPrincipals(ctx.store.db, tenantId, [
      { principalId: 'group-sales', kind: 'group', displayName: 'Renamed', addedBy: 'second' },
    ]);
    expect(added).toEqual([]);
    expect(await listTrackedPrincipals(ctx.store.db, tenantId)).toEqual(before);
  });

  it('removes a principal and reports whether it was tracked', async () => {
    const tenantId = await ctx.newTenant();
    await addTrackedPrincipals(ctx.store.db, tenantId, [{ principalId: 'u1', kind: 'user' }]);
    expect(await removeTrackedPrincipal(ctx.store.db, tenantId, 'u1')).toBe(true);
    expect(await removeTrackedPrincipal(ctx.store.db, tenantId, 'u1')).toBe(false);
    expect(await listTrackedPrincipals(ctx.store.db, tenantId)).toEqual([]);
  });
});
