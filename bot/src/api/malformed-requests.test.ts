// A seeded fuzz of every route with malformed input: thousands of requests, no 5xx, no request
// left unanswered, and the service still healthy afterwards (the benchmark sends 10,000+).
import { ADELE, ALEX } from '@warmpath/shared/auth/testing';
import { describeStore } from '@warmpath/shared/store/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServiceUnderTest, type ServiceUnderTest } from '../server/testing.js';
import { malformedRequests, sendMalformedRequests } from './malformed-requests.js';

const REQUESTS = 1_000;
// ~5 s on a quiet 2-core machine; generous for a busy CI runner
const TIMEOUT_MS = 60_000;

describeStore('malformed input on every route', (ctx) => {
  let t: ServiceUnderTest;
  beforeAll(async () => {
    t = await startServiceUnderTest(ctx.store);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it(
    `${REQUESTS} malformed requests: every one answered, none with a 5xx`,
    async () => {
      const tokens = [
        await t.sim.ssoToken(ADELE.upn),
        await t.sim.ssoToken(ALEX.upn),
        await t.sim.ssoToken(t.sim.otherUser.upn),
      ];
      const requests = malformedRequests(t.service.openApi, tokens, REQUESTS, 7);
      const outcome = await sendMalformedRequests(t.service.url, requests);
      expect(outcome.sent).toBe(REQUESTS);
      expect(outcome.failures).toEqual([]);
      // the fuzz reached validation, not only the token check
      expect(outcome.byStatus['400'] ?? 0).toBeGreaterThan(REQUESTS / 10);
      expect(outcome.byStatus['401'] ?? 0).toBeGreaterThan(0);
      expect(outcome.byStatus['413'] ?? 0).toBeGreaterThan(0);
      expect((await t.call('GET', '/healthz')).status).toBe(200);
    },
    TIMEOUT_MS,
  );
});
