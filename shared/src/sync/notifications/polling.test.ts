import { expect, it } from 'vitest';
import { saveMailboxSubscription, setMailboxState, upsertMailboxes } from '../../store/index.js';
import { describeStore } from '../../store/testing.js';
import { listPollingMailboxes, PollingFallback } from './polling.js';
import { seedSubscribedMailbox } from './testing.js';

const HOUR = 60 * 60_000;

describeStore('polling fallback', (ctx) => {
  async function mailbox(tenantId: string, userId: string) {
    await upsertMailboxes(ctx.store.db, tenantId, [
      { userId, userPrincipalName: `${userId}@contoso.com`, trackedVia: ['all'] },
    ]);
  }

  it('lists the mailboxes without a live subscription, and why', async () => {
    const tenantId = await ctx.newTenant();
    const now = Date.now();
    await seedSubscribedMailbox(ctx.store, tenantId, 'user-live', now + HOUR);
    await seedSubscribedMailbox(ctx.store, tenantId, 'user-expired', now - 1);
    await mailbox(tenantId, 'user-never');
    await mailbox(tenantId, 'user-removed');
    await setMailboxState(ctx.store.db, tenantId, 'user-removed', { state: 'removed' });

    const polling = await listPollingMailboxes(ctx.store, tenantId, { now });

    expect(polling.map((m) => [m.userId, m.reason]).sort()).toEqual([
      ['user-expired', 'subscriptionExpired'],
      ['user-never', 'noSubscription'],
    ]);
  });

  it("polls synced mailboxes and failed ones whose back-off has passed, never the scheduler's new or running ones", async () => {
    const tenantId = await ctx.newTenant();
    const now = Date.now();
    for (const userId of ['synced', 'error-due', 'error-waiting', 'pending', 'syncing', 'live']) {
      await mailbox(tenantId, userId);
    }
    await setMailboxState(ctx.store.db, tenantId, 'synced', { state: 'synced', at: now });
    await setMailboxState(ctx.store.db, tenantId, 'error-due', {
      state: 'error',
      code: 'throttled',
      message: 'Graph is throttling this mailbox',
      nextAttemptAt: now - 1,
    });
    await setMailboxState(ctx.store.db, tenantId, 'error-waiting', {
      state: 'error',
      code: 'throttled',
      message: 'Graph is throttling this mailbox',
      nextAttemptAt: now + HOUR,
    });
    await setMailboxState(ctx.store.db, tenantId, 'syncing', { state: 'syncing' });
    await setMailboxState(ctx.store.db, tenantId, 'live', { state: 'synced', at: now });
    await saveMailboxSubscription(ctx.store.db, tenantId, 'live', {
      subscriptionId: 'sub-live',
      expiresAt: now + HOUR,
      clientStateHash: 'sha256:00',
    });
    const requested: string[] = [];
    const fallback = new PollingFallback({
      store: ctx.store,
      tenantIds: async () => [tenantId],
      clock: () => now,
      requestMailboxSync: async (_tenant, userId, reason) => {
        expect(reason).toBe('poll');
        requested.push(userId);
        if (userId === 'error-due') throw new Error('still throttled');
      },
    });

    const result = await fallback.pollOnce();

    expect(requested.sort()).toEqual(['error-due', 'synced']);
    expect(result.polled).toEqual([{ tenantId, userId: 'synced' }]);
    expect(result.failed).toEqual([{ tenantId, userId: 'error-due', message: 'still throttled' }]);
  });
});
