import { describe, expect, it } from 'vitest';
import { ApiError, MAX_PARTICIPANTS, createApiClient } from './api-client.js';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function fakeService(answers: Response[]) {
  const calls: Call[] = [];
  const fetchFake = (async (url: string, init: RequestInit) => {
    calls.push({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
    });
    const next = answers.shift();
    if (!next) throw new TypeError('fetch failed');
    return next;
  }) as typeof fetch;
  return { calls, fetchFake };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('createApiClient', () => {
  it('sends the SSO token and the add-in’s participants, capped at the API’s limit', async () => {
    const service = fakeService([json(200, { companies: [], people: [], internal: 0 })]);
    const api = createApiClient({ getToken: async () => 'tok', fetch: service.fetchFake });
    const emails = Array.from({ length: 120 }, (_, i) => `p${i}@acme.com`);
    await api.participants(emails);
    expect(service.calls[0]).toMatchObject({
      url: '/api/intros/participants',
      method: 'POST',
      headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
    });
    expect((service.calls[0]!.body as { emails: string[] }).emails).toHaveLength(MAX_PARTICIPANTS);
  });

  it('retries once with a fresh token after a 401', async () => {
    const service = fakeService([json(401, {}), json(200, { results: [] })]);
    const asked: boolean[] = [];
    const api = createApiClient({
      getToken: async ({ fresh } = {}) => {
        asked.push(fresh === true);
        return fresh ? 'new' : 'old';
      },
      fetch: service.fetchFake,
    });
    expect(await api.search('acme')).toEqual({ results: [] });
    expect(asked).toEqual([false, true]);
    expect(service.calls[1]!.headers.authorization).toBe('Bearer new');
    expect(service.calls[0]!.url).toBe('/api/search?q=acme&limit=8');
  });

  it('passes the service’s own error message through, and words the ones it has none for', async () => {
    const service = fakeService([
      json(403, {
        error: { code: 'tenant_not_onboarded', message: 'Ask your admin to add WarmPath.' },
      }),
      new Response('', { status: 502 }),
    ]);
    const api = createApiClient({ getToken: async () => 't', fetch: service.fetchFake });
    await expect(api.me()).rejects.toMatchObject({
      status: 403,
      code: 'tenant_not_onboarded',
      message: 'Ask your admin to add WarmPath.',
    });
    await expect(api.me()).rejects.toThrow(/problem on its side/);
  });

  it('keeps the admin consent URL of a consent_required answer, so the tab can offer consent', async () => {
    const url = 'https://login.example/tid/adminconsent?client_id=app';
    const service = fakeService([
      json(403, {
        error: { code: 'consent_required', message: 'Consent first.', adminConsentUrl: url },
      }),
    ]);
    const api = createApiClient({ getToken: async () => 't', fetch: service.fetchFake });
    await expect(api.me()).rejects.toMatchObject({
      status: 403,
      code: 'consent_required',
      adminConsentUrl: url,
    });
  });

  it('sends an intro decision to the request’s own decision route', async () => {
    const service = fakeService([json(200, { id: 'r1', status: 'accepted' })]);
    const api = createApiClient({ getToken: async () => 't', fetch: service.fetchFake });
    await api.decideIntroRequest('r1', 'accept');
    expect(service.calls[0]).toMatchObject({
      url: '/api/intro-requests/r1/decision',
      method: 'POST',
      body: { decision: 'accept' },
    });
  });

  it('says the service cannot be reached when the network fails', async () => {
    const service = fakeService([]);
    const api = createApiClient({ getToken: async () => 't', fetch: service.fetchFake });
    const failure = await api.company('acme.com').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 0, code: 'unreachable' });
  });

  it('encodes path and query parts', async () => {
    const service = fakeService([json(200, { meetings: [] })]);
    const api = createApiClient({ getToken: async () => 't', fetch: service.fetchFake });
    await api.companyMeetings('acme.com', 'a/b c');
    expect(service.calls[0]!.url).toBe('/api/companies/acme.com/meetings?connector=a%2Fb%20c');
  });
});
