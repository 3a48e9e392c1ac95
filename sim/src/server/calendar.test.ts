import { afterEach, describe, expect, it } from 'vitest';
import { ADELE, ADELE_CUSTOMER_CALENDAR, ALEX, DIEGO, LEE, WINDOW, useTestSim } from './testing.js';

const sim = useTestSim();
afterEach(async () => {
  await sim.client.control('/faults', { method: 'DELETE' });
});

const view = (user: string, extra = '') =>
  `/users/${user}/calendarView?startDateTime=${WINDOW.start}&endDateTime=${WINDOW.end}${extra}`;
const deltaStart = (user: string) =>
  `/users/${user}/calendarView/delta?startDateTime=${WINDOW.start}&endDateTime=${WINDOW.end}`;

/** Runs one delta round from `link` to its deltaLink; returns the items and that deltaLink. */
async function deltaRound(link: string, pageSize = 2) {
  const { items, pages } = await sim.client.allPages(link, {
    headers: { prefer: `odata.maxpagesize=${pageSize}` },
  });
  const last = pages[pages.length - 1];
  const deltaLink = last?.json['@odata.deltaLink'] as string;
  expect(deltaLink).toMatch(/\$deltatoken=/);
  return { items, pages, deltaLink };
}

describe('calendarView', () => {
  it('pages with absolute nextLinks and returns exactly the engine’s instances', async () => {
    const { items, pages } = await sim.client.allPages(view(ADELE.upn), {
      headers: { prefer: 'odata.maxpagesize=3' },
    });
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages.slice(0, -1)) {
      expect(page.json['@odata.nextLink']).toMatch(
        new RegExp(`^${sim.server.url}/v1\\.0/users/.+\\$skiptoken=`),
      );
      expect(page.json.value).toHaveLength(3);
      expect(page.headers['preference-applied']).toBe('odata.maxpagesize=3');
    }
    const engine = sim.engines[0]!;
    const expected = engine.calendarViewPage({
      userId: ADELE.id,
      start: new Date(WINDOW.start),
      end: new Date(WINDOW.end),
      limit: 1000,
    });
    expect(items.map((e) => e.id)).toEqual(expected.events.map((e) => e.id));
  });

  it('defaults to pages of 10 and honours $top', async () => {
    const first = await sim.client.graph(view(ADELE.upn));
    expect(first.json.value).toHaveLength(10);
    const top = await sim.client.graph(view(ADELE.upn, '&$top=4'));
    expect(top.json.value).toHaveLength(4);
    expect(top.json['@odata.nextLink']).toContain('%24top=4'.replace('%24', '$'));
  });

  it('requires startDateTime and endDateTime with Graph’s message', async () => {
    const result = await sim.client.graph(
      `/users/${ADELE.upn}/calendarView?startDateTime=${WINDOW.start}`,
    );
    expect(result.status).toBe(400);
    expect(result.json.error.code).toBe('ErrorInvalidParameter');
    expect(result.json.error.message).toBe(
      'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    );
  });

  it('shows recurring occurrences and exceptions, never the master or a cancelled occurrence', async () => {
    const { items } = await sim.client.allPages(view(ADELE.upn, '&$top=50'));
    const weekly = items.filter((e) => String(e.subject).startsWith('Adele / Kim weekly sync'));
    // 13 Tuesdays from 1 Sep to 24 Nov 2026, less the cancelled 22 Sep
    expect(weekly).toHaveLength(12);
    expect(weekly.some((e) => e.type === 'seriesMaster')).toBe(false);
    expect(weekly.every((e) => typeof e.seriesMasterId === 'string')).toBe(true);
    const exception = weekly.filter((e) => e.type === 'exception');
    expect(exception).toHaveLength(1);
    expect(exception[0].subject).toBe('Adele / Kim weekly sync (moved)');
    expect(weekly.some((e) => String(e.start.dateTime).startsWith('2026-09-22'))).toBe(false);
    const master = await sim.client.graph(
      `/users/${ADELE.id}/events/${encodeURIComponent(weekly[0].seriesMasterId)}`,
    );
    expect(master.status).toBe(200);
    expect(master.json.type).toBe('seriesMaster');
    expect(master.json.recurrence.pattern.type).toBe('weekly');
  });

  it('serves another calendar of the mailbox under /calendars/{id}', async () => {
    const primary = await sim.client.allPages(view(ADELE.id, '&$top=50'));
    const other = await sim.client.allPages(
      `/users/${ADELE.id}/calendars/${encodeURIComponent(ADELE_CUSTOMER_CALENDAR)}/calendarView?startDateTime=${WINDOW.start}&endDateTime=${WINDOW.end}`,
    );
    expect(other.items.map((e) => e.subject)).toEqual(['Fabrikam site visit']);
    expect(primary.items.some((e) => e.subject === 'Fabrikam site visit')).toBe(false);
    const missing = await sim.client.graph(
      `/users/${ADELE.id}/calendars/nope/calendarView?startDateTime=${WINDOW.start}&endDateTime=${WINDOW.end}`,
    );
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('ErrorItemNotFound');
  });

  it('converts start and end for Prefer: outlook.timezone and says so in Preference-Applied', async () => {
    // only the first weekly sync (Tuesday 1 Sep 2026, 09:00 Pacific) falls in this window
    const firstSync = `/users/${ADELE.upn}/calendarView?startDateTime=2026-09-01T00:00:00Z&endDateTime=2026-09-02T00:00:00Z`;
    const utc = await sim.client.graph(firstSync);
    expect(utc.json.value).toHaveLength(1);
    expect(utc.json.value[0].start).toEqual({
      dateTime: '2026-09-01T16:00:00.0000000',
      timeZone: 'UTC',
    });
    expect(utc.headers['preference-applied']).toBeUndefined();
    const pacific = await sim.client.graph(firstSync, {
      headers: { prefer: 'outlook.timezone="Pacific Standard Time"' },
    });
    expect(pacific.headers['preference-applied']).toBe('outlook.timezone="Pacific Standard Time"');
    expect(pacific.json.value[0].start).toEqual({
      dateTime: '2026-09-01T09:00:00.0000000',
      timeZone: 'Pacific Standard Time',
    });
    const unknown = await sim.client.graph(firstSync, {
      headers: { prefer: 'outlook.timezone="Mars/Olympus"' },
    });
    expect(unknown.headers['preference-applied']).toBeUndefined();
    expect(unknown.json.value[0].start.timeZone).toBe('UTC');
  });

  it('sends HTML bodies as plain text for Prefer: outlook.body-content-type="text" and says so', async () => {
    const firstSync = `/users/${ADELE.upn}/calendarView?startDateTime=2026-09-01T00:00:00Z&endDateTime=2026-09-02T00:00:00Z`;
    const html = await sim.client.graph(firstSync);
    expect(html.json.value[0].body).toEqual({
      contentType: 'html',
      content: '<html><body><p>Weekly check-in on the Fabrikam rollout.</p></body></html>',
    });
    const text = await sim.client.graph(firstSync, {
      headers: { prefer: 'odata.maxpagesize=5, outlook.body-content-type="text"' },
    });
    expect(text.headers['preference-applied']).toBe(
      'odata.maxpagesize=5, outlook.body-content-type="text"',
    );
    expect(text.json.value[0].body).toEqual({
      contentType: 'text',
      content: 'Weekly check-in on the Fabrikam rollout.',
    });
    // everything else is as it was, the preview included
    expect({ ...text.json.value[0], body: undefined }).toEqual({
      ...html.json.value[0],
      body: undefined,
    });
    const delta = await sim.client.graph(deltaStart(ADELE.upn), {
      headers: { prefer: 'outlook.body-content-type="text"' },
    });
    expect(delta.headers['preference-applied']).toBe('outlook.body-content-type="text"');
    expect(
      (delta.json.value as { body?: { contentType: string } }[]).every(
        (item) => item.body === undefined || item.body.contentType === 'text',
      ),
    ).toBe(true);
  });

  it('serves immutable ids on request and accepts both encodings on lookups', async () => {
    const rest = await sim.client.graph(view(ADELE.upn, '&$top=1'));
    const immutable = await sim.client.graph(view(ADELE.upn, '&$top=1'), {
      headers: { prefer: 'IdType="ImmutableId"' },
    });
    expect(immutable.headers['preference-applied']).toBe('IdType="ImmutableId"');
    const restId = rest.json.value[0].id as string;
    const immutableId = immutable.json.value[0].id as string;
    expect(immutableId).not.toBe(restId);
    expect(immutableId.startsWith('AAkALg')).toBe(true);
    expect(immutable.json.value[0].seriesMasterId).not.toBe(rest.json.value[0].seriesMasterId);
    for (const id of [restId, immutableId]) {
      const got = await sim.client.graph(`/users/${ADELE.id}/events/${encodeURIComponent(id)}`);
      expect(got.status).toBe(200);
      expect(got.json.id).toBe(restId);
    }
  });

  it('answers ErrorItemNotFound for an unknown event and ErrorInvalidUser for an unknown user', async () => {
    const event = await sim.client.graph(`/users/${ADELE.id}/events/AAMkAnope`);
    expect(event.status).toBe(404);
    expect(event.json.error.code).toBe('ErrorItemNotFound');
    const user = await sim.client.graph(view('ghost@contoso.com'));
    expect(user.status).toBe(404);
    expect(user.json.error.code).toBe('ErrorInvalidUser');
  });

  it('answers 404 MailboxNotEnabledForRESTAPI for a user without a mailbox', async () => {
    for (const path of [
      view(LEE.upn),
      `/users/${LEE.id}/mailboxSettings`,
      `/users/${LEE.id}/calendars`,
    ]) {
      const result = await sim.client.graph(path);
      expect(result.status).toBe(404);
      expect(result.json.error.code).toBe('MailboxNotEnabledForRESTAPI');
    }
    expect((await sim.client.graph(`/users/${LEE.id}`)).status).toBe(200);
  });

  it('answers 403 ErrorAccessDenied for a mailbox outside the application access policy', async () => {
    expect(
      (await sim.client.control('/faults', { body: { accessDenied: [ALEX.upn] } })).status,
    ).toBe(200);
    const denied = await sim.client.graph(view(ALEX.id));
    expect(denied.status).toBe(403);
    expect(denied.json.error).toMatchObject({
      code: 'ErrorAccessDenied',
      message: 'Access to OData is disabled.',
    });
    expect((await sim.client.graph(view(ADELE.id))).status).toBe(200);
    expect((await sim.client.graph(`/users/${ALEX.id}`)).status).toBe(200);
    await sim.client.control('/faults', { method: 'DELETE' });
    expect((await sim.client.graph(view(ALEX.id))).status).toBe(200);
  });
});

describe('calendarView/delta', () => {
  it('tracks created, updated, cancelled and deleted meetings across rounds', async () => {
    const adeleStart = await deltaRound(deltaStart(ADELE.id));
    const alexStart = await deltaRound(deltaStart(ALEX.id));
    expect(adeleStart.items.length).toBeGreaterThan(10);
    expect(
      adeleStart.pages
        .slice(0, -1)
        .every((p) => String(p.json['@odata.nextLink']).includes('$skiptoken=')),
    ).toBe(true);
    // the window lives in the token; links do not repeat it
    expect(adeleStart.deltaLink).not.toContain('startDateTime');

    const quiet = await deltaRound(adeleStart.deltaLink);
    expect(quiet.items).toEqual([]);

    const created = await sim.client.control(`/users/${ADELE.upn}/events`, {
      body: {
        subject: 'Delta probe',
        start: { dateTime: '2026-12-01T10:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-01T11:00:00', timeZone: 'UTC' },
        attendees: [{ type: 'required', emailAddress: { address: ALEX.upn, name: 'Alex Wilber' } }],
      },
    });
    expect(created.status).toBe(201);
    const eventId = created.json.id as string;

    const afterCreate = await deltaRound(quiet.deltaLink);
    expect(afterCreate.items.map((e) => [e.id, e.subject])).toEqual([[eventId, 'Delta probe']]);
    const alexAfterCreate = await deltaRound(alexStart.deltaLink);
    expect(alexAfterCreate.items).toHaveLength(1);
    const alexCopyId = alexAfterCreate.items[0].id as string;
    expect(alexCopyId).not.toBe(eventId);

    expect(
      (
        await sim.client.control(`/users/${ADELE.upn}/events/${eventId}`, {
          method: 'PATCH',
          body: { subject: 'Delta probe, renamed' },
        })
      ).status,
    ).toBe(200);
    const afterUpdate = await deltaRound(afterCreate.deltaLink);
    expect(afterUpdate.items.map((e) => [e.id, e.subject])).toEqual([
      [eventId, 'Delta probe, renamed'],
    ]);

    expect(
      (await sim.client.control(`/users/${ADELE.upn}/events/${eventId}/cancel`, { method: 'POST' }))
        .status,
    ).toBe(204);
    const afterCancel = await deltaRound(afterUpdate.deltaLink);
    expect(afterCancel.items).toEqual([
      { '@odata.type': '#microsoft.graph.event', id: eventId, '@removed': { reason: 'deleted' } },
    ]);
    const alexAfterCancel = await deltaRound(alexAfterCreate.deltaLink);
    expect(alexAfterCancel.items).toHaveLength(1);
    expect(alexAfterCancel.items[0]).toMatchObject({ id: alexCopyId, isCancelled: true });

    expect(
      (await sim.client.control(`/users/${ALEX.upn}/events/${alexCopyId}`, { method: 'DELETE' }))
        .status,
    ).toBe(204);
    const alexAfterDelete = await deltaRound(alexAfterCancel.deltaLink);
    expect(alexAfterDelete.items).toEqual([
      {
        '@odata.type': '#microsoft.graph.event',
        id: alexCopyId,
        '@removed': { reason: 'deleted' },
      },
    ]);
  });

  it('keeps the window and ids encoding of the round (immutable ids in @removed too)', async () => {
    const headers = { prefer: 'IdType="ImmutableId", odata.maxpagesize=50' };
    const start = await sim.client.allPages(deltaStart(DIEGO.id), { headers });
    const deltaLink = start.pages.at(-1)?.json['@odata.deltaLink'] as string;
    expect(start.items.every((e) => String(e.id).startsWith('AAkALg'))).toBe(true);
    const dentist = start.items.find((e) => e.subject === 'Dentist');
    expect(dentist).toBeDefined();
    const restId = (
      await sim.client.graph(`/users/${DIEGO.id}/events/${encodeURIComponent(dentist.id)}`)
    ).json.id as string;
    expect(
      (await sim.client.control(`/users/${DIEGO.id}/events/${restId}`, { method: 'DELETE' }))
        .status,
    ).toBe(204);
    const next = await sim.client.allPages(deltaLink, { headers });
    expect(next.items).toEqual([
      {
        '@odata.type': '#microsoft.graph.event',
        id: dentist.id,
        '@removed': { reason: 'deleted' },
      },
    ]);
  });

  it('answers 410 syncStateNotFound for an expired token until the mailbox is re-baselined', async () => {
    const round = await deltaRound(deltaStart(ALEX.id));
    expect(
      (await sim.client.control('/faults', { body: { expireDeltaTokens: [ALEX.id] } })).status,
    ).toBe(200);
    const expired = await sim.client.graph(round.deltaLink);
    expect(expired.status).toBe(410);
    expect(expired.json.error.code).toBe('syncStateNotFound');
    expect(expired.headers.location).toContain('/calendarView/delta?startDateTime=');
    const other = await deltaRound(deltaStart(ADELE.id));
    expect((await sim.client.graph(other.deltaLink)).status).toBe(200);
    const rebaselined = await deltaRound(deltaStart(ALEX.id));
    expect((await sim.client.graph(rebaselined.deltaLink)).status).toBe(200);
  });

  it('requires the window on the first call and rejects a token of another mailbox', async () => {
    const first = await sim.client.graph(`/users/${ADELE.id}/calendarView/delta`);
    expect(first.status).toBe(400);
    expect(first.json.error.code).toBe('ErrorInvalidParameter');
    const round = await deltaRound(deltaStart(ADELE.id));
    const token = new URL(round.deltaLink).searchParams.get('$deltatoken');
    const foreign = await sim.client.graph(
      `/users/${ALEX.id}/calendarView/delta?$deltatoken=${token}`,
    );
    expect(foreign.status).toBe(400);
  });

  it('tracks another calendar of the mailbox separately', async () => {
    const base = `/users/${ADELE.id}/calendars/${encodeURIComponent(ADELE_CUSTOMER_CALENDAR)}/calendarView/delta?startDateTime=${WINDOW.start}&endDateTime=${WINDOW.end}`;
    const round = await deltaRound(base);
    expect(round.items.map((e) => e.subject)).toEqual(['Fabrikam site visit']);
    expect(round.deltaLink).toContain(
      `/calendars/${encodeURIComponent(ADELE_CUSTOMER_CALENDAR)}/calendarView/delta`,
    );
  });
});
