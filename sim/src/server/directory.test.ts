import { afterEach, describe, expect, it } from 'vitest';
import {
  ADELE,
  ADELE_CUSTOMER_CALENDAR,
  ALEX,
  Client,
  MEGAN,
  SALES_GROUP,
  useTestSim,
} from './testing.js';
import { DEFAULT_APP_ROLES } from './tokens.js';

const sim = useTestSim();
afterEach(async () => {
  await sim.client.control('/consent', { body: { roles: DEFAULT_APP_ROLES, consented: true } });
});

describe('users', () => {
  it('pages with $top and an absolute nextLink carrying an opaque $skiptoken', async () => {
    const { items, pages } = await sim.client.allPages('/users?$top=2&$select=id,displayName');
    expect(pages).toHaveLength(3);
    const next = pages[0]?.json['@odata.nextLink'] as string;
    expect(next.startsWith(`${sim.server.url}/v1.0/users?`)).toBe(true);
    expect(new URL(next).searchParams.get('$skiptoken')).toBeTruthy();
    expect(new URL(next).searchParams.get('$select')).toBe('id,displayName');
    expect(items.map((u) => u.id)).toEqual(sim.engines[0]!.listUsers().map((u) => u.id));
    expect(Object.keys(items[0]).sort()).toEqual(['displayName', 'id']);
  });

  it('returns Graph’s default properties without $select', async () => {
    const result = await sim.client.graph('/users?$top=1');
    expect(Object.keys(result.json.value[0]).sort()).toEqual(
      [
        'businessPhones',
        'displayName',
        'givenName',
        'id',
        'jobTitle',
        'mail',
        'mobilePhone',
        'officeLocation',
        'preferredLanguage',
        'surname',
        'userPrincipalName',
      ].sort(),
    );
  });

  it('rejects $top above 999', async () => {
    const result = await sim.client.graph('/users?$top=1000');
    expect(result.status).toBe(400);
    expect(result.json.error.code).toBe('Request_UnsupportedQuery');
    expect(result.json.error.message).toContain('999');
  });

  it('filters on mail and userPrincipalName with eq', async () => {
    const byMail = await sim.client.graph(`/users?$filter=mail eq '${ALEX.upn}'`);
    expect(byMail.json.value.map((u: { id: string }) => u.id)).toEqual([ALEX.id]);
    const byUpn = await sim.client.graph(
      `/users?$filter=${encodeURIComponent(`userPrincipalName eq '${MEGAN.upn.toUpperCase()}'`)}`,
    );
    expect(byUpn.json.value.map((u: { id: string }) => u.id)).toEqual([MEGAN.id]);
    const unsupported = await sim.client.graph(`/users?$filter=startswith(displayName,'A')`);
    expect(unsupported.status).toBe(400);
  });

  it('finds a user by id or user principal name, 404 otherwise', async () => {
    expect((await sim.client.graph(`/users/${ADELE.id}`)).json.userPrincipalName).toBe(ADELE.upn);
    const byUpn = await sim.client.graph(`/users/${ADELE.upn}?$select=department,companyName`);
    expect(byUpn.json).toMatchObject({ department: expect.any(String) });
    const missing = await sim.client.graph('/users/nobody@contoso.com');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('Request_ResourceNotFound');
  });
});

describe('groups', () => {
  it('lists direct members and, paged, transitive members with nested groups expanded', async () => {
    const direct = await sim.client.graph(`/groups/${SALES_GROUP}/members`);
    expect(direct.json.value.map((m: Record<string, string>) => m['@odata.type']).sort()).toEqual([
      '#microsoft.graph.group',
      '#microsoft.graph.user',
    ]);
    const { items, pages } = await sim.client.allPages(`/groups/${SALES_GROUP}/transitiveMembers`, {
      headers: { prefer: 'odata.maxpagesize=2' },
    });
    expect(pages.length).toBeGreaterThan(1);
    const expected = sim.engines[0]!.transitiveMembers(SALES_GROUP).map((m) => m.id);
    expect(items.map((m) => m.id)).toEqual(expected);
    const users = await sim.client.allPages(
      `/groups/${SALES_GROUP}/transitiveMembers/microsoft.graph.user?$select=id,mail`,
    );
    expect(users.items.every((m) => m['@odata.type'] === '#microsoft.graph.user')).toBe(true);
    expect(users.items.map((m) => m.id).sort()).toEqual(
      [ADELE.id, ALEX.id, 'e5b7a0f6-1c8d-4a5e-8f6b-7d9c0e1f2a05'].sort(),
    );
  });

  it('lists groups and answers 404 for an unknown group', async () => {
    const groups = await sim.client.graph('/groups');
    expect(groups.json.value).toHaveLength(3);
    const missing = await sim.client.graph(
      '/groups/00000000-0000-0000-0000-000000000000/transitiveMembers',
    );
    expect(missing.status).toBe(404);
  });

  it('names the resource whose property a $filter cannot compare', async () => {
    const users = await sim.client.graph(`/users?$filter=jobTitle eq 'x'`);
    expect(users.status).toBe(400);
    expect(users.json.error.message).toBe(
      "Unsupported or invalid query filter clause specified for property 'jobTitle' of resource 'User'.",
    );
    const groups = await sim.client.graph(`/groups?$filter=visibility eq 'x'`);
    expect(groups.status).toBe(400);
    expect(groups.json.error.message).toBe(
      "Unsupported or invalid query filter clause specified for property 'visibility' of resource 'Group'.",
    );
  });
});

describe('organization, rooms, mailbox settings, calendars', () => {
  it('serves the organization with its verified domains', async () => {
    const org = await sim.client.graph('/organization');
    expect(org.json.value[0].verifiedDomains.map((d: { name: string }) => d.name)).toContain(
      'contoso.com',
    );
  });

  it('serves rooms from /places/microsoft.graph.room', async () => {
    const rooms = await sim.client.graph('/places/microsoft.graph.room');
    expect(rooms.json.value).toHaveLength(1);
    expect(rooms.json.value[0]).toMatchObject({
      emailAddress: 'rainier@contoso.com',
      capacity: 12,
    });
  });

  it('serves mailboxSettings and one of its properties', async () => {
    const settings = await sim.client.graph(`/users/${ADELE.id}/mailboxSettings`);
    expect(settings.json).toMatchObject({
      timeZone: 'Pacific Standard Time',
      userPurpose: { value: 'user' },
    });
    const zone = await sim.client.graph(`/users/${ADELE.id}/mailboxSettings/timeZone`);
    expect(zone.json.value).toBe('Pacific Standard Time');
  });

  it('lists the calendars of a mailbox', async () => {
    const calendars = await sim.client.graph(`/users/${ADELE.id}/calendars`);
    expect(calendars.json.value.map((c: { name: string }) => c.name)).toEqual([
      'Calendar',
      'Customer visits',
    ]);
  });
});

describe('authentication and permissions', () => {
  it('answers 401 InvalidAuthenticationToken without a token, with a forged one, and with an SSO token', async () => {
    const none = await sim.client.call('/v1.0/users');
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('InvalidAuthenticationToken');
    const token = await sim.client.appToken();
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(342)}`;
    expect((await sim.client.call('/v1.0/users', { token: forged })).status).toBe(401);
    const sso = await sim.client.control('/token/user', { body: { upn: ADELE.upn } });
    const wrongAudience = await sim.client.call('/v1.0/users', { token: sso.json.access_token });
    expect(wrongAudience.status).toBe(401);
  });

  it('gives every response a request-id and echoes client-request-id, errors in Graph’s format', async () => {
    const result = await sim.client.graph('/users/nobody', {
      headers: { 'client-request-id': 'my-id-123' },
    });
    expect(result.headers['client-request-id']).toBe('my-id-123');
    expect(result.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.json.error.innerError).toEqual({
      date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
      'request-id': result.headers['request-id'],
      'client-request-id': 'my-id-123',
    });
  });

  it('answers 403 Authorization_RequestDenied or ErrorAccessDenied when a permission is not consented', async () => {
    await sim.client.control('/consent', { body: { roles: ['Calendars.Read'] } });
    // a new client fetches a new token, which carries the reduced roles
    const fresh = new Client(sim.server);
    try {
      const users = await fresh.graph('/users');
      expect(users.status).toBe(403);
      expect(users.json.error.code).toBe('Authorization_RequestDenied');
      const settings = await fresh.graph(`/users/${ADELE.id}/mailboxSettings`);
      expect(settings.status).toBe(403);
      expect(settings.json.error.code).toBe('ErrorAccessDenied');
      const events = await fresh.graph(`/users/${ADELE.id}/calendars`);
      expect(events.status).toBe(200);
    } finally {
      fresh.close();
    }
  });

  it('limits delegated calendar access to the signed-in user’s own mailbox', async () => {
    const sso = await sim.client.control('/token/user', { body: { upn: ADELE.upn } });
    const app = sim.server.app();
    const obo = await sim.client.call(`/${app.tenantId}/oauth2/v2.0/token`, {
      form: {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        assertion: sso.json.access_token,
        scope: 'https://graph.microsoft.com/.default',
        requested_token_use: 'on_behalf_of',
      },
    });
    const token = obo.json.access_token as string;
    expect((await sim.client.graph('/me/calendars', { token })).status).toBe(200);
    const other = await sim.client.graph(`/users/${ALEX.id}/calendars`, { token });
    expect(other.status).toBe(403);
    expect(other.json.error.code).toBe('ErrorAccessDenied');
    const appMe = await sim.client.graph('/me');
    expect(appMe.status).toBe(400);
  });

  it('answers unknown segments and methods as Graph does', async () => {
    const segment = await sim.client.graph('/foo');
    expect(segment.status).toBe(400);
    expect(segment.json.error.message).toBe("Resource not found for the segment 'foo'.");
    const method = await sim.client.graph('/users', { method: 'DELETE' });
    expect(method.status).toBe(405);
  });

  it('names the first unknown segment under calendarView, at every depth', async () => {
    for (const path of [
      `/users/${ADELE.id}/calendarView/foo`,
      `/users/${ADELE.id}/calendar/calendarView/foo`,
      `/users/${ADELE.id}/calendarView/delta/foo`,
      `/users/${ADELE.id}/calendars/${ADELE_CUSTOMER_CALENDAR}/calendarView/delta/foo`,
    ]) {
      const answer = await sim.client.graph(path);
      expect(answer.status, path).toBe(400);
      expect(answer.json.error.message, path).toBe("Resource not found for the segment 'foo'.");
    }
  });
});
