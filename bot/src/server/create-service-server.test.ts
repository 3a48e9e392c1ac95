// The service over real HTTP on both store engines: health and readiness, the OpenAPI document
// against every registered route and every response, auth on every data route, two tenants that
// never see each other, admin checks through Graph, intro requests told to Teams, bad input as
// 4xx, static front ends, local sign-in, the bot route and graceful shutdown.
import { ADELE, ALEX } from '@warmpath/shared/auth/testing';
import { describeStore } from '@warmpath/shared/store/testing';
import type { Request, Response } from 'restify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { API_ROUTES } from '../api/api-routes.js';
import { startServiceUnderTest, type ServiceUnderTest } from './testing.js';

type Json = Record<string, unknown>;
const SALES_GROUP = '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d11';

const botActivities: unknown[] = [];
const bot = {
  async handleActivity(req: Request, res: Response) {
    botActivities.push(req.body);
    await new Promise((resolve) => setTimeout(resolve, Number(req.header('x-test-delay') ?? 0)));
    res.send(200, { handled: true });
  },
};

/** One call of a route: its documented path, who makes it, and its input. */
interface Call {
  operationId: string;
  method: string;
  template: string;
  path: string;
  as: 'adele' | 'alex' | 'none';
  body?: unknown;
  local?: boolean;
}

/** The response schema the OpenAPI document gives an operation and status, as a zod validator. */
function documentedSchema(doc: Json, template: string, method: string, status: number) {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const operation = paths[template]?.[method.toLowerCase()];
  const responses = operation?.responses as Record<string, Json> | undefined;
  const response = responses?.[String(status)];
  const schema = (response?.content as Record<string, Json> | undefined)?.['application/json']
    ?.schema as Json | undefined;
  if (!schema) throw new Error(`the document has no ${status} response for ${method} ${template}`);
  const components = (doc.components as Json).schemas as Json;
  const text = JSON.stringify({ ...schema, $defs: components }).replaceAll(
    '#/components/schemas/',
    '#/$defs/',
  );
  return z.fromJSONSchema(JSON.parse(text));
}

describeStore('the WarmPath service', (ctx) => {
  let t: ServiceUnderTest;
  const tokens: Record<string, string> = {};
  let doc: Json;
  let adeleId: string;
  let contact: { id: string; email: string };
  let homeMarkers: string[];
  const calls: Call[] = [];

  const as = (who: Call['as']) => (who === 'none' ? undefined : tokens[who]);
  const run = (call: Call, token = as(call.as)) =>
    t.call(call.method, call.path, {
      ...(token ? { token } : {}),
      ...(call.body === undefined ? {} : { body: call.body }),
      ...(call.local ? { local: true } : {}),
    });

  beforeAll(async () => {
    t = await startServiceUnderTest(ctx.store, { bot });
    tokens.adele = await t.sim.ssoToken(ADELE.upn);
    tokens.alex = await t.sim.ssoToken(ALEX.upn);
    tokens.other = await t.sim.ssoToken(t.sim.otherUser.upn);
    doc = (await t.call('GET', '/api/openapi.json')).json as Json;
    const answer = await t.call('GET', '/api/intros?target=fabrikam.com', { token: tokens.alex });
    const path = answer.json.paths[0];
    adeleId = path.connector.id;
    const search = await t.call('GET', `/api/search?q=${path.contacts[0].email}`, {
      token: tokens.alex,
    });
    contact = { id: search.json.results[0].id, email: path.contacts[0].email };
    homeMarkers = [t.sim.home.tenantId, 'contoso.com', 'contoso-labs.io', contact.email];
    const c = (
      operationId: string,
      method: string,
      template: string,
      path: string,
      who: Call['as'],
      extra: Partial<Call> = {},
    ) => calls.push({ operationId, method, template, path, as: who, ...extra });
    c('getMe', 'GET', '/api/me', '/api/me', 'adele');
    c('findIntros', 'GET', '/api/intros', '/api/intros?target=fabrikam.com', 'alex');
    c('findIntros', 'GET', '/api/intros', '/api/intros?target=Fabrikm', 'alex');
    c(
      'findParticipantIntros',
      'POST',
      '/api/intros/participants',
      '/api/intros/participants',
      'alex',
      {
        body: {
          emails: [
            ADELE.upn,
            contact.email,
            'jamie.reyes.advisor@gmail.com',
            'nobody@unknown-co.example',
          ],
        },
      },
    );
    c('searchTargets', 'GET', '/api/search', '/api/search?q=fab&limit=5', 'alex');
    c('getCompany', 'GET', '/api/companies/{domain}', '/api/companies/fabrikam.com', 'alex');
    c(
      'listCompanyMeetings',
      'GET',
      '/api/companies/{domain}/meetings',
      `/api/companies/fabrikam.com/meetings?connector=${adeleId}`,
      'alex',
    );
    c('getPerson', 'GET', '/api/people/{id}', `/api/people/${contact.id}`, 'alex');
    c('createIntroRequest', 'POST', '/api/intro-requests', '/api/intro-requests', 'alex', {
      body: {
        connectorId: adeleId,
        target: { kind: 'company', domain: 'fabrikam.com' },
        note: 'Their CFO is evaluating us.',
      },
    });
    c('listIntroRequests', 'GET', '/api/intro-requests', '/api/intro-requests', 'adele');
    const pending = await t.call('POST', '/api/intro-requests', {
      token: tokens.alex,
      body: { connectorId: adeleId, target: { kind: 'company', domain: 'fabrikam.com' } },
    });
    c(
      'decideIntroRequest',
      'POST',
      '/api/intro-requests/{id}/decision',
      `/api/intro-requests/${pending.json.id}/decision`,
      'adele',
      { body: { decision: 'decline' } },
    );
    c('getAdminConsent', 'GET', '/api/admin/consent', '/api/admin/consent', 'adele');
    c('getAdminSettings', 'GET', '/api/admin/settings', '/api/admin/settings', 'adele');
    c('updateAdminSettings', 'PUT', '/api/admin/settings', '/api/admin/settings', 'adele', {
      body: { lookBackMonths: 12, excludedDomains: ['Example.org'] },
    });
    c('listTrackedPrincipals', 'GET', '/api/admin/tracked', '/api/admin/tracked', 'adele');
    c('trackPrincipals', 'POST', '/api/admin/tracked', '/api/admin/tracked', 'adele', {
      body: { ids: [SALES_GROUP] },
    });
    c(
      'untrackPrincipal',
      'DELETE',
      '/api/admin/tracked/{id}',
      `/api/admin/tracked/${SALES_GROUP}`,
      'adele',
    );
    c('searchDirectory', 'GET', '/api/admin/directory', '/api/admin/directory?q=ad', 'adele');
    c('getSyncStatus', 'GET', '/api/admin/sync', '/api/admin/sync', 'adele');
    c('requestSync', 'POST', '/api/admin/sync', '/api/admin/sync', 'adele', {
      body: { userId: ADELE.id },
    });
    c('listLocalUsers', 'GET', '/api/local/users', '/api/local/users', 'none', { local: true });
    c('localSignIn', 'POST', '/api/local/sign-in', '/api/local/sign-in', 'none', {
      local: true,
      body: { upn: ALEX.upn },
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('names every company in search as /api/intros names it, prefix matches too', async () => {
    const search = await t.call('GET', '/api/search?q=f&limit=10', { token: tokens.alex });
    const companies = (
      search.json.results as { kind: string; name: string; domain: string }[]
    ).filter((r) => r.kind === 'company');
    expect(companies.length).toBeGreaterThan(0);
    for (const company of companies) {
      const answer = await t.call('GET', `/api/intros?target=${company.domain}`, {
        token: tokens.alex,
      });
      expect(company.name).toBe(answer.json.target.name);
      expect(company.name).not.toBe(company.domain);
    }
  });

  it('answers health and readiness', async () => {
    expect(await t.call('GET', '/healthz')).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(await t.call('GET', '/readyz')).toMatchObject({
      status: 200,
      json: { status: 'ready' },
    });
  });

  it('documents exactly the routes it registers, as OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const method of Object.keys(item)) documented.add(`${method} ${path}`);
    }
    const registered = new Set<string>();
    for (const server of [t.service, t.localService]) {
      const info = (
        server.server as unknown as { router: { getDebugInfo(): Record<string, Json> } }
      ).router.getDebugInfo();
      for (const route of Object.values(info)) {
        const path = String(route.path)
          .replace(/:(\w+)/g, '{$1}')
          .replace(/\*$/, '{file}');
        if (path === '/tab' || path === '/addin') continue; // redirects to /tab/ and /addin/
        registered.add(`${String(route.method)} ${path}`);
      }
    }
    const localDoc = t.localService.openApi.paths as Record<string, Json>;
    for (const [path, item] of Object.entries(localDoc)) {
      for (const method of Object.keys(item)) documented.add(`${method} ${path}`);
    }
    expect([...registered].sort()).toEqual([...documented].sort());
    expect(registered).toContain('post /api/messages');
  });

  it('every REST route is exercised below, and every answer matches its documented schema', async () => {
    expect(new Set(calls.map((call) => call.operationId))).toEqual(
      new Set(API_ROUTES.map((route) => route.operationId)),
    );
    const localDoc = t.localService.openApi as Json;
    for (const call of calls) {
      const response = await run(call);
      expect(
        response.status,
        `${call.method} ${call.path}: ${JSON.stringify(response.json)}`,
      ).toBeLessThan(300);
      const schema = documentedSchema(
        call.local ? localDoc : doc,
        call.template,
        call.method,
        response.status,
      );
      // the documented schema has teeth: an empty object is not a valid answer
      expect(schema.safeParse({}).success, `${call.template} accepts {}`).toBe(false);
      const checked = schema.safeParse(response.json);
      expect(checked.success, `${call.method} ${call.path}: ${checked.error?.message}`).toBe(true);
    }
  });

  it('refuses every user and admin route without a valid token: 401, a challenge, no data', async () => {
    const garbage = 'eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.';
    for (const call of calls.filter((c) => !c.local)) {
      for (const token of [undefined, garbage]) {
        const response = await t.call(call.method, call.path, {
          ...(token ? { token } : {}),
          ...(call.body === undefined ? {} : { body: call.body }),
        });
        expect(response.status, `${call.method} ${call.path}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="WarmPath"/);
        expect(Object.keys(response.json)).toEqual(['error']);
      }
    }
  });

  it('a user of another tenant sees nothing of the home tenant on any route', async () => {
    const settingsBefore = (await t.call('GET', '/api/admin/settings', { token: tokens.adele }))
      .json;
    for (const call of calls.filter((c) => !c.local)) {
      const response = await run(call, tokens.other);
      expect(response.status, `${call.method} ${call.path}`).toBeLessThan(500);
      const text = JSON.stringify(response.json);
      // what the caller sent may come back (an address they typed); nothing else of the home tenant
      const sent = `${call.path} ${JSON.stringify(call.body ?? {})}`;
      for (const marker of homeMarkers.filter((m) => !sent.includes(m))) {
        expect(text, `${call.method} ${call.path} leaks ${marker}`).not.toContain(marker);
      }
    }
    const participants = calls.find((c) => c.operationId === 'findParticipantIntros') as Call;
    const answer = (await run(participants, tokens.other)).json;
    expect(answer.companies.flatMap((c: Json) => c.paths)).toEqual([]);
    expect(answer.internal).toBe(0);
    const company = await t.call('GET', '/api/companies/fabrikam.com', { token: tokens.other });
    expect(company.status).toBe(404);
    const paths = await t.call('GET', '/api/intros?target=fabrikam.com', { token: tokens.other });
    expect(paths.json.paths).toEqual([]);
    const settingsAfter = (await t.call('GET', '/api/admin/settings', { token: tokens.adele }))
      .json;
    expect(settingsAfter).toEqual(settingsBefore);
  });

  it('admin routes need a Global or Privileged Role Administrator, checked through Graph', async () => {
    const refused = await t.call('GET', '/api/admin/settings', { token: tokens.alex });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('admin_required');
    const me = await t.call('GET', '/api/me', { token: tokens.alex });
    expect(me.json).toMatchObject({ isAdmin: false, tracked: true, userPrincipalName: ALEX.upn });
    const admin = await t.call('GET', '/api/me', { token: tokens.adele });
    expect(admin.json).toMatchObject({ isAdmin: true, roles: ['Global Administrator'] });
    // the simulator's admin consented to the sync's application permissions
    const consent = await t.call('GET', '/api/admin/consent', { token: tokens.adele });
    expect(consent.json.granted).toBe(true);
  });

  it('a tenant without consent gets 403 consent_required with the admin consent URL', async () => {
    await t.sim.control('POST', '/faults', { consent: false });
    try {
      // a user whose answer is not cached yet
      const token = await t.sim.ssoToken('megan.bowen@contoso-labs.io');
      const response = await t.call('GET', '/api/me', { token });
      expect(response.status).toBe(403);
      expect(response.json.error.code).toBe('consent_required');
      expect(response.json.error.adminConsentUrl).toContain(
        `/${t.sim.home.tenantId}/adminconsent?client_id=`,
      );
    } finally {
      await t.sim.control('DELETE', '/faults');
    }
  });

  it('an intro request reaches the connector in Teams, and the decision reaches the requester', async () => {
    const created = await t.call('POST', '/api/intro-requests', {
      token: tokens.alex,
      body: { connectorId: adeleId, target: { kind: 'person', email: contact.email } },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      status: 'pending',
      created: true,
      connectorNotified: true,
    });
    expect(t.notifier.requested.map((r) => r.id)).toContain(created.json.id);
    const received = await t.call('GET', '/api/intro-requests', { token: tokens.adele });
    expect(received.json.received.map((r: Json) => r.id)).toContain(created.json.id);
    const byRequester = await t.call('POST', `/api/intro-requests/${created.json.id}/decision`, {
      token: tokens.alex,
      body: { decision: 'accept' },
    });
    expect(byRequester.status).toBe(403);
    const decided = await t.call('POST', `/api/intro-requests/${created.json.id}/decision`, {
      token: tokens.adele,
      body: { decision: 'accept' },
    });
    expect(decided.json).toMatchObject({
      status: 'accepted',
      changed: true,
      requesterNotified: true,
    });
    expect(t.notifier.decided.map((r) => r.id)).toContain(created.json.id);
    const elsewhere = await t.call('POST', `/api/intro-requests/${created.json.id}/decision`, {
      token: tokens.other,
      body: { decision: 'decline' },
    });
    expect(elsewhere.status).toBe(404);
  });

  it('bad input is a 4xx that says what is wrong, never a 5xx', async () => {
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['GET', '/api/intros', undefined, 400, /target/],
      ['GET', `/api/intros?target=${'a'.repeat(201)}`, undefined, 400, /at most 200/],
      ['POST', '/api/intros/participants', { emails: 'a@b.com' }, 400, /emails/],
      ['POST', '/api/intros/participants', { emails: ['not an address'] }, 400, /emails\.0/],
      [
        'POST',
        '/api/intros/participants',
        { emails: Array.from({ length: 101 }, (_, i) => `p${i}@acme.com`) },
        400,
        /at most 100/,
      ],
      ['GET', '/api/search?q=acme&limit=abc', undefined, 400, /limit/],
      ['GET', '/api/search?q=acme&limit=100', undefined, 400, /at most 25/],
      ['GET', '/api/companies/not_a_domain', undefined, 400, /domain/],
      ['GET', '/api/companies/fabrikam.com/meetings', undefined, 400, /connector/],
      ['GET', '/api/people/abc', undefined, 400, /person id/],
      [
        'POST',
        '/api/intro-requests',
        { connectorId: adeleId, target: { kind: 'planet' } },
        400,
        /target/,
      ],
      [
        'POST',
        '/api/intro-requests',
        {
          connectorId: adeleId,
          target: { kind: 'company', domain: 'acme.com' },
          note: 'x'.repeat(501),
        },
        400,
        /note/,
      ],
      ['POST', '/api/intro-requests/not-a-uuid/decision', { decision: 'accept' }, 400, /UUID/],
      [
        'POST',
        `/api/intro-requests/${crypto.randomUUID()}/decision`,
        { decision: 'maybe' },
        400,
        /decision/,
      ],
      [
        'POST',
        `/api/intro-requests/${crypto.randomUUID()}/decision`,
        { decision: 'accept' },
        404,
        /./,
      ],
      ['PUT', '/api/admin/settings', { lookBackMonths: -1 }, 400, /lookBackMonths/],
      ['PUT', '/api/admin/settings', { colour: 'blue' }, 400, /colour/],
      ['POST', '/api/admin/tracked', { ids: ['nope'] }, 400, /GUID/],
      ['POST', '/api/admin/tracked', { ids: [crypto.randomUUID()] }, 404, /No user or group/],
      ['DELETE', `/api/admin/tracked/${crypto.randomUUID()}`, undefined, 404, /not tracked/],
      ['POST', '/api/admin/sync', { userId: crypto.randomUUID() }, 404, /not a tracked mailbox/],
      ['GET', '/api/nothing-here', undefined, 404, /Nothing is served/],
      ['DELETE', '/api/intros', undefined, 405, /./],
      ['GET', '/api/companies/%E0%A4%A', undefined, 400, /encoded/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const response = await t.call(method, path, {
        token: tokens.adele,
        ...(body === undefined ? {} : { body }),
      });
      expect(response.status, `${method} ${path}: ${JSON.stringify(response.json)}`).toBe(status);
      expect(response.json.error.message, `${method} ${path}`).toMatch(message);
      expect(typeof response.json.error.code).toBe('string');
    }
    const malformed = await t.call('POST', '/api/intros/participants', {
      token: tokens.alex,
      raw: '{"emails": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe('invalid_json');
    const huge = await t.call('POST', '/api/intros/participants', {
      token: tokens.alex,
      raw: JSON.stringify({ emails: ['a@b.com'], padding: 'x'.repeat(100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    expect(huge.json.error.code).toBe('payload_too_large');
  });

  it('serves the built tab, never a file outside it, and says when the add-in is not built', async () => {
    const tab = await t.call('GET', '/tab/');
    expect(tab.status).toBe(200);
    expect(tab.headers.get('content-security-policy')).toContain('frame-ancestors');
    expect(String(tab.json)).toContain('WarmPath tab');
    expect((await t.call('GET', '/tab/companies/acme')).status).toBe(200);
    const escape = await t.call('GET', '/tab/..%2f..%2f..%2fpackage.json');
    expect(String(escape.json)).not.toContain('"workspaces"');
    const addin = await t.call('GET', '/addin/');
    expect(addin.status).toBe(404);
    expect(String(addin.json)).toContain('npm run build -w addin');
  });

  it('local sign-in exists only in local mode, and its token works on the API', async () => {
    expect((await t.call('GET', '/api/local/users')).status).toBe(404);
    const users = await t.call('GET', '/api/local/users', { local: true });
    expect(users.json.users).toContainEqual({
      upn: ADELE.upn,
      displayName: 'Adele Vance',
      isAdmin: true,
    });
    const signIn = await t.call('POST', '/api/local/sign-in', {
      local: true,
      body: { upn: ALEX.upn },
    });
    expect(signIn.json.label).toBe('local sign-in (simulator)');
    const me = await t.call('GET', '/api/me', { local: true, token: signIn.json.accessToken });
    expect(me.json.userPrincipalName).toBe(ALEX.upn);
    const unknown = await t.call('POST', '/api/local/sign-in', {
      local: true,
      body: { upn: 'nobody@contoso.com' },
    });
    expect(unknown.status).toBe(404);
  });

  it('hands Bot Framework activities to the bot and lets a request in flight finish on close', async () => {
    const activity = { type: 'message', text: 'who knows fabrikam?' };
    const reply = await t.call('POST', '/api/messages', { body: activity });
    expect(reply).toMatchObject({ status: 200, json: { handled: true } });
    expect(botActivities).toContainEqual(activity);
    const slow = t.call('POST', '/api/messages', {
      body: activity,
      headers: { 'x-test-delay': '300' },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = t.service.close();
    expect((await slow).status).toBe(200);
    await closed;
    await expect(t.call('GET', '/healthz')).rejects.toThrow();
  });
});
