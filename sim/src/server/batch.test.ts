import { afterEach, describe, expect, it } from 'vitest';
import { ADELE, ALEX, DIEGO, MEGAN, WINDOW, useTestSim } from './testing.js';

const sim = useTestSim();
afterEach(async () => {
  await sim.client.control('/faults', { method: 'DELETE' });
});

const viewUrl = (user: string) =>
  `/users/${user}/calendarView?startDateTime=${WINDOW.start}&endDateTime=${WINDOW.end}&$top=2`;

function batch(requests: unknown[]) {
  return sim.client.graph('/$batch', { body: { requests } });
}

describe('$batch', () => {
  it('answers each sub-request in its own envelope entry, matched by id', async () => {
    const result = await batch([
      { id: '1', method: 'GET', url: viewUrl(ADELE.id) },
      { id: '2', method: 'GET', url: `users/${ALEX.id}?$select=id,displayName` },
      { id: '3', method: 'GET', url: '/users/nobody@contoso.com' },
      {
        id: '4',
        method: 'GET',
        url: viewUrl(MEGAN.id),
        headers: { Prefer: 'outlook.timezone="Pacific Standard Time"' },
      },
    ]);
    expect(result.status).toBe(200);
    const byId = new Map(result.json.responses.map((r: { id: string }) => [r.id, r]));
    expect(byId.get('1')).toMatchObject({ status: 200, body: { value: expect.any(Array) } });
    expect(byId.get('2')).toMatchObject({
      status: 200,
      body: { id: ALEX.id, displayName: 'Alex Wilber' },
    });
    expect(byId.get('3')).toMatchObject({
      status: 404,
      body: { error: { code: 'Request_ResourceNotFound' } },
    });
    expect(byId.get('4')).toMatchObject({
      status: 200,
      headers: { 'Preference-Applied': 'outlook.timezone="Pacific Standard Time"' },
    });
  });

  it('rejects more than 20 requests and duplicate ids with 400', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: '/organization',
    }));
    const tooMany = await batch(many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.message).toContain('20');
    expect((await batch(many.slice(0, 20))).status).toBe(200);
    const duplicate = await batch([
      { id: '1', method: 'GET', url: '/organization' },
      { id: '1', method: 'GET', url: '/organization' },
    ]);
    expect(duplicate.status).toBe(400);
    const dangling = await batch([
      { id: '1', method: 'GET', url: '/organization', dependsOn: ['9'] },
    ]);
    expect(dangling.status).toBe(400);
  });

  it('runs dependsOn in order and answers 424 to dependants of a failed request', async () => {
    const result = await batch([
      { id: 'a', method: 'GET', url: '/users/nobody@contoso.com' },
      { id: 'b', method: 'GET', url: '/organization', dependsOn: ['a'] },
      { id: 'c', method: 'GET', url: '/organization', dependsOn: ['b'] },
      { id: 'd', method: 'GET', url: '/organization' },
      { id: 'e', method: 'GET', url: '/organization', dependsOn: ['d'] },
    ]);
    const status = Object.fromEntries(
      result.json.responses.map((r: { id: string; status: number }) => [r.id, r.status]),
    );
    expect(status).toEqual({ a: 404, b: 424, c: 424, d: 200, e: 200 });
  });

  it('forwards at most four Outlook sub-requests at a time, so one batch never trips the mailbox limit', async () => {
    await sim.client.control('/faults', { body: { latencyMs: 60 } });
    const requests = Array.from({ length: 10 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: viewUrl(DIEGO.id),
    }));
    const result = await batch(requests);
    expect(result.json.responses.every((r: { status: number }) => r.status === 200)).toBe(true);
    const diego = sim.server.stats().tenants[0]?.mailboxes.find((m) => m.userId === DIEGO.id);
    expect(diego).toMatchObject({ peakConcurrency: 4, requests: 10, throttled: 0 });
  });

  it('subjects each sub-request to faults: throttled ones answer 429 with Retry-After inside the envelope', async () => {
    await sim.client.control('/faults', { body: { rate429: 1, retryAfterSeconds: 0.2 } });
    const result = await sim.client.call('/v1.0/$batch', {
      token: await sim.client.appToken(),
      body: {
        requests: [
          { id: '1', method: 'GET', url: viewUrl(ADELE.id) },
          { id: '2', method: 'GET', url: '/organization' },
        ],
      },
    });
    expect(result.status).toBe(200);
    for (const response of result.json.responses) {
      expect(response.status).toBe(429);
      expect(response.headers['Retry-After']).toBe('0.2');
      expect(response.body.error.code).toBe('TooManyRequests');
    }
  });

  it('needs a token like any Graph request', async () => {
    const result = await sim.client.call('/v1.0/$batch', {
      body: { requests: [{ id: '1', method: 'GET', url: '/organization' }] },
    });
    expect(result.status).toBe(401);
  });
});
