// Tracking by mail, user principal name, object id or `all`; idempotent; unknown names refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listTrackedPrincipals, upsertTenant } from '../store/index.js';
import { describeStore } from '../store/testing.js';
import { createGraphTenantDirectory } from './graph-tenant-directory.js';
import {
  fixtureTenant,
  startSyncSimulator,
  uniqueTenantId,
  type SyncSimulator,
} from './testing.js';
import { trackPrincipals, UnknownPrincipalError } from './track-principals.js';

describeStore('trackPrincipals', (ctx) => {
  let sim: SyncSimulator;
  beforeAll(async () => {
    sim = await startSyncSimulator(fixtureTenant());
  });
  afterAll(() => sim.close());

  const newTenant = async () => {
    const tenantId = uniqueTenantId('track');
    await upsertTenant(ctx.store.db, tenantId, { displayName: 'Contoso' });
    return tenantId;
  };
  const track = (tenantId: string, references: string[]) =>
    trackPrincipals({
      store: ctx.store,
      directory: createGraphTenantDirectory(sim.graph()),
      tenantId,
      references,
      addedBy: 'cli',
    });

  it('adds users and groups by mail, UPN or id, and adding them again changes nothing', async () => {
    const tenantId = await newTenant();
    const references = [
      'FALCON@contoso.com',
      'alex.wilber@contoso.com',
      '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d11',
    ];
    const first = await track(tenantId, references);
    expect(first.added.map((p) => `${p.kind} ${p.displayName}`).sort()).toEqual([
      'group Project Falcon',
      'group Sales',
      'user Alex Wilber',
    ]);
    const tracked = await listTrackedPrincipals(ctx.store.db, tenantId);
    const again = await track(tenantId, references);
    expect(again.added).toEqual([]);
    expect(again.alreadyTracked.sort()).toEqual(tracked.map((p) => p.principalId).sort());
    expect(await listTrackedPrincipals(ctx.store.db, tenantId)).toEqual(tracked);
  });

  it('tracks every user with a person’s mailbox for `all`', async () => {
    const tenantId = await newTenant();
    await track(tenantId, ['all']);
    const names = (await listTrackedPrincipals(ctx.store.db, tenantId))
      .map((p) => p.displayName)
      .sort();
    // Lee Gu has no mailbox; Conf Room Rainier is a room
    expect(names).toEqual(['Adele Vance', 'Alex Wilber', 'Diego Siciliani', 'Megan Bowen']);
  });

  it('refuses names the directory does not know and tracks nothing', async () => {
    const tenantId = await newTenant();
    const error = await track(tenantId, [
      'alex.wilber@contoso.com',
      'nobody@contoso.com',
      'Sales',
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownPrincipalError);
    expect((error as Error).message).toContain('"nobody@contoso.com", "Sales"');
    expect(await listTrackedPrincipals(ctx.store.db, tenantId)).toEqual([]);
  });
});
