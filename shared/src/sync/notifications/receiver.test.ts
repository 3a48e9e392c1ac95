import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  allocateIds,
  upsertTenant,
  getMailbox,
  listPendingNotifications,
  type Store,
} from '../../store/index.js';
import { describeStore } from '../../store/testing.js';
import { GraphWebhookReceiver, validationResponse } from './receiver.js';
import type { SubscriptionManager } from './subscriptions.js';
import {
  changeNotification,
  lifecycleNotification,
  seedSubscribedMailbox,
  webhookRequest,
} from './testing.js';

const GRAPH_TOKEN =
  'Validation: Testing client application reachability for subscription Request-Id: 6f1c';

describe('validation handshake', () => {
  it('answers 200 with the URL-decoded token as plain text', () => {
    const response = validationResponse(
      new URLSearchParams(`validationToken=${encodeURIComponent(GRAPH_TOKEN)}`),
    );
    expect(response).toEqual({
      status: 200,
      headers: expect.objectContaining({
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
      }),
      body: GRAPH_TOKEN,
    });
  });

  it('reflects markup verbatim as text/plain, never as HTML', () => {
    const token = '<script>alert(1)</script>';
    const response = validationResponse(
      new URLSearchParams(`validationToken=${encodeURIComponent(token)}`),
    );
    expect(response?.body).toBe(token);
    expect(response?.headers['Content-Type']).toMatch(/^text\/plain/);
  });

  it('is not a handshake without a token, and refuses two tokens', () => {
    expect(validationResponse(new URLSearchParams('source=graph'))).toBeUndefined();
    expect(
      validationResponse(new URLSearchParams('validationToken=a&validationToken=b'))?.status,
    ).toBe(400);
  });
});

describeStore('graph webhook receiver', (ctx) => {
  function receiverFor(
    store: Pick<Store, 'db'>,
    extra: Partial<ConstructorParameters<typeof GraphWebhookReceiver>[0]> = {},
  ) {
    const woken: string[] = [];
    const receiver = new GraphWebhookReceiver({
      store,
      onEnqueued: (tenantId) => woken.push(tenantId),
      ...extra,
    });
    return { receiver, woken };
  }

  it('answers the handshake on both endpoints without touching the store', async () => {
    const { receiver } = receiverFor(ctx.store);
    const query = `validationToken=${encodeURIComponent(GRAPH_TOKEN)}`;
    for (const handle of [receiver.handleNotifications, receiver.handleLifecycle]) {
      const response = await handle.call(receiver, {
        query: new URLSearchParams(query),
        rawBody: '',
      });
      expect(response.status).toBe(200);
      expect(response.body).toBe(GRAPH_TOKEN);
    }
  });

  it('persists notifications before answering 202, and wakes the dispatcher for the tenant', async () => {
    const tenantId = await ctx.newTenant();
    const adele = await seedSubscribedMailbox(ctx.store, tenantId, 'user-adele');
    const { receiver, woken } = receiverFor(ctx.store);

    const response = await receiver.handleNotifications(
      webhookRequest([
        changeNotification(tenantId, adele),
        changeNotification(tenantId, adele, { changeType: 'updated' }),
      ]),
    );

    expect(response.status).toBe(202);
    const pending = await listPendingNotifications(ctx.store.db, tenantId);
    expect(pending.map((n) => [n.userId, n.subscriptionId])).toEqual([
      ['user-adele', adele.subscriptionId],
      ['user-adele', adele.subscriptionId],
    ]);
    expect(woken).toEqual([tenantId]);
  });

  it('refuses a wrong clientState: nothing is enqueued, nobody is woken, the answer is still 202', async () => {
    const tenantId = await ctx.newTenant();
    const adele = await seedSubscribedMailbox(ctx.store, tenantId, 'user-adele');
    const { receiver, woken } = receiverFor(ctx.store);

    const forged = [
      changeNotification(tenantId, { ...adele, clientState: 'guessed-secret' }),
      changeNotification(tenantId, adele, { clientState: null }),
      changeNotification(tenantId, adele, { clientState: undefined }),
    ];
    const response = await receiver.handleNotifications(webhookRequest(forged));

    expect(response.status).toBe(202);
    expect(await listPendingNotifications(ctx.store.db, tenantId)).toEqual([]);
    expect(woken).toEqual([]);
  });

  it('keeps the genuine items of a batch that also carries refused ones', async () => {
    const tenantId = await ctx.newTenant();
    const adele = await seedSubscribedMailbox(ctx.store, tenantId, 'user-adele');
    const alex = await seedSubscribedMailbox(ctx.store, tenantId, 'user-alex');
    const { receiver } = receiverFor(ctx.store);

    const response = await receiver.handleNotifications(
      webhookRequest([
        changeNotification(tenantId, { ...adele, clientState: alex.clientState }),
        changeNotification(tenantId, alex),
        changeNotification(tenantId, { ...alex, subscriptionId: 'unknown-subscription' }),
        { not: 'a notification' },
      ]),
    );

    expect(response.status).toBe(202);
    const pending = await listPendingNotifications(ctx.store.db, tenantId);
    expect(pending.map((n) => n.userId)).toEqual(['user-alex']);
  });

  it('takes the tenant from the payload: a subscription of one tenant named under another is refused', async () => {
    const contoso = await ctx.newTenant('Contoso');
    const fabrikam = await ctx.newTenant('Fabrikam');
    const adele = await seedSubscribedMailbox(ctx.store, contoso, 'user-adele');
    await seedSubscribedMailbox(ctx.store, fabrikam, 'user-fabrikam');
    const { receiver } = receiverFor(ctx.store);

    await receiver.handleNotifications(webhookRequest([changeNotification(fabrikam, adele)]));

    expect(await listPendingNotifications(ctx.store.db, contoso)).toEqual([]);
    expect(await listPendingNotifications(ctx.store.db, fabrikam)).toEqual([]);
  });

  it('persists the notifications of several tenants in one delivery', async () => {
    const contoso = await ctx.newTenant('Contoso');
    const fabrikam = await ctx.newTenant('Fabrikam');
    const adele = await seedSubscribedMailbox(ctx.store, contoso, 'user-adele');
    const fabian = await seedSubscribedMailbox(ctx.store, fabrikam, 'user-fabian');
    const { receiver, woken } = receiverFor(ctx.store);

    const response = await receiver.handleNotifications(
      webhookRequest([changeNotification(contoso, adele), changeNotification(fabrikam, fabian)]),
    );

    expect(response.status).toBe(202);
    expect((await listPendingNotifications(ctx.store.db, contoso)).map((n) => n.userId)).toEqual([
      'user-adele',
    ]);
    expect((await listPendingNotifications(ctx.store.db, fabrikam)).map((n) => n.userId)).toEqual([
      'user-fabian',
    ]);
    expect(woken.sort()).toEqual([contoso, fabrikam].sort());
  });

  it('refuses notifications for a mailbox that left the sync', async () => {
    const tenantId = await ctx.newTenant();
    const adele = await seedSubscribedMailbox(ctx.store, tenantId, 'user-adele');
    await ctx.store.db
      .updateTable('mailboxes')
      .set({ state: 'removed' })
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', adele.userId)
      .execute();
    const { receiver } = receiverFor(ctx.store);

    await receiver.handleNotifications(webhookRequest([changeNotification(tenantId, adele)]));

    expect(await listPendingNotifications(ctx.store.db, tenantId)).toEqual([]);
  });

  it('answers 400 to a body that is not a notification collection', async () => {
    const { receiver } = receiverFor(ctx.store);
    for (const rawBody of ['', 'not json', '{"value": 3}', '[]']) {
      const response = await receiver.handleNotifications({
        query: new URLSearchParams(),
        rawBody,
      });
      expect(response.status).toBe(400);
    }
  });

  it('answers 503 when the notifications could not be persisted, so Graph retries', async () => {
    const broken = await ctx.openFresh();
    await broken.migrate();
    const tenantId = 'tenant-broken-inbox';
    await upsertTenant(broken.db, tenantId, { displayName: 'Broken inbox' });
    const adele = await seedSubscribedMailbox(broken, tenantId, 'user-adele');
    // the mailbox lookup works, the inbox write cannot
    await sql`drop table sync_inbox`.execute(broken.db);
    const { receiver, woken } = receiverFor(broken);

    const response = await receiver.handleNotifications(
      webhookRequest([changeNotification(tenantId, adele)]),
    );

    expect(response.status).toBe(503);
    expect(woken).toEqual([]);
  });

  it('answers 503 instead of exceeding Graph 3-second limit when the store is held up', async () => {
    const tenantId = await ctx.newTenant();
    const adele = await seedSubscribedMailbox(ctx.store, tenantId, 'user-adele');
    const { receiver } = receiverFor(ctx.store, { persistTimeoutMs: 100 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // another writer holds the tenant's inbox id sequence (and, on SQLite, the connection)
    const blocker = ctx.store.transaction(async (trx) => {
      await allocateIds(trx, tenantId, 'sync_inbox', 1);
      await held;
    });

    const response = await receiver.handleNotifications(
      webhookRequest([changeNotification(tenantId, adele)]),
    );
    release();
    await blocker;

    expect(response.status).toBe(503);
  });

  describe('lifecycle notifications', () => {
    function recordingSubscriptions() {
      const calls: string[] = [];
      const subscriptions: Pick<SubscriptionManager, 'renew' | 'recreate'> = {
        renew: async (_tenantId, userId) => {
          calls.push(`renew ${userId}`);
          return 'renewed';
        },
        recreate: async (_tenantId, userId) => {
          calls.push(`recreate ${userId}`);
          return 'new-subscription-id';
        },
      };
      return { calls, subscriptions };
    }

    it('reauthorizationRequired renews after answering and enqueues nothing', async () => {
      const tenantId = await ctx.newTenant();
      const adele = await seedSubscribedMailbox(ctx.store, tenantId, 'user-adele');
      const { calls, subscriptions } = recordingSubscriptions();
      const { receiver, woken } = receiverFor(ctx.store, { subscriptions });

      const response = await receiver.handleLifecycle(
        webhookRequest([lifecycleNotification(tenantId, adele, 'reauthorizationRequired')]),
      );
      await receiver.whenIdle();

      expect(response.status).toBe(202);
      expect(calls).toEqual(['renew user-adele']);
      expect(await listPendingNotifications(ctx.store.db, tenantId)).toEqual([]);
      expect(woken).toEqual([]);
    });

    it('subscriptionRemoved forgets the subscription and requests a delta round before answering, then re-creates and requests another', async () => {
      const tenantId = await ctx.newTenant();
      const adele = await seedSubscribedMailbox(ctx.store, tenantId, 'user-adele');
      const { calls, subscriptions } = recordingSubscriptions();
      let pendingBeforeRecreate = -1;
      subscriptions.recreate = async (id, userId) => {
        pendingBeforeRecreate = (await listPendingNotifications(ctx.store.db, id)).length;
        calls.push(`recreate ${userId}`);
        return 'new-subscription-id';
      };
      const { receiver, woken } = receiverFor(ctx.store, { subscriptions });

      const response = await receiver.handleLifecycle(
        webhookRequest([
          lifecycleNotification(tenantId, adele, 'subscriptionRemoved'),
          lifecycleNotification(tenantId, adele, 'subscriptionRemoved'),
        ]),
      );
      expect(response.status).toBe(202);
      expect((await getMailbox(ctx.store.db, tenantId, adele.userId))?.subscriptionId).toBeNull();
      await receiver.whenIdle();

      expect(calls).toEqual(['recreate user-adele']);
      expect(pendingBeforeRecreate).toBe(2);
      const pending = await listPendingNotifications(ctx.store.db, tenantId);
      expect(pending.map((n) => n.subscriptionId)).toEqual([
        adele.subscriptionId,
        adele.subscriptionId,
        'new-subscription-id',
      ]);
      expect(woken).toEqual([tenantId, tenantId]);
    });

    it('missed requests a delta round', async () => {
      const tenantId = await ctx.newTenant();
      const adele = await seedSubscribedMailbox(ctx.store, tenantId, 'user-adele');
      const { calls, subscriptions } = recordingSubscriptions();
      const { receiver, woken } = receiverFor(ctx.store, { subscriptions });

      const response = await receiver.handleLifecycle(
        webhookRequest([lifecycleNotification(tenantId, adele, 'missed')]),
      );
      await receiver.whenIdle();

      expect(response.status).toBe(202);
      expect(calls).toEqual([]);
      expect((await listPendingNotifications(ctx.store.db, tenantId)).map((n) => n.userId)).toEqual(
        ['user-adele'],
      );
      expect(woken).toEqual([tenantId]);
    });

    it('refuses lifecycle events with a wrong clientState and ignores unknown events', async () => {
      const tenantId = await ctx.newTenant();
      const adele = await seedSubscribedMailbox(ctx.store, tenantId, 'user-adele');
      const { calls, subscriptions } = recordingSubscriptions();
      const { receiver } = receiverFor(ctx.store, { subscriptions });

      const response = await receiver.handleLifecycle(
        webhookRequest([
          lifecycleNotification(
            tenantId,
            { ...adele, clientState: 'guess' },
            'subscriptionRemoved',
          ),
          lifecycleNotification(tenantId, adele, 'somethingNew'),
        ]),
      );
      await receiver.whenIdle();

      expect(response.status).toBe(202);
      expect(calls).toEqual([]);
      expect((await getMailbox(ctx.store.db, tenantId, adele.userId))?.subscriptionId).toBe(
        adele.subscriptionId,
      );
      expect(await listPendingNotifications(ctx.store.db, tenantId)).toEqual([]);
    });
  });
});
