// The app-only Microsoft Graph mailbox source: calendars and calendarView/delta pages of any
// mailbox the app may read (graph-facts §2).
import {
  GraphError,
  JsonItemMembers,
  SYNC_STATE_NOT_FOUND,
  type GraphClient,
} from '../graph/index.js';
import {
  MailboxSourceError,
  type CalendarPage,
  type CalendarReadStart,
  type MailboxSource,
  type MailboxSourceFailure,
  type SourceCalendar,
  type SourceMailbox,
} from './mailbox-source.js';
import { GRAPH_EVENT_MEMBERS_READ, isRemovedItem } from './normalize-event.js';

/** Events per delta page asked of Graph (Prefer: odata.maxpagesize); Graph may send fewer. */
export const DEFAULT_EVENT_PAGE_SIZE = 100;

/**
 * What a delta page request prefers besides its page size: bodies as plain text, much smaller
 * than HTML (graph-facts §2.2). The sync never reads a body; this only shrinks each page.
 */
export const EVENT_PAGE_PREFERENCES = 'outlook.body-content-type="text"';

/** The event members the sync reads; the parser skips the others (subject, body, location, …). */
const EVENT_MEMBERS = new JsonItemMembers(GRAPH_EVENT_MEMBERS_READ);

export interface GraphMailboxSourceOptions {
  /** events per page asked for; default 100 */
  pageSize?: number;
}

interface GraphCalendar {
  id: string;
  name?: string | null;
  isDefaultCalendar?: boolean | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function calendarViewDeltaPath(mailbox: SourceMailbox, calendar: SourceCalendar): string {
  const user = `/users/${encodeURIComponent(mailbox.userId)}`;
  // v1.0 documents the primary calendar's path; other calendars use the per-calendar one
  return calendar.isDefault
    ? `${user}/calendarView/delta`
    : `${user}/calendars/${encodeURIComponent(calendar.calendarId)}/calendarView/delta`;
}

/** Graph's error codes, lower-cased, by what the sync does about them. */
const MAILBOX_NOT_FOUND_CODES = new Set([
  'mailboxnotenabledforrestapi',
  'mailboxnotsupportedforrestapi',
  'request_resourcenotfound',
  'resourcenotfound',
  'errorinvaliduser',
]);
const NOT_AUTHORIZED_CODES = new Set([
  'authorization_requestdenied',
  'invalidauthenticationtoken',
  'unauthenticated',
]);

/** A GraphError as the failure the sync acts on; anything else passes through unchanged. */
export function toMailboxSourceError(error: unknown, readingStoredLink: boolean): unknown {
  if (!(error instanceof GraphError)) return error;
  const code = error.code.toLowerCase();
  let failure: MailboxSourceFailure;
  if (
    error.status === 410 ||
    code === SYNC_STATE_NOT_FOUND.toLowerCase() ||
    code === 'resyncrequired'
  ) {
    failure = 'cursorExpired';
  } else if (readingStoredLink && (code === 'untrustedlink' || error.status === 400)) {
    // a link from another Graph host (a restarted simulator) or one Graph no longer accepts
    failure = 'cursorExpired';
  } else if (MAILBOX_NOT_FOUND_CODES.has(code)) {
    failure = 'mailboxNotFound';
  } else if (code === 'erroraccessdenied' || code === 'accessdenied') {
    failure = 'accessDenied';
  } else if (error.status === 401 || NOT_AUTHORIZED_CODES.has(code)) {
    failure = 'notAuthorized';
  } else if (error.status === 429) {
    failure = 'throttled';
  } else if (error.status === 0 || error.status >= 500) {
    failure = 'unavailable';
  } else {
    failure = 'unknown';
  }
  return new MailboxSourceError(failure, error.code, error.message, {
    retryAfterMs: error.retryAfterMs,
    cause: error,
  });
}

export function createGraphMailboxSource(
  graph: GraphClient,
  options: GraphMailboxSourceOptions = {},
): MailboxSource {
  const pageSize = options.pageSize ?? DEFAULT_EVENT_PAGE_SIZE;

  /**
   * calendarView/delta can send occurrences with only id, type, start and end (graph-facts §2.4);
   * those are read whole. Null when the item went away meanwhile.
   */
  async function hydrate(mailbox: SourceMailbox, item: unknown): Promise<unknown> {
    if (!isRecord(item) || typeof item.id !== 'string' || typeof item.iCalUId === 'string') {
      return item;
    }
    try {
      return await graph.get<unknown>(
        `/users/${encodeURIComponent(mailbox.userId)}/events/${encodeURIComponent(item.id)}`,
        { mailbox: mailbox.userId },
      );
    } catch (error) {
      if (error instanceof GraphError && error.status === 404) return null;
      throw error;
    }
  }

  return {
    kind: 'graph-app',

    async listCalendars(mailbox) {
      const calendars: SourceCalendar[] = [];
      try {
        for await (const page of graph.getAllPages<GraphCalendar>(
          `/users/${encodeURIComponent(mailbox.userId)}/calendars?$select=id,name,isDefaultCalendar&$top=100`,
          { mailbox: mailbox.userId },
        )) {
          for (const calendar of page.value) {
            calendars.push({
              calendarId: calendar.id,
              name: calendar.name ?? '',
              isDefault: calendar.isDefaultCalendar === true,
            });
          }
        }
      } catch (error) {
        throw toMailboxSourceError(error, false);
      }
      return calendars;
    },

    async *readCalendarPages(
      mailbox: SourceMailbox,
      calendar: SourceCalendar,
      start: CalendarReadStart,
    ): AsyncGenerator<CalendarPage> {
      const first =
        start.kind === 'link'
          ? start.link
          : `${calendarViewDeltaPath(mailbox, calendar)}?startDateTime=${new Date(start.start).toISOString()}&endDateTime=${new Date(start.end).toISOString()}`;
      const pages = graph.getAllPages<unknown>(first, {
        mailbox: mailbox.userId,
        headers: { Prefer: `odata.maxpagesize=${pageSize}, ${EVENT_PAGE_PREFERENCES}` },
        itemMembers: EVENT_MEMBERS,
      });
      let readingStoredLink = start.kind === 'link';
      try {
        yield* readPages();
      } finally {
        await pages.return(undefined);
      }

      async function* readPages(): AsyncGenerator<CalendarPage> {
        // one page read ahead: the next request is on its way while this page is stored, so a
        // mailbox waits on Graph's latency once per page at most, not once plus its store time
        let ahead = pages.next();
        while (true) {
          let page: CalendarPage;
          try {
            const next = await ahead;
            if (next.done) return;
            ahead = pages.next();
            // its failure is reported when the page is asked for, not as an unhandled rejection
            ahead.catch(() => undefined);
            const items: unknown[] = [];
            const removedIds: string[] = [];
            const hydrated = await Promise.all(
              next.value.value.map((item) => (isRemovedItem(item) ? item : hydrate(mailbox, item))),
            );
            next.value.value.forEach((item, index) => {
              const whole = hydrated[index];
              if (isRemovedItem(item)) removedIds.push(item.id);
              else if (whole === null && isRecord(item) && typeof item.id === 'string') {
                removedIds.push(item.id);
              } else items.push(whole);
            });
            page = {
              items,
              removedIds,
              nextLink: next.value.nextLink,
              deltaLink: next.value.deltaLink,
            };
          } catch (error) {
            throw toMailboxSourceError(error, readingStoredLink);
          }
          readingStoredLink = false;
          yield page;
        }
      }
    },
  };
}
