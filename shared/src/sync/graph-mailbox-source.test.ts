// The Graph source on a scripted transport: the requests it sends, the pages it yields, thin
// occurrences read whole, and Graph's errors as the failures the sync acts on.
import { describe, expect, it } from 'vitest';
import { graphErrorBody, jsonResponse, scriptedGraph } from '../graph/testing.js';
import { createGraphMailboxSource } from './graph-mailbox-source.js';
import {
  MailboxSourceError,
  type CalendarPage,
  type MailboxSourceFailure,
} from './mailbox-source.js';

const USER = 'a1d3c6b2-7e4f-4c1a-8b2d-3f5e6a7b8c01';
const MAILBOX = {
  userId: USER,
  userPrincipalName: 'adele@contoso.com',
  email: 'adele@contoso.com',
};
const PRIMARY = { calendarId: 'AAMkPrimary=', name: 'Calendar', isDefault: true };
const OTHER = { calendarId: 'AAMk/Other=', name: 'Customers', isDefault: false };
const WINDOW = { kind: 'window', start: Date.UTC(2025, 0, 1), end: Date.UTC(2026, 0, 1) } as const;

async function pagesOf(iterable: AsyncIterable<CalendarPage>): Promise<CalendarPage[]> {
  const pages: CalendarPage[] = [];
  for await (const page of iterable) pages.push(page);
  return pages;
}

async function failureOf(promise: Promise<unknown>): Promise<MailboxSourceError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof MailboxSourceError))
    throw new Error(`expected a MailboxSourceError, got ${String(error)}`);
  return error;
}

describe('createGraphMailboxSource', () => {
  it('asks for the next page as soon as a page arrives, before the caller has stored it', async () => {
    const graph = scriptedGraph((request) =>
      request.url.includes('skiptoken')
        ? jsonResponse(200, {
            value: [{ id: 'e2', iCalUId: 'uid-2' }],
            '@odata.deltaLink': 'https://graph.test/v1.0/users/x/calendarView/delta?$deltatoken=d1',
          })
        : jsonResponse(200, {
            value: [{ id: 'e1', iCalUId: 'uid-1' }],
            '@odata.nextLink': 'https://graph.test/v1.0/users/x/calendarView/delta?$skiptoken=s1',
          }),
    );
    const source = createGraphMailboxSource(graph.client);
    const pages = source.readCalendarPages(MAILBOX, PRIMARY, WINDOW)[Symbol.asyncIterator]();
    const first = await pages.next();
    expect(first.value).toMatchObject({ items: [{ id: 'e1' }] });
    // while the caller holds the first page, the second is already being read
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(graph.requests.map((request) => request.url)).toEqual([
      expect.stringContaining('startDateTime='),
      expect.stringContaining('$skiptoken=s1'),
    ]);
    expect((await pages.next()).value).toMatchObject({ items: [{ id: 'e2' }] });
    expect((await pages.next()).done).toBe(true);
    expect(graph.requests).toHaveLength(2);
  });

  it('starts a round over the window with the page size asked for, then follows the links', async () => {
    const graph = scriptedGraph((request) =>
      request.url.includes('skiptoken')
        ? jsonResponse(200, {
            value: [{ id: 'gone', '@removed': { reason: 'deleted' } }],
            '@odata.deltaLink': 'https://graph.test/v1.0/users/x/calendarView/delta?$deltatoken=d1',
          })
        : jsonResponse(200, {
            value: [{ id: 'e1', iCalUId: 'uid-1' }],
            '@odata.nextLink': 'https://graph.test/v1.0/users/x/calendarView/delta?$skiptoken=s1',
          }),
    );
    const source = createGraphMailboxSource(graph.client, { pageSize: 50 });
    const pages = await pagesOf(source.readCalendarPages(MAILBOX, PRIMARY, WINDOW));
    expect(graph.requests[0]?.url).toBe(
      `https://graph.test/v1.0/users/${USER}/calendarView/delta?startDateTime=2025-01-01T00:00:00.000Z&endDateTime=2026-01-01T00:00:00.000Z`,
    );
    // bodies as text: the sync reads none, and text is much smaller than HTML
    expect(graph.requests[0]?.headers.get('prefer')).toBe(
      'IdType="ImmutableId", odata.maxpagesize=50, outlook.body-content-type="text"',
    );
    expect(graph.requests[1]?.url).toContain('$skiptoken=s1');
    expect(pages).toEqual([
      {
        items: [{ id: 'e1', iCalUId: 'uid-1' }],
        removedIds: [],
        nextLink: 'https://graph.test/v1.0/users/x/calendarView/delta?$skiptoken=s1',
        deltaLink: undefined,
      },
      {
        items: [],
        removedIds: ['gone'],
        nextLink: undefined,
        deltaLink: 'https://graph.test/v1.0/users/x/calendarView/delta?$deltatoken=d1',
      },
    ]);
  });

  it('reads a calendar other than the primary one by its own path', async () => {
    const graph = scriptedGraph(() =>
      jsonResponse(200, { value: [], '@odata.deltaLink': 'https://graph.test/v1.0/d' }),
    );
    await pagesOf(createGraphMailboxSource(graph.client).readCalendarPages(MAILBOX, OTHER, WINDOW));
    expect(graph.requests[0]?.url).toMatch(
      new RegExp(
        `/v1.0/users/${USER}/calendars/AAMk%2FOther%3D/calendarView/delta\\?startDateTime=`,
      ),
    );
  });

  it('reads occurrences that come without an iCalUId whole, and drops those gone meanwhile', async () => {
    const graph = scriptedGraph((request) => {
      if (request.url.endsWith('/events/thin'))
        return jsonResponse(200, { id: 'thin', iCalUId: 'uid-thin', type: 'occurrence' });
      if (request.url.endsWith('/events/vanished'))
        return jsonResponse(404, graphErrorBody('ErrorItemNotFound'));
      return jsonResponse(200, {
        value: [
          { id: 'thin', type: 'occurrence', seriesMasterId: 'm' },
          { id: 'vanished', type: 'occurrence', seriesMasterId: 'm' },
        ],
        '@odata.deltaLink': 'https://graph.test/v1.0/d',
      });
    });
    const [page] = await pagesOf(
      createGraphMailboxSource(graph.client).readCalendarPages(MAILBOX, PRIMARY, WINDOW),
    );
    expect(page?.items).toEqual([{ id: 'thin', iCalUId: 'uid-thin', type: 'occurrence' }]);
    expect(page?.removedIds).toEqual(['vanished']);
  });

  it('lists calendars with the default one flagged', async () => {
    const graph = scriptedGraph(() =>
      jsonResponse(200, {
        value: [
          { id: 'c1', name: 'Calendar', isDefaultCalendar: true },
          { id: 'c2', name: 'Birthdays', isDefaultCalendar: false },
        ],
      }),
    );
    const calendars = await createGraphMailboxSource(graph.client).listCalendars(MAILBOX);
    expect(calendars).toEqual([
      { calendarId: 'c1', name: 'Calendar', isDefault: true },
      { calendarId: 'c2', name: 'Birthdays', isDefault: false },
    ]);
  });

  const failures: [string, number, string, MailboxSourceFailure][] = [
    ['an expired delta token', 410, 'SyncStateNotFound', 'cursorExpired'],
    [
      'a user without an Exchange Online mailbox',
      404,
      'MailboxNotEnabledForRESTAPI',
      'mailboxNotFound',
    ],
    ['an application access policy', 403, 'ErrorAccessDenied', 'accessDenied'],
    ['a missing permission', 403, 'Authorization_RequestDenied', 'notAuthorized'],
    ['a lasting outage', 503, 'serviceNotAvailable', 'unavailable'],
    ['something else', 400, 'ErrorInvalidRequest', 'unknown'],
  ];
  for (const [what, status, code, failure] of failures) {
    it(`reports ${what} as ${failure}`, async () => {
      const graph = scriptedGraph(() => jsonResponse(status, graphErrorBody(code)), {
        maxRetries: 0,
      });
      const error = await failureOf(
        pagesOf(createGraphMailboxSource(graph.client).readCalendarPages(MAILBOX, PRIMARY, WINDOW)),
      );
      expect(error.failure).toBe(failure);
      expect(error.code).toBe(status === 410 ? 'syncStateNotFound' : code);
    });
  }

  it('takes a stored link Graph refuses, or one for another Graph host, as expired', async () => {
    const refused = scriptedGraph(() => jsonResponse(400, graphErrorBody('ErrorInvalidUrlQuery')));
    const stored = {
      kind: 'link',
      link: 'https://graph.test/v1.0/users/x/calendarView/delta?$deltatoken=old',
    } as const;
    expect(
      (
        await failureOf(
          pagesOf(
            createGraphMailboxSource(refused.client).readCalendarPages(MAILBOX, PRIMARY, stored),
          ),
        )
      ).failure,
    ).toBe('cursorExpired');
    const elsewhere = {
      kind: 'link',
      link: 'https://127.0.0.1:1/v1.0/users/x/calendarView/delta?$deltatoken=old',
    } as const;
    expect(
      (
        await failureOf(
          pagesOf(
            createGraphMailboxSource(refused.client).readCalendarPages(MAILBOX, PRIMARY, elsewhere),
          ),
        )
      ).failure,
    ).toBe('cursorExpired');
  });
});
