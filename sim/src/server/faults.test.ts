import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADELE, useTestSim } from './testing.js';

const sim = useTestSim();
beforeAll(async () => {
  await sim.client.appToken();
});
afterEach(async () => {
  await sim.client.control('/faults', { method: 'DELETE' });
});

const faults = (body: unknown) => sim.client.control('/faults', { body });

describe('fault injection', () => {
  it('answers 503 with Retry-After at rate503 = 1, and normally again after DELETE', async () => {
    expect((await faults({ rate503: 1, retryAfterSeconds: 0.05 })).status).toBe(200);
    const failed = await sim.client.graph(`/users/${ADELE.id}`);
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('0.05');
    expect(failed.json.error.code).toBe('serviceNotAvailable');
    await sim.client.control('/faults', { method: 'DELETE' });
    expect((await sim.client.graph(`/users/${ADELE.id}`)).status).toBe(200);
  });

  it('answers 504 at rate504 = 1 and a TooManyRequests 429 at rate429 = 1', async () => {
    await faults({ rate504: 1 });
    expect((await sim.client.graph('/organization')).status).toBe(504);
    await faults({ rate504: 0, rate429: 1, retryAfterSeconds: 0.3 });
    const throttled = await sim.client.graph('/organization');
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('0.3');
    expect(throttled.json.error).toMatchObject({
      code: 'TooManyRequests',
      message: 'Please retry again later.',
      innerError: { code: '429', status: '429', message: 'Please retry after' },
    });
  });

  it('draws the same fault sequence for the same seed', async () => {
    const run = async () => {
      await faults({ rate503: 0.5, seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await sim.client.graph('/organization')).status);
      return statuses;
    };
    const first = await run();
    expect(new Set(first)).toEqual(new Set([200, 503]));
    expect(await run()).toEqual(first);
  });

  it('drops connections without an answer at dropRate = 1', async () => {
    await faults({ dropRate: 1 });
    await expect(sim.client.graph('/organization')).rejects.toThrow(/socket hang up|ECONNRESET/);
    await sim.client.control('/faults', { method: 'DELETE' });
    expect((await sim.client.graph('/organization')).status).toBe(200);
  });

  it('delays Graph answers by latencyMs', async () => {
    await faults({ latencyMs: 120 });
    const started = Date.now();
    await sim.client.graph('/organization');
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('leaves Entra and the control API alone', async () => {
    await faults({ rate503: 1, dropRate: 0 });
    const app = sim.server.app();
    const token = await sim.client.call(`/${app.tenantId}/oauth2/v2.0/token`, {
      form: {
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      },
    });
    expect(token.status).toBe(200);
    expect((await sim.client.control('/health')).status).toBe(200);
  });

  it('validates the settings with a clear 400', async () => {
    const badRate = await faults({ rate429: 2 });
    expect(badRate.status).toBe(400);
    expect(badRate.json.error.message).toContain('rate429');
    const unknown = await faults({ rate42: 0.1 });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain("'rate42'");
    expect((await faults({ accessDenied: ['nobody@contoso.com'] })).status).toBe(404);
    expect((await sim.client.control('/faults', { body: '{not json' })).status).toBe(400);
    const current = await sim.client.control('/faults');
    expect(current.json).toMatchObject({ rate429: 0, rate503: 0, dropRate: 0 });
  });
});
