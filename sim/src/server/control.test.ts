import { describe, expect, it } from 'vitest';
import { TokenService } from './tokens.js';
import { ADELE, ALEX, MEGAN, SALES_GROUP, WINDOW, useTestSim } from './testing.js';

const sim = useTestSim();

const meeting = (subject: string, attendees: string[] = []) => ({
  subject,
  start: { dateTime: '2026-12-07T09:00:00', timeZone: 'Pacific Standard Time' },
  end: { dateTime: '2026-12-07T09:30:00', timeZone: 'Pacific Standard Time' },
  attendees: attendees.map((address) => ({ type: 'required', emailAddress: { address } })),
});

describe('control API', () => {
  it('reports health and answers unknown routes with 404', async () => {
    const health = await sim.client.control('/health');
    expect(health.json).toMatchObject({
      status: 'ok',
      url: sim.server.url,
      tenants: [{ tenantId: sim.server.app().tenantId }],
    });
    expect(health.headers['request-id']).toBeTruthy();
    expect((await sim.client.control('/nothing')).status).toBe(404);
  });

  it('records an attendee’s response on the organizer’s copy', async () => {
    const created = await sim.client.control(`/users/${ADELE.upn}/events`, {
      body: meeting('Respond probe', [ALEX.upn]),
    });
    expect(created.status).toBe(201);
    const alexView = await sim.client.allPages(
      `/users/${ALEX.id}/calendarView?startDateTime=2026-12-07T00:00:00Z&endDateTime=2026-12-08T00:00:00Z`,
    );
    const copy = alexView.items.find((e) => e.subject === 'Respond probe');
    expect(copy).toBeDefined();
    const responded = await sim.client.control(`/users/${ALEX.id}/events/${copy.id}/respond`, {
      body: { response: 'declined' },
    });
    expect(responded.status).toBe(204);
    const organizerCopy = await sim.client.graph(`/users/${ADELE.id}/events/${created.json.id}`);
    expect(organizerCopy.json.attendees[0].status.response).toBe('declined');
    const refused = await sim.client.control(
      `/users/${ADELE.id}/events/${created.json.id}/respond`,
      {
        body: { response: 'accepted' },
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toMatch(/organizer/i);
  });

  it('adds and removes group members, visible in transitiveMembers', async () => {
    const members = async () =>
      (await sim.client.allPages(`/groups/${SALES_GROUP}/transitiveMembers?$select=id`)).items.map(
        (m) => m.id,
      );
    expect(await members()).not.toContain(MEGAN.id);
    expect(
      (await sim.client.control(`/groups/${SALES_GROUP}/members`, { body: { memberId: MEGAN.id } }))
        .status,
    ).toBe(204);
    expect(await members()).toContain(MEGAN.id);
    expect(
      (await sim.client.control(`/groups/${SALES_GROUP}/members/${MEGAN.id}`, { method: 'DELETE' }))
        .status,
    ).toBe(204);
    expect(await members()).not.toContain(MEGAN.id);
    expect(
      (await sim.client.control(`/groups/${SALES_GROUP}/members`, { body: { memberId: 'nobody' } }))
        .status,
    ).toBe(404);
  });

  it('validates mutation bodies with a clear 400', async () => {
    const noStart = await sim.client.control(`/users/${ADELE.upn}/events`, {
      body: { subject: 'x' },
    });
    expect(noStart.status).toBe(400);
    expect(noStart.json.error.message).toContain("'start'");
    const badResponse = await sim.client.control(`/users/${ADELE.upn}/events/whatever/respond`, {
      body: { response: 'maybe' },
    });
    expect(badResponse.status).toBe(404);
    const unknownUser = await sim.client.control('/users/ghost@contoso.com/events', {
      body: meeting('x'),
    });
    expect(unknownUser.status).toBe(404);
    const badStats = await sim.client.control('/stats?start=yesterday');
    expect(badStats.status).toBe(400);
  });

  it('reports per-mailbox counts for a window', async () => {
    const stats = await sim.client.control(`/stats?start=${WINDOW.start}&end=${WINDOW.end}`);
    expect(stats.status).toBe(200);
    const adele = stats.json.tenants[0].mailboxes.find(
      (m: { userId: string }) => m.userId === ADELE.id,
    );
    const engineStats = sim.engines[0]!.stats({
      start: new Date(WINDOW.start),
      end: new Date(WINDOW.end),
    });
    expect(adele).toMatchObject(engineStats.find((m) => m.userId === ADELE.id) ?? {});
    expect(stats.json.requests.total).toBeGreaterThan(0);
  });
});

describe('TokenService', () => {
  it('rejects an expired Graph token and one signed by another simulator run', async () => {
    const tokens = await TokenService.create();
    const args = {
      tenantId: 't',
      clientId: 'c',
      servicePrincipalId: 's',
      roles: ['Calendars.Read'],
    };
    const expired = await tokens.appGraphToken({ ...args, lifetimeSeconds: -30 });
    expect(await tokens.verifyGraphToken(expired)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/expired/),
    });
    const fresh = await tokens.appGraphToken(args);
    expect(await tokens.verifyGraphToken(fresh)).toMatchObject({
      ok: true,
      claims: { tid: 't', roles: ['Calendars.Read'] },
    });
    const otherRun = await TokenService.create();
    expect((await otherRun.verifyGraphToken(fresh)).ok).toBe(false);
  });
});
