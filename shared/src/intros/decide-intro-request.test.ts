import { expect, it } from 'vitest';
import { describeStore } from '../store/testing.js';
import { createIntroRequest } from './create-intro-request.js';
import { decideIntroRequest } from './decide-intro-request.js';
import { seedColleagues } from './testing.js';

describeStore('decideIntroRequest', (ctx) => {
  async function pendingRequest() {
    const tenantId = await ctx.newTenant();
    const p = await seedColleagues(ctx.store.db, tenantId);
    const { request } = await createIntroRequest(ctx.store.db, {
      tenantId,
      requesterPersonId: p.ana,
      connectorPersonId: p.ben,
      target: { kind: 'company', domain: 'acme.com', name: 'Acme' },
    });
    return { tenantId, p, request };
  }

  it('lets the connector accept, with the decision time', async () => {
    const { tenantId, p, request } = await pendingRequest();
    const decided = await decideIntroRequest(ctx.store.db, {
      tenantId,
      requestId: request.id,
      deciderPersonId: p.ben,
      decision: 'accept',
      now: Date.UTC(2026, 1, 3),
    });
    expect(decided.changed).toBe(true);
    expect(decided.request.status).toBe('accepted');
    expect(decided.request.decidedAt).toBe('2026-02-03T00:00:00.000Z');
  });

  it('treats the same decision twice as one, and refuses to flip it', async () => {
    const { tenantId, p, request } = await pendingRequest();
    const decide = (decision: 'accept' | 'decline') =>
      decideIntroRequest(ctx.store.db, {
        tenantId,
        requestId: request.id,
        deciderPersonId: p.ben,
        decision,
      });
    expect((await decide('decline')).changed).toBe(true);
    const again = await decide('decline');
    expect(again.changed).toBe(false);
    expect(again.request.status).toBe('declined');
    await expect(decide('accept')).rejects.toMatchObject({
      code: 'intro_conflict',
      status: 409,
      message: expect.stringMatching(/already declined/),
    });
  });

  it('refuses the requester, other colleagues, unknown ids and other tenants', async () => {
    const { tenantId, p, request } = await pendingRequest();
    const otherTenant = await ctx.newTenant();
    const decide = (props: { tenantId: string; requestId: string; deciderPersonId: number }) =>
      decideIntroRequest(ctx.store.db, { ...props, decision: 'accept' });
    await expect(
      decide({ tenantId, requestId: request.id, deciderPersonId: p.ana }),
    ).rejects.toMatchObject({ code: 'intro_forbidden', status: 403 });
    await expect(
      decide({ tenantId, requestId: request.id, deciderPersonId: p.cleo }),
    ).rejects.toMatchObject({ code: 'intro_forbidden' });
    await expect(
      decide({ tenantId, requestId: 'no-such-request', deciderPersonId: p.ben }),
    ).rejects.toMatchObject({ code: 'intro_not_found', status: 404 });
    await expect(
      decide({ tenantId: otherTenant, requestId: request.id, deciderPersonId: p.ben }),
    ).rejects.toMatchObject({ code: 'intro_not_found' });
  });

  it('lets exactly one of two concurrent different answers win', async () => {
    const { tenantId, p, request } = await pendingRequest();
    const results = await Promise.allSettled(
      (['accept', 'decline'] as const).map((decision) =>
        decideIntroRequest(ctx.store.db, {
          tenantId,
          requestId: request.id,
          deciderPersonId: p.ben,
          decision,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });
});
