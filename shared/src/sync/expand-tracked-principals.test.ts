// Tracked groups expand transitively to users, resource mailboxes stay out, and a membership
// change reaches the synced set at the next directory refresh.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listMailboxes, upsertTenant } from '../store/index.js';
import { describeStore } from '../store/testing.js';
import { createGraphTenantDirectory } from './graph-tenant-directory.js';
import { runSyncRound } from './run-sync-round.js';
import {
  expectedState,
  readStoreState,
  smallGeneratedTenant,
  startSyncSimulator,
  uniqueTenantId,
  type SyncSimulator,
} from './testing.js';
import { trackPrincipals } from './track-principals.js';

describeStore('expanding tracked groups', (ctx) => {
  let sim: SyncSimulator;
  beforeAll(async () => {
    sim = await startSyncSimulator(smallGeneratedTenant());
  });
  afterAll(() => sim.close());

  const groupNamed = (name: string) => {
    const group = sim.engine.listGroups().find((g) => g.displayName === name);
    if (!group) throw new Error(`the generated tenant has no group ${name}`);
    return group;
  };
  const userMembers = (groupId: string) =>
    sim.engine
      .transitiveMembers(groupId)
      .filter((member) => 'userPrincipalName' in member)
      .map((member) => member.id);

  it('syncs a new member and stops syncing a removed one, leaving the store equal to the source', async () => {
    const tenantId = uniqueTenantId('membership');
    await upsertTenant(ctx.store.db, tenantId, { displayName: 'Generated' });
    const success = groupNamed('Customer Success');
    const partnerships = groupNamed('Partnerships');
    const facing = groupNamed('Customer Facing');
    await trackPrincipals({
      store: ctx.store,
      directory: createGraphTenantDirectory(sim.graph()),
      tenantId,
      references: [facing.mail as string],
    });
    await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
    const before = userMembers(facing.id).sort();
    const synced = async () =>
      (await listMailboxes(ctx.store.db, tenantId, { states: ['synced'] }))
        .map((m) => m.userId)
        .sort();
    expect(await synced()).toEqual(before);

    const marketing = userMembers(groupNamed('Marketing').id);
    const newcomer = marketing.find((id) => !before.includes(id)) as string;
    const leaver = userMembers(partnerships.id).find(
      (id) =>
        !userMembers(success.id).includes(id) && !userMembers(groupNamed('Sales').id).includes(id),
    ) as string;
    expect(newcomer).toBeDefined();
    expect(leaver).toBeDefined();
    await sim.control('POST', `groups/${success.id}/members`, { memberId: newcomer });
    await sim.control('DELETE', `groups/${partnerships.id}/members/${leaver}`);

    const round = await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
    expect(round.expansion?.added).toEqual([newcomer]);
    expect(round.expansion?.removed).toEqual([leaver]);
    const after = userMembers(facing.id).sort();
    expect(await synced()).toEqual(after);
    const removed = await listMailboxes(ctx.store.db, tenantId, { states: ['removed'] });
    expect(removed.map((m) => m.userId)).toEqual([leaver]);
    expect(removed[0]?.eventsStored).toBe(0);
    // the leaver's meetings are gone unless another synced mailbox holds them
    const actual = await readStoreState(ctx.store, tenantId, after);
    expect(actual).toEqual(await expectedState(sim.engine, ctx.store, tenantId, after));
  }, 180_000);

  it('leaves rooms, equipment and shared mailboxes out even when tracked by name', async () => {
    const tenantId = uniqueTenantId('resources');
    await upsertTenant(ctx.store.db, tenantId, { displayName: 'Generated' });
    const resources = sim.engine
      .listUsers()
      .filter((user) =>
        ['room', 'equipment', 'shared'].includes(
          sim.engine.mailboxSettings(user.id)?.userPurpose?.value ?? 'user',
        ),
      );
    expect(resources.length).toBeGreaterThan(2);
    const person = sim.engine.transitiveMembers(groupNamed('Customer Success').id)[0];
    await trackPrincipals({
      store: ctx.store,
      directory: createGraphTenantDirectory(sim.graph()),
      tenantId,
      references: [...resources.map((user) => user.id), person?.id as string],
    });
    const round = await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
    expect(round.mailboxes.map((m) => m.userId)).toEqual([person?.id]);
  });
});
