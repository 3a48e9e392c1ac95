import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADELE, ALEX, LEE, Receiver, sleep, useTestSim } from './testing.js';

const sim = useTestSim({ delivery: { initialBackoffMs: 50, maxRetryMs: 3000 } });
let receiver: Receiver;
beforeEach(async () => {
  receiver = await new Receiver().start();
});
afterEach(async () => {
  await receiver.stop();
  for (const s of (await sim.client.graph('/subscriptions')).json.value) {
    await sim.client.graph(`/subscriptions/${s.id}`, { method: 'DELETE' });
  }
});

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

function subscribe(overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return sim.client.graph('/subscriptions', {
    headers,
    body: {
      changeType: 'created,updated,deleted',
      notificationUrl: `${receiver.url}/notify?source=graph`,
      lifecycleNotificationUrl: `${receiver.url}/lifecycle`,
      resource: `/users/${ADELE.id}/events`,
      expirationDateTime: inMinutes(60),
      clientState: 'secret-state',
      ...overrides,
    },
  });
}

function createMeeting(subject: string, organizer = ADELE.upn) {
  return sim.client.control(`/users/${organizer}/events`, {
    body: {
      subject,
      start: { dateTime: '2026-12-02T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-12-02T10:30:00', timeZone: 'UTC' },
    },
  });
}

describe('creating subscriptions', () => {
  it('validates both URLs with the handshake and answers 201 with the subscription', async () => {
    const result = await subscribe();
    expect(result.status).toBe(201);
    const validations = receiver.requests.filter((r) => r.url.searchParams.has('validationToken'));
    expect(validations.map((r) => r.url.pathname).sort()).toEqual(['/lifecycle', '/notify']);
    for (const v of validations) {
      expect(v.method).toBe('POST');
      expect(v.headers['content-type']).toBe('text/plain; charset=utf-8');
      // the token has spaces and a colon: the receiver must URL-decode it
      expect(v.url.searchParams.get('validationToken')).toMatch(/^Validation: /);
    }
    expect(
      validations.find((v) => v.url.pathname === '/notify')?.url.searchParams.get('source'),
    ).toBe('graph');
    expect(result.json).toMatchObject({
      resource: `/users/${ADELE.id}/events`,
      changeType: 'created,updated,deleted',
      clientState: 'secret-state',
      applicationId: sim.server.app().clientId,
      lifecycleNotificationUrl: `${receiver.url}/lifecycle`,
    });
    const listed = await sim.client.graph('/subscriptions');
    expect(listed.json.value.map((s: { id: string }) => s.id)).toEqual([result.json.id]);
  });

  it('refuses a receiver that does not echo the decoded validation token', async () => {
    receiver.validationAnswer = (token) => encodeURIComponent(token);
    const result = await subscribe();
    expect(result.status).toBe(400);
    expect(result.json.error.message).toMatch(/validation/i);
    expect((await sim.client.graph('/subscriptions')).json.value).toEqual([]);
  });

  it('refuses expirations beyond 4,230 minutes, long clientStates, plain-http remote URLs and bad resources', async () => {
    expect((await subscribe({ expirationDateTime: inMinutes(4231) })).status).toBe(400);
    expect((await subscribe({ expirationDateTime: inMinutes(4229) })).status).toBe(201);
    expect((await subscribe({ clientState: 'x'.repeat(129) })).status).toBe(400);
    expect((await subscribe({ notificationUrl: 'http://example.com/notify' })).status).toBe(400);
    expect((await subscribe({ changeType: 'created,moved' })).status).toBe(400);
    expect((await subscribe({ resource: '/users/x/messages' })).status).toBe(400);
    const noMailbox = await subscribe({ resource: `/users/${LEE.id}/events` });
    expect(noMailbox.status).toBe(404);
    expect(noMailbox.json.error.code).toBe('MailboxNotEnabledForRESTAPI');
  });

  it('renews with PATCH and deletes with DELETE', async () => {
    const created = await subscribe();
    const id = created.json.id as string;
    const later = inMinutes(2000);
    const renewed = await sim.client.graph(`/subscriptions/${id}`, {
      method: 'PATCH',
      body: { expirationDateTime: later },
    });
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.json.expirationDateTime)).toBe(Date.parse(later));
    const tooFar = await sim.client.graph(`/subscriptions/${id}`, {
      method: 'PATCH',
      body: { expirationDateTime: inMinutes(5000) },
    });
    expect(tooFar.status).toBe(400);
    expect((await sim.client.graph(`/subscriptions/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await sim.client.graph(`/subscriptions/${id}`)).status).toBe(404);
  });
});

describe('change notifications', () => {
  it('posts changes of the mailbox with clientState, coalescing a burst into one POST', async () => {
    const created = await subscribe();
    // a burst straight on the engine, so the three changes surely fall within the 100 ms window
    const engine = sim.engines[0]!;
    const ids = ['One', 'Two', 'Three'].map(
      (subject) =>
        engine.createEvent(ADELE.id, {
          event: {
            subject,
            start: { dateTime: '2026-12-02T10:00:00', timeZone: 'UTC' },
            end: { dateTime: '2026-12-02T10:30:00', timeZone: 'UTC' },
          },
        }).id,
    );
    await receiver.waitFor(() => receiver.notifications().length > 0);
    await sleep(250);
    const posts = receiver.notifications();
    expect(posts).toHaveLength(1);
    expect(posts[0]?.url.searchParams.get('source')).toBe('graph');
    const value = JSON.parse(posts[0]?.body ?? '{}').value as Array<Record<string, unknown>>;
    const createdItems = value.filter((n) => n.changeType === 'created');
    expect(createdItems.map((n) => n.resource)).toEqual(
      ids.map((id) => `Users/${ADELE.id}/Events/${id}`),
    );
    for (const n of value) {
      expect(n).toMatchObject({
        subscriptionId: created.json.id,
        clientState: 'secret-state',
        tenantId: sim.server.app().tenantId,
        subscriptionExpirationDateTime: created.json.expirationDateTime,
        resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': n.resource },
      });
    }
  });

  it('notifies only for the subscribed mailbox and change types', async () => {
    await subscribe({ changeType: 'deleted' });
    await createMeeting('Not for this subscription', ALEX.upn);
    const mine = await createMeeting('Created, then deleted');
    await sleep(250);
    expect(receiver.notifications()).toHaveLength(0);
    await sim.client.control(`/users/${ADELE.upn}/events/${mine.json.id}`, { method: 'DELETE' });
    await receiver.waitFor(() => receiver.notifications().length > 0);
    const value = JSON.parse(receiver.notifications()[0]?.body ?? '{}').value;
    expect(value.map((n: { changeType: string }) => n.changeType)).toEqual(['deleted']);
  });

  it('retries a notification the receiver failed to accept', async () => {
    await subscribe();
    let calls = 0;
    receiver.status = () => (++calls === 1 ? 503 : 202);
    await createMeeting('Retry me');
    await receiver.waitFor(() => receiver.notifications().length >= 2);
    const [first, second] = receiver.notifications();
    expect(second?.body).toBe(first?.body);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(40);
    expect(sim.server.stats().notifications.deliveryFailures).toBeGreaterThanOrEqual(1);
  });

  it('uses immutable ids when the subscription was created with Prefer: IdType="ImmutableId"', async () => {
    const created = await subscribe({}, { prefer: 'IdType="ImmutableId"' });
    expect(created.headers['preference-applied']).toBe('IdType="ImmutableId"');
    const event = await createMeeting('Immutable');
    await receiver.waitFor(() => receiver.notifications().length > 0);
    const [n] = JSON.parse(receiver.notifications()[0]?.body ?? '{}').value;
    expect(n.resourceData.id).not.toBe(event.json.id);
    expect(n.resourceData.id.startsWith('AAkALg')).toBe(true);
    expect(
      (await sim.client.graph(`/users/${ADELE.id}/events/${encodeURIComponent(n.resourceData.id)}`))
        .json.id,
    ).toBe(event.json.id);
  });

  it('stops notifying once the subscription has expired', async () => {
    const created = await subscribe({
      expirationDateTime: new Date(Date.now() + 1500).toISOString(),
    });
    expect(created.status).toBe(201);
    await sleep(Date.parse(created.json.expirationDateTime) - Date.now() + 50);
    await createMeeting('After expiry');
    await sleep(300);
    expect(receiver.notifications()).toHaveLength(0);
    expect((await sim.client.graph(`/subscriptions/${created.json.id}`)).status).toBe(404);
  });
});

describe('lifecycle notifications', () => {
  it('posts each lifecycle event to the lifecycleNotificationUrl; subscriptionRemoved deletes it', async () => {
    const created = await subscribe();
    const id = created.json.id as string;
    for (const lifecycleEvent of ['reauthorizationRequired', 'missed', 'subscriptionRemoved']) {
      const result = await sim.client.control(`/subscriptions/${id}/lifecycle`, {
        body: { lifecycleEvent },
      });
      expect(result.status).toBe(200);
      expect(result.json.delivered).toBe(true);
    }
    const posts = receiver.notifications('/lifecycle');
    expect(posts.map((p) => JSON.parse(p.body).value[0].lifecycleEvent)).toEqual([
      'reauthorizationRequired',
      'missed',
      'subscriptionRemoved',
    ]);
    expect(JSON.parse(posts[0]?.body ?? '{}').value[0]).toEqual({
      subscriptionId: id,
      subscriptionExpirationDateTime: created.json.expirationDateTime,
      tenantId: sim.server.app().tenantId,
      clientState: 'secret-state',
      lifecycleEvent: 'reauthorizationRequired',
    });
    expect((await sim.client.graph(`/subscriptions/${id}`)).status).toBe(404);
  });

  it('rejects an unknown lifecycle event with 400', async () => {
    const created = await subscribe();
    const result = await sim.client.control(`/subscriptions/${created.json.id}/lifecycle`, {
      body: { lifecycleEvent: 'gone' },
    });
    expect(result.status).toBe(400);
  });
});
