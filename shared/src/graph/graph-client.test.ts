import { describe, expect, it } from 'vitest';
import { GraphError } from './errors.js';
import {
  capturingLogger,
  graphErrorBody,
  jsonResponse,
  scriptedGraph,
  TEST_TENANT,
  TEST_TOKEN,
} from './testing.js';
import { NetworkError } from './transport.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const USER = 'a1d3c6b2-7e4f-4c1a-8b2d-3f5e6a7b8c01';

async function caught(promise: Promise<unknown>): Promise<GraphError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof GraphError))
    throw new Error(`expected a GraphError, got ${String(error)}`);
  return error;
}

describe('GraphClient.get', () => {
  it('sends an authorised request below the API root with one merged Prefer header', async () => {
    const graph = scriptedGraph(() => jsonResponse(200, { timeZone: 'UTC' }));
    const settings = await graph.client.get<{ timeZone: string }>(
      `/users/${USER}/mailboxSettings`,
      {
        headers: { Prefer: 'outlook.timezone="UTC", odata.maxpagesize=10' },
      },
    );
    expect(settings).toEqual({ timeZone: 'UTC' });
    const [request] = graph.requests;
    expect(request?.url).toBe(`https://graph.test/v1.0/users/${USER}/mailboxSettings`);
    expect(request?.method).toBe('GET');
    expect(request?.headers.get('authorization')).toBe(`Bearer ${TEST_TOKEN}`);
    expect(request?.headers.get('prefer')).toBe(
      'IdType="ImmutableId", outlook.timezone="UTC", odata.maxpagesize=10',
    );
    expect(request?.headers.get('client-request-id')).toMatch(GUID);
    expect(request?.headers.get('retry-attempt')).toBeNull();
  });

  it('asks for immutable ids even when the caller sends no Prefer header', async () => {
    const graph = scriptedGraph(() => jsonResponse(200, {}));
    await graph.client.get('/users');
    expect(graph.requests[0]?.headers.get('prefer')).toBe('IdType="ImmutableId"');
  });

  it('retries a 429 after its decimal Retry-After with a fresh client-request-id per attempt', async () => {
    const graph = scriptedGraph((_request, attempt) =>
      attempt < 2
        ? jsonResponse(429, graphErrorBody('TooManyRequests'), { 'Retry-After': '1.5' })
        : jsonResponse(200, { ok: true }),
    );
    expect(await graph.client.get(`/users/${USER}/calendarView`)).toEqual({ ok: true });
    expect(graph.sleeps).toEqual([1_500, 1_500]);
    const ids = graph.requests.map((r) => r.headers.get('client-request-id'));
    expect(new Set(ids).size).toBe(3);
    expect(graph.requests.map((r) => r.headers.get('retry-attempt'))).toEqual([null, '1', '2']);
    // a throttled answer came over a healthy connection: keep using the pool
    expect(graph.requests.map((r) => r.freshConnection)).toEqual([false, false, false]);
  });

  it('backs off with jitter when a 503 or 504 has no Retry-After, over a new connection', async () => {
    const graph = scriptedGraph(
      (_request, attempt) =>
        attempt === 0
          ? jsonResponse(503, graphErrorBody('serviceNotAvailable'))
          : attempt === 1
            ? new Response('<html>gateway</html>', { status: 504 })
            : jsonResponse(200, { ok: true }),
      { initialBackoffMs: 1_000, random: () => 0.25 },
    );
    await graph.client.get('/users');
    // ceiling 1 s then 2 s; half fixed, a quarter of the other half from random()
    expect(graph.sleeps).toEqual([625, 1_250]);
    expect(graph.requests.map((r) => r.freshConnection)).toEqual([false, true, true]);
  });

  it.each([
    [400, 'BadRequest'],
    [401, 'InvalidAuthenticationToken'],
    [403, 'ErrorAccessDenied'],
    [404, 'MailboxNotEnabledForRESTAPI'],
    [500, 'generalException'],
  ])('does not retry a %i and surfaces Graph’s code', async (status, code) => {
    const graph = scriptedGraph(() =>
      jsonResponse(status, graphErrorBody(code), { 'request-id': 'the-request-id' }),
    );
    const error = await caught(graph.client.get(`/users/${USER}/calendarView`));
    expect(error).toMatchObject({ status, code, requestId: 'the-request-id' });
    expect(error.message).toContain(`/v1.0/users/${USER}/calendarView answered ${status} ${code}`);
    expect(graph.requests).toHaveLength(1);
    expect(graph.sleeps).toEqual([]);
  });

  it('tells the caller what to do about a user without a mailbox', async () => {
    const graph = scriptedGraph(() =>
      jsonResponse(404, graphErrorBody('MailboxNotEnabledForRESTAPI')),
    );
    const error = await caught(graph.client.get(`/users/${USER}/calendarView`));
    expect(error.message).toMatch(/no Exchange Online mailbox/);
  });

  it('surfaces a 410 from a delta link as syncStateNotFound without retrying', async () => {
    const graph = scriptedGraph(() =>
      jsonResponse(
        410,
        graphErrorBody('SyncStateNotFound', 'The sync state generation is not found'),
      ),
    );
    const error = await caught(
      graph.client.get(`https://graph.test/v1.0/users/${USER}/calendarView/delta?$deltatoken=abc`),
    );
    expect(error).toMatchObject({ status: 410, code: 'syncStateNotFound' });
    expect(graph.requests).toHaveLength(1);
  });

  it('gives up after maxRetries with a GraphError carrying the last answer', async () => {
    const graph = scriptedGraph(
      () =>
        jsonResponse(503, graphErrorBody('serviceNotAvailable'), {
          'Retry-After': '2',
          'request-id': 'last-request-id',
        }),
      { maxRetries: 3 },
    );
    const error = await caught(graph.client.get('/users'));
    expect(graph.requests).toHaveLength(4);
    expect(graph.sleeps).toEqual([2_000, 2_000, 2_000]);
    expect(error).toMatchObject({
      status: 503,
      code: 'serviceNotAvailable',
      requestId: 'last-request-id',
      retryAfterMs: 2_000,
    });
  });

  it('does not wait out a Retry-After longer than maxRetryAfterMs', async () => {
    const graph = scriptedGraph(
      () => jsonResponse(429, graphErrorBody('ApplicationThrottled'), { 'Retry-After': '600' }),
      { maxRetryAfterMs: 60_000 },
    );
    const error = await caught(graph.client.get(`/users/${USER}/events`));
    expect(error).toMatchObject({
      status: 429,
      code: 'ApplicationThrottled',
      retryAfterMs: 600_000,
    });
    expect(graph.requests).toHaveLength(1);
  });

  it('resends a GET after a dropped connection over a new connection', async () => {
    const graph = scriptedGraph((_request, attempt) => {
      if (attempt === 0) throw new NetworkError('socket hang up');
      return jsonResponse(200, { ok: true });
    });
    expect(await graph.client.get('/users')).toEqual({ ok: true });
    expect(graph.requests.map((r) => r.freshConnection)).toEqual([false, true]);
  });

  it('does not resend a POST after a dropped connection', async () => {
    const graph = scriptedGraph(() => {
      throw new NetworkError('socket hang up');
    });
    const error = await caught(
      graph.client.request('POST', '/subscriptions', { body: { resource: 'x' } }),
    );
    expect(error).toMatchObject({ status: 0, code: 'networkError' });
    expect(graph.requests).toHaveLength(1);
    expect(graph.requests[0]?.body).toBe('{"resource":"x"}');
  });

  it('surfaces a token failure as the GraphError the auth provider threw, without retrying', async () => {
    const refused = new GraphError({ status: 0, code: 'invalid_client', message: 'AADSTS7000215' });
    const graph = scriptedGraph(() => jsonResponse(200, {}), {
      authProvider: {
        getAccessToken: async () => {
          throw refused;
        },
      },
    });
    expect(await caught(graph.client.get('/users'))).toBe(refused);
    expect(graph.requests).toHaveLength(0);
  });

  it('logs request-id, status and attempt, never the token or the response body', async () => {
    const { logger, lines } = capturingLogger();
    const graph = scriptedGraph(
      (_request, attempt) =>
        attempt === 0
          ? jsonResponse(429, graphErrorBody('TooManyRequests'), { 'Retry-After': '0.1' })
          : jsonResponse(
              200,
              { value: [{ subject: 'Board meeting about layoffs' }] },
              { 'request-id': 'rid-42' },
            ),
      { logger },
    );
    await graph.client.get(`/users/${USER}/events?$filter=subject eq 'x'`);
    const log = lines.join('\n');
    expect(log).toContain('rid-42');
    expect(log).toContain('"retryInMs":100');
    expect(log).toContain(`/users/${USER}/events`);
    expect(log).not.toContain(TEST_TOKEN);
    expect(log).not.toContain('layoffs');
    expect(log).not.toContain('$filter');
  });
});

describe('GraphClient.getAllPages', () => {
  it('follows nextLinks verbatim and reports the deltaLink of the last page', async () => {
    // an opaque link whose query the SDK's URL builder would reorder
    const next = `https://graph.test/v1.0/users/${USER}/calendarView/delta?$skiptoken=a%3D%3D&$top=2`;
    const delta = `https://graph.test/v1.0/users/${USER}/calendarView/delta?$deltatoken=z`;
    const graph = scriptedGraph((request) =>
      request.url === next
        ? jsonResponse(200, { value: [{ id: '3' }], '@odata.deltaLink': delta })
        : jsonResponse(200, { value: [{ id: '1' }, { id: '2' }], '@odata.nextLink': next }),
    );
    const pages = [];
    for await (const page of graph.client.getAllPages<{ id: string }>(
      `/users/${USER}/calendarView/delta?startDateTime=2026-01-01T00:00:00Z&endDateTime=2026-02-01T00:00:00Z`,
      { headers: { Prefer: 'odata.maxpagesize=2' } },
    )) {
      pages.push(page);
    }
    expect(pages).toEqual([
      { value: [{ id: '1' }, { id: '2' }], nextLink: next, deltaLink: undefined },
      { value: [{ id: '3' }], nextLink: undefined, deltaLink: delta },
    ]);
    expect(graph.requests[1]?.url).toBe(next);
    expect(graph.requests[1]?.headers.get('prefer')).toBe(
      'IdType="ImmutableId", odata.maxpagesize=2',
    );
    expect(graph.client.stats().peakInFlightByMailbox).toEqual({ [USER]: 1 });
  });

  it('refuses to send the token to a link on another host', async () => {
    const graph = scriptedGraph(() =>
      jsonResponse(200, {
        value: [],
        '@odata.nextLink': 'https://evil.example/v1.0/users?$skiptoken=1',
      }),
    );
    const pages = graph.client.getAllPages('/users');
    await pages.next();
    const error = await caught(pages.next());
    expect(error.code).toBe('untrustedLink');
    expect(graph.requests).toHaveLength(1);
  });
});

describe('GraphClient concurrency', () => {
  it('never has more than 4 requests in flight for one mailbox under 50 concurrent calls', async () => {
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const graph = scriptedGraph(async (request) => {
      const mailbox = new URL(request.url).pathname.split('/')[3] ?? '';
      inFlight.set(mailbox, (inFlight.get(mailbox) ?? 0) + 1);
      peak.set(mailbox, Math.max(peak.get(mailbox) ?? 0, inFlight.get(mailbox) ?? 0));
      // answer on a later turn of the event loop so calls overlap
      await new Promise((resolve) => setImmediate(resolve));
      inFlight.set(mailbox, (inFlight.get(mailbox) ?? 0) - 1);
      return jsonResponse(200, { value: [] });
    });
    const calls = Array.from({ length: 50 }, (_, i) =>
      graph.client.get(`/users/${i % 5 === 0 ? 'other' : 'busy'}/calendarView?i=${i}`),
    );
    await Promise.all(calls);
    expect(graph.requests).toHaveLength(50);
    expect(peak.get('busy')).toBe(4);
    expect(peak.get('other')).toBe(4);
    expect(graph.client.stats()).toMatchObject({
      inFlight: 0,
      queued: 0,
      peakInFlightByMailbox: { busy: 4, other: 4 },
    });
  });

  it('holds every request to the global cap', async () => {
    let inFlight = 0;
    let peak = 0;
    const graph = scriptedGraph(
      async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return jsonResponse(200, {});
      },
      { maxConcurrency: 3 },
    );
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => graph.client.get(`/users/u${i}/events`)),
    );
    expect(peak).toBe(3);
  });

  it('counts a call against the mailbox the caller names', async () => {
    const graph = scriptedGraph(() => jsonResponse(200, {}));
    await graph.client.get('/places/microsoft.graph.room', { mailbox: 'Room@Contoso.com' });
    expect(graph.client.stats().peakInFlightByMailbox).toEqual({ 'room@contoso.com': 1 });
  });

  it('refuses calls once closed', async () => {
    const graph = scriptedGraph(() => jsonResponse(200, {}));
    await graph.client.close();
    expect((await caught(graph.client.get('/users'))).code).toBe('clientClosed');
  });
});

describe('GraphClient configuration', () => {
  it('uses the configured Graph base URL', async () => {
    const graph = scriptedGraph(() => jsonResponse(200, {}), {
      tenant: { ...TEST_TENANT, graphBaseUrl: 'https://127.0.0.1:8443/' },
    });
    await graph.client.get('users');
    expect(graph.requests[0]?.url).toBe('https://127.0.0.1:8443/v1.0/users');
  });
});
