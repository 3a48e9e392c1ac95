import { expect, it } from 'vitest';
import { describeStore } from '../store/testing.js';
import { createIntroRequest } from './create-intro-request.js';
import { getIntroRequest, listIntroRequests } from './list-intro-requests.js';
import { seedColleagues } from './testing.js';

describeStore('listIntroRequests and getIntroRequest', (ctx) => {
  it('lists what a person sent and received, newest first, within their tenant only', async () => {
    const tenantId = await ctx.newTenant();
    const otherTenant = await ctx.newTenant();
    const p = await seedColleagues(ctx.store.db, tenantId);
    const ask = (requester: number, connector: number, domain: string, now: number) =>
      createIntroRequest(ctx.store.db, {
        tenantId,
        requesterPersonId: requester,
        connectorPersonId: connector,
        target: { kind: 'company', domain },
        now,
      });
    await ask(p.ana, p.ben, 'acme.com', 1_000);
    await ask(p.ana, p.cleo, 'globex.com', 2_000);
    await ask(p.ben, p.ana, 'initech.com', 3_000);
    await ask(p.cleo, p.ben, 'umbrella.com', 4_000);

    const ana = await listIntroRequests(ctx.store.db, { tenantId, personId: p.ana });
    expect(ana.sent.map((r) => r.target.name)).toEqual(['Globex', 'Acme']);
    expect(ana.received.map((r) => [r.requester.displayName, r.target.name])).toEqual([
      ['Ben Okafor', 'Initech'],
    ]);
    const limited = await listIntroRequests(ctx.store.db, { tenantId, personId: p.ana, limit: 1 });
    expect(limited.sent.map((r) => r.target.name)).toEqual(['Globex']);

    const elsewhere = await listIntroRequests(ctx.store.db, {
      tenantId: otherTenant,
      personId: p.ana,
    });
    expect(elsewhere).toEqual({ sent: [], received: [] });
  });

  it('reads one request by id in its tenant, and nothing in another', async () => {
    const tenantId = await ctx.newTenant();
    const otherTenant = await ctx.newTenant();
    const p = await seedColleagues(ctx.store.db, tenantId);
    const { request } = await createIntroRequest(ctx.store.db, {
      tenantId,
      requesterPersonId: p.ana,
      connectorPersonId: p.ben,
      target: { kind: 'person', email: 'jane@acme.com' },
    });
    expect(await getIntroRequest(ctx.store.db, tenantId, request.id)).toEqual(request);
    expect(await getIntroRequest(ctx.store.db, otherTenant, request.id)).toBeUndefined();
    expect(await getIntroRequest(ctx.store.db, tenantId, 'missing')).toBeUndefined();
  });
});
