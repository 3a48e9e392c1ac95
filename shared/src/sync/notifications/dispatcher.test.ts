import { expect, it } from 'vitest';
import {
  enqueueNotifications,
  listPendingNotifications,
  markNotificationsProcessed,
} from '../../store/index.js';
import { describeStore } from '../../store/testing.js';
import { NotificationDispatcher } from './dispatcher.js';
import { seedSubscribedMailbox } from './testing.js';

function notificationsFor(userId: string, count: number, receivedAt = Date.now()) {
  return Array.from({ length: count }, () => ({
    userId,
    subscriptionId: `sub-${userId}`,
    receivedAt,
  }));
}

/** A requestMailboxSync that records calls and finishes each round when the test says so. */
function controlledSync() {
  const calls: string[] = [];
  const finishers: Array<(error?: Error) => void> = [];
  const requestMailboxSync = (_tenantId: string, userId: string) => {
    calls.push(userId);
    return new Promise<void>((resolve, reject) => {
      finishers.push((error) => (error ? reject(error) : resolve()));
    });
  };
  return { calls, finishers, requestMailboxSync };
}

describeStore('notification dispatcher', (ctx) => {
  it('requests ONE delta round for ten pending notifications of a mailbox and marks all ten processed', async () => {
    const tenantId = await ctx.newTenant();
    await seedSubscribedMailbox(ctx.store, tenantId, 'user-adele');
    await enqueueNotifications(ctx.store.db, tenantId, notificationsFor('user-adele', 10));
    const calls: string[] = [];
    const dispatcher = new NotificationDispatcher({
      store: ctx.store,
      requestMailboxSync: async (id, userId, reason) => {
        calls.push(`${id}/${userId} (${reason})`);
      },
    });

    dispatcher.wake(tenantId);
    await dispatcher.whenIdle();

    expect(calls).toEqual([`${tenantId}/user-adele (notification)`]);
    expect(await listPendingNotifications(ctx.store.db, tenantId)).toEqual([]);
  });

  it('requests one round per mailbox', async () => {
    const tenantId = await ctx.newTenant();
    await enqueueNotifications(ctx.store.db, tenantId, [
      ...notificationsFor('user-adele', 3),
      ...notificationsFor('user-alex', 2),
      ...notificationsFor('user-adele', 1),
    ]);
    const calls: string[] = [];
    const dispatcher = new NotificationDispatcher({
      store: ctx.store,
      requestMailboxSync: async (_id, userId) => {
        calls.push(userId);
      },
    });

    await dispatcher.drainTenant(tenantId);
    await dispatcher.whenIdle();

    expect(calls.sort()).toEqual(['user-adele', 'user-alex']);
  });

  it('never runs two rounds of a mailbox at once: notifications during a round get exactly one more', async () => {
    const tenantId = await ctx.newTenant();
    await enqueueNotifications(ctx.store.db, tenantId, notificationsFor('user-adele', 1));
    const sync = controlledSync();
    const dispatcher = new NotificationDispatcher({
      store: ctx.store,
      requestMailboxSync: sync.requestMailboxSync,
    });

    await dispatcher.drainTenant(tenantId);
    expect(sync.calls).toEqual(['user-adele']);
    // five more arrive while the first round runs
    await enqueueNotifications(ctx.store.db, tenantId, notificationsFor('user-adele', 5));
    await dispatcher.drainTenant(tenantId);
    expect(sync.calls).toEqual(['user-adele']);

    sync.finishers[0]?.();
    await waitFor(() => sync.calls.length === 2);
    // the first round marked only its own notification
    expect(await listPendingNotifications(ctx.store.db, tenantId)).toHaveLength(5);
    sync.finishers[1]?.();
    await dispatcher.whenIdle();

    expect(sync.calls).toEqual(['user-adele', 'user-adele']);
    expect(await listPendingNotifications(ctx.store.db, tenantId)).toEqual([]);
  });

  it('keeps the notifications of a failed round pending and retries after a back-off', async () => {
    const tenantId = await ctx.newTenant();
    await enqueueNotifications(ctx.store.db, tenantId, notificationsFor('user-adele', 2));
    let now = Date.UTC(2026, 0, 1);
    let failNext = true;
    const calls: string[] = [];
    const dispatcher = new NotificationDispatcher({
      store: ctx.store,
      clock: () => now,
      retryDelayMs: 60_000,
      requestMailboxSync: async (_id, userId) => {
        calls.push(userId);
        if (failNext) {
          failNext = false;
          throw new Error('Graph is throttling this mailbox');
        }
      },
    });

    await dispatcher.drainTenant(tenantId);
    await dispatcher.whenIdle();
    expect(calls).toEqual(['user-adele']);
    expect(await listPendingNotifications(ctx.store.db, tenantId)).toHaveLength(2);

    // still backing off
    await dispatcher.drainTenant(tenantId);
    await dispatcher.whenIdle();
    expect(calls).toHaveLength(1);

    now += 60_000;
    await dispatcher.drainTenant(tenantId);
    await dispatcher.whenIdle();
    expect(calls).toEqual(['user-adele', 'user-adele']);
    expect(await listPendingNotifications(ctx.store.db, tenantId)).toEqual([]);
    await dispatcher.stop();
  });

  it('a failing mailbox does not hold up the others', async () => {
    const tenantId = await ctx.newTenant();
    await enqueueNotifications(ctx.store.db, tenantId, [
      ...notificationsFor('user-broken', 1),
      ...notificationsFor('user-fine', 1),
    ]);
    const dispatcher = new NotificationDispatcher({
      store: ctx.store,
      requestMailboxSync: async (_id, userId) => {
        if (userId === 'user-broken') throw new Error('access denied');
      },
    });

    await dispatcher.drainTenant(tenantId);
    await dispatcher.whenIdle();
    await dispatcher.stop();

    expect((await listPendingNotifications(ctx.store.db, tenantId)).map((n) => n.userId)).toEqual([
      'user-broken',
    ]);
  });

  it('the sweep drains every tenant and purges processed notifications older than a day', async () => {
    const contoso = await ctx.newTenant('Contoso');
    const fabrikam = await ctx.newTenant('Fabrikam');
    const now = Date.now();
    const [old] = await enqueueNotifications(
      ctx.store.db,
      contoso,
      notificationsFor('user-old', 1),
    );
    await markNotificationsProcessed(ctx.store.db, contoso, [old as number], now - 25 * 3_600_000);
    await enqueueNotifications(ctx.store.db, contoso, notificationsFor('user-adele', 1));
    await enqueueNotifications(ctx.store.db, fabrikam, notificationsFor('user-fabian', 1));
    const calls: string[] = [];
    const dispatcher = new NotificationDispatcher({
      store: ctx.store,
      tenantIds: async () => [contoso, fabrikam],
      requestMailboxSync: async (id, userId) => {
        calls.push(`${id === contoso ? 'contoso' : 'fabrikam'}/${userId}`);
      },
    });

    await dispatcher.sweep();
    await dispatcher.whenIdle();

    expect(calls.sort()).toEqual(['contoso/user-adele', 'fabrikam/user-fabian']);
    const remaining = await ctx.store.db
      .selectFrom('sync_inbox')
      .select('user_id')
      .where('tenant_id', '=', contoso)
      .execute();
    expect(remaining.map((r) => r.user_id)).toEqual(['user-adele']);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}
