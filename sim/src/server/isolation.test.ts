import { describe, expect, it } from 'vitest';
import { ADELE, WINDOW, fixtureTenant, otherTenant, startTestSim, useTestSim } from './testing.js';

const a = fixtureTenant();
const b = otherTenant();
const tenantA = a.organization.id;
const tenantB = b.organization.id;
const adeleB = { id: b.users[0]!.id, upn: b.users[0]!.userPrincipalName };
const sim = useTestSim({ tenants: [a, b] });

describe('two tenants on one simulator', () => {
  it('gives each tenant its own app registration and environment', () => {
    const a = sim.server.app(tenantA);
    const b = sim.server.app(tenantB);
    expect(a.clientId).not.toBe(b.clientId);
    expect(a.clientSecret).not.toBe(b.clientSecret);
    expect(sim.server.env(tenantB)).toMatchObject({
      TENANT_ID: tenantB,
      CLIENT_ID: b.clientId,
      CLIENT_SECRET: b.clientSecret,
      GRAPH_BASE_URL: sim.server.url,
      AUTHORITY_HOST: sim.server.url,
      NODE_EXTRA_CA_CERTS: sim.server.certPath,
    });
  });

  it('keeps app registrations stable across restarts', async () => {
    const again = await startTestSim({ tenants: [otherTenant()] });
    try {
      expect(again.server.app(tenantB)).toEqual(sim.server.app(tenantB));
    } finally {
      await again.close();
    }
  });

  it('does not issue tokens for one tenant’s app at another tenant’s endpoint', async () => {
    const a = sim.server.app(tenantA);
    const result = await sim.client.call(`/${tenantB}/oauth2/v2.0/token`, {
      form: {
        grant_type: 'client_credentials',
        client_id: a.clientId,
        client_secret: a.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      },
    });
    expect(result.status).toBe(400);
    expect(result.json.error_codes).toEqual([700016]);
  });

  it('answers a tenant’s token with that tenant’s data only', async () => {
    const usersA = await sim.client.allPages('/users?$select=id', { tenantId: tenantA });
    const usersB = await sim.client.allPages('/users?$select=id', { tenantId: tenantB });
    const idsA = new Set(usersA.items.map((u) => u.id));
    expect(usersB.items.some((u) => idsA.has(u.id))).toBe(false);
    expect((await sim.client.graph(`/users/${adeleB.id}`, { tenantId: tenantA })).status).toBe(404);
    const view = `/users/${adeleB.id}/calendarView?startDateTime=${WINDOW.start}&endDateTime=${WINDOW.end}`;
    expect((await sim.client.graph(view, { tenantId: tenantA })).status).toBe(404);
    expect((await sim.client.graph(view, { tenantId: tenantB })).status).toBe(200);
    const org = await sim.client.graph('/organization', { tenantId: tenantB });
    expect(org.json.value[0].id).toBe(tenantB);
  });

  it('refuses a Graph request addressed to another tenant than its token’s', async () => {
    const response = await sim.server.handleGraphRequest({
      method: 'GET',
      path: '/organization',
      query: new URLSearchParams(),
      headers: {},
      tenant: tenantB,
      token: await sim.client.appToken(tenantA),
    });
    expect(response.status).toBe(401);
  });

  it('does not accept one tenant’s delta token with another tenant’s token', async () => {
    const first = await sim.client.graph(
      `/users/${ADELE.id}/calendarView/delta?startDateTime=${WINDOW.start}&endDateTime=${WINDOW.end}`,
      { tenantId: tenantA, headers: { prefer: 'odata.maxpagesize=100' } },
    );
    const deltaToken = new URL(first.json['@odata.deltaLink']).searchParams.get('$deltatoken');
    const reused = await sim.client.graph(
      `/users/${adeleB.id}/calendarView/delta?$deltatoken=${deltaToken}`,
      { tenantId: tenantB },
    );
    expect(reused.status).toBe(400);
  });

  it('does not exchange a user token of one tenant at another tenant (OBO)', async () => {
    const sso = await sim.client.control('/token/user', { body: { upn: adeleB.upn } });
    const a = sim.server.app(tenantA);
    const result = await sim.client.call(`/${tenantA}/oauth2/v2.0/token`, {
      form: {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        client_id: a.clientId,
        client_secret: a.clientSecret,
        assertion: sso.json.access_token,
        scope: 'https://graph.microsoft.com/.default',
        requested_token_use: 'on_behalf_of',
      },
    });
    expect(result.status).toBe(400);
    expect(result.json.error).toBe('invalid_grant');
  });

  it('routes control mutations and stats per tenant', async () => {
    const created = await sim.client.control(`/users/${adeleB.upn}/events`, {
      body: {
        subject: 'Only in B',
        start: { dateTime: '2026-12-05T10:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-05T11:00:00', timeZone: 'UTC' },
      },
    });
    expect(created.status).toBe(201);
    expect(sim.engines[1]!.getEvent(adeleB.id, created.json.id)).toBeDefined();
    expect(sim.engines[0]!.getEvent(ADELE.id, created.json.id)).toBeUndefined();
    const stats = await sim.client.control(`/stats?start=${WINDOW.start}&end=2027-06-01T00:00:00Z`);
    expect(stats.json.tenants.map((t: { tenantId: string }) => t.tenantId)).toEqual([
      tenantA,
      tenantB,
    ]);
    const eventsA = stats.json.tenants[0].mailboxes.find(
      (m: { userId: string }) => m.userId === ADELE.id,
    ).events;
    const eventsB = stats.json.tenants[1].mailboxes.find(
      (m: { userId: string }) => m.userId === adeleB.id,
    ).events;
    expect(eventsB).toBe(eventsA + 1);
    const wrongTenant = await sim.client.control(`/users/${adeleB.upn}/events?tenant=${tenantA}`, {
      body: {
        subject: 'x',
        start: { dateTime: '2026-12-05T10:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-05T11:00:00', timeZone: 'UTC' },
      },
    });
    expect(wrongTenant.status).toBe(404);
  });
});
