// Our responses against Microsoft Graph documentation samples (kept, with attribution, in
// sim/fixtures/server-graph-samples.json under their graph-samples file names): every key of the
// sample must be present with the same JSON type, recursively.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADELE, Receiver, SALES_GROUP, WINDOW, sample, useTestSim } from './testing.js';

const sim = useTestSim();

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Where `actual` lacks a key of `expected` or holds another JSON type. A null in the sample
 * accepts any type; `nullable` lists paths where we may answer null for a sample's value.
 */
function shapeMismatches(
  actual: unknown,
  expected: unknown,
  nullable: readonly string[] = [],
  path = '$',
): string[] {
  const want = jsonType(expected);
  const got = jsonType(actual);
  if (want === 'null') return [];
  if (got !== want)
    return got === 'null' && nullable.includes(path) ? [] : [`${path}: ${got} instead of ${want}`];
  if (want === 'array') {
    const [a] = actual as unknown[];
    const [e] = expected as unknown[];
    return a !== undefined && e !== undefined ? shapeMismatches(a, e, nullable, `${path}[]`) : [];
  }
  if (want !== 'object') return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(expected as Record<string, unknown>)) {
    const record = actual as Record<string, unknown>;
    if (!(key in record)) out.push(`${path}.${key}: missing`);
    else out.push(...shapeMismatches(record[key], value, nullable, `${path}.${key}`));
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- samples are arbitrary JSON
const s = (name: string): any => sample(name);

describe('shapes against Graph documentation samples', () => {
  it('calendarView events (user-list-calendarview__response.json, event-delta__…, delta-query-events__…)', async () => {
    const page = await sim.client.graph(
      `/users/${ADELE.id}/calendarView?startDateTime=${WINDOW.start}&endDateTime=${WINDOW.end}`,
    );
    const event = page.json.value[0];
    expect(shapeMismatches(event, s('user-list-calendarview__response.json').value[0])).toEqual([]);
    const deltaSampleEvent = { ...s('event-delta__example-response-nextLink.json').value[0] };
    // the doc's placeholder values are strings where Graph sends typed values
    deltaSampleEvent.responseStatus = { response: 'accepted', time: '2020-01-01T00:00:00Z' };
    expect(shapeMismatches(event, deltaSampleEvent)).toEqual([]);
    const { '@odata.type': _type, ...calendarViewShape } = s(
      'delta-query-events__3-final-page-deltaLink.json',
    ).value[0];
    expect(shapeMismatches(event, calendarViewShape)).toEqual([]);
  });

  it('GET /events/{id} (event-get__ex2-multiple-locations-UTC.json, top-level properties)', async () => {
    const page = await sim.client.graph(
      `/users/${ADELE.id}/calendarView?startDateTime=${WINDOW.start}&endDateTime=${WINDOW.end}&$top=1`,
    );
    const event = await sim.client.graph(
      `/users/${ADELE.id}/events/${encodeURIComponent(page.json.value[0].id)}`,
    );
    const sampleEvent = s('event-get__ex2-multiple-locations-UTC.json');
    const topLevel = Object.fromEntries(
      Object.entries(sampleEvent as Record<string, unknown>).map(([k, v]) => [
        k,
        Array.isArray(v) ? [] : v && typeof v === 'object' ? {} : v,
      ]),
    );
    expect(shapeMismatches(event.json, topLevel)).toEqual([]);
    expect(shapeMismatches(event.json.attendees, sampleEvent.attendees)).toEqual([]);
    expect(shapeMismatches(event.json.organizer, sampleEvent.organizer)).toEqual([]);
  });

  it('delta pages and removed items (delta-query-events__1…, __3…, __4…)', async () => {
    const first = await sim.client.graph(
      `/users/${ADELE.id}/calendarView/delta?startDateTime=${WINDOW.start}&endDateTime=${WINDOW.end}`,
      {
        headers: { prefer: 'odata.maxpagesize=2' },
      },
    );
    const sample1 = s('delta-query-events__1-initial-page-nextLink.json');
    expect(shapeMismatches({ ...first.json, value: [] }, { ...sample1, value: [] })).toEqual([]);
    expect(shapeMismatches(first.json.value[0], sample1.value[0])).toEqual([]);
    const { items, pages } = await sim.client.allPages(first.json['@odata.nextLink'], {
      headers: { prefer: 'odata.maxpagesize=50' },
    });
    expect(items.length).toBeGreaterThan(0);
    const sample3 = s('delta-query-events__3-final-page-deltaLink.json');
    expect(
      shapeMismatches({ ...pages.at(-1)?.json, value: [] }, { ...sample3, value: [] }),
    ).toEqual([]);

    const created = await sim.client.control(`/users/${ADELE.upn}/events`, {
      body: {
        subject: 'Shape probe',
        start: { dateTime: '2026-12-03T10:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-03T11:00:00', timeZone: 'UTC' },
      },
    });
    const deltaLink = pages.at(-1)?.json['@odata.deltaLink'] as string;
    const withCreated = await sim.client.graph(deltaLink);
    await sim.client.control(`/users/${ADELE.upn}/events/${created.json.id}`, { method: 'DELETE' });
    const removedPage = await sim.client.graph(withCreated.json['@odata.deltaLink']);
    const removedSample = s('delta-query-events__4-next-round-removed-deltaLink.json').value[0];
    const removed = removedPage.json.value[0];
    expect(Object.keys(removed).sort()).toEqual(Object.keys(removedSample).sort());
    expect(shapeMismatches(removed, removedSample)).toEqual([]);
    expect(removed['@removed']).toEqual({ reason: 'deleted' });
  });

  it('throttled answers (throttling__429-sample-response.body.json and .headers.json)', async () => {
    await sim.client.control('/faults', { body: { rate429: 1 } });
    try {
      const result = await sim.client.graph('/organization');
      const headersSample = s('throttling__429-sample-response.headers.json');
      expect(result.status).toBe(headersSample.status);
      expect(result.headers['content-type']).toContain(headersSample.headers['Content-Type']);
      expect(Number.parseFloat(String(result.headers['retry-after']))).toBeGreaterThan(0);
      expect(shapeMismatches(result.json, s('throttling__429-sample-response.body.json'))).toEqual(
        [],
      );
    } finally {
      await sim.client.control('/faults', { method: 'DELETE' });
    }
  });

  it('$batch responses (json-batching__example-response-mixed-200-403-405.json, derived/DERIVED__batch-response-with-429-subresponse.json)', async () => {
    const mixed = s('json-batching__example-response-mixed-200-403-405.json');
    const ok = await sim.client.graph('/$batch', {
      body: {
        requests: [
          { id: '1', method: 'GET', url: `/users/${ADELE.id}/memberOf` },
          { id: '2', method: 'GET', url: '/users?$top=1' },
        ],
      },
    });
    const byId = new Map(ok.json.responses.map((r: { id: string }) => [r.id, r]));
    const success = byId.get('2') as Record<string, unknown>;
    const sampleSuccess = mixed.responses[0];
    expect(
      shapeMismatches({ ...success, body: {} }, { ...sampleSuccess, headers: {}, body: {} }),
    ).toEqual([]);
    expect(Object.keys(success.headers as object)).toEqual(
      expect.arrayContaining(['Cache-Control', 'OData-Version', 'Content-Type']),
    );
    const failure = byId.get('1') as Record<string, unknown>;
    expect(shapeMismatches(failure, { ...mixed.responses[2], headers: {} })).toEqual([]);

    await sim.client.control('/faults', { body: { rate429: 1 } });
    try {
      const throttled = await sim.client.graph('/$batch', {
        body: { requests: [{ id: '2', method: 'GET', url: '/organization' }] },
      });
      const derived = s('derived/DERIVED__batch-response-with-429-subresponse.json').responses[1];
      expect(shapeMismatches(throttled.json.responses[0], derived)).toEqual([]);
    } finally {
      await sim.client.control('/faults', { method: 'DELETE' });
    }
  });

  it('transitiveMembers, rooms and mailboxSettings (group-list-transitivemembers__ex1…, place-list__ex1…, user-get-mailboxsettings__ex1…)', async () => {
    const members = await sim.client.graph(`/groups/${SALES_GROUP}/transitiveMembers`);
    expect(
      shapeMismatches(members.json, s('group-list-transitivemembers__ex1-response.json')),
    ).toEqual([]);
    const rooms = await sim.client.graph('/places/microsoft.graph.room');
    // the fixture room has no coordinates or display device: Graph answers null for those
    expect(
      shapeMismatches(rooms.json, s('place-list__ex1-rooms.json'), [
        '$.value[].geoCoordinates',
        '$.value[].displayDevice',
      ]),
    ).toEqual([]);
    const settings = await sim.client.graph(`/users/${ADELE.id}/mailboxSettings`);
    expect(
      shapeMismatches(settings.json, s('user-get-mailboxsettings__ex1-all-settings.json')),
    ).toEqual([]);
  });

  it('Preference-Applied as in user-list-events__response.headers.json', async () => {
    const headersSample = s('user-list-events__response.headers.json');
    const result = await sim.client.graph(
      `/users/${ADELE.id}/calendarView?startDateTime=${WINDOW.start}&endDateTime=${WINDOW.end}`,
      {
        headers: { prefer: headersSample.request.headers.Prefer },
      },
    );
    expect(result.headers['preference-applied']).toBe(
      headersSample.response.headers['Preference-Applied'],
    );
  });

  describe('subscriptions and notifications', () => {
    let receiver: Receiver;
    beforeAll(async () => {
      receiver = await new Receiver().start();
    });
    afterAll(() => receiver.stop());

    it('subscription 201, change notification and lifecycle notification', async () => {
      const created = await sim.client.graph('/subscriptions', {
        body: {
          changeType: 'created,updated,deleted',
          notificationUrl: `${receiver.url}/notify`,
          lifecycleNotificationUrl: `${receiver.url}/lifecycle`,
          resource: `/users/${ADELE.id}/events`,
          expirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
          clientState: 'state',
        },
      });
      expect(created.status).toBe(201);
      expect(
        shapeMismatches(created.json, s('subscription-post-subscriptions__response-201.json')),
      ).toEqual([]);
      expect(
        shapeMismatches(
          created.json,
          s('outlook-change-notifications-overview__subscription-response-201-full.json'),
        ),
      ).toEqual([]);

      await sim.client.control(`/users/${ADELE.upn}/events`, {
        body: {
          subject: 'Notify shape',
          start: { dateTime: '2026-12-04T10:00:00', timeZone: 'UTC' },
          end: { dateTime: '2026-12-04T11:00:00', timeZone: 'UTC' },
        },
      });
      await receiver.waitFor(() => receiver.notifications().length > 0);
      const notification = JSON.parse(receiver.notifications()[0]?.body ?? '{}');
      expect(
        shapeMismatches(
          notification,
          s('change-notifications-delivery-webhooks__notification-message-created.json'),
        ),
      ).toEqual([]);
      expect(
        shapeMismatches(
          notification,
          s(
            'outlook-change-notifications-overview__notification-without-resource-data-message.json',
          ),
        ),
      ).toEqual([]);
      expect(notification.value[0].resource).toMatch(new RegExp(`^Users/${ADELE.id}/Events/`));

      await sim.client.control(`/subscriptions/${created.json.id}/lifecycle`, {
        body: { lifecycleEvent: 'missed' },
      });
      const lifecycle = JSON.parse(receiver.notifications('/lifecycle')[0]?.body ?? '{}');
      for (const name of [
        'change-notifications-lifecycle-events__lifecycle-notification-structure.json',
        'webhooks-lifecycle__missed.json',
        'webhooks-lifecycle__reauthorizationRequired.json',
        'webhooks-lifecycle__subscriptionRemoved.json',
      ]) {
        expect(shapeMismatches(lifecycle, s(name))).toEqual([]);
        expect(Object.keys(lifecycle.value[0]).sort()).toEqual(
          Object.keys(s(name).value[0]).sort(),
        );
      }
    });
  });
});
