import { describe, expect, it } from 'vitest';
import { GraphError } from './errors.js';
import { graphErrorBody, jsonResponse, scriptedGraph } from './testing.js';
import type { TransportRequest } from './transport.js';

interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  dependsOn?: string[];
}

interface SubAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const envelopeOf = (request: TransportRequest) =>
  JSON.parse(request.body ?? '{}') as { requests: SubRequest[] };

/** A $batch endpoint answering each sub-request with `answer(sub, round)` (round counts envelopes). */
function batchGraph(answer: (sub: SubRequest, round: number) => SubAnswer, options = {}) {
  let round = -1;
  return scriptedGraph((request) => {
    round += 1;
    const { requests } = envelopeOf(request);
    return jsonResponse(200, {
      responses: requests.map((sub) => ({ id: sub.id, headers: {}, ...answer(sub, round) })),
    });
  }, options);
}

const calendarView = (user: string, id: string) => ({
  id,
  method: 'GET',
  url: `/users/${user}/calendarView?startDateTime=2026-01-01&endDateTime=2026-02-01`,
});

describe('GraphClient.batch', () => {
  it('sends chunks of 20 to /$batch, each sub-request asking for immutable ids', async () => {
    const graph = batchGraph((sub) => ({ status: 200, body: { echo: sub.id } }));
    const requests = Array.from({ length: 45 }, (_, i) => calendarView(`u${i % 7}`, `r${i}`));
    const responses = await graph.client.batch<{ echo: string }>(requests);

    expect(graph.requests.map((r) => r.url)).toEqual(
      Array(3).fill('https://graph.test/v1.0/$batch'),
    );
    expect(graph.requests.map((r) => envelopeOf(r).requests.length)).toEqual([20, 20, 5]);
    const sub = envelopeOf(graph.requests[0] as TransportRequest).requests[0];
    expect(sub?.headers.Prefer).toBe('IdType="ImmutableId"');
    expect(sub?.url).toBe('/users/u0/calendarView?startDateTime=2026-01-01&endDateTime=2026-02-01');
    expect([...responses.keys()]).toEqual(requests.map((r) => r.id));
    expect(responses.get('r44')).toMatchObject({
      status: 200,
      body: { echo: 'r44' },
      error: undefined,
    });
  });

  it('retries throttled sub-requests in a new batch after the longest Retry-After', async () => {
    const graph = batchGraph((sub, round) =>
      round === 0 && sub.id !== 'ok'
        ? {
            status: 429,
            headers: { 'Retry-After': sub.id === 'slow' ? '1.25' : '0.5' },
            body: graphErrorBody('TooManyRequests'),
          }
        : { status: 200, body: { round } },
    );
    const responses = await graph.client.batch([
      calendarView('a', 'ok'),
      calendarView('a', 'fast'),
      calendarView('b', 'slow'),
    ]);
    expect(graph.sleeps).toEqual([1_250]);
    expect(envelopeOf(graph.requests[1] as TransportRequest).requests.map((r) => r.id)).toEqual([
      'fast',
      'slow',
    ]);
    expect([...responses.values()].map((r) => [r.id, r.status, r.body])).toEqual([
      ['ok', 200, { round: 0 }],
      ['fast', 200, { round: 1 }],
      ['slow', 200, { round: 1 }],
    ]);
  });

  it('retries 503 and 504 sub-responses with back-off when they carry no Retry-After', async () => {
    const graph = batchGraph(
      (sub, round) => (round === 0 ? { status: sub.id === 'x' ? 503 : 504 } : { status: 200 }),
      { initialBackoffMs: 1_000, random: () => 0 },
    );
    const responses = await graph.client.batch([calendarView('a', 'x'), calendarView('a', 'y')]);
    expect(graph.sleeps).toEqual([500]);
    expect([...responses.values()].map((r) => r.status)).toEqual([200, 200]);
  });

  it('sends a dependant that failed with 424 again with its throttled dependency', async () => {
    const graph = batchGraph((sub, round) => {
      if (round === 0 && sub.id === 'first')
        return { status: 429, headers: { 'retry-after': '1' } };
      if (round === 0 && sub.id === 'second') return { status: 424 };
      return { status: 200 };
    });
    const responses = await graph.client.batch([
      { ...calendarView('a', 'done'), id: 'done' },
      { ...calendarView('a', 'first'), dependsOn: ['done'] },
      { ...calendarView('a', 'second'), dependsOn: ['first'] },
    ]);
    const retried = envelopeOf(graph.requests[1] as TransportRequest).requests;
    expect(retried.map((r) => [r.id, r.dependsOn])).toEqual([
      ['first', undefined],
      ['second', ['first']],
    ]);
    expect([...responses.values()].map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('returns still-throttled sub-requests with a GraphError once retries run out', async () => {
    const graph = batchGraph(
      () => ({
        status: 429,
        headers: { 'Retry-After': '3' },
        body: graphErrorBody('TooManyRequests'),
      }),
      { maxRetries: 2 },
    );
    const responses = await graph.client.batch([calendarView('a', 'x')]);
    expect(graph.requests).toHaveLength(3);
    const error = responses.get('x')?.error;
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 429, code: 'TooManyRequests', retryAfterMs: 3_000 });
  });

  it('returns other failures as they are, without retrying', async () => {
    const graph = batchGraph(() => ({
      status: 404,
      body: graphErrorBody('MailboxNotEnabledForRESTAPI'),
    }));
    const responses = await graph.client.batch([calendarView('lee', 'x')]);
    expect(graph.requests).toHaveLength(1);
    expect(responses.get('x')?.error).toMatchObject({
      status: 404,
      code: 'MailboxNotEnabledForRESTAPI',
    });
  });

  it('retries a throttled envelope through the HTTP retry handler', async () => {
    let envelopes = 0;
    const graph = scriptedGraph((request) => {
      envelopes += 1;
      if (envelopes === 1)
        return jsonResponse(429, graphErrorBody('TooManyRequests'), { 'Retry-After': '2' });
      return jsonResponse(200, {
        responses: envelopeOf(request).requests.map((sub) => ({
          id: sub.id,
          status: 200,
          body: {},
        })),
      });
    });
    const responses = await graph.client.batch([calendarView('a', 'x')]);
    expect(graph.sleeps).toEqual([2_000]);
    expect(responses.get('x')?.status).toBe(200);
  });

  it('holds up to 4 slots of a mailbox while a batch reads it', async () => {
    const graph = batchGraph(() => ({ status: 200 }));
    await graph.client.batch([
      ...Array.from({ length: 10 }, (_, i) => calendarView('busy', `busy${i}`)),
      calendarView('quiet', 'quiet'),
    ]);
    expect(graph.client.stats().peakInFlightByMailbox).toEqual({ busy: 4, quiet: 1 });
  });

  it('turns Graph links into relative sub-request urls', async () => {
    const graph = batchGraph(() => ({ status: 200 }));
    await graph.client.batch([
      {
        id: 'd',
        method: 'GET',
        url: 'https://graph.test/v1.0/users/a/calendarView/delta?$deltatoken=t',
      },
    ]);
    expect(envelopeOf(graph.requests[0] as TransportRequest).requests[0]?.url).toBe(
      '/users/a/calendarView/delta?$deltatoken=t',
    );
  });

  it('refuses repeated ids and dependencies across chunks before sending anything', async () => {
    const graph = batchGraph(() => ({ status: 200 }));
    await expect(
      graph.client.batch([calendarView('a', 'x'), calendarView('a', 'x')]),
    ).rejects.toThrow(/unique/);
    const many = Array.from({ length: 21 }, (_, i) => calendarView('a', `r${i}`));
    many[20] = { ...calendarView('a', 'r20'), dependsOn: ['r0'] } as (typeof many)[number];
    await expect(graph.client.batch(many)).rejects.toThrow(/same 20/);
    expect(graph.requests).toHaveLength(0);
  });
});
