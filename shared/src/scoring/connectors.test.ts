// Who can be a connector, reused across questions: exact after this process's writes, and
// another process's writes show within about a second without a question waiting for them.
import { afterEach, expect, it, vi } from 'vitest';
import {
  markPeopleLeft,
  setMailboxState,
  upsertMailboxes,
  upsertPeople,
  upsertTenant,
  type Store,
} from '../store/index.js';
import { describeStore } from '../store/testing.js';
import { uniqueTenantId } from '../sync/testing.js';
import { trackedConnectors } from './connectors.js';

async function tenantWithTwoEmployees(store: Store) {
  const tenantId = uniqueTenantId('connectors');
  await upsertTenant(store.db, tenantId, { displayName: 'Contoso' });
  const ids = await upsertPeople(store.db, tenantId, [
    { email: 'ann@contoso.com', kind: 'internal', accountEnabled: true },
    { email: 'bob@contoso.com', kind: 'internal', accountEnabled: true },
  ]);
  await upsertMailboxes(
    store.db,
    tenantId,
    ['ann', 'bob'].map((name) => ({
      userId: name,
      userPrincipalName: `${name}@contoso.com`,
      personId: ids.get(`${name}@contoso.com`) ?? null,
      trackedVia: ['group-sales'],
    })),
  );
  return { tenantId, ann: ids.get('ann@contoso.com')!, bob: ids.get('bob@contoso.com')! };
}

afterEach(() => {
  vi.useRealTimers();
});

describeStore('trackedConnectors', (ctx) => {
  it('is exact at once after this process untracks a mailbox or marks someone gone', async () => {
    const { tenantId, ann, bob } = await tenantWithTwoEmployees(ctx.store);
    expect([...(await trackedConnectors(ctx.store.db, tenantId)).keys()].sort()).toEqual(
      [ann, bob].sort(),
    );

    await setMailboxState(ctx.store.db, tenantId, 'bob', { state: 'removed' });
    expect([...(await trackedConnectors(ctx.store.db, tenantId)).keys()]).toEqual([ann]);

    await markPeopleLeft(ctx.store.db, tenantId, [ann], Date.now());
    expect((await trackedConnectors(ctx.store.db, tenantId)).get(ann)).toEqual({
      reachable: false,
      degree: 0,
    });
  });

  it("shows another process's write within about a second, answering from what it read meanwhile", async () => {
    const { tenantId, ann, bob } = await tenantWithTwoEmployees(ctx.store);
    vi.useFakeTimers({ toFake: ['Date'] });
    expect((await trackedConnectors(ctx.store.db, tenantId)).size).toBe(2);
    // a sync worker elsewhere untracks Bob: nothing in this process hears of it
    await ctx.store.db
      .updateTable('mailboxes')
      .set({ state: 'removed' })
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', 'bob')
      .execute();
    expect((await trackedConnectors(ctx.store.db, tenantId)).has(bob)).toBe(true);

    vi.setSystemTime(Date.now() + 1_500);
    // the first question after the second still gets the facts it had, and starts a fresh read
    expect((await trackedConnectors(ctx.store.db, tenantId)).has(bob)).toBe(true);
    await vi.waitFor(async () => {
      expect([...(await trackedConnectors(ctx.store.db, tenantId)).keys()]).toEqual([ann]);
    });
  });
});
