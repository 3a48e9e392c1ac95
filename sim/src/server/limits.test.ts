import { describe, expect, it } from 'vitest';
import { MailboxLimiter, OUTLOOK_LIMITS } from './limits.js';
import { ADELE, ALEX, MEGAN, WINDOW, useTestSim } from './testing.js';

const view = (user: string) =>
  `/users/${user}/calendarView?startDateTime=${WINDOW.start}&endDateTime=${WINDOW.end}&$top=1`;

describe('MailboxLimiter', () => {
  it('admits four in flight per app and mailbox and records the peak attempted', () => {
    const limiter = new MailboxLimiter(OUTLOOK_LIMITS);
    const admitted = [1, 2, 3, 4].map(() => limiter.admit('app', 'box'));
    expect(admitted.every((a) => a.admitted)).toBe(true);
    const fifth = limiter.admit('app', 'box');
    expect(fifth).toMatchObject({ admitted: false, kind: 'concurrency' });
    expect(limiter.admit('other-app', 'box').admitted).toBe(true);
    expect(limiter.admit('app', 'other-box').admitted).toBe(true);
    for (const a of admitted) if (a.admitted) a.release();
    expect(limiter.admit('app', 'box').admitted).toBe(true);
    expect(limiter.peek('box')).toMatchObject({ peakConcurrency: 5, throttled: 1 });
  });

  it('refuses requests over the window budget until the oldest leaves the window', () => {
    const limiter = new MailboxLimiter({ ...OUTLOOK_LIMITS, requestsPerWindow: 3, windowMs: 1000 });
    for (const t of [0, 100, 200]) {
      const a = limiter.admit('app', 'box', t);
      expect(a.admitted).toBe(true);
      if (a.admitted) a.release();
    }
    const over = limiter.admit('app', 'box', 500);
    expect(over).toMatchObject({ admitted: false, kind: 'window', retryAfterSeconds: 0.5 });
    expect(limiter.admit('app', 'box', 1001).admitted).toBe(true);
  });
});

describe('mailbox concurrency over HTTP', () => {
  const sim = useTestSim();

  it('answers 429 ApplicationThrottled to a fifth concurrent request and reports the peak attempted', async () => {
    const { client } = sim;
    await client.appToken();
    // open six connections first, so the six calls below arrive together even on a busy machine
    await Promise.all([1, 2, 3, 4, 5, 6].map(() => client.graph('/organization')));
    await client.control('/faults', { body: { latencyMs: 400 } });
    try {
      const results = await Promise.all([1, 2, 3, 4, 5, 6].map(() => client.graph(view(ADELE.id))));
      const throttled = results.filter((r) => r.status === 429);
      expect(results.filter((r) => r.status === 200)).toHaveLength(4);
      expect(throttled).toHaveLength(2);
      for (const r of throttled) {
        expect(r.json.error.code).toBe('ApplicationThrottled');
        expect(r.json.error.message).toBe('Application is over its MailboxConcurrency limit.');
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      }
    } finally {
      await client.control('/faults', { method: 'DELETE' });
    }
    const stats = await client.control('/stats');
    const adele = stats.json.tenants[0].mailboxes.find(
      (m: { userId: string }) => m.userId === ADELE.id,
    );
    // the peak counts the arriving request even when refused: four in flight plus one = 5
    expect(adele).toMatchObject({ peakConcurrency: 5, throttled: 2, requests: 6 });
  });

  it('shows a client that keeps four in flight never exceeded four', async () => {
    const { client } = sim;
    await client.control('/faults', { body: { latencyMs: 100 } });
    try {
      // two waves of four: the second starts when the first has answered
      for (let wave = 0; wave < 2; wave++) {
        const results = await Promise.all([1, 2, 3, 4].map(() => client.graph(view(ALEX.id))));
        expect(results.every((r) => r.status === 200)).toBe(true);
      }
    } finally {
      await client.control('/faults', { method: 'DELETE' });
    }
    const alex = sim.server.stats().tenants[0]?.mailboxes.find((m) => m.userId === ALEX.id);
    expect(alex).toMatchObject({ peakConcurrency: 4, throttled: 0 });
  });
});

describe('mailbox request budget over HTTP', () => {
  // the 10,000 per 10 minutes budget, shrunk to 5 per minute to reach it quickly
  const sim = useTestSim({ limits: { requestsPerWindow: 5, windowMs: 60_000 } });

  it('answers 429 once a mailbox used its request budget for the window', async () => {
    const { client } = sim;
    for (let i = 0; i < 5; i++) expect((await client.graph(view(MEGAN.id))).status).toBe(200);
    const over = await client.graph(view(MEGAN.id));
    expect(over.status).toBe(429);
    expect(over.json.error.code).toBe('ApplicationThrottled');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(1);
    // other mailboxes and directory calls keep their own budgets
    expect((await client.graph(`/users/${MEGAN.id}`)).status).toBe(200);
    expect((await client.graph(view('diego.siciliani@contoso.com'))).status).toBe(200);
  });
});
